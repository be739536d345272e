/** `npm run bench -- report`: HTML render time and size for a one-hour, 20-probe journal. */
import { reporters } from '../../src/reporters/registry.js';
import type { Journal } from '../../src/journal/types.js';
import { longJournal } from '../fixtures/journals/long.js';
import { figure, percentile } from './_figure.js';

export default async function run(): Promise<void> {
  // read back as JSON, like `firedrill report` does from disk
  const journal = JSON.parse(JSON.stringify(longJournal())) as Journal;
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const html = reporters.html.render(journal);
    times.push(performance.now() - started);
    bytes = Buffer.byteLength(html);
  }
  figure('report_html_render_ms', percentile(times, 50), 'ms');
  figure('report_html_bytes', bytes, 'bytes');
}
