import { describe, expect, test } from 'vitest';
import type { VFileMessage } from 'vfile-message';
import { createMemorySource, parseCatalog } from '../src/catalog/index.ts';
import { createDefaultConfig, resolveConfig } from '../src/config.ts';
import { lintCatalog, selector, loaderRules, type LintMessage } from '../src/engine.ts';
import { LintError } from '../src/errors.ts';
import { formatCompact } from '../src/format.ts';
import { defineRule, type AnyRule } from '../src/rule.ts';
import { rules as registry } from '../src/rules/index.ts';

const pluginJson = (name: string): string =>
  `{\n  "name": "${name}",\n  "version": "1.0.0",\n  "description": "Deploy helpers",\n  "author": { "name": "Acme" }\n}\n`;

const patternMd = (extra = ''): string =>
  `---\npattern_id: pat_2025-11-07_oauth_api\ncategory: api-development\nsuccess_rate: 0.95\nexecutions: 20\nvalidated: true\n${extra}---\n\n# Pattern: OAuth\n\n## Workflow\n1. Research (Code Explorer)\n`;

const pluginRule = defineRule({
  id: 'test-plugin-name',
  description: 'Require test plugin names',
  severity: 'error',
  appliesTo: 'plugin',
  check(plugin, ctx) {
    ctx.report({
      message: `Unexpected name \`${plugin.name}\``,
      at: '/name',
      cause: { message: 'Declared here', at: '/version', key: true },
      fix: { range: [0, 1], text: '{' },
    });
  },
});

const patternRule = defineRule({
  id: 'test-pattern-title',
  description: 'Require test pattern titles',
  severity: 'warning',
  appliesTo: 'pattern',
  stage: 'experimental',
  options: {
    type: 'object',
    properties: { word: { type: 'string', default: 'OAuth' } },
    additionalProperties: false,
  },
  check(
    pattern,
    ctx: {
      options: { word: string };
      report: (input: {
        message: string;
        place: { start: { line: number; column: number }; end: { line: number; column: number } };
      }) => void;
    },
  ) {
    const heading = pattern.headings[0];
    if (heading)
      ctx.report({
        message: `Unexpected title word \`${ctx.options.word}\``,
        place: heading.place,
      });
  },
});

const rules: readonly AnyRule[] = [
  pluginRule,
  patternRule,
  ...registry.filter((rule) => rule.id.endsWith('-disable')),
];

function catalogOf(files: Record<string, string>) {
  return parseCatalog(createMemorySource(files));
}

async function configOf(data: unknown) {
  return resolveConfig(data, {
    source: '.agentops-lintrc.json',
    rules,
    loaderIds: Object.keys(loaderRules),
  });
}

function messages(result: { files: { messages: VFileMessage[] }[] }): LintMessage[] {
  return result.files.flatMap((file) => file.messages);
}

