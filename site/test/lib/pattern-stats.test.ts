import { describe, expect, test } from 'vitest';
import { formatInterval, formatPercent, readPatternStats } from '../../src/lib/pattern-stats.ts';

describe('pattern statistics', () => {
  test('uses the interval the catalog gives', () => {
    expect(
      readPatternStats(
        { success_rate: 0.9, executions: 10, interval: [0.7, 0.97], validated: true },
        { range: [0.7, 0.97], estimated: false },
      ),
    ).toMatchObject({
      successRate: 0.9,
      interval: [0.7, 0.97],
      intervalEstimated: false,
      status: 'validated',
    });
  });

  test('marks an interval the loader estimated from the counts', () => {
    expect(
      readPatternStats(
        { success_rate: 0.75, executions: 4, failures: 1, validated: false },
        { range: [0.34, 0.92], estimated: true },
      ),
    ).toMatchObject({
      successes: 3,
      interval: [0.34, 0.92],
      intervalEstimated: true,
      status: undefined,
    });
  });

  test('ignores out-of-range values', () => {
    expect(
      readPatternStats({ success_rate: 7, interval: [0.9, 0.1], status: 'bogus' }, undefined),
    ).toMatchObject({
      successRate: undefined,
      interval: undefined,
      status: undefined,
    });
  });

  test('formats rates and intervals', () => {
    expect(formatPercent(0.873)).toBe('87 %');
    expect(formatInterval([0.62, 0.955])).toBe('90 % CI 62–96 %');
  });
});
