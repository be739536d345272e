import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDayFixture } from '../../../test/fixtures/gameday/day.js';
import { parseNotes } from '../../history/notes.js';
import { buildDayModel } from './day-model.js';
import { writeDayReport } from './write-day-report.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function writtenDay() {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-day-report-'));
  dirs.push(dir);
  const fixture = await writeDayFixture(dir);
  const written = await writeDayReport(dir, fixture.record);
  return { dir, fixture, written, md: readFileSync(written.markdown, 'utf8'), html: readFileSync(written.html, 'utf8') };
}

function model() {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-day-model-'));
  dirs.push(dir);
  return writeDayFixture(dir).then((f) => {
    const inputs = new Map([...f.journals].map(([i, journal]) => [i, { journal, ...(f.notes.get(i) ? { notes: parseNotes(f.notes.get(i) ?? '', 'notes.md') } : {}) }]));
    return buildDayModel(f.record, inputs, { dayNotes: parseNotes(f.dayNotes, 'notes.md') });
  });
}

describe('the day report\'s postmortem summary', () => {
  it('states the impact of every step that ran, the manual one as the time the team acted', async () => {
    const pm = (await model()).postmortem;
    expect(pm.impact.steps.map((s) => s.step)).toEqual(['1 shop-backend-pause', '2 freeze-by-hand', '4 shop-backend-kill', '5 shop-backend-stall']);
    const manual = pm.impact.steps[1];
    expect(manual?.summary).toMatch(/the team acted by hand/);
    expect(manual?.summary).not.toMatch(/Nothing was injected/);
    const kill = pm.impact.steps[2];
    expect(kill?.probes.find((p) => p.probe === 'api-health')?.failed).toBeGreaterThan(0);
    expect(kill?.slo).toMatch(/of the 30d error budget/);
    expect(pm.impact.budgets).toEqual([expect.stringMatching(/^api-health \(99\.9% over 30d\): about .* of full outage over 1 step\(s\)/)]);
  });

  it('makes "nobody\'s alert fired" a finding of the day, and names the steps that watch no alert', async () => {
    const pm = (await model()).postmortem;
    expect(pm.detection.findings[0]).toBe("Nobody's alert fired in 1 of 4 step(s) while firedrill's probes saw failures: step 4 shop-backend-kill (ShopDown).");
    expect(pm.detection.findings).toContainEqual(expect.stringMatching(/^3 step\(s\) watch none of the team's alerts .*step 1 shop-backend-pause, step 2 freeze-by-hand, step 5 shop-backend-stall\.$/));
    const manual = pm.detection.steps.find((d) => d.step === '2 freeze-by-hand');
    expect(manual?.firedrillText).toMatch(/after the team started$/);
    expect(pm.wentBadly).toContainEqual({ from: '4 shop-backend-kill', text: "Nobody's alert fired: ShopDown stayed quiet while firedrill's probes saw failures.", team: false });
  });

  it('lists the plan\'s people with their roles, then whoever a step names besides', async () => {
    const pm = (await model()).postmortem;
    expect(pm.people.slice(0, 3)).toEqual([
      { name: 'Dana', role: 'incident commander' },
      { name: 'Sam', role: 'shop on-call' },
      { name: 'Alex', role: 'scribe' },
    ]);
    expect(pm.people.slice(3).every((p) => /\(step \d/.test(p.role))).toBe(true);
  });

  it('collects went well / badly / lucky from the day, every step and the team\'s notes, and every link', async () => {
    const pm = (await model()).postmortem;
    expect(pm.wentBadly[0]).toEqual({ from: 'day', text: '1 step(s) did not run: 6 checkout-freeze.', team: false });
    expect(pm.wentWell).toContainEqual({ from: 'day', text: '2 of 5 step(s) passed: 1 shop-backend-pause, 2 freeze-by-hand.', team: false });
    expect(pm.wentBadly).toContainEqual({ from: '4 shop-backend-kill', text: 'the alert rule only looks at the backend', team: true });
    expect(pm.lucky).toContainEqual({ from: 'day', text: 'the backend restart took seconds because the cache was warm', team: true });
    expect(pm.lucky.some((l) => l.from === '1 shop-backend-pause' && /thin margin/.test(l.text))).toBe(true);
    expect(pm.links).toEqual([
      { title: 'Shop runbook', url: 'https://runbooks.example.com/shop' },
      { title: 'Shop dashboard', url: 'https://grafana.example/d/shop' },
    ]);
  });

  it('writes the summary into day.md and day.html with every action item and no empty placeholder', async () => {
    const { md, html, written } = await writtenDay();
    expect(written.problems).toEqual([]);
    for (const doc of [md, html]) {
      for (const heading of ['Postmortem summary', 'Impact', 'Detection', 'People', 'What went well', 'What went badly', 'Where we got lucky', 'Links', 'Action items']) expect(doc).toContain(heading);
      expect(doc).toContain('Page on ShopDown when the api fails');
      expect(doc).toContain('Rehearse the day a week before');
      expect(doc).toContain('https://grafana.example/d/shop');
    }
    expect(md).toMatch(/\| Dana \| incident commander \|/);
    expect(md).toContain("**Nobody's alert fired in 1 of 4 step(s)");
    // a table cell with only a dash says nothing: every cell says what it means
    expect(md.split('\n').filter((l) => l.startsWith('|') && /\|\s*[—-]\s*\|/.test(l))).toEqual([]);
    expect(html).not.toMatch(/<td>\s*[—-]?\s*<\/td>/);
    expect(md).toMatch(/\| 3 \| hold-3 \| hold \| held \| none \(a hold\) \| 3m00s \| no report \(a hold\) \|/);
    expect(md).toMatch(/\| 6 \| checkout-freeze \| drill \| not run: the day stopped before it \| not judged \| not run \| no report \(did not run\) \|/);
  });
});
