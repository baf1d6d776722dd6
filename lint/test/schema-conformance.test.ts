import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { schemaProblems, type SchemaProblem } from '../src/catalog/validate.ts';
import type { SchemaKind } from '../src/catalog/model.ts';
// These tests call the loader's modules directly, not through an entry point that loads every
// validator, so they load them here.
import '../src/catalog/validators-all.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const hasCorpus = fs.existsSync(path.join(corpus, 'verdicts.json'));
const mirror = path.resolve(repoRoot, '../shared/mirror');
const hasMirror = fs.existsSync(path.join(mirror, 'SOURCES.tsv'));
/** Claude Code's verdicts on the mirror, from `npm run conformance:mirror`. */
const mirrorVerdicts = path.join(import.meta.dirname, 'conformance/mirror-verdicts.json');

interface Diagnostic {
  severity: 'error' | 'warning';
  file: string;
  field?: string | null;
  message: string;
}

interface Verdict {
  path: string;
  kind: 'plugin' | 'marketplace';
  valid: boolean;
  validated: string;
  diagnostics: Diagnostic[];
}

/**
 * Claude Code errors that no schema can see: file-system facts, parse failures and cross-entry
 * checks. Parse errors are the parser's job; the rest belong to lint rules.
 */
const outsideSchemas = [
  /^Path not found: /,
  /^Path is a (file|directory)/,
  /^YAML frontmatter failed to parse/,
  /^Invalid JSON syntax/,
  /^No manifest found in directory/,
  /^Duplicate plugin name/,
];

/**
 * Claude Code's reserved plugin-name error on a plugin.json: it is waived in a marketplace with an
 * official name, which a per-file schema cannot see, so rule `no-reserved-plugin-name` makes it.
 */
const reservedPluginNameRe =
  /^Plugin name "[^"]*" is reserved: it passes as one of Anthropic's own/;

/**
 * Deliberate differences: errors we report on files `claude plugin validate` accepts, each with
 * the runtime failure that makes it one (reference §5, "validator false negatives").
 */
const strictErrors: { reason: string; applies(file: string, problem: SchemaProblem): boolean }[] = [
  {
    reason:
      'entry `hooks` as a path or array passes validate; the plugin then fails to load ("the file-path and array forms are not yet supported in a marketplace entry")',
    applies: (file, problem) =>
      file.endsWith('/.claude-plugin/marketplace.json') &&
      /^\/plugins\/\d+\/hooks$/.test(problem.pointer),
  },
  {
    reason:
      'entry `skills` naming a file (such as a SKILL.md) passes validate at the marketplace root; the loader then fails the component: `path is a file; skills entries must be directories containing SKILL.md`',
    applies: (file, problem) =>
      file.endsWith('/.claude-plugin/marketplace.json') &&
      /^\/plugins\/\d+\/skills(\/\d+)?$/.test(problem.pointer) &&
      problem.message.endsWith('not a file'),
  },
];

function kindOf(file: string): SchemaKind | undefined {
  const base = path.posix.basename(file);
  if (base === 'marketplace.json') return 'marketplace';
  if (base === 'plugin.json') return 'plugin';
  if (base === '.mcp.json') return 'mcp';
  if (base === '.lsp.json') return 'lsp';
  if (base.endsWith('.json') && file.includes('/hooks/')) return 'hooks';
  if (!base.endsWith('.md')) return undefined;
  if (/\/skills\/[^/]+\/SKILL\.md$/.test(file)) return 'skill';
  if (file.includes('/agents/')) return 'agent';
  if (file.includes('/commands/')) return 'command';
  if (file.includes('/output-styles/')) return 'output-style';
  return undefined;
}

function readData(base: string, file: string): { data: unknown } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(base, file), 'utf8');
  } catch {
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (file.endsWith('.json')) {
    try {
      return { data: JSON.parse(text) as unknown };
    } catch {
      return undefined;
    }
  }
  const match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return undefined;
  try {
    return { data: (parseYaml(match[1] ?? '') as unknown) ?? {} };
  } catch {
    return undefined;
  }
}

