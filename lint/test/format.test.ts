import { describe, expect, test } from 'vitest';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { report } from '../src/catalog/diagnostic.ts';
import { InvalidConfig, UnknownRule, createError, renderError } from '../src/errors.ts';
import type { LintMessage, LintResult } from '../src/engine.ts';
import {
  createJsonFormatter,
  createSarifFormatter,
  formatCompact,
  formatGithub,
  formatJson,
  formatResult,
  formatSarif,
  formatStylish,
} from '../src/format.ts';

const url = (id: string): string =>
  `https://agentops-marketplace.github.io/agentops-marketplace/rules/${id}/`;

function sample(): LintResult {
  const manifest = new VFile({ path: 'plugins/deploy/.claude-plugin/plugin.json', value: '{}' });
  const first = new VFileMessage('First defined here', {
    place: { start: { line: 3, column: 5 }, end: { line: 3, column: 12 } },
    ruleId: 'no-duplicate-plugin-name',
    source: 'agentops-lint',
  });
  first.file = '.claude-plugin/marketplace.json';
  report(manifest, {
    reason: 'Unexpected plugin name `deploy-tools`, expected `deploy` (its folder name)',
    ruleId: 'plugin-name-matches-dir',
    severity: 'error',
    place: { start: { line: 2, column: 11 }, end: { line: 2, column: 25 } },
    url: url('plugin-name-matches-dir'),
    cause: first,
  });
  const pattern = new VFile({ path: 'patterns/a, b:c.md', value: '' });
  const warning: LintMessage = report(pattern, {
    reason:
      'Unexpected disable directive for `schema`, expected a message of that rule on line 12\n100% sure',
    ruleId: 'no-unused-disable',
    severity: 'warning',
    place: { start: { line: 11, column: 1 }, end: { line: 11, column: 76 } },
    url: url('no-unused-disable'),
  });
  warning.fix = { range: [200, 276], text: '' };
  return { files: [manifest, pattern], errorCount: 1, warningCount: 1 };
}

describe('formatCompact', () => {
  test('prints one line per message with range, severity and rule id', () => {
    expect(formatCompact(sample())).toMatchInlineSnapshot(`
      "plugins/deploy/.claude-plugin/plugin.json:2:11-2:25 error plugin-name-matches-dir Unexpected plugin name \`deploy-tools\`, expected \`deploy\` (its folder name)
      patterns/a, b:c.md:11:1-11:76 warning no-unused-disable Unexpected disable directive for \`schema\`, expected a message of that rule on line 12 100% sure
      "
    `);
  });

  test('prefixes every path with `prefix`', () => {
    expect(formatCompact(sample(), { prefix: 'repo/' }).split('\n')[0]).toMatch(
      /^repo\/plugins\/deploy\//,
    );
  });
});

describe('formatStylish', () => {
  test('groups messages per file with aligned columns, the cause, a summary and what --fix can fix', () => {
    expect(formatStylish(sample())).toMatchInlineSnapshot(`
      "plugins/deploy/.claude-plugin/plugin.json
        2:11-2:25  error  Unexpected plugin name \`deploy-tools\`, expected \`deploy\` (its folder name)  plugin-name-matches-dir
          [cause]: .claude-plugin/marketplace.json:3:5-3:12  First defined here

      patterns/a, b:c.md
        11:1-11:76  warning  Unexpected disable directive for \`schema\`, expected a message of that rule on line 12 100% sure  no-unused-disable

      2 messages (✖ 1 error, ⚠ 1 warning)
        0 errors and 1 warning potentially fixable with the \`--fix\` option.
      "
    `);
  });

  test('says nothing of fixes when no message has one', () => {
    const result = sample();
    for (const file of result.files)
      for (const message of file.messages) delete (message as LintMessage).fix;
    expect(formatStylish(result).split('\n').slice(-3)).toEqual([
      '',
      '2 messages (✖ 1 error, ⚠ 1 warning)',
      '',
    ]);
  });

  test('prints nothing when there is no message', () => {
    expect(formatStylish({ files: [], errorCount: 0, warningCount: 0 })).toBe('');
  });

  test('colours severities and file names only when asked', () => {
    const coloured = formatStylish(sample(), { color: true });
    expect(coloured).toContain('\u001B[31merror\u001B[39m');
    expect(formatStylish(sample())).not.toContain('\u001B[');
  });
});

