import { describe, expect, it } from 'vitest';
import { budgetLeft, budgetText } from './budget.js';

describe('budgetLeft', () => {
  it('measures latency against the limit itself', () => {
    expect(budgetLeft('latencyP95', 755, { op: '<', value: 800 })).toBeCloseTo(0.05625);
    expect(budgetLeft('latencyP95', 1200, { op: '<', value: 800 })).toBeCloseTo(-0.5);
  });

  it('measures success rates against the error budget, so a perfect run is never a near miss', () => {
    expect(budgetLeft('successRate', 1, { op: '>=', value: 0.99 })).toBeCloseTo(1);
    expect(budgetLeft('successRate', 0.975, { op: '>=', value: 0.95 })).toBeCloseTo(0.5);
    expect(budgetLeft('successRate', 0.95, { op: '>=', value: 0.95 })).toBeCloseTo(0);
    expect(budgetLeft('successRate', 0.25, { op: '>=', value: 0.95 })).toBeCloseTo(-14);
  });

  it('treats a 100 % requirement as all or nothing', () => {
    expect(budgetLeft('successRate', 1, { op: '>=', value: 1 })).toBe(1);
    expect(budgetLeft('successRate', 0.99, { op: '>=', value: 1 })).toBe(-1);
  });

  it('has no answer for comparisons without a direction', () => {
    expect(budgetLeft('latencyP95', 5, { op: '==', value: 5 })).toBeUndefined();
  });
});

describe('budgetText', () => {
  it('says what is left, or how far over the run went', () => {
    expect(budgetText('latencyP95', 0.056)).toBe('5.6% of the budget left');
    expect(budgetText('latencyP95', -0.5)).toBe('over the limit by 50%');
    expect(budgetText('successRate', -14)).toBe('15x the error budget');
    expect(budgetText('successRate', null)).toBe('—');
  });
});
