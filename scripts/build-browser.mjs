#!/usr/bin/env node
/**
 * Bundles the browser code of the HTML report (src/reporters/html/browser/chart-script.ts) into
 * dist/reporters/html/chart-script.bundle.js, after `tsc` has built dist/. The options live in
 * src/reporters/html/chart-bundle.ts, so the build and a run from the sources bundle alike.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { CHART_BUNDLE_FILE, chartBundleOptions } = await import(join(root, 'dist/reporters/html/chart-bundle.js'));
const entry = join(root, 'src/reporters/html/browser/chart-script.ts');
const result = await esbuild.build(chartBundleOptions(entry));
writeFileSync(join(root, 'dist/reporters/html', CHART_BUNDLE_FILE), result.outputFiles[0].text);
