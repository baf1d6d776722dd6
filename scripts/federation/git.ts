import { spawn } from 'node:child_process';
import path from 'node:path';
import { normalizeRepoPath } from './source-key.ts';
import type { TreeFile } from './tree-source.ts';

/** The outcome of fetching one marketplace repository. */
export type FetchResult =
  | { ok: true; commit: string; files: Map<string, TreeFile> }
  | { ok: false; problem: 'dead' | 'unreachable' | 'bad-ref'; message: string };

/** Options of `fetchMarketplace`. */
export interface FetchOptions {
  /** Kill a git command that runs longer than this (ms). */
  timeoutMs?: number | undefined;
}

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
 * Local plugin directories a marketplace file names outside `plugins/`: what the fetch must read
 * besides `.claude-plugin/` and `plugins/`. `undefined` when a plugin is the repository root (then
 * the whole tree is read). Bad JSON gives `[]`: the loader reports it.
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
    }
    const dir = normalizeRepoPath(written);
    if (dir === '') return undefined;
    if (dir !== 'plugins' && !dir.startsWith('plugins/') && dir !== '.claude-plugin') dirs.add(dir);
  }
  return [...dirs].sort();
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

/** True when `file` is inside one of `dirs` (or everything when `dirs` is undefined). */
function isWanted(file: string, dirs: string[] | undefined): boolean {
  if (dirs === undefined) return true;
  return dirs.some((dir) => file === dir || file.startsWith(`${dir}/`));
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
  const wanted = extraPluginDirs(head[1]?.bytes);

  const tree = await runGit(['ls-tree', '-r', '-z', '--full-tree', commit], dir, timeout);
  if (tree.code !== 0)
    return { ok: false, problem: 'unreachable', message: summarize(tree.stderr, dir) };
  const dirs = wanted === undefined ? undefined : ['.claude-plugin', 'plugins', ...wanted];
  const listed: { path: string; mode: string; oid: string }[] = [];
  for (const record of tree.stdout.toString('utf8').split('\0')) {
    const match = /^(\d{6}) blob ([0-9a-f]{40,64})\t(.+)$/s.exec(record);
    if (!match) continue;
    const [, mode = '', oid = '', file = ''] = match;
    if (isWanted(file, dirs)) listed.push({ path: file, mode, oid });
  }
  const objects = await readObjects(dir, [...new Set(listed.map((entry) => entry.oid))], timeout);
  if (typeof objects === 'string') return { ok: false, problem: 'unreachable', message: objects };
  const blobs = new Map<string, Buffer>();
  for (const object of objects) {
    const match = /^([0-9a-f]{40,64}) blob /.exec(object.header);
    if (match?.[1] && object.bytes) blobs.set(match[1], object.bytes);
  }
  const files = new Map<string, TreeFile>();
  for (const entry of listed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    files.set(entry.path, {
      kind: entry.mode === '120000' ? 'symlink' : 'file',
      executable: entry.mode === '100755',
      oid: entry.oid,
      bytes: blobs.get(entry.oid),
    });
  }
  return { ok: true, commit, files };
}
