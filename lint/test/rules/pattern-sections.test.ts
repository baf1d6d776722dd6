import { describe, expect, test } from 'vitest';
import { createMemorySource, parseCatalog } from '../../src/catalog/index.ts';
import { createDefaultConfig } from '../../src/config.ts';
import { lintCatalog, type LintMessage } from '../../src/engine.ts';
import { applyFixes } from '../../src/fix.ts';

const path = 'patterns/api-development/pat_2025-11-07_oauth_api.md';
const frontmatter =
  '---\npattern_id: pat_2025-11-07_oauth_api\ncategory: api-development\nsuccess_rate: 0.9\nexecutions: 10\nvalidated: true\n---\n\n';

function reasons(text: string): string[] {
  const config = createDefaultConfig();
  const catalog = parseCatalog(createMemorySource({ [path]: text }));
  const result = lintCatalog(catalog, { config, only: ['pattern-sections', 'no-unused-disable'] });
  return result.files.flatMap((file) => file.messages.map((message) => message.reason));
}

describe('pattern-sections', () => {
  test('points at the title, so a disable comment above it suppresses the messages', () => {
    const text = `${frontmatter}<!-- agentops-lint-disable-next-line pattern-sections -- a stub kept for links -->\n# Pattern: OAuth\n`;
    expect(reasons(text)).toEqual([]);
  });

  test('accepts a closing sequence and extra spaces in a heading', () => {
    const text = `${frontmatter}# Pattern: OAuth\n\n##   Workflow  ##\n\n## Optimizations #\n\n## Metrics\n`;
    expect(reasons(text)).toEqual([]);
  });

  test('does not count a heading inside an HTML comment block', () => {
    const text = `${frontmatter}# Pattern: OAuth\n\n## Workflow\n\n## Optimizations\n\n<!--\n## Metrics\n-->\n`;
    expect(reasons(text)).toEqual([
      'Missing section `## Metrics`, expected a level-2 heading `## Metrics` outside code blocks',
    ]);
  });

  test('fixes a heading at the wrong level or in the wrong case', () => {
    const text = `${frontmatter}# Pattern: OAuth\n\n## workflow\n\n### Optimizations ###\n\n## Metrics\n`;
    const catalog = parseCatalog(createMemorySource({ [path]: text }));
    const result = lintCatalog(catalog, { only: ['pattern-sections'] });
    const fixes = result.files.flatMap((file) =>
      (file.messages as LintMessage[]).flatMap((message) => (message.fix ? [message.fix] : [])),
    );
    expect(applyFixes(text, fixes).output).toBe(
      `${frontmatter}# Pattern: OAuth\n\n## Workflow\n\n## Optimizations\n\n## Metrics\n`,
    );
  });
});
