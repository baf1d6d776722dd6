import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';
import { parseJson, parseJsonData, parseJsonQuickly } from '../../src/catalog/json.ts';

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

describe('parseJsonQuickly', () => {
  /** What `parseJson` gives with no problem, as `parseJsonQuickly` must give it; else `undefined`. */
  const clean = (text: string): { data: unknown } | undefined => {
    const parsed = parseJson(text);
    return parsed.ok && !parsed.error && parsed.duplicates.length === 0
      ? { data: parsed.data }
      : undefined;
  };

  test('gives the data parseJson gives, in the same key order, `__proto__` kept as a member', () => {
    const texts = [
      '{"b":1,"a":{"2":[true,null],"1":"x:y","__proto__":{"p":1}},"":-0}',
      '{"s":"\\u00e9\\n\\"\\\\","n":-1.5e3,"k":"a\\"b:c"}',
      `${'['.repeat(255)}{"a":1}${']'.repeat(255)}`,
      ' "text" ',
      '[]',
    ];
    for (const text of texts) {
      const quick = parseJsonQuickly(text);
      expect(quick).toEqual(clean(text));
      expect(JSON.stringify(quick?.data)).toBe(JSON.stringify(clean(text)?.data));
    }
    const data = parseJsonQuickly('{"__proto__":{"polluted":true}}')?.data as object;
    expect([Object.getPrototypeOf(data), Object.keys(data)]).toEqual([
      Object.prototype,
      ['__proto__'],
    ]);
  });

  test('leaves syntax errors, repeated member names and nesting past 256 levels to parseJson', () => {
    expect(parseJsonQuickly('{"a":1,}')).toBeUndefined();
    expect(parseJsonQuickly('{"a":1,"a":2}')).toBeUndefined();
    expect(parseJsonQuickly('[{"x":{"a":"1:2","a":"3"}}]')).toBeUndefined();
    expect(parseJsonQuickly('{"a:":{"b":1},"c::":{"a":"x\\":y","b":2}}')).toEqual({
      data: { 'a:': { b: 1 }, 'c::': { a: 'x":y', b: 2 } },
    });
    expect(parseJsonQuickly(`${'['.repeat(256)}${']'.repeat(256)}`)).toEqual({
      data: JSON.parse(`${'['.repeat(256)}${']'.repeat(256)}`) as unknown,
    });
    expect(parseJsonQuickly(`${'['.repeat(257)}${']'.repeat(257)}`)).toBeUndefined();
    expect(parseJsonQuickly(`{"a":${'{"a":'.repeat(255)}1${'}'.repeat(256)}`)).toBeDefined();
    expect(parseJsonQuickly(`{"a":${'{"a":'.repeat(256)}1${'}'.repeat(257)}`)).toBeUndefined();
  });

  test('leaves member names written with a backslash to parseJson, values not', () => {
    // V8 (Node 24) can read the name `\"` as `\\` once an object has the name `\\`.
    expect(parseJsonQuickly(String.raw`{"\\":1}`)).toBeUndefined();
    expect(parseJsonQuickly(String.raw`{"\"":2}`)).toBeUndefined();
    expect(parseJsonQuickly(String.raw`{"a" : "\"b\"", "c":["\\:"]}`)).toEqual({
      data: { a: '"b"', c: ['\\:'] },
    });
  });

  const hasEscapedName = (value: unknown): boolean =>
    typeof value === 'object' &&
    value !== null &&
    (Array.isArray(value)
      ? value.some(hasEscapedName)
      : Object.entries(value).some(([key, item]) => /["\\]/.test(key) || hasEscapedName(item)));

  test('agrees with parseJson on 20,000 random documents with repeated names and colons in strings', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const names = ['a', 'b', 'a:', ':', '\\"', '\\\\', 'x\\":"'];
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const value = (depth: number): string => {
      const roll = random();
      if (depth > 3 || roll < 0.3) return pick(['1', '"v:w"', 'null', '"\\u003a"', '-2.5e1', '"']);
      if (roll < 0.6)
        return `[${Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1)).join(',')}]`;
      const members = Array.from(
        { length: Math.floor(random() * 4) },
        () => `"${pick(names)}":${value(depth + 1)}`,
      );
      return `{${members.join(pick([',', ', ', ',\n']))}}`;
    };
    const disagreements: string[] = [];
    let quick = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = value(0);
      const result = parseJsonQuickly(text);
      if (result) quick++;
      // Names here are escaped only as `\"` and `\\`, which the quick parse leaves to parseJson.
      const expected = hasEscapedName(clean(text)?.data) ? undefined : clean(text);
      if (
        (result === undefined) !== (expected === undefined) ||
        JSON.stringify(result?.data) !== JSON.stringify(expected?.data)
      )
        disagreements.push(text);
    }
    expect(disagreements).toEqual([]);
    expect(quick).toBeGreaterThan(5_000);
    expect(quick).toBeLessThan(19_000);
  });
});

describe('parseJsonData', () => {
  /** The built-in parser's message for `text`, which must not parse. */
  const builtInError = (text: string): string => {
    try {
      JSON.parse(text);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`${text} parsed`);
  };

  test('reads each member name written with a backslash as written, after others like it', () => {
    // On Node 24, once `{"q":0,"\\":1}` is parsed, the built-in parser reads `{"q":2,"\"":3}` as
    // `{"q":2,"\\":3}` (and `\n` the same way): the names decide what a rule or setting applies to.
    const texts = [
      String.raw`{"json-data-q":0,"\\":1}`,
      String.raw`{"json-data-q":2,"\"":3}`,
      String.raw`{"json-data-q":4,"\n":5}`,
      String.raw`{"json-data-q":6,"x\\":7}`,
      String.raw`{"json-data-q":6,"x\t":8}`,
    ];
    expect(texts.map((text) => Object.keys(parseJsonData(text) as object))).toEqual([
      ['json-data-q', '\\'],
      ['json-data-q', '"'],
      ['json-data-q', '\n'],
      ['json-data-q', 'x\\'],
      ['json-data-q', 'x\t'],
    ]);
    expect(parseJsonData(String.raw`{"json-data-q":2,"\"":3}`)).toEqual({
      'json-data-q': 2,
      '"': 3,
    });
  });

  test('gives what JSON.parse gives for other texts: values, repeated names (the last one wins), `__proto__`, deep nesting', () => {
    for (const text of [
      '{"a":[1,"\\\\",{"b":null}],"c":"\\"x\\""}',
      '{"a":1,"b":2,"a":3}',
      '{"\\u0061":1,"a":2}',
      '{"__proto__":{"polluted":true}}',
      '"\\n"',
      `${'['.repeat(300)}${']'.repeat(300)}`,
      `{"\\\\":${'['.repeat(300)}${']'.repeat(300)}}`,
    ])
      expect(JSON.stringify(parseJsonData(text))).toBe(JSON.stringify(JSON.parse(text)));
    expect(Object.keys(parseJsonData('{"\\\\":1,"b":2,"\\\\":3}') as object)).toEqual(['\\', 'b']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  test('throws the built-in parser’s own error for text that does not parse', () => {
    for (const text of ['{"a":1,}', '{"\\\\":1,}', '{"\\q":1}', '{"\\"":', ''])
      expect(() => parseJsonData(text)).toThrow(new SyntaxError(builtInError(text)));
  });
});
