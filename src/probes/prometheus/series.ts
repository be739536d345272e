/** A labelled number, as a PromQL vector or a /metrics page holds them, and how one reads in a reason. */

export interface Series {
  labels: Record<string, string>;
  value: number;
}

const MAX_SERIES_TEXT = 120;

/** `{route="/checkout",status="503"}`, without the `__name__` label; `{}` for none. */
export function labelsText(labels: Record<string, string>): string {
  const parts = Object.entries(labels)
    .filter(([name]) => name !== '__name__')
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  const text = `{${parts.join(',')}}`;
  return text.length > MAX_SERIES_TEXT ? `${text.slice(0, MAX_SERIES_TEXT - 2)}…}` : text;
}

/** Prometheus writes numbers as text: `"0.25"`, `"NaN"`, `"+Inf"`, `"-Inf"`. Undefined for anything else. */
export function parsePromNumber(text: string): number | undefined {
  switch (text) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
  }
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isNaN(n) ? undefined : n;
}
