/**
 * The static assets inlined into every HTML report: uPlot (read from node_modules at render time,
 * so the report needs no network and no CDN), our stylesheet and the chart script (bundled from browser/chart-script.ts), with
 * the sha256 hashes the Content-Security-Policy allows them by.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FiredrillError } from '../../errors.js';
import { chartScript } from './chart-bundle.js';
import { STYLES } from './styles.js';

export interface InlineAssets {
  scripts: string[];
  styles: string[];
  csp: string;
}

let cached: InlineAssets | undefined;

/** The assets and the policy that allows exactly them; read once per process. */
export function inlineAssets(): InlineAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let uplotJs: string;
  let uplotCss: string;
  try {
    uplotJs = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
    uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  } catch (e) {
    throw new FiredrillError('FD_INTERNAL', 'the uplot package is missing; reinstall firedrill (npm ci) to render HTML reports', {}, { cause: e });
  }
  const scripts = [uplotJs, chartScript()];
  const styles = [uplotCss, STYLES];
  // an inlined file must not be able to end its own element early
  for (const text of [...scripts, ...styles]) {
    if (/<\/(script|style)/i.test(text) || text.includes('<!--')) throw new FiredrillError('FD_INTERNAL', 'an inlined report asset contains a closing tag');
  }
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map(hash).join(' ')}`,
    `style-src ${styles.map(hash).join(' ')}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  cached = { scripts, styles, csp };
  return cached;
}
