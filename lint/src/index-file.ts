import { closeSync, fstatSync, readSync } from 'node:fs';
import type { GitPaths } from './git-dir.ts';
import { gitSync, indexRecordsArgs, splitNul } from './git-run.ts';
import { closeWhenUnreachable, openToRead } from './store-file.ts';
import {
  checksumHex,
  snapshotFromIndex,
  snapshotFromRecords,
  type IndexSnapshot,
} from './index-snapshot.ts';

/**
 * An index file opened but not yet read: its checksum (the bytes git writes at its end) is known
 * at once, its entries only when asked for. A run whose index is the one its stored facts were
 * taken with learns that from the checksums alone, and never reads the megabytes of a large index.
 *
 * The file stays open until its entries are read: git replaces an index whole (a new file renamed
 * over it), so the bytes read later are those of the file as it was opened, the checksum's.
 */
class IndexFile implements IndexSnapshot {
  readonly oidBytes: number;
  readonly writtenAt: number;
  readonly checksum: string | null;
  #fd: number | undefined;
  readonly #size: number;
  /** The snapshot when the bytes are no index this reader knows (git's records, say). */
  readonly #otherwise: () => IndexSnapshot;
  #read: IndexSnapshot | undefined;

  constructor(
    fd: number,
    size: number,
    oidBytes: number,
    writtenAt: number,
    checksum: string | null,
    otherwise: () => IndexSnapshot,
  ) {
    this.#fd = fd;
    this.#size = size;
    this.oidBytes = oidBytes;
    this.writtenAt = writtenAt;
    this.checksum = checksum;
    this.#otherwise = otherwise;
  }

  #snapshot(): IndexSnapshot {
    if (this.#read) return this.#read;
    const fd = this.#fd as number;
    this.#fd = undefined;
    closeWhenUnreachable.unregister(this);
    let data: Buffer | undefined = Buffer.allocUnsafe(this.#size);
    try {
      if (readSync(fd, data, 0, data.length, 0) !== data.length) data = undefined;
    } catch {
      // Unreadable now: git answers for it.
      data = undefined;
    } finally {
      closeSync(fd);
    }
    this.#read = (data && snapshotFromIndex(data, this.oidBytes)) ?? this.#otherwise();
    return this.#read;
  }

  get data(): Buffer {
    return this.#snapshot().data;
  }

  get offsets(): Int32Array {
    return this.#snapshot().offsets;
  }

  get pathStarts(): Int32Array {
    return this.#snapshot().pathStarts;
  }

  get pathEnds(): Int32Array {
    return this.#snapshot().pathEnds;
  }
}

/**
 * The index of a work tree, read when its entries are first asked for, or `undefined` when its file
 * cannot be opened or is no index of version 2 or 3. Entries in a form this reader does not know (a
 * split or sparse index) are asked of git then.
 */
export function openIndexFile(
  paths: Pick<GitPaths, 'top' | 'indexFile' | 'oidBytes'>,
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
    const index = new IndexFile(fd, stat.size, oidBytes, stat.mtimeMs, checksum, fromGit);
    closeWhenUnreachable.register(index, fd, index);
    return index;
  } catch {
    closeSync(fd);
    return undefined;
  }
}
