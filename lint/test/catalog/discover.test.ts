import { describe, expect, test } from 'vitest';
import type { VFile } from 'vfile';
import { createMemorySource, parseCatalog, type Catalog } from '../../src/catalog/index.ts';
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
      'plugins/run/commands/go.md:5:18-5:19 error parse Unexpected YAML in frontmatter, expected valid YAML (Nested mappings are not allowed in compact mappings)',
    ]);
  });
});
