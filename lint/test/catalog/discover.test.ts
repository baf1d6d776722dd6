import { describe, expect, test } from 'vitest';
import type { VFile } from 'vfile';
import { createMemorySource, parseCatalog, type Catalog } from '../../src/catalog/index.ts';
import { lintCatalog } from '../../src/engine.ts';
import { json } from '../helpers/tree.ts';

/** Every message of some files as `path:line:col-line:col severity ruleId reason`, sorted. */
function messagesOf(files: readonly VFile[]): string[] {
  return files
    .flatMap((file) =>
      file.messages.map((m) => {
        const p =
          m.place && 'start' in m.place
            ? m.place
            : { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
        return `${file.path}:${p.start.line}:${p.start.column}-${p.end.line}:${p.end.column} ${m.fatal ? 'error' : 'warning'} ${m.ruleId} ${m.reason}`;
      }),
    )
    .sort();
}

const manifest = (name: string, extra: Record<string, unknown> = {}): string =>
  json({
    name,
    version: '1.0.0',
    description: `The ${name} plugin`,
    author: { name: 'Ada' },
    ...extra,
  });

function load(files: Record<string, string>): Catalog {
  return parseCatalog(createMemorySource(files));
}

describe('frontmatter leniency', () => {
  test('retries only top-level lines: a nested `key: value: more` fails as in Claude Code', () => {
    const catalog = load({
      'plugins/run/.claude-plugin/plugin.json': manifest('run'),
      'plugins/run/commands/go.md':
        '---\ndescription: Go now\narguments:\n  - name: mode\n    description: Run it (default: off)\n---\nGo.\n',
      'plugins/run/commands/top.md': '---\ndescription: Run it (default: off)\n---\nTop.\n',
    });
    const [go, top] = catalog.plugins[0]?.commands ?? [];
    expect(go?.doc.data).toBeUndefined();
    expect(top?.doc.data).toEqual({ description: 'Run it (default: off)' });
    expect(messagesOf(catalog.files)).toEqual([
      'plugins/run/commands/go.md:5:18-5:19 error parse Unexpected YAML in frontmatter (Nested mappings are not allowed in compact mappings), expected the value of `description` in quotes or as a block (`description: |`)',
    ]);
  });
});

describe('duplicate frontmatter keys', () => {
  test('are an error in a pattern, with a note on why', () => {
    const catalog = load({
      'patterns/release/pat_2025-10-02_release_notes.md': [
        '---',
        'pattern_id: pat_2025-10-02_release_notes',
        'category: release',
        'success_rate: 0.8',
        'executions: 5',
        'success_rate: 0.6',
        'validated: true',
        '---',
        '# Pattern: Release notes',
        '',
      ].join('\n'),
    });
    expect(messagesOf(catalog.files)).toEqual([
      'patterns/release/pat_2025-10-02_release_notes.md:6:1-6:2 error parse Unexpected duplicate key in frontmatter, expected each key once',
    ]);
    const [message] = catalog.files[0]?.messages ?? [];
    expect(message?.note).toBe(
      'Pattern files are read by the learning engine and by other YAML readers, which disagree on which value wins.',
    );
  });

  test('stay a warning in commands, agents and skills, as Claude Code reads them', () => {
    const duplicated = '---\ndescription: A\ndescription: B\n---\nBody.\n';
    const catalog = load({
      'plugins/p/.claude-plugin/plugin.json': manifest('p'),
      'plugins/p/commands/c.md': duplicated,
      'plugins/p/agents/a.md': duplicated,
      'plugins/p/skills/s/SKILL.md': duplicated,
    });
    expect(catalog.plugins[0]?.commands[0]?.description).toBe('B');
    expect(messagesOf(catalog.files)).toEqual([
      'plugins/p/agents/a.md:3:1-3:2 warning parse Unexpected duplicate key in frontmatter, expected each key once',
      'plugins/p/commands/c.md:3:1-3:2 warning parse Unexpected duplicate key in frontmatter, expected each key once',
      'plugins/p/skills/s/SKILL.md:3:1-3:2 warning parse Unexpected duplicate key in frontmatter, expected each key once',
    ]);
  });
});

describe('a plugin at a marketplace root', () => {
  const marketplace = json({
    name: 'acme-tools',
    owner: { name: 'Acme' },
    description: 'Tools',
    plugins: [{ name: 'alpha', source: './plugins/alpha', description: 'Alpha' }],
  });

  test('is loaded and linted although no entry uses it', () => {
    const catalog = load({
      '.claude-plugin/marketplace.json': marketplace,
      '.claude-plugin/plugin.json': manifest('acme-root', { agents: ['./agents/reviewer'] }),
      'plugins/alpha/.claude-plugin/plugin.json': manifest('alpha'),
    });
    expect(catalog.plugins.map((plugin) => [plugin.dir, plugin.name, plugin.discoveredBy])).toEqual(
      [
        ['.', 'acme-root', 'folder'],
        ['plugins/alpha', 'alpha', 'both'],
      ],
    );
    expect(messagesOf(lintCatalog(catalog).files)).toEqual([
      '.claude-plugin/plugin.json:9:5-9:24 error schema Unexpected value `./agents/reviewer` for `/agents/0`, expected a path to a `.md` file',
    ]);
  });

  test('has its reserved name reported', () => {
    const catalog = load({
      '.claude-plugin/marketplace.json': marketplace,
      '.claude-plugin/plugin.json': manifest('claude-code-helper'),
      'plugins/alpha/.claude-plugin/plugin.json': manifest('alpha'),
    });
    expect(messagesOf(lintCatalog(catalog).files)).toEqual([
      '.claude-plugin/plugin.json:2:11-2:31 error no-reserved-plugin-name Unexpected plugin name `claude-code-helper`, expected a name that does not pass as one of Anthropic’s own',
      '.claude-plugin/plugin.json:2:11-2:31 warning schema Unexpected value `claude-code-helper` for `/name`, expected a name without the word `claude` or `anthropic`',
    ]);
  });

  test('is one plugin when an entry uses the root as its source', () => {
    const catalog = load({
      '.claude-plugin/marketplace.json': json({
        name: 'acme-tools',
        owner: { name: 'Acme' },
        plugins: [{ name: 'acme-root', source: './', description: 'Root' }],
      }),
      '.claude-plugin/plugin.json': manifest('acme-root'),
    });
    expect(catalog.plugins.map((plugin) => [plugin.dir, plugin.discoveredBy])).toEqual([
      ['.', 'marketplace'],
    ]);
  });
});
