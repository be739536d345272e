/** Small building blocks the HTML sections share: tables, status chips, sample tables. */
import { formatDurationMs } from '../../drill/duration.js';
import type { SampleView } from '../aar/model.js';
import { html, type Html, type Part } from './html.js';

export interface Column {
  title: string;
  num?: boolean;
  /** short values that read badly when broken (statuses, phases, figures) */
  nowrap?: boolean;
}

function cellClass(c: Column | undefined): string {
  return [c?.num ? 'num' : '', c?.nowrap ? 'nowrap' : ''].filter(Boolean).join(' ');
}

/** A table; each row may carry a class (e.g. its status) for colour. */
export function table(columns: readonly (Column | string)[], rows: ReadonlyArray<{ cells: readonly Part[]; className?: string }>): Html {
  const cols = columns.map((c) => (typeof c === 'string' ? { title: c } : c));
  const attr = (c: Column | undefined) => (cellClass(c) ? html` class="${cellClass(c)}"` : '');
  return html`<table><thead><tr>${cols.map((c) => html`<th${attr(c)}>${c.title}</th>`)}</tr></thead><tbody>${rows.map(
    (r) => html`<tr${r.className ? html` class="${r.className}"` : ''}>${r.cells.map((cell, i) => html`<td${attr(cols[i])}>${cell}</td>`)}</tr>`,
  )}</tbody></table>`;
}

/** Two columns of label and value, without a header row. */
export function keyValues(rows: ReadonlyArray<readonly [string, Part]>): Html {
  return html`<table class="kv"><tbody>${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table>`;
}

/** A coloured label; `kind` picks the colour (see styles.ts). */
export function chip(kind: string, text: string): Html {
  return html`<span class="chip ${kind}">${text}</span>`;
}

/** The samples behind a finding, one row each. */
export function sampleTable(samples: readonly SampleView[]): Html {
  return table(
    [{ title: 't', num: true }, 'probe', 'phase', 'ok', { title: 'latency', num: true }, 'result'],
    samples.map((s) => ({
      cells: [s.at, s.probe ?? '', s.phase ?? '', s.ok ? chip('yes', 'yes') : chip('no', 'no'), formatDurationMs(s.latencyMs), s.text],
      className: s.ok ? '' : 'missed',
    })),
  );
}