describe('formatJson', () => {
  test('lists every checked file, the clean ones with no messages, sorted by path', () => {
    const result = {
      ...sample(),
      checked: ['README.md', 'patterns/a, b:c.md', 'plugins/deploy/.claude-plugin/plugin.json'],
    };
    const files = JSON.parse(formatJson(result)) as { filePath: string; messages: unknown[] }[];
    expect(files.map((file) => [file.filePath, file.messages.length])).toEqual([
      ['README.md', 0],
      ['patterns/a, b:c.md', 1],
      ['plugins/deploy/.claude-plugin/plugin.json', 1],
    ]);
    expect(files[0]).toEqual({
      filePath: 'README.md',
      messages: [],
      suppressedMessages: [],
      errorCount: 0,
      fatalErrorCount: 0,
      warningCount: 0,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      usedDeprecatedRules: [],
    });
  });

  test("matches ESLint's JSON formatter shape: absolute paths, and the text of files with messages", () => {
    const absolutePath = (printed: string) => `/repo/${printed}`;
    expect(JSON.parse(formatJson(sample(), { absolutePath }))).toEqual([
      {
        filePath: '/repo/plugins/deploy/.claude-plugin/plugin.json',
        messages: [
          {
            ruleId: 'plugin-name-matches-dir',
            severity: 2,
            message: 'Unexpected plugin name `deploy-tools`, expected `deploy` (its folder name)',
            line: 2,
            column: 11,
            nodeType: null,
            endLine: 2,
            endColumn: 25,
          },
        ],
        suppressedMessages: [],
        errorCount: 1,
        fatalErrorCount: 0,
        warningCount: 0,
        fixableErrorCount: 0,
        fixableWarningCount: 0,
        source: '{}',
        usedDeprecatedRules: [],
      },
      {
        filePath: '/repo/patterns/a, b:c.md',
        messages: [
          {
            ruleId: 'no-unused-disable',
            severity: 1,
            message:
              'Unexpected disable directive for `schema`, expected a message of that rule on line 12\n100% sure',
            line: 11,
            column: 1,
            nodeType: null,
            endLine: 11,
            endColumn: 76,
            fix: { range: [200, 276], text: '' },
          },
        ],
        suppressedMessages: [],
        errorCount: 0,
        fatalErrorCount: 0,
        warningCount: 1,
        fixableErrorCount: 0,
        fixableWarningCount: 1,
        source: '',
        usedDeprecatedRules: [],
      },
    ]);
  });

  test('prints an empty array when there is no message', () => {
    expect(formatJson({ files: [], errorCount: 0, warningCount: 0 })).toBe('[]\n');
  });
});

describe('formatGithub', () => {
  test('prints workflow commands with escaped properties and data', () => {
    expect(formatGithub(sample())).toMatchInlineSnapshot(`
      "::error file=plugins/deploy/.claude-plugin/plugin.json,line=2,col=11,endLine=2,endColumn=25,title=plugin-name-matches-dir::Unexpected plugin name \`deploy-tools\`, expected \`deploy\` (its folder name)
      ::warning file=patterns/a%2C b%3Ac.md,line=11,col=1,endLine=11,endColumn=76,title=no-unused-disable::Unexpected disable directive for \`schema\`, expected a message of that rule on line 12%0A100%25 sure
      "
    `);
  });
});

