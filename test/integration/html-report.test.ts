/**
 * The HTML report in a real browser (Debian chromium through playwright-core): it loads nothing
 * from anywhere, logs no error (a CSP violation would be one), draws a chart per probe with data,
 * shows hostile text as text, prints to PDF, and a person can read it (the screenshot is kept in
 * reports/test-artifacts/ for review).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotes } from '../../src/history/notes.js';
import type { Journal } from '../../src/journal/types.js';
import { htmlReporter } from '../../src/reporters/html/html-reporter.js';
import { failedJournal, killSwitchJournal, passedJournal, revertFailedJournal } from '../fixtures/journals/build.js';
import { inside, intersects, type LabelBox } from '../../src/reporters/html/chart-label-layout.js';
import { longJournal } from '../fixtures/journals/long.js';
import { repoRoot } from '../support/cli.js';
import { missing } from '../support/components.js';

const skip = missing({ commands: ['chromium', 'pdftotext'] });
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const artifacts = join(repoRoot, 'reports', 'test-artifacts');

const work = mkdtempSync(join(tmpdir(), 'firedrill-html-'));
let context: BrowserContext | undefined;
afterAll(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

beforeAll(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
}, 60_000);

interface Visit {
  page: Page;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** Writes the report to disk and opens it as a reader would: from a file. */
async function open(name: string, journal: Journal, options: Parameters<typeof htmlReporter.render>[1] = {}): Promise<Visit> {
  if (!context) throw new Error('no browser');
  const file = join(work, `${name}.html`);
  writeFileSync(file, htmlReporter.render(journal, options));
  const page = await context.newPage();
  const visit: Visit = { page, errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') visit.errors.push(m.text());
  });
  page.on('pageerror', (e) => visit.errors.push(e.message));
  page.on('request', (r) => visit.requests.push(r.url()));
  page.on('dialog', (d) => {
    visit.dialogs.push(d.message());
    void d.dismiss();
  });
  const url = pathToFileURL(file).href;
  await page.goto(url);
  await page.waitForSelector('html[data-charts-drawn]', { timeout: 10_000 });
  visit.requests = visit.requests.filter((r) => r !== url);
  return visit;
}

