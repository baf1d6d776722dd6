import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, test } from 'vitest';
import { tempDir, writeTree } from './helpers/tree.ts';

// Tools that read ESLint's JSON (reviewdog through eslint-formatter-rdjson, CI reports through
// ESLint's checkstyle and JUnit formatters) read ours unchanged.
type Formatter = (results: unknown, data?: unknown) => string;
const load = (name: string): Formatter => createRequire(import.meta.url)(name) as Formatter;
const cli = path.resolve(import.meta.dirname, '../src/cli.ts');

const patternPath = 'patterns/api-development/pat_2025-11-07_oauth_api.md';
const files = {
  'plugins/deploy/.claude-plugin/plugin.json':
    '{\n  "name": "deploy",\n  "version": 1,\n  "description": "Deploy — ünïcode",\n  "author": { "name": "Acme" }\n}\n',
  [patternPath]:
    '---\npattern_id: pat_2025-11-07_oauth_api\ncategory: api-development\nsuccess_rate: 0.95\nexecutions: 20\nvalidated: true\n# agentops-lint-disable-next-line schema -- nothing to suppress\nstatus: validated\n---\n\n# Pattern: OAuth\n\n## Workflow\n1. Research the libraries\n\n## Optimizations\n- Checkpoint: After middleware\n\n## Metrics\n- Duration: ~45min\n',
};

function lintJson(): { dir: string; results: unknown } {
  const dir = tempDir('agentops-lint-eslint-');
  writeTree(dir, files);
  const run = spawnSync(process.execPath, [cli, '-f', 'json'], { cwd: dir, encoding: 'utf8' });
  expect([run.stderr, run.status]).toEqual(['', 1]);
  return { dir, results: JSON.parse(run.stdout) };
}

test('eslint-formatter-rdjson reads the JSON: absolute paths, columns and fix suggestions', () => {
  const { dir, results } = lintJson();
  const rdjson = JSON.parse(load('eslint-formatter-rdjson')(results, { rulesMeta: {} })) as {
    diagnostics: Record<string, unknown>[];
  };
  const withoutOriginal = rdjson.diagnostics.map((diagnostic) => {
    const { original_output: original, ...rest } = diagnostic;
    expect(typeof original).toBe('string');
    return rest;
  });
  expect(withoutOriginal).toEqual([
    {
      message:
        'Unexpected disable directive for `schema`, expected a message of that rule on line 8',
      location: {
        path: path.join(dir, patternPath),
        range: { start: { line: 7, column: 1 }, end: { line: 7, column: 64 } },
      },
      severity: 'WARNING',
      code: { value: 'no-unused-disable', url: '' },
      // The fix deletes line 7 with its line break.
      suggestions: [
        { range: { start: { line: 7, column: 1 }, end: { line: 8, column: 1 } }, text: '' },
      ],
    },
    {
      message: 'Unexpected type `integer` for `/version`, expected a string',
      location: {
        path: path.join(dir, 'plugins/deploy/.claude-plugin/plugin.json'),
        range: { start: { line: 3, column: 14 }, end: { line: 3, column: 15 } },
      },
      severity: 'ERROR',
      code: { value: 'schema', url: '' },
    },
  ]);
});

test('the fix range is an offset into `source`, as ESLint gives it', () => {
  const { results } = lintJson();
  const [pattern] = results as {
    source: string;
    messages: { fix?: { range: [number, number]; text: string } }[];
  }[];
  const fix = pattern?.messages[0]?.fix;
  expect(fix).toEqual({ range: [117, 181], text: '' });
  expect(pattern?.source.slice(...(fix?.range ?? [0, 0]))).toBe(
    '# agentops-lint-disable-next-line schema -- nothing to suppress\n',
  );
});

test("ESLint's checkstyle and JUnit formatters read the JSON", () => {
  const { dir, results } = lintJson();
  const pattern = path.join(dir, patternPath);
  const manifest = path.join(dir, 'plugins/deploy/.claude-plugin/plugin.json');
  expect(load('eslint-formatter-checkstyle')(results)).toBe(
    `<?xml version="1.0" encoding="utf-8"?><checkstyle version="4.3"><file name="${pattern}"><error line="7" column="1" severity="warning" message="Unexpected disable directive for \`schema\`, expected a message of that rule on line 8 (no-unused-disable)" source="eslint.rules.no-unused-disable" /></file><file name="${manifest}"><error line="3" column="14" severity="error" message="Unexpected type \`integer\` for \`/version\`, expected a string (schema)" source="eslint.rules.schema" /></file></checkstyle>`,
  );
  expect(load('eslint-formatter-junit')(results)).toBe(
    [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<testsuites>',
      `<testsuite package="org.eslint" time="0" tests="1" errors="1" name="${pattern}">`,
      `<testcase time="0" name="org.eslint.no-unused-disable" classname="${pattern.replace(/\.md$/, '')}"><failure message="Unexpected disable directive for \`schema\`, expected a message of that rule on line 8"><![CDATA[line 7, col 1, Warning - Unexpected disable directive for \`schema\`, expected a message of that rule on line 8 (no-unused-disable)]]></failure></testcase>`,
      '</testsuite>',
      `<testsuite package="org.eslint" time="0" tests="1" errors="1" name="${manifest}">`,
      `<testcase time="0" name="org.eslint.schema" classname="${manifest.replace(/\.json$/, '')}"><failure message="Unexpected type \`integer\` for \`/version\`, expected a string"><![CDATA[line 3, col 14, Error - Unexpected type \`integer\` for \`/version\`, expected a string (schema)]]></failure></testcase>`,
      '</testsuite>',
      '</testsuites>',
      '',
    ].join('\n'),
  );
});
