import { describe, expect, it } from 'vitest';
import { faultSchema, type FaultSpec } from '../../drill/schema.js';
import { stressHelperSpec, stressLoad } from './container-stress.js';

type StressFault = Extract<FaultSpec, { type: 'container-stress' }>;

function stress(spec: Record<string, unknown>): StressFault {
  return faultSchema.parse({ type: 'container-stress', target: 'web', duration: '30s', ...spec }) as StressFault;
}

const MiB = 2 ** 20;
const web = { id: 'abc123', name: 'web', cgroupParent: '', memoryLimitBytes: 256 * MiB };

describe('container-stress planning', () => {
  it('needs a size for memory and takes none for cpu', () => {
    expect(faultSchema.safeParse({ type: 'container-stress', target: 'w', duration: '1s', resource: 'memory' }).success).toBe(false);
    expect(faultSchema.safeParse({ type: 'container-stress', target: 'w', duration: '1s', size: '64MiB' }).success).toBe(false);
    expect(stress({}).image).toBe('firedrill/stress-ng');
  });

  it('reads a memory share as a share of the container\'s own limit', () => {
    expect(stressLoad(stress({ resource: 'memory', size: '50%' }), web)).toEqual({ mode: 'memory', workers: 1, bytes: 128 * MiB });
    expect(stressLoad(stress({ resource: 'memory', size: '64MiB', workers: 2 }), web)).toEqual({ mode: 'memory', workers: 2, bytes: 64 * MiB });
  });

  it('refuses a share when the container has no memory limit, and sizes that leave the target no room', () => {
    expect(stressLoad(stress({ resource: 'memory', size: '20%' }), { ...web, memoryLimitBytes: 0 })).toMatch(/has none; write an absolute size/);
    expect(stressLoad(stress({ resource: 'memory', size: '81%' }), web)).toMatch(/too little room/);
    expect(stressLoad(stress({ resource: 'memory', size: '1GiB' }), { ...web, memoryLimitBytes: 0 })).toEqual({ mode: 'memory', workers: 1, bytes: 1024 * MiB });
  });

  it('nests the helper in the target\'s cgroup, labels it, and lets it end by itself after the fault', () => {
    const fault = stress({ workers: 2, load: '50%' });
    const load = stressLoad(fault, web);
    if (typeof load === 'string') throw new Error(load);
    const spec = stressHelperSpec(fault, web, load, 'firedrill-stress-web-1');
    expect(spec.cgroupParent).toBe('/docker/abc123');
    expect(spec.role).toBe('stress');
    expect(spec.labels).toEqual({ 'io.firedrill.target': 'abc123' });
    expect(spec.args).toEqual(['--cpu', '2', '--cpu-load', '50', '--timeout', '35s']);
    expect(stressHelperSpec(fault, { ...web, cgroupParent: '/custom/' }, load, 'x').cgroupParent).toBe('/custom/abc123');
  });
});