/** The part of a browser canvas this suite reads (the project's types do not include the DOM). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** Size of each chart canvas and how many distinct colours it has (a blank canvas has one). */
async function canvases(page: Page): Promise<Array<{ width: number; height: number; colours: number }>> {
  return page.$$eval('figure.chart canvas', (list) =>
    list.map((c) => {
      const canvas = c as unknown as CanvasLike;
      const ctx = canvas.getContext('2d');
      const data = ctx ? ctx.getImageData(0, 0, canvas.width, canvas.height).data : [];
      const seen = new Set<number>();
      for (let i = 0; i < data.length && seen.size < 50; i += 4 * 97) seen.add(((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0));
      return { width: canvas.width, height: canvas.height, colours: seen.size };
    }),
  );
}

interface DrawnLabels {
  area: LabelBox;
  labels: Array<{ text: string; box: LabelBox }>;
}

/** Every chart's labels as the chart script placed them (canvas pixels), and the plot area they must stay in. */
async function drawnLabels(page: Page): Promise<DrawnLabels[]> {
  const all = await page.$$eval('figure.chart .plot', (list) => list.map((el) => el.getAttribute('data-labels')));
  return all.map((json) => JSON.parse(json ?? '{"area":{"x":0,"y":0,"w":0,"h":0},"labels":[]}') as DrawnLabels);
}

/** Labels that overlap one another or leave the plot area (where the axes' tick labels are). */
function labelClashes(charts: DrawnLabels[]): string[] {
  const out: string[] = [];
  charts.forEach((c, i) => {
    c.labels.forEach((a, k) => {
      if (!inside(a.box, c.area)) out.push(`chart ${i}: "${a.text}" leaves the plot area`);
      for (const b of c.labels.slice(k + 1)) if (intersects(a.box, b.box)) out.push(`chart ${i}: "${a.text}" overlaps "${b.text}"`);
    });
  });
  return out;
}

describe.skipIf(skip)('the HTML report in headless Chromium', () => {
  it('draws chart labels that overlap neither each other nor the axes, on screen and printed', async () => {
    for (const [name, journal] of [['labels-passed', passedJournal()], ['labels-failed', failedJournal()], ['labels-kill', killSwitchJournal()], ['labels-revert', revertFailedJournal()]] as const) {
      const v = await open(name, journal);
      try {
        const screen = await drawnLabels(v.page);
        expect(screen.flatMap((c) => c.labels.map((l) => l.text))).toEqual(expect.arrayContaining(['inject', 'fault']));
        expect(labelClashes(screen), name).toEqual([]);
        // printing draws the charts narrower: the labels are placed again
        const before = JSON.stringify(screen);
        await v.page.emulateMedia({ media: 'print' });
        await expect.poll(async () => JSON.stringify(await drawnLabels(v.page))).not.toBe(before);
        expect(labelClashes(await drawnLabels(v.page)), `${name} printed`).toEqual([]);
        expect(v.errors).toEqual([]);
      } finally {
        await v.page.close();
      }
    }
  });

  it('loads nothing, logs no error and draws a chart with data per probe', async () => {
    const notes = parseNotes('## Actions\n- [ ] Add a circuit breaker — owner: team-shop, due: 2025-06-01\n', 'findings.md');
    const v = await open('failed', failedJournal(), { notes });
    try {
      expect(v.errors).toEqual([]);
      expect(v.requests).toEqual([]);
      expect(await v.page.getAttribute('html', 'data-charts-drawn')).toBe('1');
      const drawn = await canvases(v.page);
      expect(drawn).toHaveLength(1);
      expect(drawn[0]?.width).toBeGreaterThan(300);
      expect(drawn[0]?.height).toBeGreaterThan(100);
      expect(drawn[0]?.colours).toBeGreaterThan(5);
      await expect(v.page.locator('header.verdict .label').textContent()).resolves.toBe('FAILED');
      mkdirSync(artifacts, { recursive: true });
      await v.page.screenshot({ path: join(artifacts, 'aar-failed.png'), fullPage: true });
      await v.page.locator('figure.chart').first().screenshot({ path: join(artifacts, 'aar-failed-chart.png') });
    } finally {
      await v.page.close();
    }
  });

  it('shows values on hover and the moment under the cursor', async () => {
    const v = await open('kill-switch', killSwitchJournal());
    try {
      const plot = v.page.locator('#fd-chart-0 .u-over');
      await plot.scrollIntoViewIfNeeded();
      const box = await plot.boundingBox();
      if (!box) throw new Error('no plot area');
      // the kill switch fired at +16.06s of a 46.07s run
      await v.page.mouse.move(box.x + (box.width * 16.06) / 46.07, box.y + box.height / 2);
      await expect.poll(() => v.page.locator('.fd-hover').first().textContent()).toContain('kill switch: api-health: 3 consecutive failures');
      const legend = await v.page.locator('#fd-chart-0 .u-legend .u-value').allTextContents();
      expect(legend[0]).toMatch(/^\+1\d\.\ds$/);
      expect(legend[1]).toMatch(/ (ms|s)$/);
      expect(v.errors).toEqual([]);
    } finally {
      await v.page.close();
    }
  });

  it('shows a drill named like markup as text, and no dialog fires', async () => {
    const j = failedJournal();
    j.drill.name = '<img src=x onerror=alert(1)>';
    j.drill.description = '<script>alert(2)</script>';
    const e = j.expectations[0];
    if (e) e.evidence.note = '"><svg onload=alert(3)>';
    const v = await open('xss', j);
    try {
      await expect(v.page.locator('h1').textContent()).resolves.toBe('<img src=x onerror=alert(1)>');
      expect(await v.page.locator('main img, main svg').count()).toBe(0);
      await expect(v.page.title()).resolves.toContain('<img src=x onerror=alert(1)>');
      await v.page.waitForTimeout(200);
      expect(v.dialogs).toEqual([]);
      expect(v.errors).toEqual([]);
      expect(v.requests).toEqual([]);
    } finally {
      await v.page.close();
    }
  });

  it('draws 20 charts of an hour-long drill and prints to PDF', async () => {
    const v = await open('long', longJournal());
    try {
      expect(await v.page.getAttribute('html', 'data-charts-drawn')).toBe('20');
      const drawn = await canvases(v.page);
      expect(drawn).toHaveLength(20);
      expect(drawn.every((c) => c.width > 300 && c.colours > 5)).toBe(true);
      await v.page.emulateMedia({ media: 'print' });
      const pdf = await v.page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(join(artifacts, 'aar-long.pdf'), pdf);
      expect(v.errors).toEqual([]);
    } finally {
      await v.page.close();
    }
  });

  it('prints the postmortem summary to PDF with every section filled (pdftotext)', async () => {
    const j = failedJournal();
    j.drill.spec.slo = { probe: 'api-health', objective: 0.999, window: 30 * 86_400_000 };
    j.drill.spec.facilitator = { name: 'Dana', role: 'incident commander' };
    j.drill.spec.links = [{ title: 'Shop runbook', url: 'https://runbooks.example.com/shop' }];
    const v = await open('postmortem', j);
    try {
      expect(v.errors).toEqual([]);
      expect(v.requests).toEqual([]);
      await v.page.emulateMedia({ media: 'print' });
      const pdf = await v.page.pdf({ format: 'A4', printBackground: true });
      const file = join(work, 'postmortem.pdf');
      writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('Postmortem summary');
      expect(text).toMatch(/Error budget: api-health: \d+ of \d+ checks failed/);
      expect(text).toMatch(/Dana\s+incident commander/);
      expect(text).toContain('https://runbooks.example.com/shop');
      expect(text).toContain('What went badly');
      expect(text).not.toMatch(/time: —/);
    } finally {
      await v.page.close();
    }
  });
});
