import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import type { SymlinkInfo } from './model.ts';
import type { CatalogSource, PathType, ReadFailure, SourceEntry } from './source.ts';

function byName(a: SourceEntry, b: SourceEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : 'EUNKNOWN';
}

/**
 * The file-system source: the only code that touches the disk. It never follows a symlink out of
 * `root`, never opens anything but regular files, and reads at most the requested bytes.
 */
export function createFsSource(root: string): CatalogSource {
  const realpath = realpathSync.native;
  const absoluteRoot = path.resolve(root);
  let realRoot: string;
  try {
    realRoot = realpath(absoluteRoot);
  } catch {
    realRoot = absoluteRoot;
  }
  const links = new Map<string, SymlinkInfo>();
  // One buffer for every read (see `CatalogSource.read`): reading thousands of files then costs no
  // allocation each, which keeps the process's native memory from fragmenting.
  let scratch = Buffer.allocUnsafe(64 * 1024);
  // Paths listed through real (non-symlink) directories from the root: no realpath needed to
  // know they stay inside it.
  const plain = new Map<string, 'file' | 'dir'>([['', 'dir']]);
  // Of those, the folders listed (whose every entry is known), and the entries of such folders
  // that are neither files nor folders: a path that none of them leads to is missing, which
  // answers the checks for declared or conventional paths without asking the file system again.
  const listed = new Set<string>();
  const listedOther = new Set<string>();
  const abs = (relative: string): string => path.join(absoluteRoot, relative);
  // A path listed through real directories is made of listed names (never `.`, `..` or empty):
  // already normal, so it is joined to the root without `path.join`'s work and garbage.
  const rootPrefix = absoluteRoot.endsWith(path.sep) ? absoluteRoot : `${absoluteRoot}${path.sep}`;
  const listedAbs =
    path.sep === '/'
      ? (relative: string): string => (relative === '' ? absoluteRoot : `${rootPrefix}${relative}`)
      : abs;
  const isInside = (real: string): boolean =>
    real === realRoot || real.startsWith(realRoot + path.sep);
  const toRelative = (real: string): string =>
    path.relative(realRoot, real).split(path.sep).join('/');

  const link = (relative: string): SymlinkInfo => {
    const known = links.get(relative);
    if (known) return known;
    let target = '';
    try {
      target = readlinkSync(abs(relative));
    } catch {
      // Not a symlink: the resolution below still decides where it leads.
    }
    let info: SymlinkInfo;
    try {
      const real = realpath(abs(relative));
      info = isInside(real)
        ? { path: relative, target, resolved: toRelative(real), problem: undefined }
        : { path: relative, target, resolved: undefined, problem: 'outside-root' };
    } catch (error) {
      const code = errorCode(error);
      info = {
        path: relative,
        target,
        resolved: undefined,
        problem: code === 'ELOOP' ? 'loop' : 'dangling',
      };
    }
    links.set(relative, info);
    return info;
  };

  /** The real path of a relative path when it stays inside the root, else `undefined`. */
  const realInside = (relative: string): string | undefined => {
    if (plain.has(relative)) return abs(relative);
    try {
      const real = realpath(abs(relative));
      return isInside(real) ? real : undefined;
    } catch {
      return undefined;
    }
  };

  /**
   * Whether `relative` is a directory reached through real directories from the root, asked with
   * one `lstat` per folder not known yet (`realpath` reads a link for every folder of the whole
   * path, the root's included); the folders found become known. `false` when unsure.
   */
  const isPlainDir = (relative: string): boolean => {
    const unknown: string[] = [];
    for (let at = relative; plain.get(at) !== 'dir';) {
      const slash = at.lastIndexOf('/');
      const name = at.slice(slash + 1);
      if (plain.has(at) || slash === 0 || name === '' || name === '.' || name === '..')
        return false;
      unknown.push(at);
      at = slash === -1 ? '' : at.slice(0, slash);
    }
    for (const folder of unknown.reverse()) {
      if (!lstatSync(listedAbs(folder), { throwIfNoEntry: false })?.isDirectory()) return false;
      plain.set(folder, 'dir');
    }
    return true;
  };

  /**
   * Whether a listing already shows that `relative` does not exist: the nearest folder above it
   * that was listed has no entry leading to it. Only for paths made of plain names (a `.`, `..` or
   * empty segment could lead elsewhere) on POSIX, where listed paths are joined with `/`.
   */
  const isListedMissing = (relative: string): boolean => {
    if (path.sep !== '/') return false;
    for (let child = relative; ;) {
      const slash = child.lastIndexOf('/');
      const name = child.slice(slash + 1);
      if (slash === 0 || name === '' || name === '.' || name === '..') return false;
      const parent = slash === -1 ? '' : child.slice(0, slash);
      if (listed.has(parent)) return !plain.has(child) && !listedOther.has(child);
      if (parent === '') return false;
      child = parent;
    }
  };

  return {
    root: absoluteRoot,
    list(dir) {
      try {
        const dirents = readdirSync(plain.get(dir) === 'dir' ? listedAbs(dir) : abs(dir), {
          withFileTypes: true,
        });
        const entries: SourceEntry[] = [];
        // Node lists names in byte order, which is ours but for characters past U+FFFF.
        let sorted = true;
        for (const entry of dirents) {
          const { name } = entry;
          const type = entry.isSymbolicLink()
            ? 'symlink'
            : entry.isDirectory()
              ? 'dir'
              : entry.isFile()
                ? 'file'
                : 'other';
          const previous = entries.at(-1);
          if (previous && previous.name >= name) sorted = false;
          entries.push({ name, type });
        }
        if (!sorted) entries.sort(byName);
        if (!plain.has(dir) && !isPlainDir(dir)) {
          try {
            if (realpath(abs(dir)) === path.join(realRoot, dir)) plain.set(dir, 'dir');
          } catch {
            // Listed above, so it exists; a race leaves it out of the fast path.
          }
        }
        if (plain.has(dir)) {
          for (const entry of entries) {
            const entryPath = dir === '' ? entry.name : `${dir}/${entry.name}`;
            if (entry.type === 'file' || entry.type === 'dir') plain.set(entryPath, entry.type);
            else listedOther.add(entryPath);
          }
          listed.add(dir);
        }
        return entries;
      } catch {
        return [];
      }
    },
    type(relative): PathType {
      const known = plain.get(relative);
      if (known) return known;
      if (isListedMissing(relative)) return 'missing';
      try {
        // A missing path is common (declared component paths are checked this way): answered
        // without an exception.
        const stat = lstatSync(abs(relative), { throwIfNoEntry: false });
        if (!stat) return 'missing';
        if (stat.isSymbolicLink()) {
          const real = realInside(relative);
          if (!real) return 'missing';
          const target = statSync(real);
          return target.isDirectory() ? 'dir' : target.isFile() ? 'file' : 'other';
        }
        const type = stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
        // A file or folder with a plain name in a folder reached through real folders is reached
        // that way too: known from now on, as if its folder had been listed.
        const slash = relative.lastIndexOf('/');
        const name = relative.slice(slash + 1);
        if (
          type !== 'other' &&
          path.sep === '/' &&
          slash !== 0 &&
          name !== '' &&
          name !== '.' &&
          name !== '..' &&
          isPlainDir(slash === -1 ? '' : relative.slice(0, slash))
        )
          plain.set(relative, type);
        return type;
      } catch {
        return 'missing';
      }
    },
    link,
    read(relative, maxBytes): Uint8Array | ReadFailure {
      // Listed as a regular file through real directories: no realpath needed, and no `fstat`.
      const listedFile = plain.get(relative) === 'file';
      const real = listedFile ? listedAbs(relative) : realInside(relative);
      if (!real) return { problem: 'outside-root' };
      let fd: number | undefined;
      try {
        // Non-blocking open, then only regular files: a FIFO or device named `*.md` must never
        // block or stream forever.
        fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
        if (!listedFile) {
          const stat = fstatSync(fd);
          if (!stat.isFile()) return { problem: 'unreadable', reason: 'not a regular file' };
          if (stat.size > maxBytes) return { problem: 'too-large', size: stat.size };
        }
        // Reads until a short read (the end of a regular file) or one byte past `maxBytes`; a
        // file replaced by something else since it was listed is still read no further.
        let offset = 0;
        for (;;) {
          if (offset === scratch.length) {
            const grown = Buffer.allocUnsafe(scratch.length * 2);
            scratch.copy(grown, 0, 0, offset);
            scratch = grown;
          }
          const wanted = Math.min(scratch.length, maxBytes + 1) - offset;
          const count = readSync(fd, scratch, offset, wanted, offset);
          offset += count;
          if (count < wanted || offset > maxBytes) break;
        }
        if (offset > maxBytes) return { problem: 'too-large', size: fstatSync(fd).size };
        return scratch.subarray(0, offset);
      } catch (error) {
        // Only system errors (with a code) are about the file; anything else is a bug.
        if (!(error instanceof Error && 'code' in error)) throw error;
        return { problem: 'unreadable', reason: errorCode(error) };
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    },
  };
}
