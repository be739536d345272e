import { readFile } from 'node:fs/promises';

/** MemAvailable from /proc/meminfo in bytes: what can be allocated without swapping. */
export async function readMemAvailableBytes(): Promise<number> {
  const text = await readFile('/proc/meminfo', 'utf8');
  const kib = /^MemAvailable:\s+(\d+)\s+kB$/m.exec(text)?.[1];
  if (kib === undefined) throw new Error('/proc/meminfo has no MemAvailable line');
  return Number(kib) * 1024;
}
