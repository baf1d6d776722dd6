import { closeSync, fstatSync, readSync } from 'node:fs';
import path from 'node:path';
import type { IndexEntries } from './index-snapshot.ts';
import { openToRead } from './store-file.ts';
import { writeQuietly } from './write-atomic.ts';

/**
 * Where each entry of a large index starts, kept in the git folder for the next run. Entries vary
 * in length, so finding them means going through all of them: in an index of 22,000 entries
 * (3 MB), a few hundred reads and milliseconds that every file-argument run would repeat while
 * the index stays the same, where it looks up a few paths. The memo names the index by the
 * checksum git wrote at its end, its size and its entry count: it answers for those bytes only.
 */

/** `AOIE` read as a number in this machine's byte order: a memo in another order is not ours. */
const magic = 0x41_4f_49_45;
const version = 1;
/** Magic, version, entry count, index size, then the checksum (up to 32 bytes, zero-padded). */
const headerBytes = 16 + 32;

/** The memo's header for an index, as the numbers and bytes it must hold. */
function header(count: number, size: number, checksum: Buffer): Uint8Array {
  const bytes = new Uint8Array(headerBytes);
  new Uint32Array(bytes.buffer, 0, 4).set([magic, version, count, size]);
  bytes.set(checksum.subarray(0, 32), 16);
  return bytes;
}

/**
 * Whether `entries` start and end where entries of an index of `size` bytes can. Only the ends are
 * checked: the memo is ours, written whole or not at all, and named by the index's checksum; a
 * check of every entry would cost a large index what the memo spares it.
 */
function inBounds(entries: IndexEntries, size: number, oidBytes: number): boolean {
  const last = entries.offsets.length - 1;
  if (last < 0) return true;
  const stop = entries.pathEnds[last] ?? size;
  return entries.offsets[0] === 12 && stop > (entries.offsets[last] ?? 0) && stop < size - oidBytes;
}

/** The memo file of the git folder `privateDir`. */
export const entriesMemoFile = (privateDir: string): string =>
  path.join(privateDir, 'index-entries');

/**
 * The entries the memo in `file` holds for an index of `count` entries and `size` bytes whose
 * checksum is `checksum`, or `undefined` when it holds none for it (or is not ours).
 */
export function readEntriesMemo(
  file: string,
  index: { count: number; size: number; checksum: Buffer; oidBytes: number },
): IndexEntries | undefined {
  const fd = openToRead(file);
  if (fd === undefined) return undefined;
  try {
    const { count, size, checksum, oidBytes } = index;
    const bytes = headerBytes + 12 * count;
    if (fstatSync(fd).size !== bytes) return undefined;
    // One buffer of its own, so that the three lists can be views of it.
    const memory = new Uint8Array(new ArrayBuffer(bytes));
    let filled = 0;
    while (filled < bytes) {
      const read = readSync(fd, memory, filled, bytes - filled, filled);
      if (read === 0) return undefined;
      filled += read;
    }
    const expected = header(count, size, checksum);
    if (!expected.every((byte, i) => memory[i] === byte)) return undefined;
    const list = (at: number): Int32Array =>
      new Int32Array(memory.buffer, headerBytes + at * 4 * count, count);
    const entries = { offsets: list(0), pathStarts: list(1), pathEnds: list(2) };
    return inBounds(entries, size, oidBytes) ? entries : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Keeps `entries` of the index described in `file`; one that cannot be written only costs time. */
export function writeEntriesMemo(
  file: string,
  index: { size: number; checksum: Buffer },
  entries: IndexEntries,
): void {
  const { offsets, pathStarts, pathEnds } = entries;
  const count = offsets.length;
  const bytes = new Uint8Array(headerBytes + 12 * count);
  bytes.set(header(count, index.size, index.checksum));
  const lists = new Int32Array(bytes.buffer, headerBytes, 3 * count);
  lists.set(offsets, 0);
  lists.set(pathStarts, count);
  lists.set(pathEnds, 2 * count);
  writeQuietly(file, bytes);
}
