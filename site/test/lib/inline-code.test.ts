import { describe, expect, test } from 'vitest';
import { splitCode } from '../../src/lib/inline-code.ts';

describe('splitCode', () => {
  test('splits text on backtick pairs', () => {
    expect(splitCode('Missing `name`, expected `a` or `b`')).toEqual([
      { text: 'Missing ', code: false },
      { text: 'name', code: true },
      { text: ', expected ', code: false },
      { text: 'a', code: true },
      { text: ' or ', code: false },
      { text: 'b', code: true },
    ]);
  });

  test('keeps an unpaired backtick as text', () => {
    expect(splitCode('a `b` c `d')).toEqual([
      { text: 'a ', code: false },
      { text: 'b', code: true },
      { text: ' c `d', code: false },
    ]);
  });

  test('returns nothing for an empty string', () => {
    expect(splitCode('')).toEqual([]);
  });
});
