import { closeSync, fstatSync, readSync } from 'node:fs';
import {
  checksumHex,
  compareBytes,
  decode,
  encoder,
  indexChecksum,
  pathOf,
  stageOf,
  type IndexSnapshot,
  type SnapshotEntry,
} from './index-snapshot.ts';
import { FileWindow, memoryWindow, type ByteWindow } from './byte-window.ts';
import { memoKey, readMemo, writeMemo } from './diff-memo.ts';
import { openToRead } from './store-file.ts';

/**
 * What changed between an earlier index, as a store keeps it, and the current one. The earlier
 * index is read forward through a window rather than whole: a run compares megabytes of it with
 * the current index in a few runs of equal bytes, and the first touch of that much fresh memory
 * costs more than reading the same bytes again and again into one small buffer.
 */

/** One path that differs between two snapshots: its entry then and now (`undefined`: absent). */
export interface SnapshotChange {
  before: SnapshotEntry | undefined;
  now: SnapshotEntry | undefined;
}

/**
 * Entries compared at once while both indexes agree: a large run first, then a short one up to
 * where they differ. Few calls matter: each checks its arguments with a fresh array.
 */
const blocks = [1024, 32];

/**
 * The bytes of an earlier index: in memory, or in a store's `file` after its first line `head`
 * (line break included), which pairs it with its facts; read where needed.
 */
export type IndexBytes =
  | Pick<IndexSnapshot, 'data' | 'oidBytes'>
  | { file: string; head: string; oidBytes: number; memo?: string };

/** An earlier index stored in a file. */
type StoredIndexFile = Extract<IndexBytes, { file: string }>;

/** The bytes of an earlier index through a window, with its checksum, to close when done. */
interface StoredBytes extends ByteWindow {
  /** The checksum at the end of the index's bytes (`checksumHex`). */
  checksum: (oidBytes: number) => string | undefined;
  close: () => void;
}

/** Bytes read at once into the window, unless a range asks for more. */
const windowBytes = 1 << 18;

/** Bytes an entry takes at most in an index this reader follows without reading further. */
const entryWindow = 1 << 16;

function inMemory(data: Buffer): StoredBytes {
  return Object.assign(memoryWindow(data), {
    checksum: (oidBytes: number) => checksumHex(data.subarray(Math.max(0, data.length - oidBytes))),
    close: () => undefined,
  });
}

/**
 * A stored index's bytes through a window, from the file as it is when opened: `undefined` when
 * it is not there, or its first line is not `head` (a store written since, for other facts).
 */
function fromFile(stored: StoredIndexFile): StoredBytes | undefined {
  const fd = openToRead(stored.file);
  if (fd === undefined) return undefined;
  const head = Buffer.from(stored.head);
  const start = head.length;
  const size = fstatSync(fd).size;
  const found = Buffer.alloc(start);
  if (readSync(fd, found, 0, start, 0) !== start || !found.equals(head)) {
    closeSync(fd);
    return undefined;
  }
  const window = new FileWindow(fd, start, Math.max(0, size - start), windowBytes);
  return Object.assign(window, {
    checksum(oidBytes: number) {
      if (window.length < oidBytes || !window.cover(window.length - oidBytes, window.length))
        return undefined;
      const at = window.length - oidBytes - window.base;
      return checksumHex(window.view.subarray(at, at + oidBytes));
    },
    close: () => closeSync(fd),
  });
}

/**
 * Where the path of the entry at `offset` of a version 2 or 3 index starts and ends, and where the
 * next entry starts, or `undefined` when the bytes up to `end` are no such entry.
 */
