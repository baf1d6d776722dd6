import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { lintInBatches } from '../src/batches.ts';
import { createMemorySource, parseCatalog } from '../src/catalog/index.ts';
import type { CatalogSource } from '../src/catalog/index.ts';
import { createFsSource } from '../src/catalog/read.ts';
import { lintCatalog, type LintResult } from '../src/engine.ts';
// These tests call the loader's modules directly, not through an entry point that loads every
// validator, so they load them here.
import '../src/catalog/validators-all.ts';

// Linting with patterns in batches must give exactly what one whole load gives: every message,
// place, severity and related place, on the fixtures, this repository, the corpus and a generated
// catalog whose duplicates straddle batch boundaries.

const lintRoot = path.resolve(import.meta.dirname, '..');
const repoRoot = path.resolve(lintRoot, '..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const hasCorpus = existsSync(path.join(corpus, 'verdicts.json'));

function describeMessage(message: VFileMessage): unknown {
  return {
    file: message.file,
    ruleId: message.ruleId,
    reason: message.reason,
    message: message.message,
    name: message.name,
    fatal: message.fatal,
    url: message.url,
    actual: message.actual,
    expected: message.expected,
    note: message.note,
    place: [
      message.line,
      message.column,
      message.place && 'end' in message.place ? message.place.end : undefined,
    ],
    cause: message.cause instanceof VFileMessage ? describeMessage(message.cause) : undefined,
  };
}

function describeResult(result: LintResult): unknown {
  return {
    errorCount: result.errorCount,
    warningCount: result.warningCount,
    files: result.files.map((file) => ({
      path: file.path,
      messages: file.messages.map(describeMessage),
    })),
  };
}

function expectSameAsWholeLoad(source: CatalogSource): LintResult {
  const batched = lintInBatches(source);
  expect(describeResult(batched)).toEqual(describeResult(lintCatalog(parseCatalog(source))));
  // Handed on file by file, the files are the same, in the same order, and the result keeps none.
  // The paths checked come with them, each once and in order over the whole run.
  const emitted: VFile[] = [];
  const emittedChecked: string[] = [];
  const streamed = lintInBatches(source, {}, undefined, undefined, (files, checked) => {
    emitted.push(...files);
    emittedChecked.push(...checked);
  });
  expect(streamed.files).toEqual([]);
  expect(streamed.checked).toEqual(batched.checked);
  expect(emittedChecked).toEqual(batched.checked);
  expect(describeResult({ ...streamed, files: emitted })).toEqual(describeResult(batched));
  return batched;
}

/** Fixture case folders: `<rule>/<valid|invalid>/<case>` and the shared catalog. */
function fixtureCases(): string[] {
  const fixtures = path.join(lintRoot, 'test/fixtures');
  const cases = [path.join(fixtures, '_catalog')];
  for (const rule of readdirSync(fixtures)) {
    for (const kind of ['valid', 'invalid']) {
      const dir = path.join(fixtures, rule, kind);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) {
        if (statSync(path.join(dir, name)).isDirectory()) cases.push(path.join(dir, name));
      }
    }
  }
  return cases;
}

const pattern = (id: string, category: string, role: string, extra = ''): string =>
  `---\npattern_id: ${id}\ncategory: ${category}\nsuccess_rate: 0.9\nexecutions: 10\nvalidated: true\n${extra}---\n\n# Pattern: ${id}\n\n## Workflow\n1. Do it (${role})\n\n## Optimizations\n- Checkpoint: after tests\n\n## Metrics\n- Duration: ~10min\n`;

