import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadCatalog } from '../src/catalog/index.ts';
import { createDefaultConfig } from '../src/config.ts';
import { lintCatalog, type LintMessage } from '../src/engine.ts';
import { applyFixes } from '../src/fix.ts';
import { rules } from '../src/rules/index.ts';
import { removeTree } from './helpers/tree.ts';

const fixtures = path.resolve(import.meta.dirname, 'fixtures');

// Directive rules judge other rules' messages, so their cases run every rule.
const crossRuleIds = new Set(['no-invalid-disable', 'no-unused-disable']);

interface FixCase {
  id: string;
  name: string;
  dir: string;
  /** `<case>/fixed/`: every file the fixes change, as it must read afterwards. */
  fixed: string | undefined;
}

function listDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort();
}

/** Files below `dir`, by POSIX path relative to it, sorted. */
function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((name) => statSync(path.join(dir, name)).isFile())
    .map((name) => name.split(path.sep).join('/'))
    .sort();
}

const cases: FixCase[] = listDirs(fixtures)
  .filter((id) => !id.startsWith('_'))
  .flatMap((id) =>
    listDirs(path.join(fixtures, id, 'invalid')).map((name) => {
      const dir = path.join(fixtures, id, 'invalid', name);
      const fixed = path.join(dir, 'fixed');
      return { id, name, dir, fixed: existsSync(fixed) ? fixed : undefined };
    }),
  );

/** Lints a fixture tree with only the rule under test, as the fixture runner does. */
async function lintCase(id: string, dir: string): Promise<Map<string, LintMessage[]>> {
  const config = createDefaultConfig();
  const rule = rules.find((candidate) => candidate.id === id);
  if (rule) config.rules.set(id, { severity: rule.severity === 'error' ? 'error' : 'warn' });
  const result = lintCatalog(await loadCatalog(dir), {
    config,
    only: crossRuleIds.has(id) ? undefined : [id],
  });
  return new Map(
    result.files.map((file) => [
      file.path,
      (file.messages as LintMessage[]).filter((message) => message.ruleId === id),
    ]),
  );
}

/**
 * What `agentops-lint --fix` writes for one rule: per file, the rule's fixes applied by
 * `applyFixes` to the file's text. Only the files that change, as path → text.
 */
async function fixCase(id: string, dir: string): Promise<Map<string, string>> {
  const catalog = await loadCatalog(dir);
  const texts = new Map(catalog.files.map((file) => [file.path, file.value]));
  const changed = new Map<string, string>();
  for (const [file, messages] of await lintCase(id, dir)) {
    const fixes = messages.flatMap((message) => (message.fix ? [message.fix] : []));
    const before = texts.get(file);
    if (fixes.length === 0 || typeof before !== 'string') continue;
    const { output } = applyFixes(before, fixes);
    if (output !== before) changed.set(file, output);
  }
  return changed;
}

function hasFix(messages: Map<string, LintMessage[]>): boolean {
  return [...messages.values()].some((list) => list.some((message) => message.fix));
}

const withFixed = cases.filter((item) => item.fixed !== undefined);

describe('fixes pinned by `fixed/` trees', () => {
  test.for(withFixed)('$id: $name', async ({ id, dir, fixed }) => {
    const expectedDir = fixed ?? '';
    const changed = await fixCase(id, dir);
    expect([...changed.keys()].sort(), 'the files the fixes change').toEqual(
      listFiles(expectedDir),
    );
    for (const [file, output] of changed) {
      const expected = readFileSync(path.join(expectedDir, file));
      expect(output, file).toBe(expected.toString('utf8'));
      expect(Buffer.from(output, 'utf8').equals(expected), `${file} byte for byte`).toBe(true);
    }
  });

  test.for(withFixed)('$id: $name leaves nothing to fix once fixed', async ({ id, dir }) => {
    const changed = await fixCase(id, dir);
    const copy = mkdtempSync(path.join(tmpdir(), 'agentops-fixed-'));
    try {
      cpSync(dir, copy, {
        recursive: true,
        filter: (source) => source !== path.join(dir, 'fixed'),
      });
      for (const [file, output] of changed) writeFileSync(path.join(copy, file), output);
      expect(hasFix(await lintCase(id, copy))).toBe(false);
    } finally {
      removeTree(copy);
    }
  });
});

test('every rule that offers a fix pins it with a `fixed/` tree', async () => {
  const fixable = new Set<string>();
  for (const { id, dir } of cases) if (hasFix(await lintCase(id, dir))) fixable.add(id);
  const pinned = new Set(withFixed.map((item) => item.id));
  expect([...fixable].filter((id) => !pinned.has(id)).sort()).toEqual([]);
  expect(fixable.size).toBeGreaterThan(0);
});

test('a `fixed/` tree sits only in an invalid case whose rule offers a fix', async () => {
  const idle: string[] = [];
  for (const { id, name, dir } of withFixed) {
    if (!hasFix(await lintCase(id, dir))) idle.push(`${id}/invalid/${name}`);
  }
  const misplaced = listDirs(fixtures).flatMap((id) =>
    listDirs(path.join(fixtures, id, 'valid'))
      .filter((name) => existsSync(path.join(fixtures, id, 'valid', name, 'fixed')))
      .map((name) => `${id}/valid/${name}`),
  );
  expect([...idle, ...misplaced]).toEqual([]);
});
