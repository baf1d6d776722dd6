import { readFileSync } from 'node:fs';

/**
 * The stored listing of untracked files (`untracked-cache.ts`) as one file a scoped run reads
 * without decoding most of it: a JSON header line, then one line per folder,
 * `<folder><tab><time>`, sorted by their bytes. The folders a run checks are found by binary
 * search in the file's bytes; only a listing of the whole tree walks every line, and only a new
 * listing decodes them all.
 */

/** What the header line holds. */
export interface StoreHeader {
  version: 2;
  top: string;
  /**
   * `pathsDigest` of the index: a file leaving it becomes untracked without any folder changing.
   */
  indexPaths: string;
  /**
   * The checksum at the end of that index file (`indexChecksum`), `''` when there was none to
   * trust: the same checksum means the same index, and so the same paths, without a digest.
   */
  indexChecksum: string;
  /** When the listing started, in milliseconds since the epoch. */
  takenAt: number;
  /** `mtime size` of each ignore file (`.gitignore` relative to the top, or an absolute path). */
  ignoreFiles: Record<string, string>;
  /** Untracked files that are not ignored, relative to the top, sorted. */
  untracked: string[];
}

/** A store as read: its header, and its folder lines in place. */
export interface UntrackedStore extends StoreHeader {
  /** The file's bytes. */
  data: Buffer;
  /** Where the first folder line starts in `data`. */
  body: number;
}

const newline = 10;
const tab = 9;

/** Whether a header holds what a store needs, each in its form. */
function isHeader(value: Partial<StoreHeader> | null, top: string): value is StoreHeader {
  return (
    value?.version === 2 &&
    value.top === top &&
    typeof value.indexPaths === 'string' &&
    typeof value.indexChecksum === 'string' &&
    typeof value.takenAt === 'number' &&
    typeof value.ignoreFiles === 'object' &&
    value.ignoreFiles !== null &&
    Object.values(value.ignoreFiles).every(
      (stamp) => typeof stamp === 'string' && /^(?:-|[\d.]+ \d+)$/.test(stamp),
    ) &&
    Array.isArray(value.untracked) &&
    value.untracked.every((entry) => typeof entry === 'string')
  );
}

/**
 * The store in `file` for the work tree `top`, or `undefined` when there is none or its header is
 * not one. Folder lines are read where needed: a time that is no number matches no folder, so a
 * damaged line only makes its folder listed again.
 */
export function readStore(file: string, top: string): UntrackedStore | undefined {
  try {
    const data = readFileSync(file);
    const end = data.indexOf(newline);
    if (end === -1 || (data.length > end + 1 && data[data.length - 1] !== newline))
      return undefined;
    const header = JSON.parse(data.toString('utf8', 0, end)) as Partial<StoreHeader> | null;
    return isHeader(header, top) ? { ...header, data, body: end + 1 } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The text of a store: its header, then each folder of `dirs` (path relative to the top, `''` for
 * the top) with its time, sorted by bytes. No folder name may hold a tab or a line break.
 */
export function encodeStore(header: StoreHeader, dirs: Record<string, string>): Buffer {
  const lines = Object.keys(dirs).map((dir) => Buffer.from(`${dir}\t${dirs[dir]}\n`));
  // Sorting whole lines sorts by folder: a folder's tab ends it, and no folder holds one.
  lines.sort((a, b) => Buffer.compare(a, b));
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...lines]);
}

/** A store with a new header and the same folder lines. */
export function withHeader(store: UntrackedStore, header: StoreHeader): Buffer {
  return Buffer.concat([
    Buffer.from(`${JSON.stringify(header)}\n`),
    store.data.subarray(store.body),
  ]);
}

/** Where the line holding byte `at` starts, not before `from` (itself a line start). */
function lineStart(data: Buffer, at: number, from: number): number {
  let start = at;
  while (start > from && data[start - 1] !== newline) start--;
  return start;
}

/** Where the line after the one starting at `start` starts. */
function nextLine(data: Buffer, start: number): number {
  const end = data.indexOf(newline, start);
  return end === -1 ? data.length : end + 1;
}

/** How the line at `start` compares with `key` over the key's length (zero: it starts with it). */
function compareLine(data: Buffer, start: number, key: Uint8Array): number {
  for (let k = 0; k < key.length; k++) {
    const byte = data[start + k];
    if (byte === undefined) return -1;
    if (byte !== key[k]) return byte - (key[k] ?? 0);
  }
  return 0;
}

/** The first line not below `key` in byte order. */
function lowerBound(store: UntrackedStore, key: Uint8Array): number {
  const { data } = store;
  let low = store.body;
  let high = data.length;
  while (low < high) {
    const middle = lineStart(data, (low + high) >>> 1, low);
    if (compareLine(data, middle, key) < 0) low = nextLine(data, middle);
    else high = middle;
  }
  return low;
}

/** The folder and stored time of the line at `start`, and where the next line starts. */
function lineAt(data: Buffer, start: number): { dir: string; time: string; next: number } {
  const next = nextLine(data, start);
  const end = data[next - 1] === newline ? next - 1 : next;
  const split = data.indexOf(tab, start);
  if (split === -1 || split > end)
    return { dir: data.toString('utf8', start, end), time: '', next };
  return {
    dir: data.toString('utf8', start, split),
    time: data.toString('latin1', split + 1, end),
    next,
  };
}

/** Calls `visit` with every stored folder and its time, in the store's order. */
export function forEachDir(
  store: UntrackedStore,
  visit: (dir: string, time: string) => void,
): void {
  for (let start = store.body; start < store.data.length;) {
    const { dir, time, next } = lineAt(store.data, start);
    visit(dir, time);
    start = next;
  }
}

/** The stored time of folder `dir`, or `undefined` when it is not stored. */
export function timeOf(store: UntrackedStore, dir: string): string | undefined {
  const start = lowerBound(store, Buffer.from(`${dir}\t`));
  if (start >= store.data.length) return undefined;
  const line = lineAt(store.data, start);
  return line.dir === dir ? line.time : undefined;
}

/** Calls `visit` with every stored folder below `dir` (not `dir` itself) and its time. */
export function forEachDirBelow(
  store: UntrackedStore,
  dir: string,
  visit: (dir: string, time: string) => void,
): void {
  const key = Buffer.from(`${dir}/`);
  const { data } = store;
  for (let start = lowerBound(store, key); start < data.length;) {
    if (compareLine(data, start, key) !== 0) return;
    const line = lineAt(data, start);
    visit(line.dir, line.time);
    start = line.next;
  }
}
