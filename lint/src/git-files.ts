import path from 'node:path';
import { defaultExcludeFile, findGitPaths, type GitPaths } from './git-dir.ts';
import {
  gitAsync,
  gitSync,
  indexRecordsArgs,
  splitNul,
  stagedNamesArgs,
  unstagedNamesArgs,
} from './git-run.ts';
import { openIndexFile } from './index-file.ts';
import { listUntrackedCached } from './untracked-cache.ts';
import { unstagedByStat } from './unstaged-stat.ts';
import { patternProviders } from './pattern-scope.ts';
import { watchedScope, type PatternProviders } from './work-tree-scope.ts';
import {
  indexChecksum,
  pathList,
  pathsDigest,
  snapshotFromRecords,
  type IndexSnapshot,
} from './index-snapshot.ts';

const gitText = (cwd: string, args: string[]): string => gitSync(cwd, args).toString('utf8');

/** The top folder of the git work tree that holds `cwd`. */
function gitTopLevel(cwd: string): string {
  return path.resolve(gitText(cwd, ['rev-parse', '--show-toplevel']).trim());
}

function absolute(top: string, files: string[]): string[] {
  return [...new Set(files)].sort().map((file) => path.join(top, file));
}

/** The staged files of a work tree, with its index and where it keeps private files. */
export interface StagedState {
  /** The top folder of the work tree. */
  top: string;
  /** An absolute path inside the git directory that tools may use (`.git/agentops-lint`). */
  privateDir: string;
  /** Files added, copied, modified or renamed in the index (what the next commit holds), absolute. */
  files: string[];
  /** The index, paths relative to `top`. */
  index: IndexSnapshot;
}

/** Where git keeps the work tree's files: found directly where the layout allows, else from git. */
function readGitPaths(cwd: string, found = findGitPaths(cwd)): Promise<GitPaths> {
  if (found) return Promise.resolve(found);
  return gitAsync(cwd, [
    'rev-parse',
    '--show-toplevel',
    '--git-path',
    'agentops-lint',
    // Honours GIT_INDEX_FILE, as a hook running during `git commit` may set it.
    '--git-path',
    'index',
    '--git-path',
    'info/exclude',
    '--show-object-format',
  ]).then((output) => {
    const [top = '', privateDir = '', indexFile = '', excludeFile = '', format = ''] = output
      .trim()
      .split('\n');
    const topLevel = path.resolve(cwd, top);
    return {
      top: topLevel,
      privateDir: path.resolve(cwd, privateDir),
      indexFile: path.resolve(cwd, indexFile),
      excludeFile: path.resolve(cwd, excludeFile),
      oidBytes: format === 'sha256' ? 32 : 20,
    };
  });
}

/**
 * The index, from its file (`openIndexFile`, where its entries are remembered unless `remember` is
 * false), or from git when there is none yet (a fresh repository) or it has a form the reader does
 * not know.
 */
async function readIndex(cwd: string, paths: GitPaths, remember = true): Promise<IndexSnapshot> {
  const index = openIndexFile(paths, { remember });
  if (index) return index;
  const records = await gitAsync(cwd, indexRecordsArgs);
  return snapshotFromRecords(splitNul(records), paths.oidBytes);
}

/**
 * Reads the staged files and the index of the work tree holding `cwd`; `names`, when given, is the
 * output of `git` with `stagedNamesArgs` already started there.
 */
export async function readStagedState(
  cwd: string,
  names: Promise<string> = gitAsync(cwd, stagedNamesArgs),
): Promise<StagedState> {
  // The index is read while git lists the staged files.
  const gitPaths = readGitPaths(cwd);
  const index = gitPaths.then((paths) => readIndex(cwd, paths, false));
  const [paths, listed, snapshot] = await Promise.all([gitPaths, names, index]);
  return {
    top: paths.top,
    privateDir: paths.privateDir,
    files: absolute(paths.top, splitNul(listed)),
    index: snapshot,
  };
}

/** The work tree of file arguments: its index, its untracked files, and what to read from it. */
export interface WorkTreeState {
  top: string;
  privateDir: string;
  index: IndexSnapshot;
  /** Untracked files that are not ignored, relative to `top`, sorted. */
  untracked: string[];
  /** Tracked files that differ from the index, and untracked ones, absolute. */
  changed: string[];
}

