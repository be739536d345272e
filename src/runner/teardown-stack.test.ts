import { describe, expect, it } from 'vitest';
import { TeardownStack } from './teardown-stack.js';

describe('TeardownStack', () => {
  it('runs every cleanup newest first, once', async () => {
    const stack = new TeardownStack();
    const ran: string[] = [];
    stack.defer('safety', () => void ran.push('safety'));
    stack.defer('targets', async () => {
      await Promise.resolve();
      ran.push('targets');
    });
    stack.defer('faults', () => void ran.push('faults'));
    expect(stack.labels).toEqual(['faults', 'targets', 'safety']);
    expect(await stack.disposeAll()).toEqual([]);
    expect(ran).toEqual(['faults', 'targets', 'safety']);
    expect(await stack.disposeAll()).toEqual([]);
    expect(ran).toHaveLength(3);
  });

  it('keeps going past a cleanup that throws and reports it', async () => {
    const stack = new TeardownStack();
    const ran: string[] = [];
    stack.defer('first', () => void ran.push('first'));
    stack.defer('broken', () => {
      throw new Error('engine gone');
    });
    stack.defer('rejects', () => Promise.reject(new Error('timeout')));
    expect(await stack.disposeAll()).toEqual([
      { label: 'rejects', error: 'timeout' },
      { label: 'broken', error: 'engine gone' },
    ]);
    expect(ran).toEqual(['first']);
  });

  it('refuses a cleanup registered after teardown ran, so nothing is created without one', async () => {
    const stack = new TeardownStack();
    await stack.disposeAll();
    expect(() => stack.defer('late', () => undefined)).toThrow('teardown already ran; cannot defer "late"');
  });
});
