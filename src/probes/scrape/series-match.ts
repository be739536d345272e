/** Picking series from a page by metric name and labels, the way a PromQL selector does. */
import { compileRegex, isRegexLiteral } from '../../targets/regex-literal.js';
import { labelsText, type Series } from '../prometheus/series.js';
import type { ExpositionSample } from './exposition.js';

export type LabelMatcher = { label: string; test: (value: string | undefined) => boolean };

/**
 * Compiles `{ status: "503", route: "/\/check.*\/" }`: a plain value must be equal, a `/regex/`
 * must match the whole value (as PromQL's `=~` does). A label the series lacks counts as "".
 * Throws FD_DRILL_INVALID for a pattern that does not compile.
 */
export function compileMatchers(labels: Record<string, string>): LabelMatcher[] {
  return Object.entries(labels).map(([label, want]) => {
    if (!isRegexLiteral(want)) return { label, test: (v) => (v ?? '') === want };
    const re = compileRegex(want, `labels.${label}`);
    const whole = new RegExp(`^(?:${re.source})$`, re.flags);
    return { label, test: (v) => whole.test(v ?? '') };
  });
}

/** The samples named `metric` whose labels pass every matcher. */
export function selectSeries(samples: readonly ExpositionSample[], metric: string, matchers: readonly LabelMatcher[]): Series[] {
  return samples
    .filter((s) => s.name === metric && matchers.every((m) => m.test(s.labels[m.label])))
    .map((s) => ({ labels: s.labels, value: s.value }));
}

/** `shop_http_requests_total{route="/checkout"}` as written in the drill, for reasons. */
export function selectorText(metric: string, labels: Record<string, string>): string {
  return Object.keys(labels).length === 0 ? metric : `${metric}${labelsText(labels)}`;
}
