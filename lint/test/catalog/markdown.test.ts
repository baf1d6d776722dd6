import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, test } from 'vitest';
import { scanMarkdown } from '../../src/catalog/markdown.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

interface MdastNode {
  type: string;
  depth?: number;
  children?: MdastNode[];
  value?: string;
  position?: { start: { line: number } };
}

/** Top-level headings as remark sees them: `[depth, line]`. */
function remarkHeadings(markdown: string): [number, number][] {
  const tree = unified().use(remarkParse).parse(markdown) as MdastNode;
  return (tree.children ?? [])
    .filter((node) => node.type === 'heading')
    .map((node) => [node.depth ?? 0, node.position?.start.line ?? 0]);
}

function scannedHeadings(markdown: string): [number, number][] {
  return scanMarkdown(markdown, 1).headings.map((h) => [h.depth, h.place.start.line]);
}

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...markdownFiles(full));
    else if (name.endsWith('.md')) out.push(full);
  }
  return out;
}

describe('scanMarkdown', () => {
  test('finds headings and workflow steps, skipping fences and comments', () => {
    const body = [
      '# Pattern: X',
      '',
      '## Workflow',
      '1. Research (Code Explorer)',
      '- Plan it',
      '',
      '~~~~',
      '## fenced',
      '~~~',
      '~~~~',
      '<!--',
      '## commented',
      '-->',
      '## Metrics',
      '- Not a step',
    ].join('\n');
    const outline = scanMarkdown(body, 1);
    expect(outline.headings.map((h) => [h.depth, h.text, h.place])).toEqual([
      [1, 'Pattern: X', { start: { line: 1, column: 1 }, end: { line: 1, column: 13 } }],
      [2, 'Workflow', { start: { line: 3, column: 1 }, end: { line: 3, column: 12 } }],
      [2, 'Metrics', { start: { line: 14, column: 1 }, end: { line: 14, column: 11 } }],
    ]);
    expect(outline.steps).toEqual([
      { text: 'Research (Code Explorer)', actor: 'Code Explorer', line: 4 },
      { text: 'Plan it', actor: undefined, line: 5 },
    ]);
  });

  test('agrees with remark on edge cases of fences and headings', () => {
    const cases = [
      '```\n# not\n```\n# yes',
      '````\n```\n# not\n````\n## yes',
      '```js `x`\n# yes, not a fence\n',
      '    # indented code\n# yes',
      '   ### three spaces\n#no space\n####### seven',
      '## closing ##\n#\n## trailing #hash',
      'text\n```\nunterminated\n# not',
    ];
    for (const markdown of cases)
      expect([markdown, scannedHeadings(markdown)]).toEqual([markdown, remarkHeadings(markdown)]);
  });

  test("agrees with remark on every Markdown file of this repository's plugins, patterns and docs", () => {
    const files = ['plugins', 'patterns', 'docs'].flatMap((dir) =>
      markdownFiles(path.join(repoRoot, dir)),
    );
    expect(files.length).toBeGreaterThan(60);
    const disagreements = files.filter((file) => {
      const markdown = readFileSync(file, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, (block) =>
        '\n'.repeat(block.split('\n').length - 1),
      );
      return JSON.stringify(scannedHeadings(markdown)) !== JSON.stringify(remarkHeadings(markdown));
    });
    expect(disagreements).toEqual([]);
  });
});
