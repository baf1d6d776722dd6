import { describe, expect, test } from 'vitest';
import {
  findConfig,
  globToRegExp,
  isIgnored,
  parseConfigText,
  resolveConfig,
  ruleSetting,
} from '../src/config.ts';
import { loaderRules } from '../src/engine.ts';
import { defineRule } from '../src/rule.ts';
// These tests call the loader's modules directly, not through an entry point that loads every
// validator, so they load them here.
import '../src/catalog/validators-all.ts';

const withOptions = defineRule({
  id: 'pattern-summary-length',
  description: 'Limit pattern summaries',
  severity: 'warning',
  appliesTo: 'pattern',
  options: {
    type: 'object',
    properties: {
      max: { type: 'integer', minimum: 1, default: 200 },
      min: { type: 'integer', default: 10 },
    },
    additionalProperties: false,
  },
  check() {},
});
const plain = defineRule({
  id: 'plugin-name-matches-dir',
  description: 'Require names',
  severity: 'warning',
  appliesTo: 'plugin',
  check() {},
});

function resolve(data: unknown, base = '') {
  return resolveConfig(data, {
    source: '.agentops-lintrc.json',
    rules: [withOptions, plain],
    loaderIds: Object.keys(loaderRules),
    base,
  });
}

describe('globToRegExp', () => {
  test.for([
    ['patterns/**/*.md', 'patterns/a/b/c.md', true],
    ['patterns/**/*.md', 'patterns/c.md', true],
    ['patterns/*.md', 'patterns/a/c.md', false],
    ['*.md', 'plugins/x/README.md', true],
    ['plugins/{a,b}/**', 'plugins/b/.claude-plugin/plugin.json', true],
    ['plugins/{a,b}/**', 'plugins/c/.claude-plugin/plugin.json', false],
    ['plugins/a', 'plugins/a/commands/x.md', true],
    ['./fixtures/**', 'fixtures/x.json', true],
    ['file?.json', 'file1.json', true],
    ['a.b', 'axb', false],
  ] as const)('%s against %s is %s', ([glob, path, expected]) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});

describe('parseConfigText', () => {
  test('reads JSON, YAML and the `agentops-lint` key of package.json', async () => {
    expect(await parseConfigText('{"rules":{"schema":"warn"}}', '.agentops-lintrc.json')).toEqual({
      rules: { schema: 'warn' },
    });
    expect(await parseConfigText('rules:\n  schema: off\n', '.agentops-lintrc.yaml')).toEqual({
      rules: { schema: 'off' },
    });
    expect(
      await parseConfigText('{"name":"x","agentops-lint":{"ignores":["a/**"]}}', 'package.json'),
    ).toEqual({ ignores: ['a/**'] });
    expect(await parseConfigText('{"name":"x"}', 'package.json')).toBeUndefined();
  });

  test('reports unparsable text as ConfigUnreadable', async () => {
    await expect(parseConfigText('{"rules":', 'dir/.agentops-lintrc.json')).rejects.toMatchObject({
      name: 'ConfigUnreadable',
      message: expect.stringMatching(
        /^Unreadable config file `dir\/\.agentops-lintrc\.json`: /,
      ) as string,
    });
  });

  test('refuses a YAML alias bomb and duplicate keys instead of expanding them', async () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...'bcdefghij'
        .split('')
        .map(
          (name, index) =>
            `${name}: &${name} [${Array(9).fill(`*${'abcdefghij'[index]}`).join(', ')}]`,
        ),
    ].join('\n');
    await expect(parseConfigText(bomb, '.agentops-lintrc.yml')).rejects.toMatchObject({
      name: 'ConfigUnreadable',
    });
    await expect(
      parseConfigText('rules: {}\nrules: {}\n', '.agentops-lintrc.yml'),
    ).rejects.toMatchObject({ name: 'ConfigUnreadable' });
  });

  test('reads rule ids written with a backslash as written, after others like them', async () => {
    // On Node 24 the built-in parser reads the second and third texts' last rule as `\`.
    const texts = [
      [
        '.agentops-lintrc.json',
        String.raw`{"rules":{"plugin-name-matches-dir":"warn","\\":"off"}}`,
      ],
      [
        '.agentops-lintrc.json',
        String.raw`{"rules":{"plugin-name-matches-dir":"warn","\"":"off"}}`,
      ],
      [
        'package.json',
        String.raw`{"agentops-lint":{"rules":{"plugin-name-matches-dir":"warn","\n":"off"}}}`,
      ],
    ] as const;
    const configs: unknown[] = [];
    for (const [name, text] of texts) configs.push(await parseConfigText(text, name));
    expect(configs.map((config) => Object.keys((config as { rules: object }).rules))).toEqual([
      ['plugin-name-matches-dir', '\\'],
      ['plugin-name-matches-dir', '"'],
      ['plugin-name-matches-dir', '\n'],
    ]);
    await expect(resolve(configs[1])).rejects.toThrow(
      'Invalid config file `.agentops-lintrc.json`:\n  Unexpected field `/rules/"`, expected a kebab-case rule id',
    );
  });

  test('quotes the JSON parser’s own words for a text with such a name that does not parse', async () => {
    const text = String.raw`{"rules":{"\\":"off",}}`;
    let detail = '';
    try {
      JSON.parse(text);
    } catch (error) {
      detail = (error as Error).message;
    }
    expect(detail).not.toBe('');
    await expect(parseConfigText(text, '.agentops-lintrc.json')).rejects.toThrow(
      `Unreadable config file \`.agentops-lintrc.json\`: ${detail}`,
    );
  });

  test('never evaluates anything and keeps `__proto__` as data', async () => {
    const data = (await parseConfigText(
      '{"__proto__":{"polluted":true}}',
      '.agentops-lintrc.json',
    )) as object;
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(data)).toEqual(['__proto__']);
  });
});

