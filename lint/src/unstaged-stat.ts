import { lstatSync } from 'node:fs';
import path from 'node:path';
import { lowerBound, statMatchesAt, type IndexSnapshot } from './index-snapshot.ts';

/**
 * Which tracked files of a few folders differ from the index, decided in this process from their
 * stat alone where that is exact, instead of starting `git diff` (which costs more than a few
 * hundred `lstat` calls here). Git itself decides a file unchanged the same way: every stat field
 * it records matches, and the file was modified before the index was written (else it could have
 * changed within one tick of the clock). A file that is gone, or behind a folder on the way that
 * is no longer a folder, is changed, as git takes it for removed. Anything stat cannot
 * settle is left to git: a file whose stat differs (git compares its contents, and refreshes the
 * index for the next run), a symlink or submodule, a conflict, an entry git is told not to look at
 * (assumed unchanged, skipped in a sparse checkout, added with intent), or more entries than
 * `limit`.
 */

const encoder = new TextEncoder();

/** Git's object id of an empty file: an entry of size 0 for anything else was smudged by git. */
const emptyBlob = new Set([
  'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391',
  '473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813',
]);

/** The entries (first and past the last) whose path is `folder` or under it. */
function rangeOf(index: IndexSnapshot, folder: string): [number, number] {
  if (folder === '') return [0, index.offsets.length];
  // `0` follows `/` in byte order: the paths under the folder lie between the two keys.
  const start = lowerBound(index, encoder.encode(folder));
  return [start, lowerBound(index, encoder.encode(`${folder}0`))];
}

/**
 * Tracked files in `folders` (relative to the top, POSIX; `''` is the whole tree) whose work tree
 * differs from the index, relative to the top, or `undefined` when git must be asked. Files in
 * `given` are changed when their stat does not match, without asking: the run reads them from the
 * work tree anyway.
 */
export function unstagedByStat(
  top: string,
  index: IndexSnapshot,
  folders: readonly string[],
  given: ReadonlySet<string>,
  limit: number,
): string[] | undefined {
  if (index.writtenAt === undefined) return undefined;
  const ranges = folders.map((folder) => rangeOf(index, folder));
  let count = 0;
  for (const [start, end] of ranges) count += end - start;
  if (count > limit) return undefined;
  const { oidBytes } = index;
  const changed = new Set<string>();
  const folderChecked = new Map<string, boolean>();
  /** Whether every folder from the top down to `dir` is a folder (not a symlink to one). */
  const isRealFolder = (dir: string): boolean => {
    if (dir === '') return true;
    let real = folderChecked.get(dir);
    if (real === undefined) {
      let stat;
      try {
        stat = lstatSync(path.join(top, dir), { throwIfNoEntry: false });
      } catch {
        // Below a file: no folder.
      }
      real =
        stat?.isDirectory() === true &&
        isRealFolder(dir.slice(0, Math.max(0, dir.lastIndexOf('/'))));
      folderChecked.set(dir, real);
    }
    return real;
  };
  for (const [start, end] of ranges) {
    for (let i = start; i < end; i++) {
      const offset = index.offsets[i] ?? 0;
      const pathEnd = index.pathEnds[i] ?? 0;
      // The entry's fixed part and its path, in the window until `statMatches` moves it.
      const { bytes } = index;
      bytes.cover(offset, pathEnd);
      const data = bytes.view;
      const at = offset - bytes.base;
      const file = data.toString(
        'utf8',
        (index.pathStarts[i] ?? 0) - bytes.base,
        pathEnd - bytes.base,
      );
      // `folder-x` sorts between `folder` and `folder/`: in the range, not in the folder.
      if (!folders.some((dir) => dir === '' || dir === file || file.startsWith(`${dir}/`)))
        continue;
      const flags = data.readUInt16BE(at + 40 + oidBytes);
      const mode = data.readUInt32BE(at + 24);
      // A conflict, an entry assumed unchanged, or one with extended flags (skipped in a sparse
      // checkout, added with intent).
      if (flags & 0xf000 || (mode !== 0o100644 && mode !== 0o100755)) return undefined;
      let stat;
      try {
        stat = lstatSync(path.join(top, file), { bigint: true, throwIfNoEntry: false });
      } catch {
        // A folder on the way that is now a file: the file is gone.
      }
      const slash = file.lastIndexOf('/');
      // Gone, or behind a folder on the way that is no longer one (a file, a symlink): git takes
      // it for removed.
      if (stat === undefined || !isRealFolder(slash === -1 ? '' : file.slice(0, slash))) {
        changed.add(file);
        continue;
      }
      const smudged =
        data.readUInt32BE(at + 36) === 0 &&
        !emptyBlob.has(data.toString('hex', at + 40, at + 40 + oidBytes));
      if (!smudged && statMatchesAt(index, i, stat)) continue;
      if (!given.has(file)) return undefined;
      changed.add(file);
    }
  }
  return [...changed];
}
