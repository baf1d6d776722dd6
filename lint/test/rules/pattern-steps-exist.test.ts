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

describe('pattern-steps-exist', () => {
  const plugin = {
    'plugins/core/.claude-plugin/plugin.json': '{ "name": "core" }\n',
    'plugins/core/agents/code-explorer.md':
      '---\nname: code-explorer\ndescription: Explores\n---\n',
  };

  test('suggests the closest existing component in the note', () => {
    const text = frontmatter(
      'success_rate: 0.9\nexecutions: 10\nvalidated: true\nsteps: [agent:code-explorr]\n',
    );
    const messages = lint({ ...plugin, [path]: text }, 'pattern-steps-exist');
    expect(messages.map((message) => [message.reason, message.note])).toEqual([
      [
        'Unexpected step `agent:code-explorr`, expected an agent `code-explorr` in a plugin of the catalog',
        'Did you mean agent `code-explorer`?',
      ],
    ]);
  });

  test('leaves the note out when nothing is close', () => {
    const text = frontmatter(
      'success_rate: 0.9\nexecutions: 10\nvalidated: true\nsteps: [agent:release-manager]\n',
    );
    const messages = lint({ ...plugin, [path]: text }, 'pattern-steps-exist');
    expect(messages.map((message) => message.note)).toEqual([undefined]);
  });

  test('accepts a plugin-qualified agent name', () => {
    const text = frontmatter(
      'success_rate: 0.9\nexecutions: 10\nvalidated: true\nsteps: [agent:core:code-explorer]\n',
    );
    expect(lint({ ...plugin, [path]: text }, 'pattern-steps-exist')).toEqual([]);
  });
});
