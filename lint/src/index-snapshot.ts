import { memoryWindow, type ByteWindow } from './byte-window.ts';

/**
 * Git's index (`.git/index`), read in place: per entry its mode, object id and path, found by
 * offset in the file's bytes, so that no string or object is made for an entry nobody asks about.
 * A `--staged` run stores a copy beside its facts; the next run compares it with the current
 * index byte by byte (stat data aside, so a refreshed index counts as unchanged) and decodes only
 * the entries that differ.
 *
 * Versions 2 and 3 are read directly. Anything else (version 4's compressed paths, a split or
 * sparse index) is left to `git ls-files`, whose records `snapshotFromRecords` lays out as a
 * version 2 index.
 */
export interface IndexSnapshot {
  /** The bytes of a version 2 or 3 index, read through a window (`byte-window.ts`). */
  bytes: ByteWindow;
  /** All the bytes at once: read whole on first use where they are read through a window. */
  data: Buffer;
  /** Bytes of an object id: 20 (SHA-1) or 32 (SHA-256). */
  oidBytes: number;
  /** Offset of each entry in the bytes. */
  offsets: Int32Array;
  /** Where each entry's path starts and ends in the bytes. */
  pathStarts: Int32Array;
  pathEnds: Int32Array;
  /** When the index file was last written (ms since the epoch), when read from one. */
  writtenAt?: number;
  /**
   * `indexChecksum` of it, when known before its entries are read (`index-file.ts`): `null` for
   * all zeros.
   */
  checksum?: string | null;
}

/** Where each entry of an index starts, and where its path starts and ends. */
export type IndexEntries = Pick<IndexSnapshot, 'offsets' | 'pathStarts' | 'pathEnds'>;

/** One entry of a snapshot, decoded. */
export interface SnapshotEntry {
  mode: string;
  /** Hex object id; all zeros for a file whose indexed contents are unknown. */
  oid: string;
}

/** Index extensions that change what the entries mean: a split index, a sparse one. */
const unsupportedExtensions = new Set(['link', 'sdir']);

/** UTF-8 encoder of paths, shared. */
export const encoder = new TextEncoder();

/** Bytes read ahead at once while reading every entry: a few hundred entries. */
const readAhead = 1 << 16;

/**
 * The entries of a version 2 or 3 index, read through `bytes` (`ahead` bytes past an entry's start
 * asked for at once), or `undefined` for anything this reader does not know: the caller asks git
 * then.
 */
