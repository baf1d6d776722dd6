import { spawn } from 'node:child_process';
import path from 'node:path';
import { normalizeRepoPath } from './source-key.ts';
import type { TreeFile } from './tree-source.ts';

/** The outcome of fetching one marketplace repository. */
export type FetchResult =
  | {
      ok: true;
      commit: string;
      files: Map<string, TreeFile>;
      /** `marketplace.json` files below the root, shallowest first (at most three). */
      nestedManifests: string[];
      /** Files left unread because the marketplace's read limit was reached. */
      overBudget: OverBudget | null;
    }
  | { ok: false; problem: 'dead' | 'unreachable' | 'bad-ref'; message: string };

/** Options of `fetchMarketplace`. */
export interface FetchOptions {
  /** Kill a git command that runs longer than this (ms). */
  timeoutMs?: number | undefined;
  /** Read at most this many bytes of file content (the rest reads as unreadable). */
  maxTotalBytes?: number | undefined;
}

/** Files of a marketplace past its read limit: how many and how many bytes they hold. */
export interface OverBudget {
  limit: number;
  files: number;
  bytes: number;
}

/** A file of a repository tree before it is read. */
export interface ListedFile {
  path: string;
  kind: 'file' | 'symlink';
  executable: boolean;
  /** Bytes; `undefined` when the fetch left the blob out (over 1 MiB). */
  size: number | undefined;
}

/** Which listed files to read, and why the others are not. */
export interface FileSelection<T extends ListedFile> {
  files: (T & { read: boolean; unread?: 'budget' })[];
  nestedManifests: string[];
  overBudget: OverBudget | null;
}

/** Files over this size are never read, as the fetch's blob filter leaves them out. */
export const maxFileBytes = 1024 * 1024;
/** Bytes of file content read per marketplace by default; the rest is left unread. */
export const defaultMarketplaceBytes = 32 * 1024 * 1024;
const manifestSuffix = '/.claude-plugin/marketplace.json';

interface GitRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** The environment of every git run: no prompts, no askpass programs, stable messages. */
function createGitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // A missing GitHub repository asks for credentials: fail at once instead of prompting.
    GIT_TERMINAL_PROMPT: '0',
    GIT_SSH_COMMAND: 'ssh -o BatchMode=yes -o ConnectTimeout=20',
    LC_ALL: 'C',
  };
  delete env.GIT_ASKPASS;
  delete env.SSH_ASKPASS;
  return env;
}

const gitEnv = createGitEnv();
// A user or system git config must never run anything of ours or theirs (hooks, fsmonitor, helpers).
const safeConfig = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'credential.helper=',
  '-c',
  'core.askPass=',
];

