import { describe, expect, test } from 'vitest';
import { countOf } from '../../src/lib/words.ts';

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
