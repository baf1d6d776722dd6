import { childProcessModule } from './builtins.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The side branch learned memory is committed to. */
export const memoryRef = 'refs/heads/agentops/memory';

/** An error with a message meant for the user (exit code 1, no stack). */
export class LearnError extends Error {
  override name = 'LearnError';
}

/** Runs git and returns stdout (trimmed of the final newline). */
export function git(
  cwd: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  const result = childProcessModule().spawnSync('git', args, {
    cwd,
    input: options.input,
    env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: '0' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const message = (result.stderr || result.stdout || '').trim().split('\n')[0] ?? '';
    throw new LearnError(`git ${args[0] ?? ''} failed: ${message}`);
  }
  return result.stdout.replace(/\n$/, '');
}

/** The git directory of a work tree (handles worktrees and `.git` files). */
function gitDir(repoRoot: string): string {
  return path.resolve(repoRoot, git(repoRoot, ['rev-parse', '--git-dir']));
}

/** The operation in progress (merge, rebase, cherry-pick, revert, bisect) or `undefined`. */
export function operationInProgress(repoRoot: string): string | undefined {
  const dir = gitDir(repoRoot);
  const checks: [string, string][] = [
    ['rebase-merge', 'rebase'],
    ['rebase-apply', 'rebase'],
    ['MERGE_HEAD', 'merge'],
    ['CHERRY_PICK_HEAD', 'cherry-pick'],
    ['REVERT_HEAD', 'revert'],
    ['BISECT_LOG', 'bisect'],
  ];
  for (const [name, operation] of checks) if (fs.existsSync(path.join(dir, name))) return operation;
  return undefined;
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Options of the repo lock. */
export interface LockOptions {
  staleMs?: number;
  waitMs?: number;
}

/**
 * Takes the store lock (`mkdir`, atomic everywhere, in a folder that must exist). A lock whose
 * owner died is taken over at once: its pid is dead on this host, or it has no owner file a
 * moment after it was made (the owner died between the two steps). A lock held from another
 * host is broken only after `staleMs` (ten minutes), since its pid cannot be checked from here.
 */
export function acquireLock(lockDir: string, options: LockOptions = {}): () => void {
  const staleMs = options.staleMs ?? 10 * 60 * 1000;
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  for (let attempt = 0; ; attempt++) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(
        path.join(lockDir, 'owner.json'),
        JSON.stringify({ pid: process.pid, host: os.hostname(), at: Date.now() }),
      );
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT')
        throw new LearnError(`The folder ${path.dirname(lockDir)} does not exist`);
      if (code !== 'EEXIST') throw error;
    }
    try {
      const age = Date.now() - fs.statSync(lockDir).mtimeMs;
      let owner: { pid?: unknown; host?: unknown } | undefined;
      try {
        owner = JSON.parse(
          fs.readFileSync(path.join(lockDir, 'owner.json'), 'utf8'),
        ) as typeof owner;
      } catch {
        owner = undefined;
      }
      const local = owner?.host === os.hostname();
      const stale =
        owner === undefined
          ? age > 2000
          : local
            ? typeof owner.pid !== 'number' || !isPidAlive(owner.pid)
            : age > staleMs;
      if (stale) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
    } catch {
      continue;
    }
    if (Date.now() >= deadline)
      throw new LearnError('Another agentops-learn commit holds the store lock; try again later');
    sleep(Math.min(500, 20 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
  }
}

/** Blocks the thread for `ms` (used only between retries). */
export function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Reads a ref, or `undefined` when it does not exist. */
export function readRef(repoRoot: string, ref: string): string | undefined {
  try {
    return git(repoRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    return undefined;
  }
}

/** Lists files (path → blob id) under a folder in a commit's tree. */
export function listTree(repoRoot: string, commit: string, folder: string): Map<string, string> {
  const out = new Map<string, string>();
  const text = git(repoRoot, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', folder]);
  for (const entry of text.split('\0')) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (match) out.set(match[2]!, match[1]!);
  }
  return out;
}

/** Reads blobs' contents. */
export function readBlob(repoRoot: string, blob: string): string {
  return childProcessModule().execFileSync('git', ['cat-file', 'blob', blob], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** Writes blobs for the given contents and returns their ids, in order. */
function writeBlobs(repoRoot: string, contents: string[]): string[] {
  if (contents.length === 0) return [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-blobs-'));
  try {
    const files = contents.map((content, i) => {
      const file = path.join(dir, String(i));
      fs.writeFileSync(file, content);
      return file;
    });
    const out = git(repoRoot, ['hash-object', '-w', '--stdin-paths'], {
      input: `${files.join('\n')}\n`,
    });
    return out.split('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds a commit whose tree is `base`'s tree with the folders in `replace` replaced by `files`
 * (path → content), using a temporary index so the user's index is never touched.
 */
export function buildCommit(
  repoRoot: string,
  options: {
    parent: string | undefined;
    replace: string[];
    files: Map<string, string>;
    message: string;
  },
): string {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-index-'));
  const env = { GIT_INDEX_FILE: path.join(tempDir, 'index') };
  try {
    if (options.parent !== undefined) git(repoRoot, ['read-tree', options.parent], { env });
    else git(repoRoot, ['read-tree', '--empty'], { env });
    for (const folder of options.replace)
      git(repoRoot, ['rm', '-r', '-f', '--cached', '--quiet', '--ignore-unmatch', '--', folder], {
        env,
      });
    const paths = [...options.files.keys()].sort();
    const blobs = writeBlobs(
      repoRoot,
      paths.map((p) => options.files.get(p)!),
    );
    const info = paths.map((p, i) => `100644 ${blobs[i]!}\t${p}`).join('\n');
    if (info !== '')
      git(repoRoot, ['update-index', '--add', '--index-info'], { input: `${info}\n`, env });
    const tree = git(repoRoot, ['write-tree'], { env });
    if (options.parent !== undefined) {
      const parentTree = git(repoRoot, ['rev-parse', `${options.parent}^{tree}`]);
      if (parentTree === tree) return options.parent;
    }
    const args = ['commit-tree', tree, '-F', '-'];
    if (options.parent !== undefined) args.splice(2, 0, '-p', options.parent);
    return git(repoRoot, args, {
      input: options.message,
      env: {
        GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME ?? 'agentops-learn',
        GIT_AUTHOR_EMAIL: process.env.GIT_AUTHOR_EMAIL ?? 'agentops-learn@localhost',
        GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME ?? 'agentops-learn',
        GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL ?? 'agentops-learn@localhost',
      },
    });
  } finally {
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Moves a ref from `old` to `next` only if it still points at `old` (compare-and-swap). */
export function compareAndSwap(
  repoRoot: string,
  ref: string,
  next: string,
  old: string | undefined,
): boolean {
  try {
    git(repoRoot, [
      'update-ref',
      '-m',
      'agentops-learn: commit learned memory',
      ref,
      next,
      old ?? '0000000000000000000000000000000000000000',
    ]);
    return true;
  } catch {
    return false;
  }
}
