import { describe, expect, it } from 'vitest';
import { failedJournal, killSwitchJournal, passedJournal, revertFailedJournal } from '../../../test/fixtures/journals/build.js';
import { markdownReporter } from './markdown-reporter.js';

const render = markdownReporter.render;

/** The lines of one `##`/`###` section, up to the next heading of the same or a higher level. */
function section(md: string, heading: string): string {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l === heading);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const level = heading.indexOf(' ');
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.indexOf(' ') <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** Table rows of a section, each split into its cells on the pipes GFM splits on. */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[-:|]+\|$/.test(l))
    .map((l) => l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()));
}

describe('markdown report', () => {
  it('opens with the title and the verdict line', () => {
    const lines = render(failedJournal()).split('\n');
    expect(lines[0]).toBe('# After-Action Review: shop-backend-kill');
    expect(lines[2]).toBe('**Verdict: FAILED** — hypothesis violated: 2 of 4 expectations missed (exit 1)');
  });

  it('has the four AAR questions, the facts and the checklist, in reading order', () => {
    const md = render(failedJournal());
    const headings = [
      '## 1. What was supposed to happen?',
      '### Expectations, as written',
      '## 2. What actually happened?',
      '### Blast radius hit',
      '### Timeline',
      '### Expected vs actual',
      '### Faults',
      '### Kill switch',
      '### Probes',
      '## 3. Why were there differences?',
      '### What the data shows',
      '### 5 Whys',
      '## 4. What do we do differently next time?',
      '### Pre-mortem',
      '## Safe-to-fail checklist',
    ];
    const positions = headings.map((h) => md.split('\n').indexOf(h));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('states the hypothesis and the expectations in the drill\'s own words', () => {
    const plan = section(render(passedJournal()), '## 1. What was supposed to happen?');
    expect(plan).toContain('**Hypothesis:** API health stays >= 95 % during the stall and recovers within 10 s after it');
    expect(tableRows(section(plan, '### Expectations, as written')).slice(1)).toEqual([
      ['baseline', 'api-health', 'successRate >= 99%'],
      ['fault', 'api-health', 'successRate >= 95%'],
      ['fault', 'api-health', 'latencyP95 \\< 800ms'],
      ['recovery', 'api-health', 'recoversWithin 10s'],
    ]);
  });

  it('lists missed expectations before the ones that held, with evidence', () => {
    const rows = tableRows(section(render(failedJournal()), '### Expected vs actual'));
    expect(rows[0]).toEqual(['result', 'phase', 'probe', 'expected', 'actual', 'budget', 'evidence']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['**MISSED**', '**MISSED**', 'held', 'held']);
    expect(rows[1]?.[6]).toMatch(/^15 samples, 1 failure; worst \+20\.5s: failed in 1\.0\ds: status 502: upstream reset \\\| pool stale/);
  });

  it('keeps user text with pipes inside its table cell', () => {
    const md = render(failedJournal());
    for (const heading of ['### Blast radius hit', '### Timeline', '### Expected vs actual']) {
      const rows = tableRows(section(md, heading));
      const width = rows[0]?.length;
      expect(rows.every((r) => r.length === width), heading).toBe(true);
    }
    expect(md).toContain('`node examples/shop/backend.js --port 18081 \\| tee -a /tmp/shop-backend.log`');
    expect(md).toContain('Shop API \\| backend killed for 15 s');
  });

  it('flags the near miss', () => {
    const md = render(passedJournal());
    expect(tableRows(section(md, '### Expected vs actual'))[1]?.slice(0, 6)).toEqual([
      'held (near miss)', 'fault', 'api-health', 'latencyP95 \\< 800ms', '755ms', '5.6% of the budget left',
    ]);
    expect(section(md, '### What the data shows')).toContain('Near miss: api-health latencyP95 \\< 800ms in the fault phase held with only 5.6% of the budget left');
  });

  it('shows the timeline in order, with the fault in and out', () => {
    const rows = tableRows(section(render(killSwitchJournal()), '### Timeline')).slice(1);
    const what = rows.map((r) => r[3] ?? '');
    const order = ['injected: SIGSTOP backend pid 4242', 'first failing sample', 'kill switch: api-health', 'reverted: SIGSTOP backend pid 4242', 'recovery phase'];
    const at = order.map((o) => what.findIndex((w) => w.startsWith(o)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(rows[0]?.[0]).toBe('+0ms');
  });

  it('shows the kill-switch condition and the samples that fired it', () => {
    const md = render(killSwitchJournal());
    const k = section(md, '### Kill switch');
    expect(k).toContain('Tripped at +16.1s on api-health: 3 consecutive failures (3 failures in a row); every fault reverted 4ms later.');
    const samples = tableRows(k).slice(1);
    expect(samples.map((r) => [r[0], r[3], r[5]])).toEqual([
      ['+13.1s', '**no**', 'failed in 1s: timeout after 1s'],
      ['+14.1s', '**no**', 'failed in 1s: timeout after 1s'],
      ['+15.1s', '**no**', 'failed in 1s: timeout after 1s'],
    ]);
    expect(md.split('\n').find((l) => l.startsWith('| Kill switch |'))).toBe('| Kill switch | tripped: api-health: 3 consecutive failures |');
  });

  it('shouts a failed revert right under the verdict, with the manual fix', () => {
    const lines = render(revertFailedJournal()).split('\n');
    expect(lines[2]).toMatch(/^\*\*Verdict: REVERT FAILED\*\* — revert incomplete: 1 fault may still be in place/);
    expect(lines[4]).toMatch(/^> \*\*ACTION NEEDED\*\* — REVERT FAILED: /);
    const quote = lines.slice(4, lines.findIndex((l, i) => i > 4 && !l.startsWith('>')));
    expect(quote).toContain('> nft delete table inet firedrill_block');
    expect(lines.find((l) => l.startsWith('| Could we revert? |'))).toMatch(/^\| Could we revert\? \| \*\*NO\*\* \| NOT REVERTED: /);
  });

  it('offers a 5 Whys chain for each miss and the pre-mortem to mark', () => {
    const md = render(killSwitchJournal());
    const whys = section(md, '### 5 Whys');
    expect(whys.match(/^\*\*Starting from:\*\*/gm)).toHaveLength(3);
    expect(whys.match(/^5\. Why\? …$/gm)).toHaveLength(3);
    expect(section(md, '### Pre-mortem')).toContain('- [ ] The api has no timeout towards the backend and hangs — happened: yes / no / partly');
  });

  it('answers the safe-to-fail checklist', () => {
    const rows = tableRows(section(render(passedJournal()), '## Safe-to-fail checklist')).slice(1);
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['Is the cost of failure acceptable?', 'yes'],
      ['Was the failure contained?', 'yes'],
      ['Was there fast feedback?', 'yes'],
      ['Could we revert?', 'yes'],
      ['Are we changing something each attempt?', 'not exercised'],
      ['Are we capturing what we learn?', 'for the team'],
    ]);
  });

  it('summarises each probe per phase', () => {
    const rows = tableRows(section(render(passedJournal()), '### Probes')).slice(1);
    expect(rows.map((r) => r[1])).toEqual(['preflight', 'baseline', 'fault', 'recovery']);
    expect(rows[2]).toEqual(['api-health', 'fault', '28', '96.4%', '724ms', '755ms', '760ms']);
  });

  it('names the drill file and its hash, never the drill source', () => {
    const j = passedJournal();
    j.drill.source += '\n# marker-that-must-not-appear\n';
    const md = render(j);
    expect(md).toContain(`\`drills/shop-backend-pause.yaml\` (sha256 \`${j.drill.sha256}\`)`);
    expect(md).not.toContain('marker-that-must-not-appear');
    expect(md).not.toContain('apiVersion');
  });

  it('shows a drill name made of HTML as text', () => {
    const j = passedJournal();
    j.drill.name = '<img src=x onerror=alert(1)>';
    const md = render(j);
    expect(md.split('\n')[0]).toBe('# After-Action Review: \\<img src=x onerror=alert(1)>');
    expect(md).not.toMatch(/(?<!\\)<img/);
  });

  it('matches the reviewed rendering of the failed drill', async () => {
    await expect(render(failedJournal())).toMatchFileSnapshot('./__snapshots__/failed.report.md');
  });
});