describe('formatSarif', () => {
  test('writes SARIF 2.1.0 with rule metadata, helpUri and relative locations', () => {
    const log = JSON.parse(
      formatSarif(sample(), {
        version: '1.2.3',
        rules: [
          {
            id: 'plugin-name-matches-dir',
            description: 'Require names',
            url: url('plugin-name-matches-dir'),
            severity: 'warning',
          },
          {
            id: 'no-unused-disable',
            description: 'Disallow unused',
            url: url('no-unused-disable'),
            severity: 'warning',
          },
        ],
      }),
    ) as {
      version: string;
      runs: { tool: { driver: Record<string, unknown> }; results: unknown[] }[];
    };
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run?.tool.driver).toMatchObject({ name: 'agentops-lint', version: '1.2.3' });
    expect(run?.tool.driver.rules).toEqual([
      {
        id: 'no-unused-disable',
        shortDescription: { text: 'Disallow unused' },
        helpUri: url('no-unused-disable'),
        defaultConfiguration: { level: 'warning' },
      },
      {
        id: 'plugin-name-matches-dir',
        shortDescription: { text: 'Require names' },
        helpUri: url('plugin-name-matches-dir'),
        defaultConfiguration: { level: 'warning' },
      },
    ]);
    expect(run?.results[0]).toEqual({
      ruleId: 'plugin-name-matches-dir',
      ruleIndex: 1,
      level: 'error',
      message: {
        text: 'Unexpected plugin name `deploy-tools`, expected `deploy` (its folder name)',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: {
              uri: 'plugins/deploy/.claude-plugin/plugin.json',
              uriBaseId: '%SRCROOT%',
            },
            region: { startLine: 2, startColumn: 11, endLine: 2, endColumn: 25 },
          },
        },
      ],
    });
  });

  test('adds metadata for an id it was not given, from the message url', () => {
    const log = JSON.parse(formatSarif(sample())) as {
      runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } } }[];
    };
    expect(log.runs[0]?.tool.driver.rules.map((rule) => [rule.id, rule.helpUri])).toEqual([
      ['no-unused-disable', url('no-unused-disable')],
      ['plugin-name-matches-dir', url('plugin-name-matches-dir')],
    ]);
  });
});

describe('JSON and SARIF one file at a time', () => {
  const rules = [
    {
      id: 'plugin-name-matches-dir',
      description: 'Require names',
      url: url('plugin-name-matches-dir'),
      severity: 'error' as const,
    },
    {
      id: 'no-unused-disable',
      description: 'Disallow unused',
      url: url('no-unused-disable'),
      severity: 'warning' as const,
    },
  ];

  test('the whole documents are laid out as JSON.stringify lays them out', () => {
    const checked = { ...sample(), checked: ['a.md', 'patterns/a, b:c.md', 'z.md'] };
    const json = formatJson(checked);
    expect(json).toBe(`${JSON.stringify(JSON.parse(json))}\n`);
    for (const result of [sample(), { files: [], errorCount: 0, warningCount: 0 }]) {
      const sarif = formatSarif(result, { rules, version: '1.2.3' });
      expect(sarif).toBe(`${JSON.stringify(JSON.parse(sarif), null, 2)}\n`);
    }
    expect(formatSarif({ files: [], errorCount: 0, warningCount: 0 })).toContain(
      '"results": []\n    }\n  ]\n}\n',
    );
  });

  test('pieces taken after each file join into the whole document', () => {
    for (const [create, whole] of [
      [createJsonFormatter, formatJson(sample(), { rules })],
      [createSarifFormatter, formatSarif(sample(), { rules })],
    ] as const) {
      const formatter = create({ rules });
      const pieces = [formatter.take()];
      for (const file of sample().files) {
        formatter.add(file);
        pieces.push(formatter.take());
      }
      pieces.push(formatter.end());
      // Each file's part comes out as soon as it is added.
      expect(pieces.slice(1, 3).filter((piece) => piece !== '')).toHaveLength(2);
      expect(pieces.join('')).toBe(whole);
    }
  });

  test('a SARIF result of a rule the streamed log was not given has no ruleIndex', () => {
    const formatter = createSarifFormatter({ rules: rules.slice(0, 1) });
    for (const file of sample().files) formatter.add(file);
    const log = JSON.parse(formatter.end()) as {
      runs: { results: { ruleId: string; ruleIndex?: number }[] }[];
    };
    expect(log.runs[0]?.results.map((result) => [result.ruleId, result.ruleIndex])).toEqual([
      ['plugin-name-matches-dir', 0],
      ['no-unused-disable', undefined],
    ]);
  });
});

