import type * as ChildProcess from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GitFailed, createErrorWithCause } from './errors.ts';

let loaded: typeof ChildProcess | undefined;

/**
 * Node's `child_process`, loaded on first use: most runs start no git at all, and loading it (with
 * the stream and socket modules it needs) costs a short run several milliseconds.
 */
function childProcess(): typeof ChildProcess {
  loaded ??= createRequire(import.meta.url)('node:child_process') as typeof ChildProcess;
  return loaded;
}

/** A failed git call as a `GitFailed` error: the first line git wrote to stderr, or the error. */
function gitFailure(error: unknown, stderr: string | Buffer, args: readonly string[]): Error {
  const detail =
    stderr.toString().trim().split('\n')[0] ||
    (error instanceof Error ? error.message : String(error));
  return createErrorWithCause(error, GitFailed, args.join(' '), detail);
}

/** Runs git in `cwd` without waiting for it: its stdout, or a `GitFailed` error. */
export function gitAsync(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    childProcess().execFile(
      'git',
      ['-c', 'core.quotepath=off', ...args],
      { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(gitFailure(error, stderr, args));
        else resolve(stdout);
      },
    );
  });
}

/**
 * Runs git in `cwd` and waits for it, with `input` on its stdin when given: its stdout, or a
 * `GitFailed` error.
 */
export function gitSync(cwd: string, args: readonly string[], input?: string): Buffer {
  try {
    return childProcess().execFileSync('git', ['-c', 'core.quotepath=off', ...args], {
      cwd,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      maxBuffer: 1024 * 1024 * 1024,
      ...(input === undefined ? {} : { input }),
    });
  } catch (error) {
    const stderr =
      typeof error === 'object' && error !== null && 'stderr' in error
        ? (error.stderr as string | Buffer | null)
        : null;
    throw gitFailure(error, stderr ?? '', args);
  }
}

/**
 * The git arguments that list the staged files (added, copied, modified or renamed), relative to
 * the top folder wherever git runs.
 */
export const stagedNamesArgs: readonly string[] = [
  'diff',
  '--cached',
  '--name-only',
  '--diff-filter=ACMR',
  '-z',
];

/** The git arguments that list every index entry as `<mode> <oid> <stage>\t<path>` records. */
export const indexRecordsArgs: readonly string[] = [
  'ls-files',
  '--stage',
  '--full-name',
  '-z',
  ':/',
];

/** The entries of git's `-z` output. */
export const splitNul = (output: string): string[] =>
  output.split('\0').filter((entry) => entry !== '');

/**
 * The git arguments that list the tracked files in `folders` (absolute; `undefined` for the whole
 * tree) whose work tree differs from the index, for git run in `cwd`: relative to it, so that git
 * can start before the top folder is known.
 */
export function unstagedNamesArgs(cwd: string, folders: readonly string[] | undefined): string[] {
  const specs = folders?.map((folder) => `:(literal)${path.relative(cwd, folder) || '.'}`);
  return ['diff', '--name-only', '--no-renames', '-z', '--', ...(specs ?? [':/'])];
}
