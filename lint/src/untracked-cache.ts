import { lstatSync, readdirSync, readFileSync, rmSync, type Dirent } from 'node:fs';
import path from 'node:path';
import {
  encodeStore,
  forEachDir,
  forEachDirBelow,
  readStore,
  timeOf,
  withHeader,
  type StoreHeader,
  type UntrackedStore,
} from './untracked-store.ts';
import { settleMargin } from './store-file.ts';
import { writeQuietly } from './write-atomic.ts';

/**
 * The untracked files of a work tree without reading every folder each time, the way git's
 * untracked cache does, but kept in our own private folder (git's index and config are left
 * alone). A full listing stores the modification time of every folder git could find an untracked
 * file in, the stat of every ignore file, and when it was taken. Later, every stored folder is
 * stat'ed; only folders whose time differs, or that changed so close to when the listing was taken
 * that a coarse clock could hide a later change, are listed again by git.
 */

/** Runs git in the top folder and resolves to its standard output. */
export type GitRunner = (args: string[]) => Promise<string>;

/** A folder changed this close (ms) to when a listing was taken counts as changed again. */
const racyMargin = settleMargin;

/** More changed folders than this and one listing of the whole tree is quicker. */
const changedDirLimit = 100;

const storeName = 'untracked.store';

/** Where an earlier version kept the listing: removed when a new one is stored. */
const oldStoreName = 'untracked.json';

/** The index paths the listing was taken with, separated by NUL bytes. */
const pathsName = 'untracked.paths';

/**
 * The paths the index tracks: the checksum at the end of its file (`indexChecksum`), their digest
 * (`pathsDigest`, made only when the checksum differs from the stored one), and the paths
 * themselves when needed.
 */
export interface IndexPaths {
  checksum: string | undefined;
  digest: () => string;
  paths: () => string[];
}

const splitNul = (output: string): string[] => output.split('\0').filter((entry) => entry !== '');

const join = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`);

/** Whether `file` is `dir` or under it; `dir` `''` is the top. Makes no string: it runs per folder. */
const isWithin = (file: string, dir: string): boolean =>
  dir === '' ||
  file === dir ||
  (file.length > dir.length && file.charCodeAt(dir.length) === 47 && file.startsWith(dir));

/** `mtime size` of a file, or `-` when it is not there. */
function fileStamp(file: string): string {
  const stat = lstatSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.mtimeMs} ${stat.size}` : '-';
}

/** Modification time of a folder, or `undefined` when it is gone or no longer a folder. */
function dirTime(file: string): number | undefined {
  const stat = lstatSync(file, { throwIfNoEntry: false });
  return stat?.isDirectory() ? stat.mtimeMs : undefined;
}

/** The header of a store as read. */
const headerOf = (store: UntrackedStore): StoreHeader => ({
  version: 2,
  top: store.top,
  indexPaths: store.indexPaths,
  indexChecksum: store.indexChecksum,
  takenAt: store.takenAt,
  ignoreFiles: store.ignoreFiles,
  untracked: store.untracked,
});

/** The index paths stored with the listing, or `undefined` when there are none. */
function readPaths(file: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

/**
 * Records the folders under `start` (itself included) where git could find an untracked file,
 * with their times, and the `.gitignore` files in them. Folders git leaves out whole (`pruned`:
 * excluded ones) and nested repositories are not entered: nothing in them is ever listed.
 */
function walk(
  top: string,
  start: string,
  pruned: ReadonlySet<string>,
  dirs: Record<string, string>,
  ignoreFiles: Record<string, string>,
  read?: Dirent[],
): void {
  // A folder git leaves out whole is not entered even when listed itself (marked unchecked by a
  // scoped first listing, below).
  const stack = pruned.has(start) ? [] : [start];
  for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
    const absolute = path.join(top, dir);
    const time = dirTime(absolute);
    if (time === undefined) continue;
    // The start's entries, when the caller read them already (after the listing's time was taken:
    // a change since shows as one too close to it).
    const entries = (dir === start ? read : undefined) ?? readEntries(absolute);
    if (entries === undefined) continue;
    if (dir !== '' && entries.some((entry) => entry.name === '.git')) continue;
    dirs[dir] = String(time);
    for (const entry of entries) {
      const name = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && !pruned.has(name)) stack.push(name);
      } else if (entry.name === '.gitignore') ignoreFiles[name] = fileStamp(path.join(top, name));
    }
  }
}