describe('lintCatalog', () => {
  test('stamps rule id, source, url and severity on each message and its cause', () => {
    const result = lintCatalog(
      catalogOf({ 'plugins/deploy/.claude-plugin/plugin.json': pluginJson('deploy') }),
      { rules },
    );
    const [message] = messages(result);
    expect(message?.ruleId).toBe('test-plugin-name');
    expect(message?.source).toBe('agentops-lint');
    expect(message?.url).toBe(
      'https://agentops-marketplace.github.io/agentops-marketplace/rules/test-plugin-name/',
    );
    expect(message?.fatal).toBe(true);
    const cause = message?.cause as VFileMessage;
    expect([cause.ruleId, cause.source, cause.url, cause.fatal]).toEqual([
      'test-plugin-name',
      'agentops-lint',
      'https://agentops-marketplace.github.io/agentops-marketplace/rules/test-plugin-name/',
      true,
    ]);
    expect(result).toMatchObject({ errorCount: 1, warningCount: 0 });
  });

  test('resolves `at` to the value range and `key: true` to the member name range', () => {
    const result = lintCatalog(
      catalogOf({ 'plugins/deploy/.claude-plugin/plugin.json': pluginJson('deploy') }),
      { rules },
    );
    const [message] = messages(result);
    expect(message?.place).toEqual({
      start: { line: 2, column: 11 },
      end: { line: 2, column: 19 },
    });
    expect((message?.cause as VFileMessage).place).toEqual({
      start: { line: 3, column: 3 },
      end: { line: 3, column: 12 },
    });
  });

  test('keeps each file text in the result unless `withText` is false, with the same messages', () => {
    const files = { 'plugins/deploy/.claude-plugin/plugin.json': pluginJson('deploy') };
    const withText = lintCatalog(catalogOf(files), { rules });
    const withoutText = lintCatalog(catalogOf(files), { rules, withText: false });
    expect(withText.files.map((file) => file.value)).toEqual([pluginJson('deploy')]);
    expect(withoutText.files.map((file) => [file.path, file.value])).toEqual([
      ['plugins/deploy/.claude-plugin/plugin.json', undefined],
    ]);
    expect(formatCompact(withoutText)).toBe(formatCompact(withText));
  });

  test('puts a message whose pointer has no position at the start of the file', () => {
    const rule = defineRule({
      id: 'test-missing-pointer',
      description: 'Require nothing',
      severity: 'warning',
      appliesTo: 'plugin',
      check(_plugin, ctx) {
        ctx.report({ message: 'Missing `homepage`, expected a URL', at: '/homepage' });
      },
    });
    const result = lintCatalog(
      catalogOf({ 'plugins/deploy/.claude-plugin/plugin.json': pluginJson('deploy') }),
      { rules: [rule] },
    );
    expect(messages(result)[0]?.place).toEqual({
      start: { line: 1, column: 1 },
      end: { line: 1, column: 1 },
    });
  });

  test('points into the marketplace entry of a plugin that has no plugin.json', () => {
    const marketplace =
      '{\n  "name": "acme-tools",\n  "owner": { "name": "Acme" },\n  "plugins": [\n    { "name": "deploy", "source": "./plugins/deploy", "description": "Deploy" }\n  ]\n}\n';
    const catalog = catalogOf({
      '.claude-plugin/marketplace.json': marketplace,
      'plugins/deploy/commands/ship.md': '---\ndescription: Ship it\n---\nShip.\n',
    });
    const result = lintCatalog(catalog, { rules, only: ['test-plugin-name'] });
    const [message] = messages(result);
    expect(result.files.map((file) => file.path)).toEqual(['.claude-plugin/marketplace.json']);
    expect(message?.place).toEqual({
      start: { line: 5, column: 15 },
      end: { line: 5, column: 23 },
    });
    // `/version` is not in the entry, so the cause falls back to the whole entry.
    expect((message?.cause as VFileMessage).place).toEqual({
      start: { line: 5, column: 5 },
      end: { line: 5, column: 80 },
    });
  });

  test('keeps the fix a rule offers on the message', () => {
    const result = lintCatalog(
      catalogOf({ 'plugins/deploy/.claude-plugin/plugin.json': pluginJson('deploy') }),
      { rules },
    );
    expect(messages(result)[0]?.fix).toEqual({ range: [0, 1], text: '{' });
  });

  test('runs no rule on a subject that failed schema validation', () => {
    const catalog = catalogOf({ 'plugins/deploy/.claude-plugin/plugin.json': '{ "name": 3 }\n' });
    const result = lintCatalog(catalog, { rules });
    const ids = new Set(messages(result).map((message) => message.ruleId));
    expect([...ids]).toEqual(['schema']);
    expect(result.errorCount).toBeGreaterThan(0);
  });

  test('throws RuleCrashed, never swallowing the error, when a rule throws', () => {
    const broken = defineRule({
      id: 'test-broken',
      description: 'Require a crash',
      severity: 'error',
      appliesTo: 'plugin',
      check() {
        throw new TypeError('boom');
      },
    });
    const catalog = catalogOf({
      'plugins/deploy/.claude-plugin/plugin.json': pluginJson('deploy'),
    });
    expect(() => lintCatalog(catalog, { rules: [broken] })).toThrowError(
      expect.objectContaining({
        name: 'RuleCrashed',
        message: 'Rule `test-broken` crashed on `plugins/deploy/.claude-plugin/plugin.json`: boom',
      }) as Error,
    );
    try {
      lintCatalog(catalog, { rules: [broken] });
    } catch (error) {
      expect(error).toBeInstanceOf(LintError);
      expect((error as LintError).cause).toBeInstanceOf(TypeError);
    }
  });

  test('leaves experimental rules off until the config turns them on, with option defaults', async () => {
    const catalog = catalogOf({ 'patterns/pat_2025-11-07_oauth_api.md': patternMd() });
    expect(messages(lintCatalog(catalog, { rules }))).toEqual([]);
    const on = lintCatalog(catalog, {
      rules,
      config: await configOf({ rules: { 'test-pattern-title': 'warn' } }),
    });
    expect(formatCompact(on)).toBe(
      'patterns/pat_2025-11-07_oauth_api.md:9:1-9:17 warning test-pattern-title Unexpected title word `OAuth`\n',
    );
  });

  test('passes configured options to the rule', async () => {
    const catalog = catalogOf({ 'patterns/pat_2025-11-07_oauth_api.md': patternMd() });
    const config = await configOf({ rules: { 'test-pattern-title': ['error', { word: 'Auth' }] } });
    const [message] = messages(lintCatalog(catalog, { rules, config }));
    expect([message?.reason, message?.fatal]).toEqual(['Unexpected title word `Auth`', true]);
  });

  test('applies configured severities to rule and loader messages, and overrides by glob', async () => {
    const catalog = catalogOf({
      'plugins/a/.claude-plugin/plugin.json': pluginJson('a'),
      'plugins/b/.claude-plugin/plugin.json': '{\n  "name": "b"\n}\n',
    });
    const config = await configOf({
      rules: { 'test-plugin-name': 'warn', schema: 'error' },
      overrides: [{ files: 'plugins/a/**', rules: { 'test-plugin-name': 'off' } }],
    });
    expect(formatCompact(lintCatalog(catalog, { rules, config }))).toBe(
      [
        'plugins/b/.claude-plugin/plugin.json:1:1-3:2 error schema Missing recommended field `author`, expected an object',
        'plugins/b/.claude-plugin/plugin.json:1:1-3:2 error schema Missing recommended field `description`, expected a string',
        'plugins/b/.claude-plugin/plugin.json:1:1-3:2 error schema Missing recommended field `version`, expected a string',
        'plugins/b/.claude-plugin/plugin.json:2:11-2:14 warning test-plugin-name Unexpected name `b`',
        '',
      ].join('\n'),
    );
  });

  test('drops the files the config ignores', async () => {
    const catalog = catalogOf({ 'plugins/a/.claude-plugin/plugin.json': pluginJson('a') });
    const result = lintCatalog(catalog, {
      rules,
      config: await configOf({ ignores: ['plugins/a/**'] }),
    });
    expect(result).toEqual({ files: [], errorCount: 0, warningCount: 0, checked: [] });
  });

  test('with `only`, runs those rules and keeps only their messages', () => {
    const catalog = catalogOf({ 'plugins/b/.claude-plugin/plugin.json': '{\n  "name": "b"\n}\n' });
    expect(
      messages(lintCatalog(catalog, { rules, only: ['schema'] })).map((message) => message.ruleId),
    ).toEqual(['schema', 'schema', 'schema']);
    expect(
      messages(lintCatalog(catalog, { rules, only: ['test-plugin-name'] })).map(
        (message) => message.ruleId,
      ),
    ).toEqual(['test-plugin-name']);
  });

  test('rejects an unknown id in `only`', () => {
    expect(() => lintCatalog(catalogOf({}), { rules, only: ['nope'] })).toThrowError(
      'Unexpected rule id `nope` in `--rule`, expected a rule of agentops-lint',
    );
  });

  test('with `files`, keeps only those files while rules still see the whole catalog', () => {
    const catalog = catalogOf({
      'plugins/a/.claude-plugin/plugin.json': pluginJson('a'),
      'plugins/b/.claude-plugin/plugin.json': pluginJson('b'),
    });
    const result = lintCatalog(catalog, {
      rules,
      only: ['test-plugin-name'],
      files: ['plugins/b'],
    });
    expect(result.files.map((file) => file.path)).toEqual(['plugins/b/.claude-plugin/plugin.json']);
    expect(result.errorCount).toBe(1);
  });

  test('suppresses a message with a disable comment and reports unused ones with a fix', () => {
    const text = patternMd(
      '# agentops-lint-disable-next-line schema -- read by the importer\nimporter: x\n# agentops-lint-disable-next-line schema -- nothing here\nstatus: validated\n',
    );
    const result = lintCatalog(catalogOf({ 'patterns/pat_2025-11-07_oauth_api.md': text }), {
      rules,
    });
    expect(formatCompact(result)).toBe(
      'patterns/pat_2025-11-07_oauth_api.md:9:1-9:57 warning no-unused-disable Unexpected disable directive for `schema`, expected a message of that rule on line 10\n',
    );
    const fix = messages(result)[0]?.fix;
    expect(fix && text.slice(...fix.range)).toBe(
      '# agentops-lint-disable-next-line schema -- nothing here\n',
    );
  });

  test('reports a disable comment without a reason but still honours it', () => {
    const text = patternMd('# agentops-lint-disable-next-line schema\nimporter: x\n');
    const result = lintCatalog(catalogOf({ 'patterns/pat_2025-11-07_oauth_api.md': text }), {
      rules,
    });
    expect(formatCompact(result)).toBe(
      'patterns/pat_2025-11-07_oauth_api.md:7:1-7:41 error no-invalid-disable Missing reason, expected ` -- <why this rule does not apply here>`\n',
    );
  });

  test('never changes the catalog, so linting twice gives the same result', async () => {
    const catalog = catalogOf({ 'plugins/b/.claude-plugin/plugin.json': '{\n  "name": "b"\n}\n' });
    const config = await configOf({ rules: { schema: 'off' } });
    const first = formatCompact(lintCatalog(catalog, { rules, config }));
    expect(formatCompact(lintCatalog(catalog, { rules }))).toContain('warning schema');
    expect(formatCompact(lintCatalog(catalog, { rules, config }))).toBe(first);
  });

  test('uses the registry and the built-in defaults when called with a catalog alone', () => {
    const result = lintCatalog(
      catalogOf({ 'plugins/deploy/.claude-plugin/plugin.json': pluginJson('deploy') }),
    );
    expect(result).toEqual({
      files: [],
      errorCount: 0,
      warningCount: 0,
      checked: ['plugins/deploy/.claude-plugin/plugin.json'],
    });
    expect(createDefaultConfig().rules.size).toBe(0);
  });
});

