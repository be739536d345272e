import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { isCumulative, parseExposition, parseSampleLine } from './exposition.js';

describe('parseSampleLine', () => {
  it('reads a name, labels and a value', () => {
    expect(parseSampleLine('http_requests_total{method="post",code="200"} 1027')).toEqual({
      name: 'http_requests_total',
      labels: { method: 'post', code: '200' },
      value: 1027,
    });
  });

  it('reads a sample without labels, with a timestamp, or with an empty label set', () => {
    expect(parseSampleLine('up 1')).toEqual({ name: 'up', labels: {}, value: 1 });
    expect(parseSampleLine('up 0 1395066363000')).toEqual({ name: 'up', labels: {}, value: 0 });
    expect(parseSampleLine('up{} 1')).toEqual({ name: 'up', labels: {}, value: 1 });
  });

  it('unescapes backslash, quote and newline in label values and keeps commas and braces inside them', () => {
    expect(parseSampleLine('msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9')).toEqual({
      name: 'msdos_file_access_time_seconds',
      labels: { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' },
      value: 1.458255915e9,
    });
    expect(parseSampleLine('x{a="1,2}",b="}"} 3')?.labels).toEqual({ a: '1,2}', b: '}' });
  });

  it('accepts a trailing comma and blanks around labels', () => {
    expect(parseSampleLine('x{ a = "1" , b="2", } 5')?.labels).toEqual({ a: '1', b: '2' });
  });

  it('reads NaN and infinities as Prometheus writes them', () => {
    expect(parseSampleLine('x NaN')?.value).toBeNaN();
    expect(parseSampleLine('x{le="+Inf"} +Inf')?.value).toBe(Infinity);
    expect(parseSampleLine('x -Inf')?.value).toBe(-Infinity);
    expect(parseSampleLine('x 1e-3')?.value).toBe(0.001);
  });

  it('ignores an OpenMetrics exemplar after the value', () => {
    expect(parseSampleLine('foo_bucket{le="0.1"} 8 # {trace_id="abc"} 0.05 1520879607.789')).toEqual({
      name: 'foo_bucket',
      labels: { le: '0.1' },
      value: 8,
    });
  });

  it('reads a quoted UTF-8 metric name inside the braces', () => {
    expect(parseSampleLine('{"my.dotted.metric", zone="a"} 2')).toEqual({ name: 'my.dotted.metric', labels: { zone: 'a' }, value: 2 });
  });

  it('refuses lines that are not samples', () => {
    for (const bad of ['x', 'x{a="1"}', 'x{a=1} 2', 'x{a="1" 2', '1x 2', 'x{a="1"} twelve', 'x 1 2 3', '<html>', 'x{"a","b"} 1']) {
      expect(parseSampleLine(bad), bad).toBeUndefined();
    }
  });
});

describe('parseExposition', () => {
  it('collects samples and declared types, skipping HELP and other comments', () => {
    const page = parseExposition(
      [
        '# HELP http_requests_total The total number of HTTP requests.',
        '# TYPE http_requests_total counter',
        'http_requests_total{code="200"} 1027',
        'http_requests_total{code="400"} 3',
        '# a comment',
        '',
        '# TYPE temperature gauge',
        'temperature 21.5',
      ].join('\r\n'),
    );
    expect(page.samples.map((s) => [s.name, s.labels.code, s.value])).toEqual([
      ['http_requests_total', '200', 1027],
      ['http_requests_total', '400', 3],
      ['temperature', undefined, 21.5],
    ]);
    expect(page.types.get('http_requests_total')).toBe('counter');
    expect(page.types.get('temperature')).toBe('gauge');
    expect(page.badLines).toBe(0);
  });

  it('counts and skips bad lines, remembering the first one', () => {
    const page = parseExposition('ok 1\nnot a sample line\nalso bad{\nok2 2');
    expect(page.samples).toHaveLength(2);
    expect(page.badLines).toBe(2);
    expect(page.firstBad).toEqual({ line: 2, text: 'not a sample line' });
  });

  it('stops at an OpenMetrics # EOF', () => {
    expect(parseExposition('a 1\n# EOF\nb 2').samples.map((s) => s.name)).toEqual(['a']);
  });

  it('reads every series of a labelled histogram from a real prom-client registry', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'req_seconds', help: 'h', labelNames: ['route'], buckets: [0.1, 1], registers: [registry] });
    h.observe({ route: '/a' }, 0.05);
    h.observe({ route: '/b' }, 0.5);
    h.observe({ route: '/b' }, 5);
    const c = new Counter({ name: 'errors_total', help: 'c\\with "odd" help', labelNames: ['reason'], registers: [registry] });
    c.inc({ reason: 'time"out' }, 2);
    new Gauge({ name: 'queue_depth', help: 'g', registers: [registry] }).set(7);
    const page = parseExposition(await registry.metrics());
    expect(page.badLines).toBe(0);
    const buckets = page.samples.filter((s) => s.name === 'req_seconds_bucket' && s.labels.route === '/b');
    expect(buckets.map((s) => [s.labels.le, s.value])).toEqual([['0.1', 0], ['1', 1], ['+Inf', 2]]);
    expect(page.samples.find((s) => s.name === 'req_seconds_count' && s.labels.route === '/a')?.value).toBe(1);
    expect(page.samples.find((s) => s.name === 'errors_total')?.labels).toEqual({ reason: 'time"out' });
    expect(page.samples.find((s) => s.name === 'queue_depth')?.value).toBe(7);
    expect(isCumulative('req_seconds_bucket', page.types)).toBe(true);
    expect(isCumulative('req_seconds_sum', page.types)).toBe(true);
    expect(isCumulative('errors_total', page.types)).toBe(true);
    expect(isCumulative('queue_depth', page.types)).toBe(false);
  });
});

describe('isCumulative', () => {
  it('goes by the declared type, the OpenMetrics family of a _total, then the _total convention', () => {
    expect(isCumulative('x', new Map([['x', 'counter']]))).toBe(true);
    expect(isCumulative('x', new Map([['x', 'gauge']]))).toBe(false);
    expect(isCumulative('x_total', new Map([['x', 'counter']]))).toBe(true);
    expect(isCumulative('s_count', new Map([['s', 'summary']]))).toBe(true);
    expect(isCumulative('s', new Map([['s', 'summary']]))).toBe(false);
    expect(isCumulative('requests_total', new Map())).toBe(true);
    expect(isCumulative('temperature', new Map())).toBe(false);
  });
});
