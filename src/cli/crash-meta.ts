/** Who writes a crashed run's journal: this host and this firedrill. */
import { hostname } from 'node:os';
import { toolVersion } from '../tool-version.js';

export function crashMeta(): { hostname: string; toolVersion: string } {
  return { hostname: hostname(), toolVersion: toolVersion() };
}
