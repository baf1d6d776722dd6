import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { execution as validate } from '../../../lint/src/generated/validators.js';
import { listLogFiles } from '../src/log.ts';
import { repoRoot } from './helpers.ts';

const schema = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'schemas', 'execution.schema.json'), 'utf8'),
) as Record<string, unknown>;

describe('execution schema and its generated validator', () => {
  test('has an id, a title and a description on every property', () => {
    expect(schema.$id).toBe(
      'https://agentops-marketplace.github.io/agentops-marketplace/schemas/execution.schema.json',
    );
    expect(schema.title).toBe('Execution log line');
    const missing: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      if (typeof record.properties === 'object' && record.properties !== null) {
        for (const [key, child] of Object.entries(
          record.properties as Record<string, Record<string, unknown>>,
        )) {
          if (typeof child.description !== 'string') missing.push(`${at}/properties/${key}`);
        }
      }
      for (const [key, child] of Object.entries(record)) walk(child, `${at}/${key}`);
    };
    walk(schema, '');
    expect(missing).toEqual([]);
  });

  test('accepts its examples and every line of the published log', () => {
    for (const example of schema.examples as unknown[]) expect(validate(example)).toBe(true);
    const files = listLogFiles(path.join(repoRoot, 'patterns', '.log', 'executions'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      for (const line of fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')) {
        expect(
          validate(JSON.parse(line)),
          `${path.basename(file)}: ${JSON.stringify(validate.errors)}`,
        ).toBe(true);
      }
    }
  });

  test('rejects a line with an unknown field or a bad outcome', () => {
    const [example] = schema.examples as Record<string, unknown>[];
    expect(validate({ ...example, extra: 1 })).toBe(false);
    expect(validate({ ...example, outcome: { status: 'great', source: 'verify' } })).toBe(false);
    expect(
      validate({
        schema_version: 1,
        kind: 'outcome_update',
        execution_id: '01JD2ZQ4B7M3X8KQ9R5T6V7W8Y',
        at: '2026-03-15T10:00:00.000Z',
        outcome: { status: 'failure', source: 'revert', rollback: true },
      }),
    ).toBe(true);
  });
});
