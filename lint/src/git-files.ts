import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { GitFailed, createErrorWithCause } from './errors.ts';

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', ['-c', 'core.quotepath=off', ...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    const stderr =
      typeof error === 'object' && error !== null && 'stderr' in error
        ? String(error.stderr).trim()
        : '';
    const detail =
      stderr.split('\n')[0] || (error instanceof Error ? error.message : String(error));
    throw createErrorWithCause(error, GitFailed, args.join(' '), detail);
  }
}

function splitNul(output: string): string[] {
  return output.split('\0').filter((entry) => entry !== '');
}

/** The top folder of the git work tree that holds `cwd`. */
export function gitTopLevel(cwd: string): string {
  return path.resolve(git(cwd, ['rev-parse', '--show-toplevel']).trim());
}

function absolute(top: string, files: string[]): string[] {
  return [...new Set(files)].sort().map((file) => path.join(top, file));
}

/** Files added, copied, modified or renamed in the index (what the next commit holds), absolute. */
export function listStagedFiles(cwd: string): string[] {
  const top = gitTopLevel(cwd);
  return absolute(
    top,
    splitNul(git(top, ['diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z'])),
  );
}

/**
 * Files that differ from `since` (default `HEAD`) in the work tree or the index, plus untracked
 * files that are not ignored, absolute. With `since`, commits after it count as changes too.
 */
export function listChangedFiles(cwd: string, since?: string): string[] {
  const top = gitTopLevel(cwd);
  const changed = splitNul(
    git(top, ['diff', '--name-only', '--diff-filter=ACMR', '-z', since ?? 'HEAD', '--']),
  );
  const untracked = splitNul(git(top, ['ls-files', '--others', '--exclude-standard', '-z']));
  return absolute(top, [...changed, ...untracked]);
}
