import { describe, expect, test } from 'vitest';
import { offsetOf, offsetsOf } from '../../src/catalog/position-map.ts';

describe('offsetOf', () => {
  const text = 'ab\ncd\n\nef';

  test('turns a 1-based line and column into a string offset', () => {
    expect(offsetOf(text, { line: 1, column: 1 })).toBe(0);
    expect(offsetOf(text, { line: 2, column: 2 })).toBe(4);
    expect(offsetOf(text, { line: 4, column: 3 })).toBe(9);
  });

  test('returns undefined for a line the text does not have', () => {
    expect(offsetOf(text, { line: 5, column: 1 })).toBeUndefined();
  });
});

describe('offsetsOf', () => {
  test('gives the start and end offsets of a range', () => {
    expect(
      offsetsOf('{\n  "a": "b"\n}', {
        start: { line: 2, column: 8 },
        end: { line: 2, column: 11 },
      }),
    ).toEqual([9, 12]);
  });

  test('returns undefined when the range ends past the last line', () => {
    expect(
      offsetsOf('x', { start: { line: 1, column: 1 }, end: { line: 2, column: 1 } }),
    ).toBeUndefined();
  });
});
