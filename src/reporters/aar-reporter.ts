/** A reporter that renders the AAR model, so one model built once can feed every format of a run. */
import type { Journal } from '../journal/types.js';
import type { AarModel } from './aar/model.js';
import type { JournalReporter } from './contract.js';
import type { ReportOptions } from './report-options.js';

export interface AarReporter extends JournalReporter {
  render(journal: Journal, options?: ReportOptions): string;
  /** Renders an already built model (the same document `render` gives for its journal). */
  renderModel(model: AarModel): string;
}
