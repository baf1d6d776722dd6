import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { parseCliArgs } from '../../src/cli-options.ts';
import type { GitPrefetch } from '../../src/git-prefetch.ts';
import { runLint } from '../../src/run.ts';
import { git } from './git.ts';
import { tempDir, writeTree } from './tree.ts';

/** The small, fully valid catalog the staged tests start from. */
export const catalogFixture = path.resolve(import.meta.dirname, '../fixtures/_catalog');

/** The fixture catalog, committed in a fresh repository. */
export function repository(): string {
  const dir = tempDir('agentops-lint-staged-');
  cpSync(catalogFixture, dir, { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'catalog');
  return dir;
}

/** The fixture repository after one staged run (a full load, which stores the facts) and a commit. */
export async function primed(): Promise<string> {
  const dir = repository();
  writeTree(dir, { 'NOTES.md': '# Notes\n' });
  git(dir, 'add', 'NOTES.md');
  expect(await lintStaged(dir)).toEqual({
    stdout: '',
    exitCode: 0,
    loads: { full: 1, partial: 0 },
  });
  git(dir, 'commit', '-q', '-m', 'notes');
  return dir;
}

/** `agentops-lint --staged -f compact` in `dir`: its report, exit code and loads. */
export async function lintStaged(dir: string, extra: string[] = []) {
  const output = await runLint(parseCliArgs(['--staged', '-f', 'compact', ...extra]), {
    cwd: dir,
    readStdin: () => Promise.resolve(''),
    color: false,
  });
  return { stdout: output.stdout, exitCode: output.exitCode, loads: output.loads };
}

/**
 * `agentops-lint -f compact <files>` in `dir`: its report, exit code and loads; `git` is the
 * run's early git reads (`prefetchGit`), when a test starts them itself.
 */
export async function lintFiles(dir: string, files: string[], early?: GitPrefetch) {
  const output = await runLint(parseCliArgs(['-f', 'compact', ...files]), {
    cwd: dir,
    ...(early ? { git: early } : {}),
    readStdin: () => Promise.resolve(''),
    color: false,
  });
  return { stdout: output.stdout, exitCode: output.exitCode, loads: output.loads };
}

/** The same files linted in a copy of the work tree without git: a full load from disk. */
export async function withoutGit(dir: string, files: string[]) {
  const copy = tempDir('agentops-lint-files-');
  cpSync(dir, copy, { recursive: true, filter: (file) => !file.includes(`${path.sep}.git`) });
  const { stdout, exitCode } = await lintFiles(copy, files);
  return { stdout, exitCode };
}

/** Removes the stored facts, so that the next staged run loads in full. */
export const forgetFacts = (dir: string): void =>
  rmSync(path.join(dir, '.git/agentops-lint'), { recursive: true, force: true });

/** Lints what is staged with the stored facts, and again after a full load; both must agree. */
export async function partialAndFull(dir: string) {
  const partial = await lintStaged(dir);
  forgetFacts(dir);
  const full = await lintStaged(dir);
  expect(full.loads).toEqual({ full: 1, partial: 0 });
  expect({ stdout: partial.stdout, exitCode: partial.exitCode }).toEqual({
    stdout: full.stdout,
    exitCode: full.exitCode,
  });
  return partial;
}

/** A pattern file's text with this id, category and `## Workflow` list. */
export const pattern = (id: string, category: string, workflow: string): string =>
  [
    '---',
    `pattern_id: ${id}`,
    `category: ${category}`,
    'success_rate: 0.9',
    'executions: 10',
    'validated: true',
    '---',
    '',
    '# Pattern: Example',
    '',
    '## Workflow',
    workflow,
    '',
    '## Optimizations',
    '- Checkpoint: after tests',
    '',
    '## Metrics',
    '- Duration: ~10min',
    '',
  ].join('\n');