/**
 * Folders git leaves out whole: in `ls-files --others --ignored --directory` output, a folder
 * listed with nothing under it (one that only holds ignored files is listed with its files).
 */
function prunedDirs(ignored: readonly string[]): Set<string> {
  const pruned = new Set<string>();
  const sorted = [...ignored].sort();
  sorted.forEach((entry, at) => {
    if (!entry.endsWith('/')) return;
    if (sorted[at + 1]?.startsWith(entry)) return;
    pruned.add(entry.slice(0, -1));
  });
  return pruned;
}

/**
 * The folders a scoped check looks at: those in `inside` (no one inside another) with everything
 * below them, and those in `above` (the folders above them, none inside them); `test` says whether
 * a folder is one. `undefined` where every folder is.
 */
type Checked =
  | {
      inside: string[];
      above: string[];
      /** Whether a folder is inside the scope (its stored time was checked). */
      test: (dir: string) => boolean;
      /** The folders of `above` and `inside` right below an `above` folder. */
      toScope: (dir: string) => string[];
    }
  | undefined;

/**
 * Which folders a `scope` checks: those inside one of its folders, or above one (a new folder on
 * the way shows as a change there). Every folder when there is no scope, or when each folder at
 * the top is inside a scope folder (then so is every folder below: one listing of the top instead
 * of a test per folder).
 */
function checkedBy(top: string, scope: readonly string[] | undefined): Checked {
  if (scope === undefined || scope.includes('')) return undefined;
  try {
    const covered = readdirSync(top, { withFileTypes: true }).every(
      (entry) =>
        !entry.isDirectory() ||
        entry.name === '.git' ||
        scope.some((folder) => isWithin(entry.name, folder)),
    );
    if (covered) return undefined;
  } catch {
    // Unreadable top: the folders are tested one by one.
  }
  const inside = [...new Set(scope)].sort();
  const outermost: string[] = [];
  for (const folder of inside) {
    const last = outermost.at(-1);
    if (last === undefined || !isWithin(folder, last)) outermost.push(folder);
  }
  const isInside = (dir: string): boolean => outermost.some((folder) => isWithin(dir, folder));
  const above = new Set(['']);
  for (const folder of outermost)
    for (let slash = folder.indexOf('/'); slash !== -1; slash = folder.indexOf('/', slash + 1))
      above.add(folder.slice(0, slash));
  const aboveOnly = [...above].filter((dir) => !isInside(dir));
  const parentOf = (dir: string): string => dir.slice(0, Math.max(0, dir.lastIndexOf('/')));
  return {
    inside: outermost,
    above: aboveOnly,
    // Folders above are looked at only for new folders on the way to the scope: one whose time
    // was too close to the last listing must be stored as changed, like any folder left unchecked.
    test: isInside,
    toScope: (dir) =>
      [...aboveOnly, ...outermost].filter((way) => way !== '' && parentOf(way) === dir),
  };
}

/** Whether `dir` (relative to the top) is there, as anything, though the store has no folder there. */
function isNew(top: string, store: UntrackedStore, dir: string): boolean {
  return (
    timeOf(store, dir) === undefined &&
    lstatSync(path.join(top, dir), { throwIfNoEntry: false }) !== undefined
  );
}

/**
 * Folders to list again: changed, racy, gone or new (new ones show as a changed parent). Only
 * the `checked` folders are looked at, found in the store without reading the others; a folder
 * above the scope only when a folder on the way from it to the scope is new.
 */
function changedDirs(top: string, store: UntrackedStore, checked: Checked): string[] | undefined {
  const racy = store.takenAt - racyMargin;
  const changed: string[] = [];
  const check = (dir: string, stored: string): void => {
    const time = dirTime(dir === '' ? top : `${top}/${dir}`);
    if (time === undefined || time >= racy || time !== Number(stored)) changed.push(dir);
  };
  if (checked === undefined) forEachDir(store, check);
  else {
    for (const dir of checked.above) {
      const stored = timeOf(store, dir);
      // A folder above the scope matters only for a new folder on the way to it: a change of its
      // own files (a note at the top of the tree, say) is left for a check that covers them.
      if (stored !== undefined && checked.toScope(dir).some((way) => isNew(top, store, way)))
        check(dir, stored);
    }
    for (const dir of checked.inside) {
      const stored = timeOf(store, dir);
      if (stored !== undefined) check(dir, stored);
    }
    for (const dir of checked.inside) forEachDirBelow(store, dir, check);
  }
  changed.sort();
  // Only the highest of nested changed folders: each listing covers everything under it.
  const roots: string[] = [];
  for (const dir of changed) {
    const last = roots.at(-1);
    if (last === undefined || !isWithin(dir, last)) roots.push(dir);
  }
  return roots.includes('') || roots.length > changedDirLimit ? undefined : roots;
}

