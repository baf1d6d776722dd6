import { describe, expect, test } from 'vitest';
import { createMemorySource, parseCatalog } from '../../src/catalog/index.ts';
import { createDefaultConfig } from '../../src/config.ts';
import { lintCatalog, type LintMessage } from '../../src/engine.ts';
import { applyFixes } from '../../src/fix.ts';

const path = 'patterns/api-development/pat_2025-11-07_oauth_api.md';

function frontmatter(fields: string): string {
  return `---\npattern_id: pat_2025-11-07_oauth_api\ncategory: api-development\n${fields}---\n\n# Pattern: OAuth\n`;
}

function lint(files: Record<string, string>, id: string): LintMessage[] {
  const config = createDefaultConfig();
  config.rules.set(id, { severity: 'error' });
  const result = lintCatalog(parseCatalog(createMemorySource(files)), { config, only: [id] });
  return result.files.flatMap((file) => file.messages as LintMessage[]);
}

function fixed(text: string, id: string): string {
  const fixes = lint({ [path]: text }, id).flatMap((message) => (message.fix ? [message.fix] : []));
  return applyFixes(text, fixes).output;
}

describe('pattern-stats-consistent', () => {
  test('rewrites success_rate to the posterior mean', () => {
    const text = frontmatter(
      'success_rate: 0.89\nexecutions: 9\nvalidated: false\nsuccesses: 8\nfailures: 1\n',
    );
    expect(fixed(text, 'pattern-stats-consistent')).toBe(
      frontmatter(
        'success_rate: 0.82\nexecutions: 9\nvalidated: false\nsuccesses: 8\nfailures: 1\n',
      ),
    );
  });

  test('rewrites success_rate to the raw share under the legacy rule', () => {
    const text = frontmatter(
      'success_rate: 0.82\nexecutions: 9\nvalidated: true\nrule: legacy\nsuccesses: 8\nfailures: 1\n',
    );
    expect(fixed(text, 'pattern-stats-consistent')).toContain('success_rate: 0.89\n');
  });

  test('sets validated to agree with status', () => {
    const text = frontmatter(
      'success_rate: 0.9\nexecutions: 10\nvalidated: true\nstatus: provisional\n',
    );
    expect(fixed(text, 'pattern-stats-consistent')).toBe(
      frontmatter('success_rate: 0.9\nexecutions: 10\nvalidated: false\nstatus: provisional\n'),
    );
  });

  test('offers no validated fix when the status itself is too strong', () => {
    const text = frontmatter(
      'success_rate: 0.86\nexecutions: 5\nvalidated: false\nstatus: validated\nsuccesses: 5\nfailures: 0\n',
    );
    const messages = lint({ [path]: text }, 'pattern-stats-consistent');
    expect(messages.map((message) => [message.reason, message.fix])).toEqual([
      [
        'Unexpected `status` `validated`, expected `provisional` (P(p > 0.7) is `0.882` from 5 successes and 0 failures; `validated` needs at least `0.9`)',
        undefined,
      ],
    ]);
  });

  test('accepts a success_rate within half a unit of the second decimal', () => {
    const text = frontmatter(
      'success_rate: 0.8182\nexecutions: 9\nvalidated: false\nsuccesses: 8\nfailures: 1\n',
    );
    expect(lint({ [path]: text }, 'pattern-stats-consistent')).toEqual([]);
  });

  test('reports one execution in the singular', () => {
    const text = frontmatter(
      'success_rate: 1\nexecutions: 1\nvalidated: true\nrule: legacy\nsuccesses: 1\nfailures: 0\n',
    );
    expect(lint({ [path]: text }, 'pattern-stats-consistent').map((m) => m.reason)).toEqual([
      'Unexpected `validated: true`, expected `validated: false` (under `rule: legacy`, validation needs at least 3 labelled executions and s / (s + f) above 0.7; the counts give 1 labelled execution and s / (s + f) = `1.00`)',
    ]);
  });
});
