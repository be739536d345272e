/** Memory sizes as the drill writes them: `256MiB`, `1GiB`, `512M`, `20%` (of MemAvailable). */

const UNIT_BYTES: Record<string, number> = {
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  // the schema allows the short forms too; like most tools (stress-ng, docker) they mean binary units
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
};

/** Bytes for `text`, a share of `memAvailableBytes` for `N%`; undefined when it is not a size. */
export function parseMemorySize(text: string, memAvailableBytes: number): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(KiB|MiB|GiB|K|M|G|%)\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = m[2] as string;
  const bytes = unit === '%' ? (memAvailableBytes * value) / 100 : value * (UNIT_BYTES[unit] as number);
  return Math.floor(bytes);
}

/** `1.5 GiB`, `256 MiB`: for labels and problems. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} B`;
}