/** The user's own ignore file (`core.excludesFile`, or git's default place for it), absolute. */
function globalExcludeFile(cwd: string, paths: GitPaths): Promise<string> {
  const unset = defaultExcludeFile(paths);
  if (unset !== undefined) return Promise.resolve(unset);
  const fallback = (): string => {
    const config =
      process.env['XDG_CONFIG_HOME'] || path.join(process.env['HOME'] ?? '', '.config');
    return path.join(config, 'git', 'ignore');
  };
  return gitAsync(cwd, ['config', '--path', '--get', 'core.excludesFile']).then(
    (output) => (output.trim() === '' ? fallback() : path.resolve(cwd, output.trim())),
    // Exit code 1: not set.
    () => fallback(),
  );
}

/**
 * Untracked files that are not ignored, relative to the top, sorted: from the listing stored in
 * the git directory, with only the folders changed since listed again.
 */
async function listUntracked(
  cwd: string,
  gitPaths: Promise<GitPaths>,
  index: Promise<IndexSnapshot>,
  folders: readonly string[] | undefined,
): Promise<string[]> {
  const [paths, globalExclude, snapshot] = await Promise.all([
    gitPaths,
    gitPaths.then((found) => globalExcludeFile(cwd, found)),
    index,
  ]);
  return listUntrackedCached(
    paths.top,
    paths.privateDir,
    [paths.excludeFile, globalExclude],
    {
      checksum: indexChecksum(snapshot),
      digest: () => pathsDigest(snapshot),
      paths: () => pathList(snapshot),
    },
    (args) => gitAsync(paths.top, args),
    scopeInTree(paths.top, folders),
  );
}

/**
 * Watched entries up to which the tracked files are compared with the index here, from their stat
 * (`unstaged-stat.ts`); more, and one `git diff` is quicker.
 */
const statLimit = 1000;

/** `file` (absolute) relative to the top, with `/` between folders. */
const toTop = (top: string, file: string): string =>
  path.relative(top, file).split(path.sep).join('/');

/**
 * Folders relative to the top, or `undefined` (everything) when one is not inside the tree as git
 * sees it (given through a symlink, say): a scope that misses the files cannot be trusted.
 */
function scopeInTree(top: string, folders: readonly string[] | undefined): string[] | undefined {
  const relative = folders?.map((folder) => path.relative(top, folder).split(path.sep).join('/'));
  return relative?.every(
    (folder) => folder !== '..' && !folder.startsWith('../') && !path.isAbsolute(folder),
  )
    ? relative
    : undefined;
}