describe('plugins of an invalid marketplace', () => {
  test('are still checked when their own entry is valid, and skipped when it is not', () => {
    const marketplace = {
      name: 'acme',
      // No `owner`: the marketplace is invalid, but not because of its entries.
      plugins: [
        { name: 'alpha', source: './plugins/alpha', version: '1.0.0' },
        { name: 'beta', source: 42 },
        { name: 'gamma', source: './plugins/gamma', version: 1 },
      ],
    };
    const catalog = catalogOf({
      '.claude-plugin/marketplace.json': `${JSON.stringify(marketplace, null, 2)}\n`,
      'plugins/alpha/.claude-plugin/plugin.json': pluginJson('alpha-tools'),
      'plugins/gamma/.claude-plugin/plugin.json': pluginJson('gamma-tools'),
    });
    const result = lintCatalog(catalog, { only: ['plugin-name-matches-dir'] });
    // gamma's entry has a schema error (its version is a number): its plugin rules wait for it.
    expect(formatCompact(result)).toBe(
      'plugins/alpha/.claude-plugin/plugin.json:2:11-2:24 warning plugin-name-matches-dir Unexpected plugin name `alpha-tools`, expected `alpha` (its folder name)\n',
    );
  });
});

describe('selector', () => {
  test('keeps a file given by path, one inside a given folder, and everything for `.`', () => {
    const marketplace = '.claude-plugin/marketplace.json';
    expect(selector([marketplace])(marketplace)).toBe(true);
    expect(selector(['./.claude-plugin/'])(marketplace)).toBe(true);
    expect(selector(['.'])(marketplace)).toBe(true);
    expect(selector(['./'])(marketplace)).toBe(true);
    expect(selector(['.claude-plugin'])('claude-plugin/marketplace.json')).toBe(false);
    expect(selector(['plugins/a'])('plugins/a-b/x.md')).toBe(false);
  });
});
