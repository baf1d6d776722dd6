import { describe, expect, test } from 'vitest';
import { countOf, formatCount } from '../../src/lib/words.ts';

describe('countOf', () => {
  test('uses the singular for exactly one and the plural otherwise', () => {
    expect(countOf(1, 'plugin')).toBe('1 plugin');
    expect(countOf(2, 'plugin')).toBe('2 plugins');
    expect(countOf(0, 'plugin')).toBe('0 plugins');
    expect(countOf(1, 'federated plugin')).toBe('1 federated plugin');
  });

  test('takes an irregular plural', () => {
    expect(countOf(1, 'category', 'categories')).toBe('1 category');
    expect(countOf(3, 'category', 'categories')).toBe('3 categories');
  });
});

describe('formatCount', () => {
  test('groups digits by thousands, in counts and alone', () => {
    expect(countOf(3539, 'federated plugin')).toBe('3,539 federated plugins');
    expect(formatCount(13111)).toBe('13,111');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
  });
});
