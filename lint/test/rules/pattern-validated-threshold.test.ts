import { describe, expect, test } from 'vitest';
import { createMemorySource, parseCatalog } from '../../src/catalog/index.ts';
import { createDefaultConfig } from '../../src/config.ts';
import { lintCatalog, type LintMessage } from '../../src/engine.ts';

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

describe('pattern-validated-threshold', () => {
  test('reports one execution in the singular', () => {
    const text = frontmatter('success_rate: 1\nexecutions: 1\nvalidated: true\n');
    expect(lint({ [path]: text }, 'pattern-validated-threshold').map((m) => m.reason)).toEqual([
      'Unexpected `validated: true` with `1` execution, expected at least `3` executions',
    ]);
  });
});
