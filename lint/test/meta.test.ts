import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createMemorySource, parseCatalog } from '../src/catalog/index.ts';
import { createFsSource } from '../src/catalog/read.ts';
import { ruleUrl, siteUrl } from '../src/catalog/diagnostic.ts';
import { createDefaultConfig } from '../src/config.ts';
import { lintCatalog, loaderRules } from '../src/engine.ts';
import type { AnyRule } from '../src/rule.ts';
import { rules } from '../src/rules/index.ts';

const lintRoot = path.resolve(import.meta.dirname, '..');
const repoRoot = path.resolve(lintRoot, '..');
const rulesDir = path.join(lintRoot, 'src/rules');
const docsDir = path.join(repoRoot, 'docs/rules');
const fixturesDir = path.join(lintRoot, 'test/fixtures');

const sorted = (list: string[]): string[] => [...list].sort();
const ids = rules.map((rule) => rule.id);

interface Example {
  valid: boolean;
  path: string;
  text: string;
  line: number;
  /** Files of `context` blocks earlier in the same section, added to the example's tiny repo. */
  context: Record<string, string>;
  /** `symlink=<target>`: the example is a symbolic link at `path` rather than a file. */
  symlink: string | undefined;
}

/**
 * Fenced blocks flagged `valid`/`invalid` with a `path=` (STYLE.md §3), optionally followed by
 * `symlink=<target>`. A block flagged `context` adds its file to every example after it until the
 * next heading (for cross-file rules).
 */
function examplesOf(markdown: string): Example[] {
  const examples: Example[] = [];
  const fenceRe =
    /^```(\w+) (valid|invalid|context) path=(\S+)((?: [\w-]+=\S+)*)\n([\s\S]*?)^```$/gm;
  let context: Record<string, string> = {};
  let previousEnd = 0;
  for (const match of markdown.matchAll(fenceRe)) {
    if (/^#{1,6} /m.test(markdown.slice(previousEnd, match.index))) context = {};
    previousEnd = match.index + match[0].length;
    const text = match[5] ?? '';
    if (match[2] === 'context') {
      context = { ...context, [match[3] ?? '']: text };
      continue;
    }
    const attributes = new Map(
      (match[4] ?? '')
        .trim()
        .split(' ')
        .filter((pair) => pair.includes('='))
        .map(
          (pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const,
        ),
    );
    examples.push({
      context,
      valid: match[2] === 'valid',
      path: match[3] ?? '',
      text,
      line: markdown.slice(0, match.index).split('\n').length,
      symlink: attributes.get('symlink'),
    });
  }
  return examples;
}

function headingsOf(markdown: string): string[] {
  return markdown
    .replace(/^```[\s\S]*?^```$/gm, '')
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line));
}

function firstParagraph(markdown: string): string {
  const afterTitle = markdown.split('\n').slice(1).join('\n').trim();
  return (
    afterTitle
      .split(/\n\s*\n/)[0]
      ?.replace(/\n/g, ' ')
      .trim() ?? ''
  );
}

