import { closeSync, fstatSync, readSync } from 'node:fs';
import { FileWindow, type ByteWindow } from './byte-window.ts';
import type { GitPaths } from './git-dir.ts';
import { gitSync, indexRecordsArgs, splitNul } from './git-run.ts';
import { entriesMemoFile, readEntriesMemo, writeEntriesMemo } from './index-entries-memo.ts';
import { closeWhenUnreachable, openToRead } from './store-file.ts';
import {
  checksumHex,
  indexEntries,
  snapshotFromRecords,
  type IndexEntries,
  type IndexSnapshot,
} from './index-snapshot.ts';

/**
 * An index file opened but not yet read: its checksum (the bytes git writes at its end) is known
 * at once, its entries only when asked for, and then read through a window (`byte-window.ts`), not
 * into one buffer of its size. A run whose index is the one its stored facts were taken with
 * learns that from the checksums alone, and never reads the megabytes of a large index.
 *
 * The file stays open while the snapshot is in use: git replaces an index whole (a new file
 * renamed over it), so the bytes read later are those of the file as it was opened, the
 * checksum's.
 */
class IndexFile implements IndexSnapshot {
  readonly oidBytes: number;
  readonly writtenAt: number;
  readonly checksum: string | null;
  readonly #window: FileWindow;
  /** The snapshot when the bytes are no index this reader knows (git's records, say). */
  readonly #otherwise: () => IndexSnapshot;
  /** Where the entries of this index are remembered between runs (`index-entries-memo.ts`). */
  readonly #memo: EntriesMemo | undefined;
  #entries: IndexEntries | undefined;
  #fallback: IndexSnapshot | undefined;
  #data: Buffer | undefined;

  constructor(
    fd: number,
    size: number,
    oidBytes: number,
    writtenAt: number,
    checksum: string | null,
    otherwise: () => IndexSnapshot,
    memo?: EntriesMemo,
  ) {
    this.#window = new FileWindow(fd, 0, size);
    this.#memo = memo;
    this.oidBytes = oidBytes;
    this.writtenAt = writtenAt;
    this.checksum = checksum;
    this.#otherwise = otherwise;
  }

  #read(): IndexEntries {
    if (this.#fallback) return this.#fallback;
    if (this.#entries) return this.#entries;
    const memo = this.#memo;
    let entries = memo && readEntriesMemo(memo.file, { ...memo, oidBytes: this.oidBytes });
    if (entries) {
      this.#entries = entries;
      return entries;
    }
    try {
      entries = indexEntries(this.#window, this.oidBytes);
      if (entries && memo?.write) writeEntriesMemo(memo.file, memo, entries);
    } catch {
      // Unreadable now: git answers for it.
    }
    if (entries) this.#entries = entries;
    else this.#fallback = this.#otherwise();
    return entries ?? (this.#fallback as IndexSnapshot);
  }

  get bytes(): ByteWindow {
    this.#read();
    return this.#fallback?.bytes ?? this.#window;
  }

  get data(): Buffer {
    this.#read();
    if (this.#fallback) return this.#fallback.data;
    if (!this.#data) {
      const window = this.#window;
      const data = Buffer.allocUnsafe(window.length);
      for (let start = 0; start < data.length; start = window.limit) {
        window.cover(start, Math.min(data.length, start + (1 << 16)));
        window.view.copy(data, start, start - window.base, window.limit - window.base);
      }
      this.#data = data;
    }
    return this.#data;
  }

  get offsets(): Int32Array {
    return this.#read().offsets;
  }

  get pathStarts(): Int32Array {
    return this.#read().pathStarts;
  }

  get pathEnds(): Int32Array {
    return this.#read().pathEnds;
  }
}

/** An entries memo's file, the index it answers for, and whether to write it when it does not. */
interface EntriesMemo {
  file: string;
  count: number;
  size: number;
  checksum: Buffer;
  write: boolean;
}

/**
 * Entries from which the index's entries are remembered in the git folder: going through fewer
 * takes less than a millisecond.
 */
const entriesMemoFrom = 2000;

/**
 * The index of a work tree, read when its entries are first asked for, or `undefined` when its file
 * cannot be opened or is no index of version 2 or 3. Entries in a form this reader does not know (a
 * split or sparse index) are asked of git then. Given the git folder of ours (`privateDir`), the
 * entries of an index of `memoFrom` entries or more are remembered there for the next run, unless
 * `remember` is false (a `--staged` run: its index is about to be committed, and replaced).
 */
export function openIndexFile(
  paths: Pick<GitPaths, 'top' | 'indexFile' | 'oidBytes'> & Partial<Pick<GitPaths, 'privateDir'>>,
  { memoFrom = entriesMemoFrom, remember = true }: { memoFrom?: number; remember?: boolean } = {},
): IndexSnapshot | undefined {
  const { indexFile, oidBytes } = paths;
  const fromGit = (): IndexSnapshot =>
    snapshotFromRecords(splitNul(gitSync(paths.top, indexRecordsArgs).toString()), oidBytes);
  const fd = openToRead(indexFile);
  if (fd === undefined) return undefined;
  try {
    const stat = fstatSync(fd);
    const head = Buffer.alloc(12);
    const sum = Buffer.alloc(oidBytes);
    if (
      stat.size < 12 + oidBytes ||
      readSync(fd, head, 0, 12, 0) !== 12 ||
      head.toString('latin1', 0, 4) !== 'DIRC' ||
      ![2, 3].includes(head.readUInt32BE(4)) ||
      readSync(fd, sum, 0, oidBytes, stat.size - oidBytes) !== oidBytes
    ) {
      closeSync(fd);
      return undefined;
    }
    const checksum = checksumHex(sum) ?? null;
    const count = head.readUInt32BE(8);
    // An index without a checksum (`index.skipHash`) has nothing to name it by.
    const memo =
      paths.privateDir !== undefined && checksum !== null && count >= memoFrom
        ? {
            file: entriesMemoFile(paths.privateDir),
            count,
            size: stat.size,
            checksum: sum,
            write: remember,
          }
        : undefined;
    const index = new IndexFile(fd, stat.size, oidBytes, stat.mtimeMs, checksum, fromGit, memo);
    closeWhenUnreachable.register(index, fd);
    return index;
  } catch {
    closeSync(fd);
    return undefined;
  }
}
