import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  encodeStore,
  forEachDir,
  forEachDirBelow,
  readStore,
  timeOf,
  withHeader,
  type StoreHeader,
} from '../src/untracked-store.ts';
import { tempDir } from './helpers/tree.ts';

// The stored listing's file: folders are found by binary search in its bytes, so the folders that
// sort between a folder and the ones below it (`a-b`, `a.b` sort between `a` and `a/`), names
// beyond ASCII and names below the tab in byte order must all be found exactly.

const header: StoreHeader = {
  version: 2,
  top: '/repo',
  indexPaths: '3:0011223344556677',
  indexChecksum: 'ab'.repeat(20),
  takenAt: 1_700_000_000_000,
  ignoreFiles: { '.gitignore': '1700000000000 12' },
  untracked: ['docs/notes.txt'],
};

const dirs: Record<string, string> = {
  '': '1',
  a: '2',
  'a-b': '3',
  'a.b': '4',
  'a/c': '5',
  'a/c/d': '6.5',
  'a/é': '7',
  ab: '8',
  'b\u0001x': '9',
  b: '10',
  'b/a': '11',
  z: '12',
};

function stored(text: Buffer | string = encodeStore(header, dirs)) {
  const file = path.join(tempDir('agentops-lint-store-'), 'untracked.store');
  writeFileSync(file, text);
  return readStore(file, header.top);
}

describe('the stored untracked listing file', () => {
  test('reads back its header and every folder, sorted by bytes', () => {
    const store = stored();
    expect(store && { ...store, data: undefined, body: undefined }).toEqual({
      ...header,
      data: undefined,
      body: undefined,
    });
    const all: [string, string][] = [];
    if (store) forEachDir(store, (dir, time) => all.push([dir, time]));
    expect(all).toEqual([
      ['', '1'],
      ['a', '2'],
      ['a-b', '3'],
      ['a.b', '4'],
      ['a/c', '5'],
      ['a/c/d', '6.5'],
      ['a/é', '7'],
      ['ab', '8'],
      // A byte below the tab sorts before the folder's own line.
      ['b\u0001x', '9'],
      ['b', '10'],
      ['b/a', '11'],
      ['z', '12'],
    ]);
  });

  test('finds each folder by name and the folders below one, not its look-alikes', () => {
    const store = stored();
    if (!store) throw new Error('unreadable store');
    for (const [dir, time] of Object.entries(dirs)) expect(timeOf(store, dir)).toBe(time);
    for (const missing of ['a/', 'a/c/', 'c', 'a/c/d/e', 'zz', '\u0000'])
      expect(timeOf(store, missing)).toBeUndefined();
    const below = (dir: string): string[] => {
      const found: string[] = [];
      forEachDirBelow(store, dir, (name, time) => found.push(`${name}=${time}`));
      return found;
    };
    expect(below('a')).toEqual(['a/c=5', 'a/c/d=6.5', 'a/é=7']);
    expect(below('a/c')).toEqual(['a/c/d=6.5']);
    expect(below('b')).toEqual(['b/a=11']);
    expect(below('a-b')).toEqual([]);
    expect(below('nothing')).toEqual([]);
  });

  test('keeps the folder lines under a new header', () => {
    const store = stored();
    if (!store) throw new Error('unreadable store');
    const renewed = stored(withHeader(store, { ...header, indexChecksum: '' }));
    expect(renewed?.indexChecksum).toBe('');
    expect(renewed && timeOf(renewed, 'a/c/d')).toBe('6.5');
  });

  test('is no store with a header of another work tree, form or version, or cut short', () => {
    const text = encodeStore(header, dirs);
    expect(stored(text.subarray(0, text.length - 1))).toBeUndefined();
    expect(stored('{"version":2}\n')).toBeUndefined();
    expect(stored(`${JSON.stringify({ ...header, version: 1 })}\n`)).toBeUndefined();
    expect(stored(`${JSON.stringify({ ...header, takenAt: 'x' })}\n`)).toBeUndefined();
    expect(stored(`${JSON.stringify({ ...header, ignoreFiles: { a: 'x' } })}\n`)).toBeUndefined();
    expect(stored('not json\n')).toBeUndefined();
    const file = path.join(tempDir('agentops-lint-store-'), 'untracked.store');
    writeFileSync(file, text);
    expect(readStore(file, '/elsewhere')).toBeUndefined();
    // A header alone: a tree with no folder to watch.
    expect(stored(`${JSON.stringify(header)}\n`)?.untracked).toEqual(header.untracked);
  });
});