function listFiles(base: string, dir: string): string[] {
  const abs = path.join(base, dir);
  if (!fs.existsSync(abs)) return [];
  return (fs.readdirSync(abs, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** The files Claude Code checked for a verdict, relative to `base`. */
function checkedFiles(base: string, verdict: Verdict): string[] {
  if (verdict.kind === 'marketplace') {
    return [`${verdict.path}/.claude-plugin/marketplace.json`];
  }
  if (verdict.validated.endsWith('.json')) return [verdict.validated];
  const files = listFiles(base, verdict.path).filter(
    (rel) =>
      rel === '.claude-plugin/plugin.json' ||
      rel === 'hooks/hooks.json' ||
      rel === '.mcp.json' ||
      rel === '.lsp.json' ||
      /^(commands|agents)\/.+\.md$/.test(rel) ||
      /^skills\/[^/]+\/SKILL\.md$/.test(rel) ||
      /^output-styles\/[^/]+\.md$/.test(rel),
  );
  return files.map((rel) => `${verdict.path}/${rel}`);
}

function problemsOf(base: string, file: string): SchemaProblem[] | undefined {
  const kind = kindOf(file);
  const read = kind && readData(base, file);
  if (!kind || !read) return undefined;
  return schemaProblems(kind, read.data);
}

/** `plugins[0].source`, `plugins.0.source` and `root` as JSON Pointers. */
function fieldPointer(field: string): string {
  if (field === 'root') return '';
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((part) => `/${part.replaceAll('~', '~0').replaceAll('/', '~1')}`)
    .join('');
}

function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/**
 * Where a Claude Code diagnostic points in our terms: the file and JSON Pointer. A marketplace
 * check reports plugin.json problems as `plugins[3] plugin.json → author`; those resolve through
 * the entry's relative `source`.
 */
function target(
  base: string,
  verdict: Verdict,
  d: Diagnostic,
): { file: string; pointer: string } | undefined {
  const field = d.field ?? 'root';
  const nested = /^plugins\[(\d+)\] plugin\.json → (.+)$/.exec(field);
  if (!nested) return { file: d.file, pointer: fieldPointer(field) };
  const market = readData(base, d.file)?.data as { plugins?: { source?: unknown }[] } | undefined;
  const source = market?.plugins?.[Number(nested[1])]?.source;
  if (typeof source !== 'string') return undefined;
  const file = path.posix.join(verdict.path, source, '.claude-plugin/plugin.json');
  return { file, pointer: fieldPointer(nested[2] ?? 'root') };
}

const readVerdicts = (file: string): Verdict[] =>
  (JSON.parse(fs.readFileSync(file, 'utf8')) as { verdicts: Verdict[] }).verdicts;

/**
 * Our schemas against Claude Code's verdicts on the files under `base`: no schema error where it
 * accepts a file, and one on the same field for each of its schema-level errors (at least
 * `minChecked` of them).
 */
function describeSchemaConformance(
  title: string,
  base: string,
  verdicts: () => Verdict[],
  minChecked: number,
): void {
  test(`${title}: reports no schema error on any file Claude Code accepts`, () => {
    const unexpected: string[] = [];
    for (const verdict of verdicts().filter((v) => v.valid)) {
      for (const file of checkedFiles(base, verdict)) {
        for (const problem of problemsOf(base, file) ?? []) {
          if (
            problem.severity === 'error' &&
            !strictErrors.some((strict) => strict.applies(file, problem))
          )
            unexpected.push(`${file} ${problem.pointer}: ${problem.message}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
  });

  test(`${title}: reports an error on the same field for every schema-level error of Claude Code`, () => {
    const missed: string[] = [];
    let checked = 0;
    for (const verdict of verdicts()) {
      for (const d of verdict.diagnostics) {
        if (d.severity !== 'error' || outsideSchemas.some((re) => re.test(d.message))) continue;
        if (d.field === 'frontmatter' && !/^Frontmatter must be/.test(d.message)) continue;
        const where = target(base, verdict, d);
        if (!where) continue;
        if (where.file.endsWith('/plugin.json') && reservedPluginNameRe.test(d.message)) continue;
        const problems = problemsOf(base, where.file);
        if (!problems) continue;
        const pointer = where.pointer;
        checked += 1;
        const hit = problems.some((p) => p.severity === 'error' && related(p.pointer, pointer));
        if (!hit) missed.push(`${where.file} ${pointer}: ${d.message.slice(0, 100)}`);
      }
    }
    expect(missed).toEqual([]);
    expect(checked).toBeGreaterThan(minChecked);
  });
}

describe.skipIf(!hasCorpus)(
  hasCorpus
    ? 'conformance with Claude Code 2.1.330 on ../shared/corpus (reads ../shared/corpus)'
    : 'conformance with Claude Code 2.1.330 on ../shared/corpus (skipped: ../shared/corpus is absent)',
  () => {
    describeSchemaConformance(
      'the corpus',
      corpus,
      () => readVerdicts(path.join(corpus, 'verdicts.json')),
      80,
    );
  },
);

describe.skipIf(!hasMirror)(
  hasMirror
    ? 'conformance with Claude Code 2.1.330 on ../shared/mirror (reads ../shared/mirror)'
    : 'conformance with Claude Code 2.1.330 on ../shared/mirror (skipped: ../shared/mirror is absent)',
  () => {
    describeSchemaConformance('the mirror', mirror, () => readVerdicts(mirrorVerdicts), 1000);
  },
);
