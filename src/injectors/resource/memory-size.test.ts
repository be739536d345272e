import { describe, expect, it } from 'vitest';
import { formatBytes, parseMemorySize } from './memory-size.js';

const GiB = 1024 ** 3;

describe('parseMemorySize', () => {
  it('reads binary units, long and short', () => {
    expect(parseMemorySize('256MiB', GiB)).toBe(256 * 1024 ** 2);
    expect(parseMemorySize('1GiB', GiB)).toBe(GiB);
    expect(parseMemorySize('512M', GiB)).toBe(512 * 1024 ** 2);
    expect(parseMemorySize('64K', GiB)).toBe(64 * 1024);
    expect(parseMemorySize('1.5 GiB', GiB)).toBe(1.5 * GiB);
  });

  it('reads a percentage as a share of the available memory', () => {
    expect(parseMemorySize('25%', 8 * GiB)).toBe(2 * GiB);
    expect(parseMemorySize('100%', 1000)).toBe(1000);
  });

  it('refuses anything that is not a size', () => {
    for (const text of ['', '12', 'MiB', '1TB', '-1GiB', '5 percent']) expect(parseMemorySize(text, GiB)).toBeUndefined();
  });
});

describe('formatBytes', () => {
  it('picks the largest unit that fits', () => {
    expect(formatBytes(1.5 * GiB)).toBe('1.5 GiB');
    expect(formatBytes(256 * 1024 ** 2)).toBe('256 MiB');
    expect(formatBytes(2048)).toBe('2 KiB');
    expect(formatBytes(10)).toBe('10 B');
  });
});