/** Pathspecs matching everything under each folder, literally. */
const pathspecs = (dirs: readonly string[]): string[] =>
  dirs.length === 0 ? [':/'] : dirs.map((dir) => `:(top,literal)${dir}`);

/** The entries of a folder, or `undefined` when it is gone or no folder. */
function readEntries(dir: string): Dirent[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
}

async function listAndWalk(
  top: string,
  git: GitRunner,
  roots: readonly string[],
  dirs: Record<string, string>,
  ignoreFiles: Record<string, string>,
): Promise<string[]> {
  const specs = pathspecs(roots);
  // The roots' entries, read once for this test and the walk.
  const read = new Map(roots.map((root) => [root, readEntries(path.join(top, root))]));
  const holdsFolders = [...read.values()].some((entries) =>
    entries?.some((entry) => entry.isDirectory() && entry.name !== '.git'),
  );
  // The ignored folders only keep the walk out of them: folders with no folder inside (a folder of
  // pattern files, say) need no second git.
  const [untracked, ignored] = await Promise.all([
    git(['ls-files', '--others', '--exclude-standard', '--full-name', '-z', '--', ...specs]),
    roots.length > 0 && !holdsFolders
      ? ''
      : git([
          'ls-files',
          '--others',
          '--ignored',
          '--exclude-standard',
          '--directory',
          '--full-name',
          '-z',
          '--',
          ...specs,
        ]),
  ]);
  const pruned = prunedDirs(splitNul(ignored));
  for (const root of roots.length === 0 ? [''] : roots)
    walk(top, root, pruned, dirs, ignoreFiles, read.get(root));
  return splitNul(untracked);
}

/**
 * A listing of the folders `checked` looks at, where there is none to start from: the folders
 * inside the scope are listed and walked; the folders above it, and every folder beside the way to
 * it, are stored with time 0, which matches no folder, so that the first check that looks at one
 * lists it. The `.gitignore` files of the folders above count for the scope's listing.
 */
async function listScope(
  top: string,
  git: GitRunner,
  checked: NonNullable<Checked>,
  dirs: Record<string, string>,
  ignoreFiles: Record<string, string>,
): Promise<string[]> {
  const roots = checked.inside.filter((dir) => dirTime(path.join(top, dir)) !== undefined);
  const listed = roots.length === 0 ? [] : await listAndWalk(top, git, roots, dirs, ignoreFiles);
  const onTheWay = new Set([...checked.above, ...checked.inside]);
  for (const dir of checked.above) {
    const entries = readEntries(path.join(top, dir));
    if (entries === undefined) continue;
    dirs[dir] = '0';
    for (const entry of entries) {
      const name = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && !onTheWay.has(name)) dirs[name] = '0';
      } else if (entry.name === '.gitignore') ignoreFiles[name] = fileStamp(path.join(top, name));
    }
  }
  return listed;
}

/**
 * Untracked files that are not ignored, relative to the top, sorted: the same list as
 * `git ls-files --others --exclude-standard`, taken from the stored listing where no folder
 * changed since. `excludeFiles` are the absolute ignore files outside the tree (`info/exclude`,
 * `core.excludesFile`): a change to any of them, or to a `.gitignore`, lists everything again, as
 * does a change to the paths the index tracks (`indexPaths`, from `pathsDigest`).
 *
 * With `scope` (folders relative to the top), only folders inside or above them are checked:
 * untracked files elsewhere are as stored, possibly out of date. A folder left unchecked keeps its
 * stored time unless that time was too close to the old listing to prove anything: then it is
 * stored as changed, for a later check to list it again.
 */