export function indexEntries(
  bytes: ByteWindow,
  oidBytes: number,
  ahead = readAhead,
): IndexEntries | undefined {
  if (bytes.length < 12 + oidBytes || !bytes.cover(0, 12)) return undefined;
  const head = bytes.view.subarray(-bytes.base);
  if (head.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = head.readUInt32BE(4);
  if (version !== 2 && version !== 3) return undefined;
  const count = head.readUInt32BE(8);
  const end = bytes.length - oidBytes;
  const fixed = 40 + oidBytes;
  // Every entry takes more than 8 bytes: a count the bytes cannot hold is no index.
  if (count > (end - 12) / 8) return undefined;
  const offsets = new Int32Array(count);
  const pathStarts = new Int32Array(count);
  const pathEnds = new Int32Array(count);
  /** Covers the entry at `offset` up to `stop` (`<= end`), and reads ahead. */
  const cover = (offset: number, stop: number): boolean =>
    stop <= end && bytes.cover(offset, Math.max(stop, Math.min(end, offset + ahead)));
  // The window's state in locals, taken again after each `cover`: the loop runs per entry.
  let view = bytes.view;
  let base = bytes.base;
  let limit = bytes.limit;
  let offset = 12;
  for (let i = 0; i < count; i++) {
    if (offset < base || offset + fixed + 2 > limit) {
      if (!cover(offset, offset + fixed + 2)) return undefined;
      ({ view, base, limit } = bytes);
    }
    const at = offset - base;
    // A directory entry belongs to a sparse index, whose paths stand for whole trees.
    if (((view[at + 26] ?? 0) & 0xf0) === 0x40) return undefined;
    const flags = ((view[at + fixed] ?? 0) << 8) | (view[at + fixed + 1] ?? 0);
    let start = offset + fixed + 2;
    if (flags & 0x4000) {
      if (version < 3) return undefined;
      start += 2;
    }
    // The flags hold the path's length, up to 0xfff; a longer path ends at its NUL.
    let stop = start + (flags & 0xfff);
    if ((flags & 0xfff) === 0xfff) {
      for (let more = ahead; ; more *= 2) {
        const searched = Math.min(end, limit);
        const nul = start < searched ? view.subarray(start - base, searched - base).indexOf(0) : -1;
        if (nul !== -1) {
          stop = start + nul;
          break;
        }
        if (searched >= end || !cover(offset, Math.min(end, offset + more))) return undefined;
        ({ view, base, limit } = bytes);
      }
    }
    if (stop >= end) return undefined;
    if (stop >= limit) {
      if (!cover(offset, stop + 1)) return undefined;
      ({ view, base, limit } = bytes);
    }
    if (view[stop - base] !== 0) return undefined;
    offsets[i] = offset;
    pathStarts[i] = start;
    pathEnds[i] = stop;
    // Entries are padded with NULs to a multiple of eight bytes (at least one NUL).
    offset += (stop - offset + 8) & ~7;
  }
  // Extensions: a four-letter signature and a 32-bit size each, up to the trailing checksum.
  while (offset + 8 <= end) {
    if (!bytes.cover(offset, offset + 8)) return undefined;
    const at = offset - bytes.base;
    if (unsupportedExtensions.has(bytes.view.toString('latin1', at, at + 4))) return undefined;
    offset += 8 + bytes.view.readUInt32BE(at + 4);
  }
  return { offsets, pathStarts, pathEnds };
}

/**
 * The snapshot of a git index file's bytes (versions 2 and 3), or `undefined` for anything this
 * reader does not know: the caller asks git then.
 */
export function snapshotFromIndex(data: Buffer, oidBytes: number): IndexSnapshot | undefined {
  const bytes = memoryWindow(data);
  const entries = indexEntries(bytes, oidBytes);
  return entries && { bytes, data, oidBytes, ...entries };
}

/**
 * The snapshot of `git ls-files --stage -z` records (`<mode> <oid> <stage>\t<path>`), laid out as
 * a version 2 index without stat data.
 */
export function snapshotFromRecords(records: readonly string[], oidBytes: number): IndexSnapshot {
  const fixed = 40 + oidBytes;
  const entries = records.map((record) => {
    const tab = record.indexOf('\t');
    const [mode = '0', oid = '', stage = '0'] = record.slice(0, tab).split(' ');
    const path = Buffer.from(record.slice(tab + 1), 'utf8');
    const entry = Buffer.alloc((fixed + 2 + path.length + 8) & ~7);
    entry.writeUInt32BE(Number.parseInt(mode, 8), 24);
    Buffer.from(oid, 'hex').copy(entry, 40, 0, oidBytes);
    entry.writeUInt16BE(((Number(stage) & 3) << 12) | Math.min(path.length, 0xfff), fixed);
    path.copy(entry, fixed + 2);
    return entry;
  });
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(records.length, 8);
  const data = Buffer.concat([header, ...entries, Buffer.alloc(oidBytes)]);
  // Laid out here, so it always reads back.
  return snapshotFromIndex(data, oidBytes) as IndexSnapshot;
}

/** The merge stage of entry `index` (0 for a path without conflict). */
export function stageOf(snapshot: IndexSnapshot, index: number): number {
  const flags = (snapshot.offsets[index] ?? 0) + 40 + snapshot.oidBytes;
  const { bytes } = snapshot;
  bytes.cover(flags, flags + 1);
  return ((bytes.view[flags - bytes.base] ?? 0) >> 4) & 3;
}

/**
 * Covers entry `index` (its fixed part and its path) in the snapshot's window: the returned
 * position in `bytes.view` is the entry's start.
 */
function coverEntry(snapshot: IndexSnapshot, index: number): number {
  const offset = snapshot.offsets[index] ?? 0;
  const { bytes } = snapshot;
  bytes.cover(offset, (snapshot.pathEnds[index] ?? 0) + 1);
  return offset - bytes.base;
}

/** Entry `index`, decoded. */
export function decode(snapshot: IndexSnapshot, index: number): SnapshotEntry {
  const offset = coverEntry(snapshot, index);
  const data = snapshot.bytes.view;
  return {
    mode: data
      .readUInt32BE(offset + 24)
      .toString(8)
      .padStart(6, '0'),
    oid: data.toString('hex', offset + 40, offset + 40 + snapshot.oidBytes),
  };
}

/**
 * How two byte ranges compare, byte by byte (below zero: the first sorts first). A loop, not
 * `Buffer.compare`: for paths this short its call costs more than the comparison.
 */
export function compareBytes(
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
): number {
  const length = Math.min(aEnd - aStart, bEnd - bStart);
  for (let k = 0; k < length; k++) {
    const difference = (a[aStart + k] ?? 0) - (b[bStart + k] ?? 0);
    if (difference !== 0) return difference;
  }
  return aEnd - aStart - (bEnd - bStart);
}

/** How entry `index`'s path compares with `key` (below zero: it sorts first). */
function comparePath(snapshot: IndexSnapshot, index: number, key: Uint8Array): number {
  const start = snapshot.pathStarts[index] ?? 0;
  const end = snapshot.pathEnds[index] ?? 0;
  const { bytes } = snapshot;
  bytes.cover(start, end);
  return compareBytes(bytes.view, start - bytes.base, end - bytes.base, key, 0, key.length);
}

/** Whether entry `index`'s path starts with `key`. */
function startsWith(snapshot: IndexSnapshot, index: number, key: Uint8Array): boolean {
  const start = snapshot.pathStarts[index] ?? 0;
  if ((snapshot.pathEnds[index] ?? 0) - start < key.length) return false;
  const { bytes } = snapshot;
  bytes.cover(start, start + key.length);
  const at = start - bytes.base;
  for (let k = 0; k < key.length; k++) if (bytes.view[at + k] !== key[k]) return false;
  return true;
}

/** The path of entry `index`. */
export function pathOf(snapshot: IndexSnapshot, index: number): string {
  const start = snapshot.pathStarts[index] ?? 0;
  const end = snapshot.pathEnds[index] ?? 0;
  const { bytes } = snapshot;
  bytes.cover(start, end);
  return bytes.view.toString('utf8', start - bytes.base, end - bytes.base);
}

/** The first entry whose path is not below `key` in git's (byte) order. */
export function lowerBound(snapshot: IndexSnapshot, key: Uint8Array): number {
  let low = 0;
  let high = snapshot.offsets.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (comparePath(snapshot, middle, key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Calls `visit` with each stage-0 entry under `prefix` (a folder relative to the top, `''` for
 * all), its path made relative to `prefix`, in git's order.
 */
export function forEachEntry(
  snapshot: IndexSnapshot,
  prefix: string,
  visit: (path: string, entry: SnapshotEntry) => void,
): void {
  const key = encoder.encode(prefix === '' ? '' : `${prefix}/`);
  for (let i = lowerBound(snapshot, key); i < snapshot.offsets.length; i++) {
    if (!startsWith(snapshot, i, key)) break;
    if (stageOf(snapshot, i) !== 0) continue;
    visit(pathOf(snapshot, i).slice(prefix === '' ? 0 : prefix.length + 1), decode(snapshot, i));
  }
}

/** The stage-0 entry of `file` (relative to the top), if the index has one. */
export function entryOf(snapshot: IndexSnapshot, file: string): SnapshotEntry | undefined {
  const key = encoder.encode(file);
  for (let i = lowerBound(snapshot, key); i < snapshot.offsets.length; i++) {
    if (comparePath(snapshot, i, key) !== 0) return undefined;
    if (stageOf(snapshot, i) === 0) return decode(snapshot, i);
  }
  return undefined;
}

/** Whether the index has `file` (relative to the top) at any stage. */
export function hasPath(snapshot: IndexSnapshot, file: string): boolean {
  const key = encoder.encode(file);
  const i = lowerBound(snapshot, key);
  return i < snapshot.offsets.length && comparePath(snapshot, i, key) === 0;
}

/**
 * A copy of a snapshot in which the entries of `files` (relative to the top) match no contents.
 * Its checksum is all zeros when an entry changed: it no longer names the index it was copied from.
 */
export function withUnknownContents(
  snapshot: IndexSnapshot,
  files: ReadonlySet<string>,
): IndexSnapshot {
  const data = Buffer.from(snapshot.data);
  let changed = false;
  for (const file of files) {
    const key = encoder.encode(file);
    for (let i = lowerBound(snapshot, key); i < snapshot.offsets.length; i++) {
      if (comparePath(snapshot, i, key) !== 0) break;
      const offset = snapshot.offsets[i] ?? 0;
      data.fill(0, offset + 40, offset + 40 + snapshot.oidBytes);
      changed = true;
    }
  }
  if (changed) data.fill(0, data.length - snapshot.oidBytes);
  const { oidBytes, offsets, pathStarts, pathEnds, writtenAt } = snapshot;
  return {
    bytes: memoryWindow(data),
    data,
    oidBytes,
    offsets,
    pathStarts,
    pathEnds,
    ...(writtenAt === undefined ? {} : { writtenAt }),
  };
}

/**
 * A digest of the paths of every entry, in order: equal for two indexes tracking the same files.
 * The bytes of each path and a NUL after it go through two 32-bit multiplicative hashes (FNV-1a
 * and a second with another prime and seed), read in place: no copy, and no `crypto` to load.
 * Written as the entry count and both hashes in hex.
 */
export function pathsDigest(snapshot: IndexSnapshot): string {
  const { bytes, pathStarts, pathEnds } = snapshot;
  const count = pathStarts.length;
  let first = 0x811c9dc5;
  let second = 0x9747b28c;
  for (let i = 0; i < count; i++) {
    const start = pathStarts[i] ?? 0;
    const end = pathEnds[i] ?? 0;
    bytes.cover(start, end);
    const data = bytes.view;
    for (let at = start - bytes.base, stop = end - bytes.base; at < stop; at++) {
      const byte = data[at] ?? 0;
      first = Math.imul(first ^ byte, 0x01000193);
      second = Math.imul(second ^ byte, 0x5bd1e995) ^ (second >>> 15);
    }
    first = Math.imul(first, 0x01000193);
    second = Math.imul(second, 0x5bd1e995) ^ (second >>> 15);
  }
  const hex = (value: number): string => (value >>> 0).toString(16).padStart(8, '0');
  return `${count}:${hex(first)}${hex(second)}`;
}

/**
 * The checksum git writes at the end of an index file, in hex, or `undefined` when it is all
 * zeros (`index.skipHash`, or a snapshot laid out from records): two equal ones are one index.
 */
export function indexChecksum(snapshot: IndexSnapshot): string | undefined {
  if (snapshot.checksum !== undefined) return snapshot.checksum ?? undefined;
  const { bytes, oidBytes } = snapshot;
  bytes.cover(bytes.length - oidBytes, bytes.length);
  const at = bytes.length - oidBytes - bytes.base;
  return checksumHex(bytes.view.subarray(at, at + oidBytes));
}

/** The checksum bytes at the end of an index in hex, or `undefined` when they are all zeros. */
export function checksumHex(sum: Buffer): string | undefined {
  return sum.some((byte) => byte !== 0) ? sum.toString('hex') : undefined;
}

/** The paths of every entry, in order (a conflicted path once per stage). */
export function pathList(snapshot: IndexSnapshot): string[] {
  const paths: string[] = [];
  for (let i = 0; i < snapshot.offsets.length; i++) paths.push(pathOf(snapshot, i));
  return paths;
}

/** What `lstat` says of a work-tree file, as git records it in an index entry. */
export interface FileStat {
  ctimeNs: bigint;
  mtimeNs: bigint;
  ino: bigint;
  uid: bigint;
  gid: bigint;
  size: bigint;
  mode: bigint;
}

const low32 = (value: bigint): number => Number(BigInt.asUintN(32, value));

/**
 * Whether the stage-0 entry of `file` (relative to the top) records exactly this stat of a regular
 * file, the way git decides a file is unchanged without reading it: times to the nanosecond,
 * inode, owner, size, and the executable bit. A file modified no earlier than the index was written
 * could have changed within one tick of the clock: it never matches. A `false` only says that git
 * must be asked.
 */
export function statMatches(snapshot: IndexSnapshot, file: string, stat: FileStat): boolean {
  const key = encoder.encode(file);
  const i = lowerBound(snapshot, key);
  return (
    i < snapshot.offsets.length &&
    comparePath(snapshot, i, key) === 0 &&
    statMatchesAt(snapshot, i, stat)
  );
}

/** Whether entry `i` records exactly this stat of a regular file (`statMatches`). */
export function statMatchesAt(snapshot: IndexSnapshot, i: number, stat: FileStat): boolean {
  const { writtenAt } = snapshot;
  // A millisecond of margin: the index's time is a float of milliseconds, the file's nanoseconds.
  if (writtenAt === undefined || Number(stat.mtimeNs) / 1e6 >= writtenAt - 1) return false;
  if (stageOf(snapshot, i) !== 0) return false;
  const at = coverEntry(snapshot, i);
  const data = snapshot.bytes.view;
  const word = (offset: number): number => data.readUInt32BE(at + offset);
  const second = 1_000_000_000n;
  const mode = word(24);
  const executable = (Number(stat.mode) & 0o100) !== 0;
  return (
    (mode === 0o100644 || mode === 0o100755) &&
    (Number(stat.mode) & 0o170000) === 0o100000 &&
    (mode === 0o100755) === executable &&
    word(0) === low32(stat.ctimeNs / second) &&
    word(4) === low32(stat.ctimeNs % second) &&
    word(8) === low32(stat.mtimeNs / second) &&
    word(12) === low32(stat.mtimeNs % second) &&
    word(20) === low32(stat.ino) &&
    word(28) === low32(stat.uid) &&
    word(32) === low32(stat.gid) &&
    word(36) === low32(stat.size)
  );
}