describe('findConfig', () => {
  const files: Record<string, string> = {
    '/repo/package.json': '{"name":"repo"}',
    '/repo/.agentops-lintrc.yml': 'rules:\n  schema: warn\n',
    '/repo/sub/package.json': '{"name":"sub","agentops-lint":{"rules":{"parse":"error"}}}',
  };
  const read = (file: string): string | undefined => files[file];

  test('takes the first folder upward that has a config', async () => {
    expect(await findConfig('/repo/sub/deeper', read)).toEqual({
      path: '/repo/sub/package.json',
      data: { rules: { parse: 'error' } },
    });
  });

  test('skips a package.json without the key', async () => {
    expect(await findConfig('/repo', read)).toEqual({
      path: '/repo/.agentops-lintrc.yml',
      data: { rules: { schema: 'warn' } },
    });
  });

  test('skips a package.json that is not ours, even a broken one', async () => {
    const broken = { '/a/b/package.json': '{ broken', '/a/.agentops-lintrc.json': '{}' };
    expect(await findConfig('/a/b', (file) => broken[file as keyof typeof broken])).toEqual({
      path: '/a/.agentops-lintrc.json',
      data: {},
    });
  });

  test('returns undefined when no folder up to the root has one', async () => {
    expect(await findConfig('/elsewhere', read)).toBeUndefined();
  });
});

describe('resolveConfig', () => {
  test('accepts an empty file as the defaults', async () => {
    const config = await resolve(undefined);
    expect([config.rules.size, config.overrides.length, config.ignores.length]).toEqual([0, 0, 0]);
  });

  test('maps numeric and word severities and fills option defaults', async () => {
    const config = await resolve({
      rules: {
        schema: 0,
        'plugin-name-matches-dir': 2,
        'pattern-summary-length': ['warn', { max: 80 }],
      },
    });
    expect(Object.fromEntries(config.rules)).toEqual({
      schema: { severity: 'off' },
      'plugin-name-matches-dir': { severity: 'error' },
      'pattern-summary-length': { severity: 'warn', options: { max: 80, min: 10 } },
    });
  });

  test('reports schema violations with their pointers as InvalidConfig', async () => {
    await expect(resolve({ rules: { schema: 'loud' }, extra: true })).rejects.toThrowError(
      [
        'Invalid config file `.agentops-lintrc.json`:',
        '  Unexpected field `extra`, expected `$schema`, `rules`, `overrides` or `ignores`',
        '  Unexpected value `loud` for `/rules/schema`, expected `off`, `warn`, `error`, `0`, `1` or `2`',
      ].join('\n'),
    );
  });

  test('rejects an unknown rule id', async () => {
    await expect(
      resolve({ overrides: [{ files: '*.md', rules: { 'no-such-rule': 'off' } }] }),
    ).rejects.toMatchObject({
      name: 'UnknownRule',
      message:
        'Unexpected rule id `no-such-rule` in `.agentops-lintrc.json`, expected a rule of agentops-lint',
    });
  });

  test('rejects options that do not match the rule options schema', async () => {
    await expect(
      resolve({ rules: { 'pattern-summary-length': ['warn', { max: 0 }] } }),
    ).rejects.toMatchObject({
      name: 'InvalidRuleOptions',
      message:
        'Invalid options for rule `pattern-summary-length` in `.agentops-lintrc.json`: Unexpected value for `/max`, expected a number >= 1',
    });
  });

  test('rejects options for a rule or loader id that takes none', async () => {
    await expect(
      resolve({ rules: { 'plugin-name-matches-dir': ['warn', {}] } }),
    ).rejects.toMatchObject({ name: 'InvalidRuleOptions' });
    await expect(resolve({ rules: { schema: ['warn', {}] } })).rejects.toMatchObject({
      name: 'InvalidRuleOptions',
    });
  });
});

describe('ruleSetting and isIgnored', () => {
  test('lets the last matching override win over the top-level rules', async () => {
    const config = await resolve({
      rules: { schema: 'error' },
      overrides: [
        { files: 'patterns/**', rules: { schema: 'warn' } },
        { files: ['patterns/legacy/**'], rules: { schema: 'off' } },
      ],
    });
    expect(ruleSetting(config, 'schema', 'plugins/a/.claude-plugin/plugin.json')).toEqual({
      severity: 'error',
    });
    expect(ruleSetting(config, 'schema', 'patterns/new/x.md')).toEqual({ severity: 'warn' });
    expect(ruleSetting(config, 'schema', 'patterns/legacy/x.md')).toEqual({ severity: 'off' });
    expect(ruleSetting(config, 'parse', 'patterns/legacy/x.md')).toBeUndefined();
  });

  test('matches globs relative to the config file folder', async () => {
    const config = await resolve({ ignores: ['site/fixtures/**'] }, 'site');
    expect(isIgnored(config, 'fixtures/a.json')).toBe(true);
    expect(isIgnored(config, 'patterns/a.md')).toBe(false);
  });
});
