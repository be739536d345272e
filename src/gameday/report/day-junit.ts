/**
 * The day's `junit.xml`: one test suite per step (holds excluded). A drill or manual step's
 * expectations are its test cases; a step that did not run is skipped; an aborted, refused,
 * invalid or errored step is an error — a pipeline never reads an unfinished day as a pass.
 */
import { createRequire } from 'node:module';
import type { Builder } from 'junit-report-builder';
import type { DayReportModel } from './day-model.js';

const rootBuilder = createRequire(import.meta.url)('junit-report-builder') as Builder;
const ERROR = new Set(['aborted', 'refused', 'invalid', 'inject-failed', 'error', 'revert-failed', 'crashed']);

export function renderDayJunit(model: DayReportModel): string {
  const builder = rootBuilder.newBuilder();
  const r = model.record;
  for (const s of model.steps) {
    if (s.record.kind === 'hold') continue;
    const suite = builder
      .testSuite()
      .name(`${String(s.number).padStart(2, '0')} ${s.record.name}`)
      .property('day-id', r.dayId)
      .property('kind', s.record.kind)
      .property('status', s.record.status);
    if (s.record.startedAt) suite.timestamp(s.record.startedAt);
    const cls = `firedrill.gameday.${r.plan.name}.${s.record.name}`;
    if (s.record.status === 'pending' || s.record.status === 'skipped') {
      suite.testCase().className(cls).name(s.record.name).skipped();
      continue;
    }
    if (ERROR.has(s.record.status)) {
      suite.testCase().className(cls).name(`${s.record.name} completed`).error(`${s.record.status}: ${s.record.reason ?? ''}`, s.record.status);
    }
    for (const row of s.aar?.facts.expectations ?? []) {
      const tc = suite.testCase().className(`${cls}.${row.phase}`).name(`${row.probe} ${row.description}`);
      if (row.status === 'missed') tc.failure(`${row.phase}: ${row.probe} ${row.description} missed: measured ${row.actualText}`, row.metric);
      else if (row.status === 'no-data') tc.error(`${row.phase}: ${row.probe} ${row.description} could not be evaluated`, 'no-data');
    }
    if (!ERROR.has(s.record.status) && (s.aar?.facts.expectations.length ?? 0) === 0) {
      const tc = suite.testCase().className(cls).name(`${s.record.name} completed`);
      if (s.record.status === 'failed') tc.failure(s.record.reason ?? 'failed');
    }
  }
  return builder.build();
}