test('formatResult dispatches on the format name', () => {
  expect(formatResult(sample(), 'compact')).toBe(formatCompact(sample()));
  expect(formatResult(sample(), 'github')).toBe(formatGithub(sample()));
});

describe('control characters from linted files', () => {
  function hostile(): LintResult {
    const file = new VFile({ path: 'plugins/a\u001b[2J\nb.md', value: '' });
    const cause = new VFileMessage('First \u009b31m here', {
      place: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
    });
    cause.file = 'x\u0007.json';
    report(file, {
      reason: 'Unexpected name `\u001b]8;;https://evil\u0007a\u202e`, expected `b`',
      ruleId: 'schema',
      severity: 'error',
      place: { start: { line: 1, column: 1 }, end: { line: 1, column: 4 } },
      url: url('schema'),
      cause,
    });
    return { files: [file], errorCount: 1, warningCount: 0 };
  }

  test('are escaped in compact output, and a path with a newline stays on one line', () => {
    expect(formatCompact(hostile())).toBe(
      'plugins/a\\x1b[2J\\nb.md:1:1-1:4 error schema Unexpected name `\\x1b]8;;https://evil\\x07a\\u202e`, expected `b`\n',
    );
  });

  test('are escaped in stylish output, causes included', () => {
    expect(formatStylish(hostile())).toBe(
      [
        'plugins/a\\x1b[2J\\nb.md',
        '  1:1-1:4  error  Unexpected name `\\x1b]8;;https://evil\\x07a\\u202e`, expected `b`  schema',
        '    [cause]: x\\x07.json:1:1-1:2  First \\x9b31m here',
        '',
        '✖ 1 error',
        '',
      ].join('\n'),
    );
  });

  test('are escaped in GitHub annotations, whose own escapes keep line breaks', () => {
    expect(formatGithub(hostile())).toBe(
      '::error file=plugins/a\\x1b[2J%0Ab.md,line=1,col=1,endLine=1,endColumn=4,title=schema::Unexpected name `\\x1b]8;;https://evil\\x07a\\u202e`, expected `b`\n',
    );
  });
});

test('a config error prints rule ids from the config file inert', () => {
  expect(renderError(createError(UnknownRule, 'a\u001b[31m', '`.agentops-lintrc.json`'))).toBe(
    'agentops-lint: [UnknownRule] Unexpected rule id `a\\x1b[31m` in `.agentops-lintrc.json`, expected a rule of agentops-lint\nThe rules are listed at https://agentops-marketplace.github.io/agentops-marketplace/rules/.\n',
  );
});

test('a config error lists one problem a line, each inert', () => {
  expect(
    renderError(
      createError(InvalidConfig, '.agentops-lintrc\u001b[2J.json', [
        'Unexpected field `/rules/a\nb`, expected a kebab-case rule id',
        'Unexpected field `/rules/\u202e`, expected a kebab-case rule id',
      ]),
    ),
  ).toBe(
    'agentops-lint: [InvalidConfig] Invalid config file `.agentops-lintrc\\x1b[2J.json`:\n' +
      '  Unexpected field `/rules/a\\nb`, expected a kebab-case rule id\n' +
      '  Unexpected field `/rules/\\u202e`, expected a kebab-case rule id\n' +
      'The config format is described in the agentops-lint README.\n',
  );
});

test('SARIF percent-encodes each path segment of an artifact URI', () => {
  const file = new VFile({ path: 'plugins/a #1?/b c%[x].md', value: '' });
  report(file, {
    reason: 'Broken',
    ruleId: 'schema',
    severity: 'error',
    place: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
    url: url('schema'),
  });
  const log = JSON.parse(formatSarif({ files: [file], errorCount: 1, warningCount: 0 })) as {
    runs: { results: { locations: { physicalLocation: { artifactLocation: unknown } }[] }[] }[];
  };
  expect(log.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation).toEqual({
    uri: 'plugins/a%20%231%3F/b%20c%25%5Bx%5D.md',
    uriBaseId: '%SRCROOT%',
  });
});