function entryAt(
  data: Buffer,
  offset: number,
  end: number,
  oidBytes: number,
  version: number,
): { pathStart: number; pathEnd: number; next: number } | undefined {
  const fixed = 40 + oidBytes;
  if (offset + fixed + 2 > end || ((data[offset + 26] ?? 0) & 0xf0) === 0x40) return undefined;
  const flags = ((data[offset + fixed] ?? 0) << 8) | (data[offset + fixed + 1] ?? 0);
  let pathStart = offset + fixed + 2;
  if (flags & 0x4000) {
    if (version < 3) return undefined;
    pathStart += 2;
  }
  let pathEnd = pathStart + (flags & 0xfff);
  if ((flags & 0xfff) === 0xfff) while (pathEnd < end && data[pathEnd] !== 0) pathEnd++;
  if (pathEnd >= end || data[pathEnd] !== 0) return undefined;
  return { pathStart, pathEnd, next: offset + ((pathEnd - offset + 8) & ~7) };
}

function decodeAt(data: Buffer, offset: number, oidBytes: number): SnapshotEntry {
  return {
    mode: data
      .readUInt32BE(offset + 24)
      .toString(8)
      .padStart(6, '0'),
    oid: data.toString('hex', offset + 40, offset + 40 + oidBytes),
  };
}

/** Whether an earlier index's entry at `offset` and entry `j` of a snapshot have the same mode and object id. */
function sameContentsAt(
  old: Buffer,
  offset: number,
  oidBytes: number,
  now: IndexSnapshot,
  j: number,
): boolean {
  if (oidBytes !== now.oidBytes) return false;
  const { bytes } = now;
  const start = now.offsets[j] ?? 0;
  bytes.cover(start, start + 40 + oidBytes);
  const nowOffset = start - bytes.base;
  for (let k = 24; k < 28; k++) if (old[offset + k] !== bytes.view[nowOffset + k]) return false;
  for (let k = 40; k < 40 + oidBytes; k++)
    if (old[offset + k] !== bytes.view[nowOffset + k]) return false;
  return true;
}

/** How a path in an earlier index's window compares with the path of entry `j` of a snapshot. */
function comparePaths(
  data: Uint8Array,
  start: number,
  end: number,
  now: IndexSnapshot,
  j: number,
): number {
  const nowStart = now.pathStarts[j] ?? 0;
  const nowEnd = now.pathEnds[j] ?? 0;
  const { bytes } = now;
  bytes.cover(nowStart, nowEnd);
  return compareBytes(data, start, end, bytes.view, nowStart - bytes.base, nowEnd - bytes.base);
}

/**
 * The stage-0 entries under `prefix` that differ between an earlier index (its bytes, as stored)
 * and a snapshot of the current one, by path relative to `prefix`. Stops early, returning
 * `undefined`, once more than `limit` paths differ, or when the earlier bytes are no index this
 * reader knows. Runs of entries that are the same bytes in both (stat data included, as it mostly
 * is) are skipped with one comparison each, so the earlier index is decoded only where it differs.
 */
export function diffSnapshots(
  before: IndexBytes,
  now: IndexSnapshot,
  prefix: string,
  limit: number,
): Map<string, SnapshotChange> | undefined {
  let old: StoredBytes | undefined;
  try {
    old = 'data' in before ? inMemory(before.data) : fromFile(before);
    if (!old) return undefined;
    // One index, by the checksums git writes at their ends: nothing to compare.
    const sum = indexChecksum(now);
    if (sum !== undefined && sum === old.checksum(before.oidBytes)) return new Map();
    // Compared before with this index (`diff-memo.ts`): the answer is kept.
    const memo =
      'file' in before && before.memo !== undefined && sum !== undefined
        ? { file: before.memo, key: memoKey(before.head, sum, prefix, limit) }
        : undefined;
    const known = memo && readMemo(memo.file, memo.key);
    if (known) return known;
    const changes = diffFrom(old, before.oidBytes, now, prefix, limit);
    if (memo && changes) writeMemo(memo.file, memo.key, changes);
    return changes;
  } catch {
    // A store that cannot be read is one that does not fit.
    return undefined;
  } finally {
    old?.close();
  }
}

