import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { diffSnapshots, type SnapshotChange } from '../src/index-diff.ts';
import {
  snapshotFromIndex,
  snapshotFromRecords,
  type IndexSnapshot,
} from '../src/index-snapshot.ts';
import { tempDir } from './helpers/tree.ts';

// An earlier index kept in a store's file is read through a window, forward, never whole: the
// changes found must be exactly those found with its bytes in memory, wherever they fall among
// the windows, and a file that is not the one expected is nothing the diff can use.

const oid = (n: number): string => n.toString(16).padStart(40, '0');
/** Long names, so that the index spans several windows of 256 KiB. */
const name = (n: number): string =>
  `patterns/category-${n % 7}/p${String(n).padStart(5, '0')}-${'x'.repeat(60)}.md`;

function snapshot(entries: Map<string, string>): IndexSnapshot {
  return snapshotFromRecords(
    [...entries]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([file, id]) => `100644 ${id} 0\t${file}`),
    20,
  );
}

/** A store's index file: its first line, then the index's bytes. */
function storedFile(data: Buffer, head: string): string {
  const file = path.join(tempDir('agentops-lint-index-diff-'), 'staged.index');
  writeFileSync(file, Buffer.concat([Buffer.from(head), data]));
  return file;
}

const listed = (changes: Map<string, SnapshotChange> | undefined) =>
  changes && [...changes].sort(([a], [b]) => (a < b ? -1 : 1));

describe('the changes since an index stored in a file', () => {
  const before = new Map(Array.from({ length: 6000 }, (_, n) => [name(n), oid(n)]));
  const now = new Map(before);
  for (const n of [0, 1023, 1024, 2100, 2101, 3999, 5999]) now.set(name(n), oid(n + 1));
  now.delete(name(1500));
  now.set('patterns/category-3/p03000-added.md', oid(9));
  const old = snapshot(before);
  const current = snapshot(now);
  const head = '0123456789abcdef 20\n';

  test('are those found in memory, across windows, under a folder and past a limit', () => {
    expect(old.data.length).toBeGreaterThan(3 * 256 * 1024);
    const file = storedFile(old.data, head);
    const stored = { file, head, oidBytes: 20 };
    const inMemory = diffSnapshots(old, current, 'patterns', 100);
    expect(inMemory?.size).toBe(9);
    expect(listed(diffSnapshots(stored, current, 'patterns', 100))).toEqual(listed(inMemory));
    expect(listed(diffSnapshots(stored, current, 'patterns/category-3', 100))).toEqual(
      listed(diffSnapshots(old, current, 'patterns/category-3', 100)),
    );
    expect(diffSnapshots(stored, current, '', 5)).toBeUndefined();
    expect(diffSnapshots(stored, old, '', 0)?.size).toBe(0);
  });

  test('are unknown for another first line, a missing file, or bytes cut short', () => {
    const file = storedFile(old.data, head);
    expect(
      diffSnapshots({ file, head: 'fedcba9876543210 20\n', oidBytes: 20 }, current, '', 100),
    ).toBeUndefined();
    expect(
      diffSnapshots({ file: `${file}.gone`, head, oidBytes: 20 }, current, '', 100),
    ).toBeUndefined();
    const cut = storedFile(old.data.subarray(0, 300_000), head);
    expect(diffSnapshots({ file: cut, head, oidBytes: 20 }, current, '', 100)).toBeUndefined();
  });
});

describe('a comparison kept beside the stored index', () => {
  const before = new Map(Array.from({ length: 3000 }, (_, n) => [name(n), oid(n)]));
  const now = new Map(before);
  for (const n of [5, 1700, 2999]) now.set(name(n), oid(n + 1));
  const old = snapshot(before);
  const head = '0123456789abcdef 20\n';
  /** The index with a checksum git could have written (`fill` in every byte). */
  const summed = (fill: number): IndexSnapshot => {
    const data = Buffer.from(snapshot(now).data);
    data.fill(fill, data.length - 20);
    const parsed = snapshotFromIndex(data, 20);
    if (!parsed) throw new Error('no index');
    return parsed;
  };

  test('answers the same comparison again without reading the copy, and no other', () => {
    const file = storedFile(old.data, head);
    const memo = path.join(path.dirname(file), 'staged.diff');
    const stored = { file, head, oidBytes: 20, memo };
    const current = summed(7);
    const first = diffSnapshots(stored, current, 'patterns', 100);
    expect(listed(first)?.map(([file]) => file)).toEqual([
      'category-3/p02999-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.md',
      'category-5/p00005-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.md',
      'category-6/p01700-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.md',
    ]);
    expect(listed(first)).toEqual(listed(diffSnapshots(old, current, 'patterns', 100)));
    // The copy replaced by another index under the same first line: the memo answers alone.
    const replaced = snapshot(new Map([...before].slice(0, 10)));
    writeFileSync(file, Buffer.concat([Buffer.from(head), replaced.data]));
    expect(listed(diffSnapshots(stored, current, 'patterns', 100))).toEqual(listed(first));
    // Another index, folder or limit is no comparison it answers: the copy is read again, and
    // differs from the index in thousands of paths, past any of these limits.
    expect(listed(diffSnapshots(stored, summed(8), 'patterns', 5000))).toEqual(
      listed(diffSnapshots(replaced, summed(8), 'patterns', 5000)),
    );
    expect(diffSnapshots(stored, current, 'patterns/category-3', 100)).toBeUndefined();
    expect(diffSnapshots(stored, current, 'patterns', 99)).toBeUndefined();
    expect(diffSnapshots({ file, head, oidBytes: 20 }, current, 'patterns', 100)).toBeUndefined();
    // Nor does a memo past 1 MiB, which is not read, or a damaged one: made again from the first
    // copy each time, then padded, or a field misnamed.
    const remade = (): string => {
      writeFileSync(file, Buffer.concat([Buffer.from(head), old.data]));
      expect(listed(diffSnapshots(stored, current, 'patterns', 100))).toEqual(listed(first));
      writeFileSync(file, Buffer.concat([Buffer.from(head), replaced.data]));
      expect(listed(diffSnapshots(stored, current, 'patterns', 100))).toEqual(listed(first));
      return readFileSync(memo, 'utf8');
    };
    writeFileSync(memo, remade().replace('{', `{"pad":"${'x'.repeat(1 << 20)}",`));
    expect(diffSnapshots(stored, current, 'patterns', 100)).toBeUndefined();
    writeFileSync(memo, remade().replace('"mode"', '"mood"'));
    expect(diffSnapshots(stored, current, 'patterns', 100)).toBeUndefined();
  });
});
