/** Ready when a URL answers 2xx or 3xx. */
import type { ReadinessCheck } from './check.js';
import { polledCheck } from './poll.js';

/** Polls `url` with GET; redirects are not followed, a 3xx already proves the server is up. */
export function httpCheck(url: string): ReadinessCheck {
  return polledCheck(`http ${url}`, async (signal) => {
    const res = await fetch(url, { redirect: 'manual', signal });
    // drain so the connection is released
    await res.body?.cancel();
    return res.status >= 200 && res.status < 400 ? undefined : `status ${res.status}`;
  });
}
