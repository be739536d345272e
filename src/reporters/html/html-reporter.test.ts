import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseNotes } from '../../history/notes.js';
import { failedJournal, killSwitchJournal, passedJournal, revertFailedJournal } from '../../../test/fixtures/journals/build.js';
import { longJournal } from '../../../test/fixtures/journals/long.js';
import { buildAar } from '../aar/build.js';
import { renderMarkdown } from '../markdown/markdown-reporter.js';
import { htmlReporter, renderHtml } from './html-reporter.js';
import { escapeHtml } from './html.js';

const render = htmlReporter.render;

/** The JSON data block the chart script reads. */
function chartData(page: string): { endS: number; probes: Array<{ t: number[]; y: Array<number | null>; fi: number[]; thr: unknown[][] }> } {
  const m = /<script type="application\/json" id="fd-chart-data">([^<]*)<\/script>/.exec(page);
  if (!m?.[1]) throw new Error('no chart data block');
  return JSON.parse(m[1]) as ReturnType<typeof chartData>;
}

describe('html report', () => {
  it('is one document that loads nothing: no external script, style, font or image', () => {
    const page = render(failedJournal());
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(page).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//i);
    // outside the inlined library (whose licence header names its home page), only the drill's own loopback URLs, as text
    const ours = page.replace(/<script>[\s\S]*?<\/script>/g, '');
    const urls = ours.match(/https?:\/\/[^\s"<]+/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.every((u) => u.startsWith('http://127.0.0.1:'))).toBe(true);
  });

  it('allows exactly its own inline scripts and styles by hash, and nothing else', () => {
    const page = render(passedJournal());
    const csp = (/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? '').replaceAll('&#39;', "'");
    expect(csp).toContain("default-src 'none'");
    const hashes = (tag: string) =>
      [...page.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => `'sha256-${createHash('sha256').update(m[1] ?? '').digest('base64')}'`);
    const scripts = hashes('script');
    expect(scripts).toHaveLength(2);
    for (const h of scripts) expect(csp).toContain(h);
    for (const h of hashes('style')) expect(csp).toContain(h);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('has no inline event handler and no javascript: URL anywhere', () => {
    for (const j of [passedJournal(), failedJournal(), killSwitchJournal(), revertFailedJournal()]) {
      // markup only: the inlined scripts are code, where `a<b && x.onload=` is not markup
      const page = render(j).replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
      expect(page).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
      expect(page).not.toMatch(/javascript:/i);
    }
  });

  it('shows a drill name made of HTML as text, in the title, the heading and the data', () => {
    const j = passedJournal();
    j.drill.name = '<img src=x onerror=alert(1)>';
    j.drill.spec.probes = { '</script><script>alert(2)</script>': j.drill.spec.probes['api-health'] as (typeof j.drill.spec.probes)[string] };
    j.samples = j.samples.map((s) => ({ ...s, probe: '</script><script>alert(2)</script>' }));
    const page = render(j);
    expect(page).toContain(`<h1>${escapeHtml('<img src=x onerror=alert(1)>')}</h1>`);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script>alert');
    expect(page.match(/<\/script>/g)).toHaveLength(3);
    expect(chartData(page).probes).toHaveLength(1);
  });

  it('opens with the verdict in its colour and puts the failed expectations first', () => {
    const page = render(failedJournal());
    expect(page).toMatch(/<header class="verdict bad" id="verdict">[\s\S]*<span class="label">FAILED<\/span><span class="reason">hypothesis violated: 2 of 4 expectations missed<\/span>/);
    const rows = [...page.matchAll(/<tr class="(missed|no-data|near-miss|held)">/g)].map((m) => m[1]);
    expect(rows).toEqual(['missed', 'missed', 'held', 'held']);
    expect(render(passedJournal())).toContain('<header class="verdict good"');
    expect(render(killSwitchJournal())).toContain('<header class="verdict warn"');
  });

  it('shouts a failed revert with the manual fix before anything else', () => {
    const page = render(revertFailedJournal());
    const alert = page.indexOf('<div class="alert" role="alert"><strong class="tag">ACTION NEEDED</strong>');
    expect(alert).toBeGreaterThan(0);
    expect(alert).toBeLessThan(page.indexOf('id="plan"'));
    expect(page).toContain('<pre>nft delete table inet firedrill_block</pre>');
  });

  it('says the same things as the Markdown report', () => {
    for (const j of [failedJournal(), killSwitchJournal(), revertFailedJournal()]) {
      const model = buildAar(j);
      const page = renderHtml(model);
      const md = renderMarkdown(model);
      for (const o of model.why.observations) expect(page, o.text).toContain(escapeHtml(o.text));
      for (const r of model.facts.expectations) expect(page).toContain(escapeHtml(r.evidence.text));
      for (const c of model.checklist) expect(page).toContain(escapeHtml(c.detail));
      for (const p of model.next.prompts) expect(page).toContain(escapeHtml(p));
      expect(md).toContain(model.verdict.reason);
      expect(page).toContain(escapeHtml(model.verdict.reason));
    }
  });

  it('draws each probe with its phases, moments and thresholds', () => {
    const data = chartData(render(killSwitchJournal()));
    const probe = data.probes[0];
    expect(probe?.t.length).toBe(killSwitchJournal().samples.length);
    expect(probe?.fi.length).toBe(killSwitchJournal().samples.filter((s) => !s.ok).length);
    expect(probe?.thr.map((t) => t[4])).toEqual(['baseline: successRate >= 99%', 'fault: successRate >= 95%', 'fault: latencyP95 < 800ms']);
    const page = render(killSwitchJournal());
    expect(page).toContain('"kill-switch","kill switch: api-health: 3 consecutive failures"');
    expect(page).toContain('"inject","injected: SIGSTOP backend pid 4242');
  });

  it('merges the team\'s notes: actions, pre-mortem marks, 5 Whys answers and other sections, as text', () => {
    const notes = parseNotes('## Actions\n- [ ] Add a <b>breaker</b> — owner: team-shop\n## Pre-mortem\n- The api keeps dead keep-alive connections after the backend restarts — happened: yes\n## Outside factors\nA deploy ran <script>x</script>\n', 'findings.md');
    const page = render(failedJournal(), { notes });
    expect(page).toContain('Add a &lt;b&gt;breaker&lt;/b&gt;');
    expect(page).toContain('<h3>Outside factors</h3><div class="notes-text">A deploy ran &lt;script&gt;x&lt;/script&gt;</div>');
    expect(page).toMatch(/The api keeps dead keep-alive connections after the backend restarts<\/td><td><span class="chip no">yes<\/span>/);
    expect(page).toContain("with the team's notes from <code>findings.md</code>");
  });

  it('keeps a one-hour drill with 20 probes at 1 s under 2 MB, downsampled without losing a failure bucket', () => {
    const j = longJournal();
    expect(j.samples.length).toBeGreaterThan(70_000);
    const page = render(j);
    expect(Buffer.byteLength(page)).toBeLessThan(2 * 1024 * 1024);
    const data = chartData(page);
    expect(data.probes).toHaveLength(20);
    for (const p of data.probes) {
      expect(p.t.length).toBeLessThanOrEqual(1000);
      // every 5-minute burst of timeouts is still drawn
      expect(new Set(p.fi.map((i) => Math.floor((p.t[i] ?? 0) / 300))).size).toBe(6);
      expect(Math.max(...p.y.map((v) => v ?? 0))).toBeGreaterThanOrEqual(900);
    }
  });
});
