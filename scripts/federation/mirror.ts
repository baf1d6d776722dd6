import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { type FetchResult, selectFiles } from './git.ts';
import { readTextFile } from './files.ts';
import { idRe, shorthandRe } from './list.ts';
import type { TreeFile } from './tree-source.ts';

/**
 * A mirror is a folder of plain repository trees standing in for GitHub (no network): one
 * folder per repository, named `<owner>__<repo>`, and `SOURCES.tsv` naming the commit each tree
 * was taken from. `README.md` (a `Captured:` line) or `CAPTURED` says when it was taken.
 */
export interface MirrorSource {
  /** Folder name, also the marketplace id. */
  id: string;
  /** `owner/repo` on GitHub. */
  repo: string;
  /** The commit the tree was taken from. */
  commit: string;
  /** The branch `HEAD` pointed to. */
  defaultBranch: string;
}

/** The rows of a mirror's `SOURCES.tsv`, and one message per row that could not be used. */
export interface MirrorSources {
  sources: Map<string, MirrorSource>;
  errors: string[];
}

const commitRe = /^[0-9a-f]{40}$/;
const capturedRe = /Captured:\**\s*(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)Z?)?/;

/** Reads `<mirror>/SOURCES.tsv` (tab-separated, header row with `id`, `repo`, `commit`). */
export function readMirrorSources(mirror: string): MirrorSources {
  const text = readTextFile(path.join(mirror, 'SOURCES.tsv'));
  if (text === undefined) {
    return { sources: new Map(), errors: ['Missing `SOURCES.tsv`, expected one row per tree'] };
  }
  const [header = '', ...rows] = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const columns = header.split('\t');
  const at = (name: string): number => columns.indexOf(name);
  const [idAt, repoAt, commitAt, branchAt] = [
    at('id'),
    at('repo'),
    at('commit'),
    at('default_branch'),
  ];
  if (idAt === -1 || repoAt === -1 || commitAt === -1) {
    return {
      sources: new Map(),
      errors: ['Unexpected `SOURCES.tsv` header, expected the columns `id`, `repo` and `commit`'],
    };
  }
  const sources = new Map<string, MirrorSource>();
  const errors: string[] = [];
  rows.forEach((row, index) => {
    if (row.trim() === '') return;
    const cells = row.split('\t');
    const [id = '', repo = '', commit = ''] = [cells[idAt], cells[repoAt], cells[commitAt]];
    const line = `\`SOURCES.tsv\` line ${index + 2}`;
    if (!idRe.test(id) || !shorthandRe.test(repo) || !commitRe.test(commit)) {
      errors.push(`Unexpected ${line}, expected an id, \`owner/repo\` and a 40-hex commit`);
    } else if (sources.has(id)) {
      errors.push(`Unexpected duplicate id \`${id}\` at ${line}, expected unique ids`);
    } else {
      sources.set(id, { id, repo, commit, defaultBranch: cells[branchAt] ?? '' });
    }
  });
  return { sources, errors };
}

/**
 * When the mirror was captured, as an ISO time: the `Captured:` line of its `README.md`, else
 * the first line of a `CAPTURED` file. `undefined` when neither says.
 */
export function readMirrorCapturedAt(mirror: string): string | undefined {
  for (const name of ['README.md', 'CAPTURED']) {
    const text = readTextFile(path.join(mirror, name));
    if (text === undefined) continue;
    const match = capturedRe.exec(name === 'CAPTURED' ? `Captured: ${text.trim()}` : text);
    if (!match) continue;
    const time = match[2] === undefined ? '00:00:00' : match[2].padEnd(8, ':00');
    const date = new Date(`${match[1]}T${time}Z`);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  return undefined;
}

/** The git blob id of `bytes`, so mirrored files hash like fetched ones. */
function blobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Every file and symlink under `dir`, relative and sorted; nothing behind a symlink is walked. */
function walk(dir: string): { path: string; kind: 'file' | 'symlink'; executable: boolean }[] {
  const found: { path: string; kind: 'file' | 'symlink'; executable: boolean }[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, full).split(path.sep).join('/');
    if (relative.split('/').includes('.git')) continue;
    if (entry.isSymbolicLink()) found.push({ path: relative, kind: 'symlink', executable: false });
    else if (entry.isFile())
      found.push({
        path: relative,
        kind: 'file',
        executable: (lstatSync(full).mode & 0o111) !== 0,
      });
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Reads one marketplace from a mirror the way `fetchMarketplace` reads a clone: the same files
 * (`.claude-plugin/`, `plugins/` and the other local plugin folders the marketplace names), the
 * same 1 MiB per-file and per-marketplace limits, pinned to the commit `SOURCES.tsv` records.
 */
export function readMirrorTree(
  mirror: string,
  source: MirrorSource,
  maxTotalBytes: number,
): FetchResult {
  const dir = path.join(mirror, source.id);
  let listed: ReturnType<typeof walk>;
  try {
    if (!lstatSync(dir).isDirectory()) throw new Error('not a directory');
    listed = walk(dir);
  } catch {
    return {
      ok: false,
      problem: 'unreachable',
      message: `Missing folder \`${source.id}\` in the mirror, expected the tree of ${source.repo}`,
    };
  }
  const readBytes = (file: string): Uint8Array | undefined => {
    try {
      return readFileSync(path.join(dir, file));
    } catch {
      return undefined;
    }
  };
  const selection = selectFiles(
    listed.map((entry) => ({ ...entry, size: sizeOf(dir, entry) })),
    readBytes('.claude-plugin/marketplace.json'),
    maxTotalBytes,
  );
  const files = new Map<string, TreeFile>();
  for (const entry of selection.files) {
    const bytes = entry.read
      ? entry.kind === 'symlink'
        ? Buffer.from(readlinkSync(path.join(dir, entry.path)))
        : readBytes(entry.path)
      : undefined;
    files.set(entry.path, {
      kind: entry.kind,
      executable: entry.executable,
      // A file left unread is still named by its path, so two unread files never hash alike.
      oid: bytes ? blobId(bytes) : blobId(Buffer.from(entry.path)),
      bytes,
      ...(entry.unread ? { unread: entry.unread } : {}),
    });
  }
  return {
    ok: true,
    commit: source.commit,
    files,
    nestedManifests: selection.nestedManifests,
    overBudget: selection.overBudget,
  };
}

function sizeOf(dir: string, entry: { path: string; kind: 'file' | 'symlink' }): number {
  try {
    return entry.kind === 'symlink' ? 0 : lstatSync(path.join(dir, entry.path)).size;
  } catch {
    return 0;
  }
}