/** The values of settled promises, or the first reason one was rejected with. */
function settledAll<T extends readonly unknown[]>(results: {
  [K in keyof T]: PromiseSettledResult<T[K]>;
}): T {
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** A `git diff` of some folders (`unstagedNamesArgs`), started early by the caller. */
export interface EarlyDiff {
  /** The folders, absolute, in `watchedScope`'s order. */
  folders: readonly string[];
  names: Promise<string[]>;
}

/** What a caller found or started before `readWorkTreeState`. */
export interface WorkTreeHeadStart {
  /** `findGitPaths(cwd)`, when it found them. */
  found?: GitPaths;
  /** Taken for the folders checked first when they are exactly its folders. */
  diff?: EarlyDiff;
}

/** Whether two lists hold the same folders in the same order. */
const sameFolders = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((folder, i) => folder === b[i]);

/**
 * The index and work-tree changes of the git work tree holding `cwd`, or `undefined` outside one.
 * Given the files (absolute) a run lints, only the folders whose changes can reach their messages
 * are checked (`watchedFolders`): `changed` and `untracked` may miss changes anywhere else.
 */
export async function readWorkTreeState(
  cwd: string,
  files: readonly string[] = [],
  headStart: WorkTreeHeadStart = {},
): Promise<WorkTreeState | undefined> {
  try {
    const found = headStart.found ?? findGitPaths(cwd);
    const { diff: startedDiff } = headStart;
    // Opened now, its entries read only when something asks for them (`index-file.ts`): an index
    // that is the one the stored facts were taken with is known by its checksum alone.
    let early: IndexSnapshot | undefined;
    const providers: PatternProviders | undefined =
      found &&
      ((root, file) => {
        early ??= openIndexFile(found);
        return early && patternProviders(found, early, root, file);
      });
    const scope = watchedScope(
      files,
      providers,
      found && path.join(found.privateDir, 'marketplace-entries.json'),
    );
    // A file given alone is read from the work tree whatever its state: no need to ask about it.
    const given = new Set(
      found && files.length === 1 ? files.map((file) => toTop(found.top, file)) : [],
    );
    const unstagedIn = (folders: readonly string[] | undefined): Promise<string[]> => {
      // The same `git diff` as below, already under way.
      if (startedDiff && folders && sameFolders(folders, startedDiff.folders))
        return startedDiff.names;
      const inTree = found && scopeInTree(found.top, folders);
      if (found && inTree) early ??= openIndexFile(found);
      const byStat = inTree && early && unstagedByStat(found.top, early, inTree, given, statLimit);
      if (byStat) return Promise.resolve(byStat);
      return gitAsync(cwd, unstagedNamesArgs(cwd, folders)).then(splitNul);
    };
    // The folders known at once first: `git diff`, when they hold many files, starts before the
    // plugins a pattern needs are looked up; those are checked after.
    const { first } = scope;
    const unstagedFirst = unstagedIn(first);
    // Awaited below; handled here too, should what comes before that throw.
    unstagedFirst.catch(() => undefined);
    const folders = scope.all();
    const rest = first && folders?.filter((folder) => !first.some((dir) => isInside(folder, dir)));
    const diff = Promise.all([unstagedFirst, rest?.length ? unstagedIn(rest) : []]);
    const gitPaths = readGitPaths(cwd, found);
    const index = early ? Promise.resolve(early) : gitPaths.then((paths) => readIndex(cwd, paths));
    // Settled one and all before any failure counts: a listing still under way when the run
    // ends would write the stored listing afterwards, into a tree the caller may have removed.
    const [paths, unstaged, others] = settledAll(
      await Promise.allSettled([gitPaths, diff, listUntracked(cwd, gitPaths, index, folders)]),
    );
    return {
      top: paths.top,
      privateDir: paths.privateDir,
      index: await index,
      untracked: others,
      changed: absolute(paths.top, [...unstaged.flat(), ...others]),
    };
  } catch {
    return undefined;
  }
}

/** Whether `folder` (absolute) is `dir` or inside it. */
const isInside = (folder: string, dir: string): boolean =>
  folder === dir || folder.startsWith(`${dir}${path.sep}`);

/** Tracked files under `dir` whose work-tree state differs from the index, relative to `dir`. */
export function listUnstaged(top: string, dir: string): string[] {
  const prefix = path.relative(top, dir).split(path.sep).join('/');
  const skip = prefix === '' ? 0 : prefix.length + 1;
  return splitNul(
    gitText(top, ['diff', '--name-only', '--no-renames', '-z', '--', prefix === '' ? '.' : prefix]),
  ).map((file) => file.slice(skip));
}

/**
 * Those of `files` (relative to `top`) whose work-tree state differs from the index, as `git diff`
 * decides (reading them where their stat does not settle it).
 */
export function unstagedAmong(top: string, files: readonly string[]): string[] {
  if (files.length === 0) return [];
  // Many paths would overflow the command line: the whole tree then, filtered.
  const specs = files.length > 256 ? [':/'] : files.map((file) => `:(top,literal)${file}`);
  const wanted = new Set(files);
  return splitNul(
    gitText(top, ['diff', '--name-only', '--no-renames', '-z', '--', ...specs]),
  ).filter((file) => wanted.has(file));
}

/** The contents of blobs by object id (`git cat-file --batch`). */
export function readBlobs(top: string, oids: readonly string[]): Map<string, Uint8Array> {
  const blobs = new Map<string, Uint8Array>();
  if (oids.length === 0) return blobs;
  const output = gitSync(top, ['cat-file', '--batch'], `${[...new Set(oids)].join('\n')}\n`);
  let offset = 0;
  while (offset < output.length) {
    const newline = output.indexOf(10, offset);
    if (newline === -1) break;
    const [oid = '', type = '', size = ''] = output.toString('utf8', offset, newline).split(' ');
    offset = newline + 1;
    if (type !== 'blob') continue;
    const length = Number(size);
    blobs.set(oid, new Uint8Array(output.subarray(offset, offset + length)));
    offset += length + 1;
  }
  return blobs;
}

/**
 * Files that differ from `since` (default `HEAD`) in the work tree or the index, plus untracked
 * files that are not ignored, absolute. With `since`, commits after it count as changes too.
 */
export function listChangedFiles(cwd: string, since?: string): string[] {
  const top = gitTopLevel(cwd);
  const changed = splitNul(
    gitText(top, ['diff', '--name-only', '--diff-filter=ACMR', '-z', since ?? 'HEAD', '--']),
  );
  const untracked = splitNul(gitText(top, ['ls-files', '--others', '--exclude-standard', '-z']));
  return absolute(top, [...changed, ...untracked]);
}
