import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Journal } from '../../journal/types.js';
import { failedJournal, killSwitchJournal, passedJournal, revertFailedJournal } from '../../../test/fixtures/journals/build.js';
import { junitReporter } from './junit-reporter.js';

interface Case {
  '@_name': string;
  '@_classname': string;
  failure?: { '@_message': string; '@_type': string; '#text'?: string };
  error?: { '@_message': string; '@_type': string; '#text'?: string };
  'system-out'?: string;
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  '@_timestamp': string;
  properties: { property: Array<{ '@_name': string; '@_value': string }> };
  testcase: Case[];
}

/** Renders and parses back, as a CI system would. */
function parse(journal: Journal): Suite {
  const xml = junitReporter.render(journal);
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, cdataPropName: false, isArray: (name) => name === 'testcase' || name === 'property' }).parse(xml) as {
    testsuites: { testsuite: Suite };
  };
  return doc.testsuites.testsuite;
}

describe('junit report', () => {
  it('writes time attributes in whole milliseconds, without float noise', () => {
    const journal = passedJournal();
    journal.durationMs = 17534.6 - 1e-12; // a sum of run-time readings, as it comes out of the clock
    const xml = junitReporter.render(journal);
    const times = [...xml.matchAll(/ time="([^"]*)"/g)].map((m) => m[1]);
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t).toMatch(/^\d+(\.\d{1,3})?$/);
    expect(times).toContain('17.535');
  });

  it('has one case per expectation plus "faults reverted" and "drill completed as planned"', () => {
    const suite = parse(passedJournal());
    expect(suite['@_name']).toBe('shop-backend-pause');
    expect(suite.testcase.map((c) => c['@_name'])).toEqual([
      'api-health latencyP95 < 800ms',
      'api-health successRate >= 99%',
      'api-health successRate >= 95%',
      'api-health recoversWithin 10s',
      'faults reverted',
      'drill completed as planned',
    ]);
    expect(suite.testcase[0]?.['@_classname']).toBe('firedrill.shop-backend-pause.fault');
    expect(suite['@_failures']).toBe('0');
    expect(suite['@_errors']).toBe('0');
    expect(suite.testcase[0]?.['system-out']).toMatch(/^NEAR MISS: measured 755ms, expected < 800ms; 5\.\d% of the budget left/);
    expect(suite.properties.property.find((p) => p['@_name'] === 'run-id')?.['@_value']).toBe('20250514T093000Z-7f3a9c');
  });

  it('fails a missed expectation with the measured value and its evidence', () => {
    const suite = parse(failedJournal());
    expect(suite['@_failures']).toBe('2');
    const p95 = suite.testcase.find((c) => c['@_name'] === 'api-health latencyP95 < 800ms');
    expect(p95?.failure?.['@_type']).toBe('latencyP95');
    expect(p95?.failure?.['@_message']).toMatch(/^fault: api-health latencyP95 < 800ms missed: measured 1\.18s \(over the limit by 47\.1%\); 15 samples, 1 failure; worst \+20\.5s/);
    expect(p95?.failure?.['#text']).toContain('The p95 latency of api-health in the fault phase was 1.18s');
  });

  it('reports an aborted drill as an error, never as a pass', () => {
    const suite = parse(killSwitchJournal());
    expect(Number(suite['@_errors'])).toBeGreaterThan(0);
    const done = suite.testcase.find((c) => c['@_name'] === 'drill completed as planned');
    expect(done?.error?.['@_type']).toBe('aborted');
    expect(done?.error?.['@_message']).toMatch(/^ABORTED: aborted by the kill switch on "api-health: 3 consecutive failures"/);
    expect(done?.error?.['#text']).toContain('+13.1s api-health failed in 1s: timeout after 1s');
  });

  it('errors every planned expectation the run never evaluated', () => {
    const j = killSwitchJournal();
    j.expectations = j.expectations.filter((e) => e.phase !== 'recovery');
    const missing = parse(j).testcase.find((c) => c['@_name'] === 'api-health recoversWithin 10s');
    expect(missing?.error?.['@_type']).toBe('not-evaluated');
    expect(missing?.error?.['@_message']).toContain('was not evaluated: the run ended aborted');
  });

  it('fails "faults reverted" with the manual fix when a revert failed', () => {
    const reverted = parse(revertFailedJournal()).testcase.find((c) => c['@_name'] === 'faults reverted');
    expect(reverted?.failure?.['@_type']).toBe('revert-failed');
    expect(reverted?.failure?.['#text']).toContain('$ nft delete table inet firedrill_block');
  });

  it('keeps hostile text inside its element', () => {
    const j = failedJournal();
    j.drill.name = 'x"><testcase name="fake"/><![CDATA[';
    const e = j.expectations[0];
    if (e) e.evidence.note = ']]></failure><testcase name="fake2"/> and ]]> again';
    const suite = parse(j);
    expect(suite['@_name']).toBe('x"><testcase name="fake"/><![CDATA[');
    expect(suite.testcase.some((c) => c['@_name'].startsWith('fake'))).toBe(false);
  });
});
