import { afterEach, describe, expect, it } from 'vitest';
import { passedJournal } from '../../test/fixtures/journals/build.js';
import { closedPort, serveOnLoopback } from '../../test/support/loopback-server.js';
import { parseExposition } from '../probes/scrape/exposition.js';
import { pushGroupings, pushRunResult } from './pushgateway.js';
import { resultRegistry } from './result-metrics.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (let c = cleanups.pop(); c; c = cleanups.pop()) await c();
});

describe('result metrics', () => {
  it('hold the verdict, exit code and each expectation\'s result and value', async () => {
    const journal = passedJournal();
    const page = parseExposition(await resultRegistry(journal).metrics());
    const find = (name: string, labels: Record<string, string> = {}) =>
      page.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(find('firedrill_last_run_verdict', { verdict: 'passed' })).toBe(1);
    expect(find('firedrill_last_run_verdict', { verdict: 'failed' })).toBe(0);
    expect(find('firedrill_last_run_exit_code')).toBe(0);
    expect(find('firedrill_last_run_expectations', { result: 'held' })).toBe(journal.expectations.length);
    const first = journal.expectations[0];
    expect(first).toBeDefined();
    expect(find('firedrill_last_run_expectation_ok', { phase: first?.phase ?? '', probe: first?.probe ?? '' })).toBe(1);
    expect(find('firedrill_last_run_kill_switch_tripped', { kind: 'none' })).toBe(0);
  });
});

describe('pushRunResult', () => {
  it('PUTs the results under job, drill and environment', async () => {
    const bodies: string[] = [];
    const server = await serveOnLoopback((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(`${req.method} ${body}`);
        res.writeHead(200).end();
      });
    });
    cleanups.push(server.close);
    const journal = { ...passedJournal(), environment: 'staging' };
    const outcome = await pushRunResult(server.url, journal);
    expect(outcome).toEqual({ ok: true, group: `job=firedrill,drill=${journal.drill.name},environment=staging` });
    expect(server.requests[0]?.url).toBe(`/metrics/job/firedrill/drill/${encodeURIComponent(journal.drill.name)}/environment/staging`);
    expect(bodies[0]).toMatch(/^PUT [^]*firedrill_last_run_verdict\{verdict="passed"\} 1/);
  });

  it('reports a gateway that is not there instead of throwing', async () => {
    const port = await closedPort();
    const outcome = await pushRunResult(`http://127.0.0.1:${port}`, passedJournal());
    expect(outcome).toMatchObject({ ok: false });
  });

  it('keeps a slash out of the grouping path', () => {
    const journal = passedJournal();
    expect(pushGroupings({ ...journal, environment: '', drill: { ...journal.drill, name: 'team/shop' } })).toEqual({ drill: 'team_shop' });
  });
});
