/**
 * The game day's HTML report in a real browser (Debian chromium through playwright-core): it loads
 * nothing, logs no error (a CSP violation would be one), shows a hostile note as text, and prints
 * to PDF with every postmortem section filled; the PDF is read back as text (pdftotext) and as
 * page images (pdftoppm), which are kept in reports/test-artifacts/ for review.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDayReport } from '../../src/gameday/report/write-day-report.js';
import { writeDayFixture } from '../fixtures/gameday/day.js';
import { repoRoot } from '../support/cli.js';
import { missing } from '../support/components.js';

const skip = missing({ commands: ['chromium', 'pdftotext', 'pdftoppm', 'pdfinfo'] });
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const artifacts = join(repoRoot, 'reports', 'test-artifacts');
const work = mkdtempSync(join(tmpdir(), 'firedrill-day-html-'));
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  context = await chromium.launchPersistentContext(join(work, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
}, 60_000);
afterAll(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(skip)('the game day report in headless Chromium', () => {
  it('loads nothing, logs no error, shows hostile text as text and prints every postmortem section to PDF', async () => {
    if (!context) throw new Error('no browser');
    const dayDir = join(work, 'day');
    mkdirSync(dayDir);
    const fixture = await writeDayFixture(dayDir);
    // a note written like markup, with a bidi override: shown as text, never run, never reordered
    fixture.record.timeline.splice(5, 0, { at: '2025-05-14T09:40:07.000Z', type: 'note', step: 1, message: '<img src=x onerror=alert(1)>\u202e', author: 'Mallory', source: 'http' });
    const written = await writeDayReport(dayDir, fixture.record);
    expect(written.problems).toEqual([]);

    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      const url = pathToFileURL(written.html).href;
      await page.goto(url);
      await page.waitForLoadState('load');
      await expect(page.locator('h1').textContent()).resolves.toBe('Shop resilience game day');
      await expect(page.locator('header.verdict .label').textContent()).resolves.toBe('STOPPED');
      await expect(page.locator('#postmortem .finding').first().textContent()).resolves.toContain("Nobody's alert fired in 1 of 4 step(s)");
      await expect(page.locator('tr.note', { hasText: 'onerror' }).locator('td').nth(2).textContent()).resolves.toBe('note: <img src=x onerror=alert(1)>\\u202e');
      expect(await page.locator('main img, main script').count()).toBe(0);
      expect(dialogs).toEqual([]);

      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(errors).toEqual([]);
      expect(requests.filter((r) => r !== url)).toEqual([]);

      const pdfFile = join(work, 'day.pdf');
      writeFileSync(pdfFile, pdf);
      const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
      for (const heading of ['Postmortem summary', 'Impact', 'Detection', 'People', 'What went well', 'What went badly', 'Where we got lucky', 'Links', 'Day timeline', 'Action items']) expect(text).toContain(heading);
      expect(text).toMatch(/Dana\s+incident commander/);
      expect(text).toMatch(/Sam\s+shop on-call/);
      expect(text).toContain('https://grafana.example/d/shop');
      // table cells wrap, and -layout interleaves the lines of neighbouring cells: read those in content order
      const flat = execFileSync('pdftotext', ['-raw', pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(flat).toContain('Page on ShopDown when the api fails');
      expect(flat).toContain("Nobody's alert fired in 1 of 4 step(s)");
      expect(text).toMatch(/error budget/i);
      // no empty placeholder anywhere: no "time: —", no cell or value that is only a dash
      expect(text).not.toMatch(/: —/);
      expect(text.split('\n').filter((l) => /(^|\s{2,})[—-](\s{2,}|$)/.test(l.trim() === '' ? '' : l))).toEqual([]);

      // every page rasterised: real content on each, none blank
      const pngDir = join(work, 'png');
      mkdirSync(pngDir);
      execFileSync('pdftoppm', ['-r', '40', '-png', pdfFile, join(pngDir, 'page')]);
      const pages = readdirSync(pngDir).filter((f) => f.endsWith('.png')).sort();
      const pageCount = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' }))?.[1]);
      expect(pages.length).toBe(pageCount);
      for (const p of pages) expect(readFileSync(join(pngDir, p)).length).toBeGreaterThan(3_000);
      mkdirSync(artifacts, { recursive: true });
      copyFileSync(pdfFile, join(artifacts, 'gameday-day.pdf'));
      copyFileSync(join(pngDir, pages[0] as string), join(artifacts, 'gameday-day-page1.png'));
    } finally {
      await page.close();
    }
  }, 60_000);
});
