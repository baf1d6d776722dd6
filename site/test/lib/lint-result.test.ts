import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VFile } from 'vfile';
import { afterAll, describe, expect, test } from 'vitest';
import { readLintResult, reportFiles } from '../../src/lib/lint-result.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'lint-result-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('readLintResult', () => {
  test.for([
    ['missing file', undefined],
    ['not JSON', '{"digest":'],
    ['no digest', '{"report":[]}'],
    [
      'a message without a line',
      '{"digest":"d","report":[{"filePath":"a","messages":[{"ruleId":null,"severity":2,"message":"m"}]}]}',
    ],
  ] as const)('refuses a %s, so the site lints again', ([name, text]) => {
    const file = path.join(work, `${name}.json`);
    if (text !== undefined) writeFileSync(file, text);
    expect(readLintResult(file)).toBeUndefined();
  });
});

describe('reportFiles', () => {
  test('turns report messages into file messages, with rule and loader links', () => {
    const loader = new VFile({ path: 'plugins/p/.claude-plugin/plugin.json' });
    const schema = loader.message('Missing field', {
      place: { line: 1, column: 1 },
      ruleId: 'schema',
    });
    schema.url = 'https://example.test/reference/plugin/';
    const files = reportFiles(
      [
        { filePath: 'clean.md', messages: [] },
        {
          filePath: 'plugins/p/.claude-plugin/plugin.json',
          messages: [
            {
              ruleId: 'schema',
              severity: 2,
              message: 'Missing field',
              line: 1,
              column: 1,
              endLine: 1,
              endColumn: 2,
            },
            {
              ruleId: 'no-broad-hook',
              severity: 1,
              message: 'Broad',
              line: 3,
              column: 5,
              endLine: 3,
              endColumn: 9,
            },
            {
              ruleId: null,
              severity: 2,
              message: 'Unreadable',
              line: 1,
              column: 1,
              endLine: 1,
              endColumn: 1,
            },
          ],
        },
      ],
      [loader],
    );
    expect(files.map((file) => file.path)).toEqual(['plugins/p/.claude-plugin/plugin.json']);
    expect(
      files[0]?.messages.map((message) => [
        message.ruleId,
        message.fatal,
        message.reason,
        message.line,
        message.column,
        message.place && 'end' in message.place ? message.place.end : undefined,
        message.url,
      ]),
    ).toEqual([
      [
        'schema',
        true,
        'Missing field',
        1,
        1,
        { line: 1, column: 2 },
        'https://example.test/reference/plugin/',
      ],
      [
        'no-broad-hook',
        false,
        'Broad',
        3,
        5,
        { line: 3, column: 9 },
        'https://agentops-marketplace.github.io/agentops-marketplace/rules/no-broad-hook/',
      ],
      ['parse', true, 'Unreadable', 1, 1, { line: 1, column: 1 }, undefined],
    ]);
  });
});
