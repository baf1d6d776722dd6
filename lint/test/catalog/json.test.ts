import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';
import { parseJson } from '../../src/catalog/json.ts';

describe('parseJson', () => {
  test('records value and key offsets by JSON Pointer', () => {
    const result = parseJson('{"a~b":[1,{"c/d":null}]}');
    expect(result.ok).toBe(true);
    expect(result.data).toEqual({ 'a~b': [1, { 'c/d': null }] });
    expect(Object.fromEntries(result.entries)).toEqual({
      '': { value: [0, 24] },
      '/a~0b': { value: [7, 23], key: [1, 6] },
      '/a~0b/0': { value: [8, 9] },
      '/a~0b/1': { value: [10, 22] },
      '/a~0b/1/c~1d': { value: [17, 21], key: [11, 16] },
    });
  });

  test('reports duplicate member names with both places, keeping the last value', () => {
    const result = parseJson('{"name":"a",\n "name":"b"}');
    expect(result.data).toEqual({ name: 'b' });
    expect(result.duplicates).toEqual([
      { pointer: '/name', key: 'name', at: [14, 20], first: [1, 7] },
    ]);
  });

  test('reports the first syntax error with its offset', () => {
    expect(parseJson('{"a":1,}').error).toEqual({
      reason: 'Unexpected `}`, expected a member name in double quotes',
      offset: 7,
      end: 8,
    });
    expect(parseJson('[1 2]').error).toEqual({
      reason: 'Unexpected `2`, expected `,` or `]`',
      offset: 3,
      end: 4,
    });
    expect(parseJson('{"a": tru}').error).toEqual({
      reason: 'Unexpected `t`, expected a JSON value',
      offset: 6,
      end: 7,
    });
    expect(parseJson('{"a":1} x').error).toEqual({
      reason: 'Unexpected `x` after the JSON value, expected end of file',
      offset: 8,
      end: 9,
    });
    expect(parseJson('').error).toEqual({
      reason: 'Unexpected end of file, expected a JSON value',
      offset: 0,
      end: 0,
    });
    expect(parseJson('"a\nb"').error).toEqual({
      reason: 'Unexpected control character in string, expected it escaped',
      offset: 2,
      end: 3,
    });
  });

  test('refuses 100,000-deep nesting without exhausting the stack', () => {
    const result = parseJson('['.repeat(100_000) + ']'.repeat(100_000));
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({
      reason: 'Unexpected nesting deeper than 256 levels, expected a shallower document',
      offset: 256,
      end: 257,
    });
  });

  test('keeps a `__proto__` member as data without touching the prototype', () => {
    const data = parseJson('{"__proto__":{"polluted":true}}').data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('parses the same values as JSON.parse', () => {
    const text = '{"s":"\\u00e9\\n\\"","n":-1.5e3,"i":0,"t":true,"f":false,"z":null,"e":[],"o":{}}';
    expect(parseJson(text).data).toEqual(JSON.parse(text));
  });

  test('accepts and refuses the same 20,000 random documents as JSON.parse, with the same values', () => {
    let seed = 3;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const atoms = [
      'a',
      'é',
      '\\n',
      '\\"',
      '\\u00e9',
      '\\x',
      '\\',
      '\t',
      '\n',
      ' ',
      '"',
      '/',
      '\ud800',
      '~',
    ];
    const text = (): string =>
      Array.from({ length: Math.floor(random() * 6) }, () => atoms[Math.floor(random() * 14)]).join(
        '',
      );
    const disagreements: string[] = [];
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const space = [' ', '', '\n\t', '\r\n  '][Math.floor(random() * 4)]!;
      const json = `${space}{${space}"${text()}"${space}:${space}["${text()}",${space}"${text()}"]${space}}${space}`;
      let expected: unknown;
      try {
        expected = JSON.parse(json);
      } catch {
        expected = undefined;
      }
      const parsed = parseJson(json);
      if (parsed.ok) accepted++;
      if (
        parsed.ok !== (expected !== undefined) ||
        (parsed.ok && !isDeepStrictEqual(parsed.data, expected))
      )
        disagreements.push(json);
    }
    expect(disagreements).toEqual([]);
    expect(accepted).toBeGreaterThan(1_000);
    expect(accepted).toBeLessThan(18_000);
  });
});
