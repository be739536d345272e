import { describe, expect, it } from 'vitest';
import { parseThreshold, type Threshold } from '../../drill/threshold.js';
import { reduceSeries } from './reduce.js';

const t = (text: string): Threshold => parseThreshold(text, 'number') as Threshold;
const series = [
  { labels: { instance: 'a' }, value: 0.1 },
  { labels: { instance: 'b' }, value: 0.4 },
  { labels: { instance: 'c' }, value: 0.25 },
];

describe('reduceSeries', () => {
  it('passes a single series through and names its labels', () => {
    expect(reduceSeries([{ labels: { job: 'shop' }, value: 3 }], 'sum')).toEqual({ value: 3, detail: '{job="shop"}' });
    expect(reduceSeries([{ labels: {}, value: 3 }], 'max')).toEqual({ value: 3, detail: '' });
  });

  it('takes the max or min and says which series it was', () => {
    expect(reduceSeries(series, 'max')).toEqual({ value: 0.4, detail: 'max of 3 series: {instance="b"}' });
    expect(reduceSeries(series, 'min')).toEqual({ value: 0.1, detail: 'min of 3 series: {instance="a"}' });
  });

  it('sums and averages', () => {
    expect(reduceSeries(series, 'sum').value).toBeCloseTo(0.75);
    expect(reduceSeries(series, 'avg').value).toBeCloseTo(0.25);
  });

  it('every: the worst series for the comparison, naming the ones that fail', () => {
    expect(reduceSeries(series, 'every', t('< 0.2'))).toEqual({
      value: 0.4,
      detail: '2 of 3 series fail: {instance="b"} 0.4, {instance="c"} 0.25',
    });
    expect(reduceSeries(series, 'every', t('> 0.2'))).toEqual({ value: 0.1, detail: '1 of 3 series fail: {instance="a"} 0.1' });
    expect(reduceSeries(series, 'every', t('< 1'))).toEqual({ value: 0.4, detail: 'all 3 series meet < 1' });
    expect(reduceSeries(series, 'every', t('== 0.25')).value).toBe(0.1);
  });
});