function diffFrom(
  old: StoredBytes,
  oidBytes: number,
  now: IndexSnapshot,
  prefix: string,
  limit: number,
): Map<string, SnapshotChange> | undefined {
  // Covered from its start: the window starts there.
  if (old.length < 12 + oidBytes || !old.cover(0, 12)) return undefined;
  const head = old.view;
  if (head.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = head.readUInt32BE(4);
  if (version !== 2 && version !== 3) return undefined;
  const oldCount = head.readUInt32BE(8);
  const key = encoder.encode(prefix === '' ? '' : `${prefix}/`);
  const changes = new Map<string, SnapshotChange>();
  const note = (path: string, side: keyof SnapshotChange, entry: SnapshotEntry): void => {
    const relative = path.slice(key.length === 0 ? 0 : prefix.length + 1);
    const change = changes.get(relative) ?? { before: undefined, now: undefined };
    change[side] = entry;
    changes.set(relative, change);
  };
  const under = (data: Uint8Array, start: number, end: number): boolean =>
    end - start >= key.length &&
    compareBytes(data, start, start + key.length, key, 0, key.length) === 0;
  /** Whether entry `j` of the current index lies under the prefix. */
  const nowUnder = (j: number): boolean => {
    const start = now.pathStarts[j] ?? 0;
    const end = now.pathEnds[j] ?? 0;
    now.bytes.cover(start, end);
    return under(now.bytes.view, start - now.bytes.base, end - now.bytes.base);
  };
  const count = now.offsets.length;
  const end = old.length - oidBytes;
  let at = 12;
  let i = 0;
  let j = 0;
  for (;;) {
    for (const block of blocks) {
      while (i + block <= oldCount && j + block < count) {
        const start = now.offsets[j] ?? 0;
        const length = (now.offsets[j + block] ?? 0) - start;
        if (!old.cover(at, at + length) || !now.bytes.cover(start, start + length)) break;
        const from = at - old.base;
        const to = start - now.bytes.base;
        if (old.view.compare(now.bytes.view, to, to + length, from, from + length) !== 0) break;
        at += length;
        i += block;
        j += block;
      }
    }
    const a = i < oldCount;
    const b = j < count;
    if (!a && !b) break;
    // The entry's bytes in the window, relative to it (no window is moved until `at` moves on).
    if (a && !old.cover(at, Math.min(old.length, at + entryWindow))) return undefined;
    const data = old.view;
    const from = at - old.base;
    const entry = a
      ? entryAt(data, from, Math.min(end - old.base, from + entryWindow), oidBytes, version)
      : undefined;
    if (a && !entry) return undefined;
    // Conflicted paths (stage above 0) are left out, as if they were not in the index.
    if (entry && ((data[from + 40 + oidBytes] ?? 0) >> 4) & 3) {
      at += entry.next - from;
      i++;
      continue;
    }
    if (b && stageOf(now, j) !== 0) {
      j++;
      continue;
    }
    // Below zero: the path before comes first (it is gone); above: the one now does (it is new).
    const order =
      entry && b ? comparePaths(data, entry.pathStart, entry.pathEnd, now, j) : entry ? -1 : 1;
    if (entry && order <= 0) {
      const same = order === 0 && sameContentsAt(data, from, oidBytes, now, j);
      if (!same && under(data, entry.pathStart, entry.pathEnd))
        note(
          data.toString('utf8', entry.pathStart, entry.pathEnd),
          'before',
          decodeAt(data, from, oidBytes),
        );
      at += entry.next - from;
      i++;
      if (order < 0) continue;
      if (!same && nowUnder(j)) note(pathOf(now, j), 'now', decode(now, j));
      j++;
    } else {
      if (nowUnder(j)) note(pathOf(now, j), 'now', decode(now, j));
      j++;
    }
    if (changes.size > limit) return undefined;
  }
  return changes;
}
