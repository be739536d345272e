/** The `expectStatus` check of an HTTP probe. */
import type { ProbeSpec } from '../../drill/schema.js';

export type ExpectStatus = NonNullable<ProbeSpec['http']>['expectStatus'];

/** True when `status` is the expected number, one of the listed numbers, or in the class (`"2xx"`). */
export function statusMatches(status: number, expect: ExpectStatus): boolean {
  if (typeof expect === 'number') return status === expect;
  if (Array.isArray(expect)) return expect.includes(status);
  return Math.floor(status / 100) === Number(expect[0]);
}
