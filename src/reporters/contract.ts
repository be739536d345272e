/**
 * The reporter contract. A reporter turns a journal into one document; it never re-runs or
 * re-measures anything, so every report of a run says the same thing whenever it is rendered.
 */
import type { Journal } from '../journal/types.js';

export interface RenderOptions {
  /** flag an expectation that held with less than this share of its budget left (0.1 = 10 %, the default) */
  nearMissShare?: number;
}

export interface JournalReporter {
  /** the `--format` name, e.g. `md` */
  readonly format: string;
  /** file extension without the dot, e.g. `md` for `report.md` */
  readonly extension: string;
  /** Renders the whole document from the journal alone. */
  render(journal: Journal, options?: RenderOptions): string;
}
