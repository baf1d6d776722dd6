import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { bundleEntry } from '../scripts/bundle.ts';
import { git } from './helpers/git.ts';
import { forgetFacts, lintStaged, pattern, repository } from './helpers/staged.ts';
import { writeTree } from './helpers/tree.ts';

// The bundled command (lint/bin) on `--staged`, as a pre-commit hook runs it: the git listing it
// starts before loading, the YAML parser it loads only for frontmatter that needs it, and the
// stored facts, must give exactly what the sources give.

function runBundle(dir: string) {
  const result = spawnSync(process.execPath, [bundleEntry, '--staged', '-f', 'compact'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' },
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.status };
}

/**
 * When each stored file was last written: a partial run writes none (but the memo of its index
 * comparison, `diff-memo.ts`).
 */
const storeTimes = (dir: string): string[] => {
  const store = path.join(dir, '.git/agentops-lint');
  return readdirSync(store)
    .filter((name) => !name.endsWith('.diff'))
    .sort()
    .map((name) => `${name} ${statSync(path.join(store, name)).mtimeMs}`);
};

test('the bundled --staged run reports what the sources report, for frontmatter only the YAML parser reads', async () => {
  const dir = repository();
  const first = 'patterns/release/pat_2025-12-01_first.md';
  writeTree(dir, { [first]: pattern('pat_2025-12-01_first', 'release', '1. Plan') });
  git(dir, 'add', first);
  expect(runBundle(dir)).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  const stored = storeTimes(dir);

  // A comment and a block scalar leave the flat path; a duplicate key and broken YAML are
  // reported by the YAML parser, and an unquoted `[` is read by Claude Code's lenient retry.
  const folded = 'patterns/release/pat_2025-12-02_folded.md';
  const duplicate = 'patterns/release/pat_2025-12-03_twice.md';
  const lenient = 'patterns/release/pat_2025-12-04_lenient.md';
  const broken = 'patterns/release/pat_2025-12-05_broken.md';
  const flat = pattern('pat_2025-12-02_folded', 'release', '1. Plan');
  writeTree(dir, {
    [folded]: flat.replace(
      'validated: true\n',
      'validated: true # checked\nnotes: >\n  Two\n  lines\n',
    ),
    [duplicate]: pattern('pat_2025-12-03_twice', 'release', '1. Plan').replace(
      'executions: 10\n',
      'executions: 10\nexecutions: 12\n',
    ),
    [lenient]: pattern('pat_2025-12-04_lenient', 'release', '1. Plan').replace(
      'category: release\n',
      'category: [release\n',
    ),
    [broken]: pattern('pat_2025-12-05_broken', 'release', '1. Plan').replace(
      'validated: true\n',
      'validated: true\ntitle: "open\n',
    ),
  });
  git(dir, 'add', folded, duplicate, lenient, broken);
  const bundled = runBundle(dir);
  expect(storeTimes(dir)).toEqual(stored);
  expect(bundled).toEqual({
    stdout: [
      `${folded}:7:1-7:6 warning schema Unexpected field \`notes\`, expected a field the pattern schema defines`,
      `${duplicate}:6:1-6:2 error parse Unexpected duplicate key in frontmatter, expected each key once`,
      `${lenient}:3:11-4:2 error schema Unexpected value \`[release\` for \`/category\`, expected kebab-case`,
      `${broken}:8:1-8:2 error parse Unexpected YAML in frontmatter, expected valid YAML (Missing closing "quote)`,
      '',
    ].join('\n'),
    stderr: '',
    exitCode: 1,
  });
  // The sources store facts under another key (their own folder): a full load of theirs.
  forgetFacts(dir);
  const full = await lintStaged(dir);
  expect(full.loads).toEqual({ full: 1, partial: 0 });
  expect({ stdout: bundled.stdout, exitCode: bundled.exitCode }).toEqual({
    stdout: full.stdout,
    exitCode: full.exitCode,
  });
});
