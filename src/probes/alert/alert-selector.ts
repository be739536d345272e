/** The drill's alert name and labels as a PromQL selector on ALERTS, or as Alertmanager filters. */
import { isRegexLiteral } from '../../targets/regex-literal.js';

const LITERAL = /^\/(.+)\/([a-z]*)$/s;

/** `severity="page"` or, for a `/regex/`, `severity=~"…"`; PromQL and Alertmanager both anchor regexes. */
function matcher(label: string, want: string): string {
  if (!isRegexLiteral(want)) return `${label}=${JSON.stringify(want)}`;
  const m = LITERAL.exec(want);
  const source = m?.[1] ?? want;
  // RE2 takes flags inline; `i` is the only one that means anything for a label value
  const flags = m?.[2]?.includes('i') ? '(?i)' : '';
  return `${label}=~${JSON.stringify(flags + source)}`;
}

/** `ALERTS{alertname="ShopDown",severity="page"}`: pending and firing series of the alert. */
export function alertsSelector(alertname: string, labels: Record<string, string>): string {
  return `ALERTS{${[matcher('alertname', alertname), ...Object.entries(labels).map(([k, v]) => matcher(k, v))].join(',')}}`;
}

/** `filter=` values for Alertmanager's `/api/v2/alerts`. */
export function alertmanagerFilters(alertname: string, labels: Record<string, string>): string[] {
  return [matcher('alertname', alertname), ...Object.entries(labels).map(([k, v]) => matcher(k, v))];
}