function runGit(args: string[], cwd: string, timeoutMs: number, input?: string): Promise<GitRun> {
  return new Promise((resolve) => {
    const child = spawn('git', [...safeConfig, ...args], {
      cwd,
      env: gitEnv,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) =>
      resolve({ code: -1, stdout: Buffer.alloc(0), stderr: error.message }),
    );
    child.on('close', (code, signal) =>
      resolve({
        code: signal ? -1 : code,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8') + (signal ? `\nkilled by ${signal}` : ''),
      }),
    );
    if (child.stdin) {
      // git may exit before reading everything (a failing command): that is its result, not ours.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

/** The first error line of git's stderr, without the `fatal:` prefix and local paths. */
function summarize(stderr: string, dir: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('warning:') && !line.startsWith('hint:'));
  const first =
    lines.find((line) => /^(fatal|error|remote):/.test(line)) ?? lines.at(-1) ?? 'git failed';
  return first
    .replace(/^(fatal|error):\s*/, '')
    .replaceAll(dir, '<checkout>')
    .slice(0, 500);
}

/** Classifies a failed clone: gone for good, missing ref, or (possibly) temporary. */
export function classifyCloneFailure(stderr: string): 'dead' | 'unreachable' | 'bad-ref' {
  if (/Remote branch .* not found|couldn't find remote ref/i.test(stderr)) return 'bad-ref';
  if (
    /repository .* not found|Repository not found|does not appear to be a git repository|does not exist|terminal prompts disabled|could not read Username|Authentication failed|HTTP 404|HTTP 410|returned error: 40[34]/i.test(
      stderr,
    )
  ) {
    return 'dead';
  }
  return 'unreachable';
}

/**
 * Local plugin directories a marketplace file names outside `plugins/`, and where its `./` sources
 * would be under `metadata.pluginRoot`: what the fetch must read besides `.claude-plugin/` and
 * `plugins/`. `undefined` when a plugin is the repository root (then the whole tree is read). Bad
 * JSON gives `[]`: the loader reports it.
 */
export function extraPluginDirs(marketplace: Uint8Array | undefined): string[] | undefined {
  let data: unknown;
  try {
    data = marketplace
      ? JSON.parse(
          Buffer.from(marketplace)
            .toString('utf8')
            .replace(/^\uFEFF/, ''),
        )
      : undefined;
  } catch {
    return [];
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  const record = data as Record<string, unknown>;
  const metadata = record.metadata;
  const pluginRoot =
    typeof metadata === 'object' &&
    metadata !== null &&
    'pluginRoot' in metadata &&
    typeof metadata.pluginRoot === 'string'
      ? metadata.pluginRoot
      : undefined;
  const dirs = new Set<string>();
  for (const entry of Array.isArray(record.plugins) ? (record.plugins as unknown[]) : []) {
    if (typeof entry !== 'object' || entry === null || !('source' in entry)) continue;
    const source = entry.source;
    if (typeof source !== 'string') continue;
    let written = source;
    if (!written.startsWith('./') && written !== '.') {
      if (pluginRoot === undefined) continue;
      written = `${pluginRoot}/${written}`;
    } else if (pluginRoot !== undefined) {
      // Not where the loader looks (`pluginRoot` applies only to bare names), but where the
      // linter looks when the source's own folder is missing, to name the folder meant.
      const meant = normalizeRepoPath(`${pluginRoot}/${written}`);
      if (meant !== '') addDir(dirs, meant);
    }
    const dir = normalizeRepoPath(written);
    if (dir === '') return undefined;
    addDir(dirs, dir);
  }
  return [...dirs].sort();
}

/** Adds a plugin folder to those read besides `.claude-plugin/` and `plugins/`. */
function addDir(dirs: Set<string>, dir: string): void {
  if (dir !== 'plugins' && !dir.startsWith('plugins/') && dir !== '.claude-plugin') dirs.add(dir);
}

/** One object of `git cat-file --batch` output: its bytes, or `undefined` when missing. */
function parseBatch(
  output: Buffer,
  count: number,
): { header: string; bytes: Buffer | undefined }[] {
  const objects: { header: string; bytes: Buffer | undefined }[] = [];
  let offset = 0;
  while (objects.length < count && offset < output.length) {
    const end = output.indexOf(10, offset);
    if (end === -1) break;
    const header = output.subarray(offset, end).toString('utf8');
    offset = end + 1;
    const match = /^(\S+) (\S+) (\d+)$/.exec(header);
    if (!match) {
      objects.push({ header, bytes: undefined });
      continue;
    }
    const size = Number(match[3]);
    objects.push({ header, bytes: output.subarray(offset, offset + size) });
    offset += size + 1;
  }
  return objects;
}

/** Reads objects by name (`HEAD`, `<oid>`, `HEAD:<path>`) without fetching filtered-out blobs. */
async function readObjects(
  dir: string,
  names: string[],
  timeout: number,
): Promise<{ header: string; bytes: Buffer | undefined }[] | string> {
  if (names.length === 0) return [];
  const run = await runGit(['cat-file', '--batch'], dir, timeout, `${names.join('\n')}\n`);
  if (run.code !== 0) return summarize(run.stderr, dir);
  return parseBatch(run.stdout, names.length);
}

/** Blob sizes by id (`git cat-file --batch-check`); blobs the filter left out are absent. */
async function readSizes(
  dir: string,
  oids: string[],
  timeout: number,
): Promise<Map<string, number> | string> {
  const sizes = new Map<string, number>();
  if (oids.length === 0) return sizes;
  const run = await runGit(['cat-file', '--batch-check'], dir, timeout, `${oids.join('\n')}\n`);
  if (run.code !== 0) return summarize(run.stderr, dir);
  for (const line of run.stdout.toString('utf8').split('\n')) {
    const match = /^([0-9a-f]{40,64}) blob (\d+)$/.exec(line);
    if (match?.[1]) sizes.set(match[1], Number(match[2]));
  }
  return sizes;
}

/** True when `file` is inside one of `dirs` (or everything when `dirs` is undefined). */
function isWanted(file: string, dirs: string[] | undefined): boolean {
  if (dirs === undefined) return true;
  return dirs.some((dir) => file === dir || file.startsWith(`${dir}/`));
}

/**
 * Chooses what to read of a repository tree, for a clone and a mirror alike: `.claude-plugin/`,
 * `plugins/` and the marketplace's other local plugin folders (everything when a plugin is the
 * root), in path order, until `maxTotalBytes` of content are taken; later files stay unread so a
 * hostile repository cannot exhaust memory. Also names `marketplace.json` files below the root.
 */
export function selectFiles<T extends ListedFile>(
  listed: readonly T[],
  marketplace: Uint8Array | undefined,
  maxTotalBytes: number,
): FileSelection<T> {
  const wanted = extraPluginDirs(marketplace);
  const dirs = wanted === undefined ? undefined : ['.claude-plugin', 'plugins', ...wanted];
  const files: FileSelection<T>['files'] = [];
  let total = 0;
  let overBudget: OverBudget | null = null;
  for (const entry of listed) {
    if (!isWanted(entry.path, dirs)) continue;
    const size = entry.size;
    if (size === undefined || size > maxFileBytes) {
      files.push({ ...entry, read: false });
    } else if (overBudget === null && total + size <= maxTotalBytes) {
      total += size;
      files.push({ ...entry, read: true });
    } else {
      overBudget ??= { limit: maxTotalBytes, files: 0, bytes: 0 };
      overBudget.files++;
      overBudget.bytes += size;
      files.push({ ...entry, read: false, unread: 'budget' });
    }
  }
  const nestedManifests = listed
    .map((entry) => entry.path)
    .filter((file) => file.endsWith(manifestSuffix))
    .sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, 3);
  return { files, nestedManifests, overBudget };
}

/**
 * Fetches a marketplace without a checkout: a shallow (`--depth 1`), blob-filtered
 * (`--filter=blob:limit=1m`) bare clone into `dir` (which must not exist), then reads only
 * `.claude-plugin/`, `plugins/` and the marketplace's other local plugin folders from the tree
 * (the whole tree when a plugin is the repository root): a sparse read of the commit. Returns the
 * commit and the files.
 */
export async function fetchMarketplace(
  url: string,
  ref: string | undefined,
  dir: string,
  options: FetchOptions = {},
): Promise<FetchResult> {
  const timeout = options.timeoutMs ?? 180_000;
  const clone = await runGit(
    [
      'clone',
      '--quiet',
      '--bare',
      '--depth',
      '1',
      '--filter=blob:limit=1m',
      '--no-tags',
      '--template=',
      ...(ref ? ['--branch', ref] : []),
      '--',
      url,
      dir,
    ],
    path.dirname(dir),
    timeout,
  );
  if (clone.code !== 0) {
    return {
      ok: false,
      problem: classifyCloneFailure(clone.stderr),
      message: summarize(clone.stderr, dir),
    };
  }
  // Without its remote the clone is no longer a promisor: a blob the filter left out reads as
  // missing instead of being fetched lazily (git before 2.44 has no GIT_NO_LAZY_FETCH).
  const detach = await runGit(['config', '--remove-section', 'remote.origin'], dir, timeout);
  if (detach.code !== 0)
    return { ok: false, problem: 'unreachable', message: summarize(detach.stderr, dir) };
  const head = await readObjects(dir, ['HEAD', 'HEAD:.claude-plugin/marketplace.json'], timeout);
  if (typeof head === 'string') return { ok: false, problem: 'unreachable', message: head };
  const commit = /^([0-9a-f]{40,64}) commit /.exec(head[0]?.header ?? '')?.[1];
  if (!commit)
    return {
      ok: false,
      problem: 'unreachable',
      message: 'Missing commit, expected the fetched HEAD',
    };
  const tree = await runGit(['ls-tree', '-r', '-z', '--full-tree', commit], dir, timeout);
  if (tree.code !== 0)
    return { ok: false, problem: 'unreachable', message: summarize(tree.stderr, dir) };
  const entries: { path: string; mode: string; oid: string }[] = [];
  for (const record of tree.stdout.toString('utf8').split('\0')) {
    const match = /^(\d{6}) blob ([0-9a-f]{40,64})\t(.+)$/s.exec(record);
    if (!match) continue;
    const [, mode = '', oid = '', file = ''] = match;
    entries.push({ path: file, mode, oid });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Sizes first (a blob the filter left out is `missing`), so no more than the limit is read.
  const sizes = await readSizes(dir, [...new Set(entries.map((entry) => entry.oid))], timeout);
  if (typeof sizes === 'string') return { ok: false, problem: 'unreachable', message: sizes };
  const selection = selectFiles(
    entries.map((entry) => ({
      ...entry,
      kind: entry.mode === '120000' ? ('symlink' as const) : ('file' as const),
      executable: entry.mode === '100755',
      size: sizes.get(entry.oid),
    })),
    head[1]?.bytes,
    options.maxTotalBytes ?? defaultMarketplaceBytes,
  );
  const toRead = [...new Set(selection.files.filter((f) => f.read).map((f) => f.oid))];
  const objects = await readObjects(dir, toRead, timeout);
  if (typeof objects === 'string') return { ok: false, problem: 'unreachable', message: objects };
  const blobs = new Map<string, Buffer>();
  for (const object of objects) {
    const match = /^([0-9a-f]{40,64}) blob /.exec(object.header);
    if (match?.[1] && object.bytes) blobs.set(match[1], object.bytes);
  }
  const files = new Map<string, TreeFile>();
  for (const entry of selection.files) {
    files.set(entry.path, {
      kind: entry.kind,
      executable: entry.executable,
      oid: entry.oid,
      bytes: entry.read ? blobs.get(entry.oid) : undefined,
      ...(entry.unread ? { unread: entry.unread } : {}),
    });
  }
  return {
    ok: true,
    commit,
    files,
    nestedManifests: selection.nestedManifests,
    overBudget: selection.overBudget,
  };
}
