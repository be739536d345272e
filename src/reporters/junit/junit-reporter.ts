/**
 * `junit.xml` for pipelines: one test case per expectation, one for "faults reverted" and one for
 * "drill completed as planned". A missed expectation is a failure with its evidence; an expectation
 * that could not be evaluated, and a drill the kill switch or an operator aborted, are errors — a
 * pipeline must never read an aborted drill as a pass. Written with junit-report-builder.
 */
import { createRequire } from 'node:module';
import type { Builder } from 'junit-report-builder';
import { buildAar } from '../aar/build.js';
import type { AarModel, ExpectationRow, PlannedExpectation } from '../aar/model.js';
import type { AarReporter } from '../aar-reporter.js';
import type { ReportOptions } from '../report-options.js';
import { mapStrings, printable } from '../../text/printable.js';

const INCOMPLETE = new Set(['aborted', 'refused', 'invalid', 'inject-failed', 'error']);

// a CommonJS module whose typings declare an ES default export, which NodeNext resolves one level
// too deep; requiring it gives exactly the builder its typings describe
// required on first use: the library (lodash and an XML builder in one 1.5 MB file) costs a runner
// megabytes of heap for its whole run, and only the end of the run writes a report
let rootBuilder: Builder | undefined;
const junitBuilder = (): Builder => (rootBuilder ??= createRequire(import.meta.url)('junit-report-builder') as Builder);

/** Renders the model as JUnit XML. */
export function renderJunit(shown: AarModel): string {
  // the builder drops C0 controls silently and keeps C1 and bidi controls raw: spell them all out
  // the charts are not in the XML: not copied (an hour's points are most of the model)
  const { charts, ...rest } = shown;
  const model: AarModel = { ...mapStrings(rest, printable), charts };
  const builder = junitBuilder().newBuilder();
  const { run, verdict } = model;
  const suite = builder
    .testSuite()
    .name(run.drillName)
    .timestamp(run.startedAt)
    // whole milliseconds: 17534.599999999998 ms reads 17.535, not 17.534599999999998
    .time(Math.round(run.durationMs ?? 0) / 1000)
    .property('run-id', run.runId)
    .property('environment', run.environment)
    .property('verdict', verdict.verdict)
    .property('exit-code', String(verdict.exitCode))
    .property('drill-file', run.drillFile)
    .property('drill-sha256', run.drillSha256)
    .property('host', run.host)
    .property('seed', String(run.seed));
  const cls = (part: string) => `firedrill.${run.drillName}.${part}`;

  for (const row of model.facts.expectations) {
    const tc = suite.testCase().className(cls(row.phase)).name(caseName(row.probe, row.description));
    const evidence = evidenceText(model, row);
    if (row.status === 'missed') {
      tc.failure(`${row.phase}: ${row.probe} ${row.description} missed: measured ${row.actualText} (${row.budgetText}); ${row.evidence.text}`, row.metric).stacktrace(cdata(evidence));
    } else if (row.status === 'no-data') {
      tc.error(`${row.phase}: ${row.probe} ${row.description} could not be evaluated: ${row.evidence.note || 'no samples'}`, 'no-data', cdata(evidence));
    } else {
      tc.standardOutput(cdata(`${row.status === 'near-miss' ? 'NEAR MISS: ' : ''}measured ${row.actualText}, expected ${row.expected}; ${row.budgetText}; ${row.evidence.text}`));
    }
  }

  for (const planned of notEvaluated(model)) {
    suite
      .testCase()
      .className(cls(planned.phase))
      .name(caseName(planned.probe, planned.check))
      .error(`${planned.phase}: ${planned.probe} ${planned.check} was not evaluated: the run ended ${verdict.verdict} (${verdict.reason})`, 'not-evaluated');
  }

  const reverted = model.checklist.find((c) => c.id === 'reverted');
  const revertCase = suite.testCase().className(cls('safety')).name('faults reverted');
  if (reverted?.answer === 'no') {
    const fixes = model.alerts.map((a) => [a.text, a.fix?.summary ?? '', ...(a.fix?.commands ?? []).map((c) => `  $ ${c}`)].filter(Boolean).join('\n'));
    revertCase.failure(`REVERT FAILED: ${reverted.detail}`, 'revert-failed').stacktrace(cdata(fixes.join('\n\n')));
  } else {
    revertCase.standardOutput(cdata(reverted?.detail ?? ''));
  }

  const done = suite.testCase().className(cls('safety')).name('drill completed as planned');
  if (INCOMPLETE.has(verdict.verdict) || model.facts.killSwitch.tripped) {
    const k = model.facts.killSwitch;
    const detail = k.tripped
      ? [`kill switch: ${k.condition ?? k.kind ?? 'unrecorded condition'}${k.reason ? ` (${k.reason})` : ''}`, ...k.samples.map((s) => `  ${s.at} ${s.probe ?? ''} ${s.text}`)].join('\n')
      : verdict.runnerReason;
    done.error(`${verdict.label}: ${verdict.reason}`, verdict.verdict, cdata(detail));
  } else {
    done.standardOutput(cdata(`${verdict.label}: ${verdict.reason}`));
  }
  return builder.build();
}

function caseName(probe: string, check: string): string {
  return `${probe} ${check}`;
}

/** The observations behind a row, for the failure's body. */
function evidenceText(model: AarModel, row: ExpectationRow): string {
  const seen = model.why.observations.filter((o) => o.expectation === row.key || (o.probe === row.probe && o.kind === 'first-failure'));
  const worst = row.evidence.worst ? [`worst sample ${row.evidence.worst.at}: ${row.evidence.worst.text}`] : [];
  return [`expected ${row.expected}, measured ${row.actualText}`, `${row.evidence.samples} samples, ${row.evidence.failures} failures`, ...worst, ...seen.map((o) => o.text)].join('\n');
}

/** Expectations the drill planned that have no result: the run ended before they could be checked. */
function notEvaluated(model: AarModel): PlannedExpectation[] {
  const evaluated = new Map<string, number>();
  for (const r of model.facts.expectations) evaluated.set(`${r.phase}/${r.probe}/${r.metric}`, (evaluated.get(`${r.phase}/${r.probe}/${r.metric}`) ?? 0) + 1);
  return model.plan.expectations.filter((p) => {
    const key = `${p.phase}/${p.probe}/${p.check.split(' ')[0] ?? ''}`;
    const left = evaluated.get(key) ?? 0;
    if (left > 0) {
      evaluated.set(key, left - 1);
      return false;
    }
    return true;
  });
}

/** The builder escapes only the first `]]>` of a CDATA section; break up every one. */
function cdata(text: string): string {
  return text.replaceAll(']]>', ']] >');
}

export const junitReporter: AarReporter = {
  format: 'junit',
  extension: 'xml',
  render: (journal, options?: ReportOptions) => renderJunit(buildAar(journal, options)),
  renderModel: renderJunit,
};