export async function listUntrackedCached(
  top: string,
  privateDir: string,
  excludeFiles: readonly string[],
  index: IndexPaths,
  git: GitRunner,
  scope?: readonly string[],
): Promise<string[]> {
  const file = path.join(privateDir, storeName);
  const pathsFile = path.join(privateDir, pathsName);
  const store = readStore(file, top);
  const outside = Object.fromEntries(excludeFiles.map((name) => [name, fileStamp(name)]));
  const racy = store && store.takenAt - racyMargin;
  // An ignore file rewritten with the same size within a clock tick keeps its stamp: one changed
  // that close to the listing counts as changed.
  const isSettled = (stamp: string): boolean =>
    racy !== undefined && (stamp === '-' || Number(stamp.split(' ')[0]) < racy);
  const ignoreUnchanged =
    store !== undefined &&
    Object.entries(store.ignoreFiles).every(
      ([name, stamp]) =>
        isSettled(stamp) &&
        fileStamp(path.isAbsolute(name) ? name : path.join(top, name)) === stamp,
    ) &&
    excludeFiles.every((name) => store.ignoreFiles[name] === outside[name]);
  // Files that left the index since (still there, they may be untracked now); files that entered
  // it are dropped from the list below. The same index file tracks the same paths.
  const sameIndex =
    store !== undefined && index.checksum !== undefined && store.indexChecksum === index.checksum;
  let madeDigest: string | undefined;
  const digest = (): string => (madeDigest ??= index.digest());
  const indexChanged = store !== undefined && !sameIndex && store.indexPaths !== digest();
  const tracked = indexChanged || store === undefined ? new Set(index.paths()) : undefined;
  let left: string[] | undefined = [];
  if (indexChanged && tracked) {
    left = readPaths(pathsFile)?.filter((name) => !tracked.has(name));
    if (left && left.length > changedDirLimit) left = undefined;
  }
  const checked = checkedBy(top, scope);
  const roots = store && ignoreUnchanged && left ? changedDirs(top, store, checked) : undefined;
  if (store && roots?.length === 0 && !indexChanged) {
    // Another index with the same paths: its checksum is stored, to spare the digest next time.
    if (!sameIndex && index.checksum !== undefined)
      writeQuietly(file, withHeader(store, { ...headerOf(store), indexChecksum: index.checksum }));
    return store.untracked;
  }

  const takenAt = Date.now();
  const dirs: Record<string, string> = {};
  const ignoreFiles: Record<string, string> = { ...outside };
  let untracked: string[];
  if (store && roots && left) {
    const inRoot = (name: string): boolean => roots.some((root) => isWithin(name, root));
    forEachDir(store, (dir, time) => {
      if (inRoot(dir)) return;
      // Time 0 matches no folder: the next check that looks at this one lists it again.
      const seen = checked === undefined || checked.test(dir);
      dirs[dir] = seen || Number(time) < store.takenAt - racyMargin ? time : '0';
    });
    for (const [name, stamp] of Object.entries(store.ignoreFiles))
      if (!path.isAbsolute(name) && !inRoot(name)) ignoreFiles[name] = stamp;
    const [listed, leftListed] = await Promise.all([
      roots.length === 0 ? [] : listAndWalk(top, git, roots, dirs, ignoreFiles),
      left.length === 0
        ? ''
        : git([
            'ls-files',
            '--others',
            '--exclude-standard',
            '--full-name',
            '-z',
            '--',
            ...pathspecs(left),
          ]),
    ]);
    const kept = store.untracked.filter((name) => !inRoot(name) && !tracked?.has(name));
    untracked = [...kept, ...listed, ...splitNul(leftListed)];
  } else if (checked && store === undefined) {
    // No listing yet: the scope alone is listed, the rest left for a check that covers it.
    untracked = await listScope(top, git, checked, dirs, ignoreFiles);
  } else {
    untracked = await listAndWalk(top, git, [], dirs, ignoreFiles);
  }
  untracked = [...new Set(untracked)].sort();
  // A folder whose name holds a tab or a line break does not fit the stored form: such a tree is
  // listed in full each time instead.
  const names = Object.keys(dirs);
  if (names.every((dir) => !/[\t\n]/.test(dir))) {
    const header: StoreHeader = {
      version: 2,
      top,
      indexPaths: digest(),
      indexChecksum: index.checksum ?? '',
      takenAt,
      ignoreFiles,
      untracked,
    };
    if (tracked) writeQuietly(pathsFile, [...tracked].join('\0'));
    writeQuietly(file, encodeStore(header, dirs));
    try {
      rmSync(path.join(privateDir, oldStoreName), { force: true });
    } catch {
      // Left behind, it is only never read.
    }
  }
  return untracked;
}