describe('lintInBatches', () => {
  test.each(fixtureCases().map((dir) => [path.relative(lintRoot, dir), dir]))(
    'agrees with a whole load on %s',
    (_name, dir) => {
      expectSameAsWholeLoad(createFsSource(dir));
    },
  );

  test('agrees with a whole load on this repository', () => {
    expectSameAsWholeLoad(createFsSource(repoRoot));
  });

  // The corpus lives beside the repository in CI only; a clone without it skips this test.
  test.skipIf(!hasCorpus)(
    'agrees with a whole load on every marketplace of ../shared/corpus',
    () => {
      const verdicts = JSON.parse(readFileSync(path.join(corpus, 'verdicts.json'), 'utf8')) as {
        verdicts: { path: string; kind: string }[];
      };
      const roots = [
        ...new Set(verdicts.verdicts.filter((v) => v.kind === 'marketplace').map((v) => v.path)),
      ];
      expect(roots.length).toBeGreaterThan(50);
      for (const root of roots) expectSameAsWholeLoad(createFsSource(path.join(corpus, root)));
    },
  );

  test('treats a plugin folder under patterns/ as a plugin, not as patterns', () => {
    const result = expectSameAsWholeLoad(
      createMemorySource({
        '.claude-plugin/marketplace.json': `${JSON.stringify({ name: 'acme', owner: { name: 'Acme' }, description: 'd', plugins: [{ name: 'tools', source: './patterns/tools', version: '1.0.0' }] })}\n`,
        'patterns/tools/.claude-plugin/plugin.json':
          '{ "name": "tools", "version": "1.0.0", "description": "d", "author": { "name": "A" } }\n',
        'patterns/tools/commands/run.md': '---\ndescription: Run it\n---\n\nRun it.\n',
      }),
    );
    expect(result.files.map((file) => file.path)).toEqual([]);
    expect(result.checked).toEqual([
      '.claude-plugin/marketplace.json',
      'patterns/tools/.claude-plugin/plugin.json',
      'patterns/tools/commands/run.md',
    ]);
  });

  test('finds duplicates across batches, with the first file as the related place', () => {
    const files: Record<string, string> = {
      '.claude-plugin/marketplace.json': `${JSON.stringify({ name: 'acme', owner: { name: 'Acme' }, plugins: [{ name: 'core', source: './plugins/core', version: '1.0.0' }] }, null, 2)}\n`,
      'plugins/core/.claude-plugin/plugin.json': '{ "name": "core", "version": "1.0.0" }\n',
      'plugins/core/agents/code-explorer.md': '---\ndescription: Explores code\n---\n\nExplore.\n',
      'patterns/pat_2025-01-01_top.md': pattern('pat_2025-01-01_top', 'misc', 'Code Explorer'),
      'patterns/misc/broken.md': '---\npattern_id: "unclosed\n---\n',
    };
    for (let i = 0; i < 1300; i++) {
      const id = `pat_2025-01-01_${String(i).padStart(4, '0')}`;
      const category = i % 2 === 0 ? 'even' : 'odd';
      // Every 400th pattern reuses the id of pattern 0003; one names a missing agent.
      const written = i > 3 && i % 400 === 3 ? 'pat_2025-01-01_0003' : id;
      files[`patterns/${category}/${id}.md`] = pattern(
        written,
        category,
        i === 777 ? 'Code Explorr' : 'Code Explorer',
      );
    }
    const result = expectSameAsWholeLoad(createMemorySource(files));
    const duplicates = result.files.flatMap((file) =>
      file.messages.filter((message) => message.ruleId === 'no-duplicate-pattern-id'),
    );
    expect(duplicates.map((message) => [message.file, message.line, message.column])).toEqual([
      ['patterns/odd/pat_2025-01-01_0403.md', 2, 13],
      ['patterns/odd/pat_2025-01-01_0803.md', 2, 13],
      ['patterns/odd/pat_2025-01-01_1203.md', 2, 13],
    ]);
    const cause = duplicates[2]?.cause;
    expect(cause instanceof VFileMessage && [cause.file, cause.line, cause.column]).toEqual([
      'patterns/odd/pat_2025-01-01_0003.md',
      2,
      13,
    ]);
    expect(
      result.files
        .flatMap((file) => file.messages)
        .filter((message) =>
          ['parse', 'pattern-steps-exist', 'pattern-category-matches-folder'].includes(
            message.ruleId ?? '',
          ),
        )
        .map((message) => `${message.file}:${message.line} ${message.ruleId}`),
    ).toEqual([
      'patterns/misc/broken.md:3 parse',
      'patterns/odd/pat_2025-01-01_0777.md:12 pattern-steps-exist',
      'patterns/pat_2025-01-01_top.md:3 pattern-category-matches-folder',
    ]);
  });
});
