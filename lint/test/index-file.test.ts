import { execFileSync } from 'node:child_process';
import {
  existsSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { diffSnapshots } from '../src/index-diff.ts';
import { openIndexFile } from '../src/index-file.ts';
import {
  entryOf,
  indexChecksum,
  pathList,
  pathsDigest,
  snapshotFromIndex,
  withUnknownContents,
  type IndexSnapshot,
} from '../src/index-snapshot.ts';
import { git } from './helpers/git.ts';
import { tempDir, writeTree } from './helpers/tree.ts';

// An index opened for a run is read only when its entries are asked for, and then through a window:
// its checksum alone tells a run whose index is the one its facts were stored with, and what is
// read later is the file as it was opened.

function repository(): string {
  const dir = tempDir('agentops-lint-index-file-');
  git(dir, 'init', '-q');
  writeTree(dir, { 'a.md': 'a\n', 'patterns/x/pat_x.md': '# x\n', 'plugins/p/b.md': 'b\n' });
  git(dir, 'add', '-A');
  return dir;
}

const paths = (dir: string) => ({
  top: dir,
  indexFile: path.join(dir, '.git', 'index'),
  oidBytes: 20,
});

const listed = (dir: string): string[] => git(dir, 'ls-files', '-z').split('\0').filter(Boolean);

/** The checksum git wrote at the end of the index, in hex. */
const trailer = (dir: string): string =>
  readFileSync(path.join(dir, '.git', 'index'))
    .subarray(-20)
    .toString('hex');

/** Descriptors of this process open on `file`. */
const openOn = (file: string): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;

describe('an index file opened for a run', () => {
  test('knows its checksum at once, and reads the entries the file held when opened', () => {
    const dir = repository();
    const before = trailer(dir);
    const index = openIndexFile(paths(dir));
    // git writes a new index and renames it over the old one.
    writeFileSync(path.join(dir, 'new.md'), 'n\n');
    git(dir, 'add', 'new.md');
    expect(trailer(dir)).not.toBe(before);
    expect(index?.checksum).toBe(before);
    expect(index && indexChecksum(index)).toBe(before);
    expect(index && pathList(index)).toEqual(['a.md', 'patterns/x/pat_x.md', 'plugins/p/b.md']);
    expect(pathList(openIndexFile(paths(dir))!)).toEqual(listed(dir));
  });

  test('reads its entries through one descriptor, across windows and past long paths', () => {
    const dir = repository();
    const file = realpathSync(path.join(dir, '.git', 'index'));
    // Entries for thousands of files (an index several times the window) and paths longer than
    // the 0xfff bytes an entry's flags can hold, which end at their NUL instead.
    const blob = git(dir, 'hash-object', '-w', 'a.md').trim();
    const long = (n: number): string => `deep/${`${'d'.repeat(200)}${n}/`.repeat(22)}f.md`;
    const records = [
      ...Array.from({ length: 3000 }, (_, i) => `100644 ${blob}\tpatterns/many/pat_${i}.md`),
      `100644 ${blob}\t${long(1)}`,
      `100755 ${blob}\t${long(2)}`,
    ];
    execFileSync('git', ['update-index', '--add', '--index-info'], {
      cwd: dir,
      input: `${records.join('\n')}\n`,
    });
    expect(statSync(file).size).toBeGreaterThan(4 * 64 * 1024);
    const index = openIndexFile(paths(dir))!;
    expect(openOn(file)).toBe(1);
    expect(index.writtenAt).toBe(statSync(file).mtimeMs);
    expect(pathList(index)).toEqual(listed(dir));
    expect(long(2).length).toBeGreaterThan(0xfff);
    expect(entryOf(index, long(2))).toEqual({ mode: '100755', oid: blob });
    expect(entryOf(index, 'patterns/many/pat_2999.md')).toEqual({ mode: '100644', oid: blob });
    expect(entryOf(index, 'patterns/many/pat_3000.md')).toBeUndefined();
    expect(pathsDigest(index)).toBe(pathsDigest(snapshotFromIndex(readFileSync(file), 20)!));
    expect(index.data).toEqual(readFileSync(file));
    expect(openOn(file)).toBe(1);
  });

  test('has no checksum when git wrote none, and asks git for a split index', () => {
    const dir = repository();
    const files = listed(dir);
    // As git writes it with `index.skipHash`.
    const indexFile = path.join(dir, '.git', 'index');
    const data = readFileSync(indexFile);
    writeFileSync(indexFile, Buffer.concat([data.subarray(0, -20), Buffer.alloc(20)]));
    const unsummed = openIndexFile(paths(dir))!;
    expect(unsummed.checksum).toBeNull();
    expect(indexChecksum(unsummed)).toBeUndefined();
    expect(pathList(unsummed)).toEqual(files);
    writeFileSync(indexFile, data);
    git(dir, 'update-index', '--split-index');
    const split = openIndexFile(paths(dir))!;
    expect(split.checksum).toBe(trailer(dir));
    expect(pathList(split)).toEqual(listed(dir));
  });

  test('is nothing for a missing file, another version or other bytes', () => {
    const dir = repository();
    expect(openIndexFile({ ...paths(dir), indexFile: path.join(dir, 'none') })).toBeUndefined();
    git(dir, 'update-index', '--index-version', '4');
    expect(openIndexFile(paths(dir))).toBeUndefined();
    writeFileSync(path.join(dir, 'other'), 'DIRC but nothing more than a few bytes');
    expect(openIndexFile({ ...paths(dir), indexFile: path.join(dir, 'other') })).toBeUndefined();
  });
});

describe('the entries of a large index, remembered in the git folder', () => {
  const entriesOf = (index: IndexSnapshot) => [
    [...index.offsets],
    [...index.pathStarts],
    [...index.pathEnds],
  ];

  test('are written by the run that goes through them, and read back by the next', () => {
    const dir = repository();
    const privateDir = path.join(dir, '.git', 'agentops-lint');
    const memo = path.join(privateDir, 'index-entries');
    const first = openIndexFile({ ...paths(dir), privateDir }, { memoFrom: 3 })!;
    expect(existsSync(memo)).toBe(false);
    const found = entriesOf(first);
    // 48 bytes of header, then 3 lists of 3 entries, 4 bytes each.
    expect(statSync(memo).size).toBe(48 + 3 * 3 * 4);
    expect(found[0]).toEqual([12, 84, 172]);
    // Read back without going through the index: its entries garbled, its trailer kept.
    const file = path.join(dir, '.git', 'index');
    const data = readFileSync(file);
    writeFileSync(
      file,
      Buffer.concat([
        data.subarray(0, 12),
        Buffer.alloc(data.length - 32, 0xff),
        data.subarray(-20),
      ]),
    );
    const next = openIndexFile({ ...paths(dir), privateDir }, { memoFrom: 3 })!;
    expect(entriesOf(next)).toEqual(found);
    // Without the memo, those bytes are no index to this reader or to git.
    expect(() => entriesOf(openIndexFile(paths(dir), { memoFrom: 3 })!)).toThrow(/index/);
    // Below the size given, or without the git folder, nothing is kept or read.
    writeFileSync(file, data);
    rmSync(memo);
    expect(entriesOf(openIndexFile({ ...paths(dir), privateDir }, { memoFrom: 4 })!)).toEqual(
      found,
    );
    expect(entriesOf(openIndexFile(paths(dir), { memoFrom: 3 })!)).toEqual(found);
    expect(existsSync(memo)).toBe(false);
    // A `--staged` run's index is about to be replaced: it reads a memo, but writes none.
    const staged = openIndexFile({ ...paths(dir), privateDir }, { memoFrom: 3, remember: false })!;
    expect(entriesOf(staged)).toEqual(found);
    expect(existsSync(memo)).toBe(false);
  });

  test('answer only for the index they were taken from, and only for entries inside it', () => {
    const dir = repository();
    const privateDir = path.join(dir, '.git', 'agentops-lint');
    const memo = path.join(privateDir, 'index-entries');
    const open = () => openIndexFile({ ...paths(dir), privateDir }, { memoFrom: 3 })!;
    entriesOf(open());
    const kept = readFileSync(memo);
    // Another index: the memo is taken again for it.
    writeFileSync(path.join(dir, 'new.md'), 'n\n');
    git(dir, 'add', 'new.md');
    expect(pathList(open())).toEqual(listed(dir));
    expect(readFileSync(memo)).not.toEqual(kept);
    const now = readFileSync(memo);
    const expected = entriesOf(open());
    // Bytes that name the index but whose last entry runs past it, and a truncated memo: gone
    // through again, and written anew.
    const past = Buffer.from(now);
    past.writeInt32LE(statSync(path.join(dir, '.git', 'index')).size, now.length - 4);
    for (const bad of [past, now.subarray(0, now.length - 4)]) {
      writeFileSync(memo, bad);
      expect(entriesOf(open())).toEqual(expected);
      expect(readFileSync(memo)).toEqual(now);
    }
  });
});

describe('the changes since a stored index with the same checksum', () => {
  test('are none, without reading its entries', () => {
    const dir = repository();
    const now = openIndexFile(paths(dir))!;
    const data = readFileSync(path.join(dir, '.git', 'index'));
    // Entries no reader could follow, ending in the current index's checksum.
    const garbled = Buffer.concat([Buffer.alloc(data.length - 20, 0xff), data.subarray(-20)]);
    const file = path.join(tempDir('agentops-lint-index-file-'), 'staged.index');
    writeFileSync(file, Buffer.concat([Buffer.from('token 20\n'), garbled]));
    expect(diffSnapshots({ file, head: 'token 20\n', oidBytes: 20 }, now, '', 10)).toEqual(
      new Map(),
    );
    expect(diffSnapshots({ data: garbled, oidBytes: 20 }, now, '', 10)).toEqual(new Map());
    // Another first line: a store written since, for other facts.
    expect(diffSnapshots({ file, head: 'other 20\n', oidBytes: 20 }, now, '', 10)).toBeUndefined();
  });

  test('are found when contents were marked unknown: the copy no longer names the index', () => {
    const dir = repository();
    const now = openIndexFile(paths(dir))!;
    const marked = withUnknownContents(now, new Set(['a.md']));
    expect(marked.data.subarray(-20)).toEqual(Buffer.alloc(20));
    expect([...(diffSnapshots(marked, now, '', 10)?.keys() ?? [])]).toEqual(['a.md']);
    const untouched = withUnknownContents(now, new Set(['none.md']));
    expect(untouched.data.subarray(-20).toString('hex')).toBe(trailer(dir));
  });
});
