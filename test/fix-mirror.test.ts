// `agentops-lint --fix` on real marketplaces: every repository of ../shared/mirror with something
// to fix is fixed in a copy, as a user would run it. One pass must leave nothing fixable and give
// no rule more to say; and for the repositories with the most fixes, the real Claude Code must
// judge the fixed copies no worse than the committed verdicts on the originals.
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseCatalog } from '../lint/src/catalog/index.ts';
import { createFsSource } from '../lint/src/catalog/read.ts';
import { parseCliArgs } from '../lint/src/cli-options.ts';
import { lintCatalog, type LintMessage } from '../lint/src/engine.ts';
import { runLint } from '../lint/src/run.ts';
import { readMirrorSources } from '../scripts/federation/mirror.ts';
import { mirrorVerdicts, type MirrorVerdict } from './helpers/claude.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const mirror = path.resolve(repoRoot, '../shared/mirror');
const hasMirror = existsSync(path.join(mirror, 'SOURCES.tsv'));
const committed = path.join(repoRoot, 'lint/test/conformance/mirror-verdicts.json');
/** Repositories, with the most fixes first, whose fixed copies the real Claude Code validates. */
const validated = 3;

/** Messages of a fresh in-process lint of `dir`, counted by rule and severity, and the fixable. */
function tally(dir: string): { byRule: Map<string, number>; fixable: number } {
  const byRule = new Map<string, number>();
  let fixable = 0;
  for (const file of lintCatalog(parseCatalog(createFsSource(dir))).files) {
    for (const message of file.messages as LintMessage[]) {
      const key = `${message.ruleId ?? ''} ${message.fatal === true ? 'error' : 'warning'}`;
      byRule.set(key, (byRule.get(key) ?? 0) + 1);
      if (message.fix) fixable++;
    }
  }
  return { byRule, fixable };
}

const work = hasMirror ? mkdtempSync(path.join(os.tmpdir(), 'agentops-fix-mirror-')) : '';
afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasMirror)(
  hasMirror
    ? '--fix on ../shared/mirror (reads ../shared/mirror, runs the real claude binary)'
    : '--fix on ../shared/mirror (skipped: ../shared/mirror is absent)',
  () => {
    const fixed: { id: string; fixes: number }[] = [];

    test('one pass fixes everything fixable in every repository and adds no message', async () => {
      const grew: string[] = [];
      for (const id of [...readMirrorSources(mirror).sources.keys()].sort()) {
        const before = tally(path.join(mirror, id));
        if (before.fixable === 0) continue;
        const copy = path.join(work, id);
        cpSync(path.join(mirror, id), copy, { recursive: true, verbatimSymlinks: true });
        const run = await runLint(parseCliArgs(['--fix', '-f', 'json', '.']), {
          cwd: copy,
          readStdin: () => Promise.resolve(''),
          color: false,
        });
        expect({ id, exitCode: run.exitCode < 2 }).toEqual({ id, exitCode: true });
        const after = tally(copy);
        expect({ id, fixable: after.fixable }).toEqual({ id, fixable: 0 });
        for (const [rule, n] of after.byRule)
          if (n > (before.byRule.get(rule) ?? 0))
            grew.push(`${id}: ${rule} ${before.byRule.get(rule) ?? 0} → ${n}`);
        fixed.push({ id, fixes: before.fixable });
      }
      expect(grew).toEqual([]);
      // The mirror at its SOURCES.tsv commits has 656 fixes in 105 repositories.
      expect(fixed.length).toBeGreaterThan(50);
    });

    test(`the real claude validates the ${validated} most-fixed copies no worse than the originals`, () => {
      const most = [...fixed].sort((a, b) => b.fixes - a.fixes).slice(0, validated);
      expect(most.length).toBe(validated);
      copyFileSync(path.join(mirror, 'SOURCES.tsv'), path.join(work, 'SOURCES.tsv'));
      const after = mirrorVerdicts(
        work,
        most.map(({ id }) => id),
      ).verdicts;
      const key = (verdict: MirrorVerdict): string => `${verdict.kind} ${verdict.path}`;
      const before = new Map(
        (JSON.parse(readFileSync(committed, 'utf8')) as { verdicts: MirrorVerdict[] }).verdicts.map(
          (verdict) => [key(verdict), verdict],
        ),
      );
      const worse = after.flatMap((verdict) => {
        const original = before.get(key(verdict));
        if (original === undefined) return [`${key(verdict)}: no committed verdict`];
        const added = verdict.errors.filter((error) => !original.errors.includes(error));
        return (original.valid && !verdict.valid) || added.length > 0
          ? [`${key(verdict)}: ${added.join('; ')}`]
          : [];
      });
      expect(worse).toEqual([]);
      expect(after.length).toBeGreaterThan(validated);
    });
  },
);
