/**
 * How the chart script (browser/chart-script.ts, typed and linted browser code) becomes the one
 * script the HTML report inlines: esbuild bundles it into an ES2017 IIFE. `npm run build` writes
 * the bundle next to the compiled reporter (scripts/build-browser.mjs); run from the sources (the
 * tests), the reporter bundles it on first use with the same options.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { FiredrillError } from '../../errors.js';

/** The bundle's file name, next to this module in dist/. */
export const CHART_BUNDLE_FILE = 'chart-script.bundle.js';

/** esbuild options for the bundle of `entry`. */
export function chartBundleOptions(entry: string) {
  return { entryPoints: [entry], bundle: true, format: 'iife', target: 'es2017', platform: 'browser', write: false, legalComments: 'none', logLevel: 'silent' } as const;
}

interface EsbuildSync {
  buildSync(options: ReturnType<typeof chartBundleOptions>): { outputFiles: { text: string }[] };
}

/** The chart script's text: the built bundle, or (running from the sources) bundled now. */
export function chartScript(): string {
  const built = fileURLToPath(new URL(`./${CHART_BUNDLE_FILE}`, import.meta.url));
  if (existsSync(built)) return readFileSync(built, 'utf8');
  const entry = fileURLToPath(new URL('./browser/chart-script.ts', import.meta.url));
  if (!existsSync(entry)) {
    throw new FiredrillError('FD_INTERNAL', `the chart script bundle ${built} is missing; rebuild firedrill (npm run build) to render HTML reports`);
  }
  // esbuild is a devDependency: only a checkout running its sources gets here
  const esbuild = createRequire(import.meta.url)('esbuild') as EsbuildSync;
  const text = esbuild.buildSync(chartBundleOptions(entry)).outputFiles[0]?.text;
  if (text === undefined) throw new FiredrillError('FD_INTERNAL', `esbuild produced no bundle for ${entry}`);
  return text;
}
