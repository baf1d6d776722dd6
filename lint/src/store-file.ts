import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

/**
 * The files of the stored facts, read in the parts a run asks for: a one-file run needs a few
 * hundred KiB of a facts file of megabytes, and the first touch of that much fresh memory costs
 * more than the few reads that spare it. A store is only ever replaced whole (a new file renamed
 * over it), so a file held open keeps the bytes it was opened with.
 */

/** A facts file held open: its first two lines, and its other bytes read on demand. */
export interface OpenStoreFile {
  /** Bytes in the file. */
  size: number;
  /** The first two lines (the format and the header), without their line breaks. */
  lines: [string, string];
  /** Where the bytes after the second line start. */
  bodyStart: number;
  /** `length` bytes from `start` (a fresh buffer). */
  read: (start: number, length: number) => Buffer;
}

/** Closes a file once nothing can read from it any more (registered with the object reading it). */
export const closeWhenUnreachable = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Closed already: nothing is lost.
  }
});

/**
 * Time (ms) after which a file's stat stands for its contents: file times are kept to a clock
 * tick, so a file written within a tick of another write can keep its time (git waits the same).
 */
export const settleMargin = 2000;

/** Whether a value read from JSON is a list of strings. */
export const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * The text of a small file of ours (a memo in the git folder), or `undefined` when it is missing,
 * unreadable or larger than `maxBytes`: larger, this code did not write it, and it is never read.
 */
export function readSmallText(file: string, maxBytes: number): string | undefined {
  try {
    if ((statSync(file, { throwIfNoEntry: false })?.size ?? maxBytes + 1) > maxBytes)
      return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Bytes read at first for the first lines: a header names every plugin folder. */
const headBytes = 1 << 16;

/** A descriptor of `file` opened for reading, or `undefined` when it cannot be opened. */
export function openToRead(file: string): number | undefined {
  try {
    return openSync(file, 'r');
  } catch {
    return undefined;
  }
}

/** A store's file held open for reading, or `undefined` when it cannot be read or has no two lines. */
export function openStoreFile(file: string): OpenStoreFile | undefined {
  const fd = openToRead(file);
  if (fd === undefined) return undefined;
  try {
    const size = fstatSync(fd).size;
    let head = Buffer.allocUnsafe(Math.min(size, headBytes));
    let filled = readSync(fd, head, 0, head.length, 0);
    for (;;) {
      const first = head.subarray(0, filled).indexOf(10);
      const second = first === -1 ? -1 : head.subarray(0, filled).indexOf(10, first + 1);
      if (second !== -1) {
        const open: OpenStoreFile = {
          size,
          lines: [head.toString('utf8', 0, first), head.toString('utf8', first + 1, second)],
          bodyStart: second + 1,
          read(start, length) {
            const bytes = Buffer.allocUnsafe(length);
            if (readSync(fd, bytes, 0, length, start) !== length)
              throw new Error(`${file} is shorter than its header says`);
            return bytes;
          },
        };
        closeWhenUnreachable.register(open, fd);
        return open;
      }
      if (filled >= size || filled < head.length) {
        closeSync(fd);
        return undefined;
      }
      const larger = Buffer.allocUnsafe(Math.min(size, head.length * 4));
      head.copy(larger, 0, 0, filled);
      filled += readSync(fd, larger, filled, larger.length - filled, filled);
      head = larger;
    }
  } catch {
    closeSync(fd);
    return undefined;
  }
}

/** The first line of a file, line break included (`''` when its first bytes hold none). */
export function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const bytes = Buffer.alloc(256);
    const read = readSync(fd, bytes, 0, bytes.length, 0);
    const newline = bytes.subarray(0, read).indexOf(10);
    return newline === -1 ? '' : bytes.toString('latin1', 0, newline + 1);
  } finally {
    closeSync(fd);
  }
}
