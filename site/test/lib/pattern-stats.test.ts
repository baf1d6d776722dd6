import { describe, expect, test } from 'vitest';
import {
  formatInterval,
  formatPercent,
  readPatternStats,
  wilsonInterval,
} from '../../src/lib/pattern-stats.ts';

describe('pattern statistics', () => {
  test('uses the interval written in the file', () => {
    expect(
      readPatternStats({
        success_rate: 0.9,
        executions: 10,
        interval: [0.7, 0.97],
        validated: true,
      }),
    ).toMatchObject({
      successRate: 0.9,
      interval: [0.7, 0.97],
      intervalEstimated: false,
      status: 'validated',
    });
  });

  test('estimates the interval from the counts when the file has none', () => {
    expect(
      readPatternStats({ success_rate: 0.75, executions: 4, failures: 1, validated: false }),
    ).toMatchObject({
      successes: 3,
      interval: [0.36, 0.94],
      intervalEstimated: true,
      status: undefined,
    });
  });

  test('ignores out-of-range values', () => {
    expect(
      readPatternStats({ success_rate: 7, interval: [0.9, 0.1], status: 'bogus' }),
    ).toMatchObject({
      successRate: undefined,
      interval: undefined,
      status: undefined,
    });
  });

  test('wilsonInterval refuses impossible counts', () => {
    expect(wilsonInterval(5, 3)).toBeUndefined();
    expect(wilsonInterval(0, 0)).toBeUndefined();
    expect(wilsonInterval(10, 10)).toEqual([0.79, 1]);
  });

  test('formats rates and intervals', () => {
    expect(formatPercent(0.873)).toBe('87 %');
    expect(formatInterval([0.62, 0.955])).toBe('90 % CI 62–96 %');
  });
});