/** A catalog on disk holding the example's context files and symbolic link (and its target). */
function symlinkCatalog(example: Example) {
  const root = mkdtempSync(path.join(tmpdir(), 'agentops-lint-doc-'));
  try {
    for (const [file, text] of Object.entries(example.context)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const link = path.join(root, example.path);
    mkdirSync(path.dirname(link), { recursive: true });
    const target = path.resolve(path.dirname(link), example.symlink ?? '');
    if (target.startsWith(`${root}${path.sep}`)) {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, example.text);
    }
    symlinkSync(example.symlink ?? '', link);
    return parseCatalog(createFsSource(root));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function messagesOf(rule: AnyRule, example: Example): number {
  const config = createDefaultConfig();
  config.rules.set(rule.id, { severity: rule.severity === 'error' ? 'error' : 'warn' });
  const catalog =
    example.symlink === undefined
      ? parseCatalog(createMemorySource({ ...example.context, [example.path]: example.text }))
      : symlinkCatalog(example);
  const result = lintCatalog(catalog, { config });
  return result.files
    .flatMap((file) => file.messages)
    .filter((message) => message.ruleId === rule.id).length;
}

describe('the rule registry', () => {
  test('lists the rules in alphabetical order of id', () => {
    expect(ids).toEqual(sorted(ids));
  });

  test('matches the rule files one to one', () => {
    const files = readdirSync(rulesDir)
      .filter((name) => name.endsWith('.ts') && name !== 'index.ts')
      .map((name) => name.slice(0, -3));
    expect(sorted(files)).toEqual(sorted(ids));
  });

  test('matches the rule docs one to one', () => {
    const docs = readdirSync(docsDir)
      .filter((name) => name.endsWith('.md') && name !== 'index.md')
      .map((name) => name.slice(0, -3));
    expect(sorted(docs)).toEqual(sorted(ids));
  });

  test('matches the fixture folders one to one (plus loader ids and the valid catalog)', () => {
    const folders = readdirSync(fixturesDir).filter(
      (name) => !name.startsWith('_') && !(name in loaderRules),
    );
    expect(sorted(folders)).toEqual(sorted(ids));
  });

  test('leaves no golden file in a valid case', () => {
    const stray = readdirSync(fixturesDir)
      .filter((name) => !name.startsWith('_'))
      .flatMap((id) => {
        const valid = path.join(fixturesDir, id, 'valid');
        return existsSync(valid)
          ? readdirSync(valid)
              .filter((name) => existsSync(path.join(valid, name, 'expected.txt')))
              .map((name) => `${id}/valid/${name}`)
          : [];
      });
    expect(stray).toEqual([]);
  });
});

describe.for(rules)('$id', (rule) => {
  const docPath = path.join(docsDir, `${rule.id}.md`);
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';

  test('has kebab-case id, an imperative one-line description and a known scope', () => {
    expect(rule.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(rule.description).toMatch(
      /^(Require|Disallow|Enforce|Prefer|Limit|Warn)\b[^\n]*[^.\n]$/,
    );
    expect(['plugin', 'pattern', 'marketplace', 'catalog']).toContain(rule.appliesTo);
    expect(['error', 'warning']).toContain(rule.severity);
  });

  test('has valid and invalid fixture cases, each invalid one with a golden file', () => {
    for (const kind of ['valid', 'invalid']) {
      const cases = readdirSync(path.join(fixturesDir, rule.id, kind));
      expect(cases.length, `${kind} cases`).toBeGreaterThan(0);
      for (const name of cases) expect(name).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      if (kind === 'invalid') {
        for (const name of cases)
          expect(existsSync(path.join(fixturesDir, rule.id, kind, name, 'expected.txt'))).toBe(
            true,
          );
      }
    }
  });

  test('documents itself with the title, the description and exactly the allowed sections', () => {
    expect(doc.split('\n')[0]).toBe(`# ${rule.id}`);
    expect(firstParagraph(doc)).toBe(rule.description);
    expect(headingsOf(doc)).toEqual([
      `# ${rule.id}`,
      '## Why',
      '## Examples',
      '### Invalid',
      '### Valid',
      '## Options',
      '## When not to use it',
    ]);
    if (!rule.options) expect(doc).toContain('## Options\n\nThis rule has no options.\n');
  });

  test('links to the page the site generates from its doc', () => {
    expect(ruleUrl(rule.id)).toBe(`${siteUrl}/rules/${rule.id}/`);
  });

  test('has doc examples that behave as labelled', () => {
    const examples = examplesOf(doc);
    expect(examples.some((example) => !example.valid)).toBe(true);
    expect(examples.some((example) => example.valid)).toBe(true);
    for (const example of examples) {
      expect(messagesOf(rule, example), `example at line ${example.line}`).toBe(
        example.valid ? 0 : 1,
      );
    }
  });
});

test('the public API is exactly lintCatalog, rules and defineRule', async () => {
  expect(Object.keys(await import('agentops-lint')).sort()).toEqual([
    'defineRule',
    'lintCatalog',
    'rules',
  ]);
});
