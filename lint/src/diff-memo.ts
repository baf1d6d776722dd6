import type { SnapshotChange } from './index-diff.ts';
import type { SnapshotEntry } from './index-snapshot.ts';
import { readSmallText } from './store-file.ts';
import { writeQuietly } from './write-atomic.ts';

/**
 * The last comparison of a stored index copy with a later index, kept beside the copy. After a
 * `--staged` run that stored nothing (it loaded only what changed), every later run compares the
 * same two indexes again: megabytes read and compared for the same few changes. The memo names
 * both indexes, the copy by the token of its first line and the later one by the checksum git
 * wrote at its end, so it answers only the comparison it was made for.
 */

/** Bytes of a memo file read at most: one far larger was not written by this module. */
const memoBytes = 1 << 20;

/** What a memo answers: the copy's first line, the later index's checksum, the folder, the limit. */
export function memoKey(head: string, checksum: string, prefix: string, limit: number): string {
  return JSON.stringify([head.trimEnd(), checksum, prefix, limit]);
}

const isEntry = (value: unknown): value is SnapshotEntry | null =>
  value === null ||
  (typeof value === 'object' &&
    typeof (value as SnapshotEntry).mode === 'string' &&
    typeof (value as SnapshotEntry).oid === 'string');

/** The changes a memo in `file` holds for `key`, or `undefined` when it holds none for it. */
export function readMemo(file: string, key: string): Map<string, SnapshotChange> | undefined {
  const text = readSmallText(file, memoBytes);
  if (text === undefined) return undefined;
  try {
    const memo = JSON.parse(text) as { key?: unknown; changes?: unknown };
    if (memo.key !== key || !Array.isArray(memo.changes)) return undefined;
    const changes = new Map<string, SnapshotChange>();
    for (const item of memo.changes as unknown[]) {
      if (!Array.isArray(item) || item.length !== 3) return undefined;
      const [path, before, now] = item as unknown[];
      if (typeof path !== 'string' || !isEntry(before) || !isEntry(now)) return undefined;
      changes.set(path, { before: before ?? undefined, now: now ?? undefined });
    }
    return changes;
  } catch {
    return undefined;
  }
}

/** Keeps `changes` for `key` in `file`; a memo that cannot be written only costs the next run. */
export function writeMemo(file: string, key: string, changes: Map<string, SnapshotChange>): void {
  const list = [...changes].map(([path, change]) => [
    path,
    change.before ?? null,
    change.now ?? null,
  ]);
  writeQuietly(file, JSON.stringify({ key, changes: list }));
}
