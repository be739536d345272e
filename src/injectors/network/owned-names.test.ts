import { describe, expect, it } from 'vitest';
import { qdiscHandle, runTag, tableName } from './owned-names.js';

describe('names of what network faults own', () => {
  it('names the table after the run and the fault, in characters nft accepts', () => {
    expect(tableName('20261123-170501-3fa2c1', 'network-partition#1')).toBe('firedrill_20261123_170501_3fa2c1_network_partition_1');
    expect(tableName('r', 'Cut DB!')).toMatch(/^firedrill_r_cut_db$/);
  });

  it('falls back to one tag per runner process when the run id is not known', () => {
    expect(runTag(undefined)).toMatch(/^p[0-9a-f]{6}$/);
    expect(runTag(undefined)).toBe(runTag(undefined));
    expect(tableName(undefined, 'f')).toBe(`firedrill_${runTag(undefined)}_f`);
  });

  it('derives a stable qdisc handle below the range the kernel picks itself', () => {
    const h = qdiscHandle('run-1', 'network-bandwidth#1', 'eth0');
    expect(h).toBe(qdiscHandle('run-1', 'network-bandwidth#1', 'eth0'));
    expect(h).toMatch(/^[0-9a-f]{4}:$/);
    const major = parseInt(h, 16);
    expect(major).toBeGreaterThanOrEqual(0x1000);
    expect(major).toBeLessThan(0x8000);
    expect(qdiscHandle('run-2', 'network-bandwidth#1', 'eth0')).not.toBe(h);
  });
});
