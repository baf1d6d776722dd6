import {
  chmodSync,
  lstatSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { ByteWindow } from '../src/byte-window.ts';
import { describe, expect, test } from 'vitest';
import { diffSnapshots } from '../src/index-diff.ts';
import {
  entryOf,
  forEachEntry,
  hasPath,
  indexEntries,
  pathList,
  pathsDigest,
  snapshotFromIndex,
  snapshotFromRecords,
  statMatches,
  withUnknownContents,
  type IndexSnapshot,
} from '../src/index-snapshot.ts';
import { git } from './helpers/git.ts';
import { tempDir, writeTree } from './helpers/tree.ts';

/** A repository whose index holds unusual paths, modes and flags. */
function repository(): string {
  const dir = tempDir('agentops-lint-index-');
  git(dir, 'init', '-q');
  writeTree(dir, {
    'a.md': 'a\n',
    'patterns/ü ä/pat_x.md': '# x\n',
    'patterns/release/pat_y.md': '# y\n',
    'plugins/p/run.sh': 'echo\n',
    'plugins/p-q/b.md': 'b\n',
    'plugins/p/agents/deep/c.md': 'c\n',
  });
  symlinkSync('a.md', path.join(dir, 'link'));
  chmodSync(path.join(dir, 'plugins/p/run.sh'), 0o755);
  git(dir, 'add', '-A');
  return dir;
}

function lsFiles(dir: string): string[] {
  return git(dir, 'ls-files', '--stage', '-z').split('\0').filter(Boolean);
}

function records(snapshot: IndexSnapshot, prefix = ''): string[] {
  const out: string[] = [];
  forEachEntry(snapshot, prefix, (file, entry) =>
    out.push(`${entry.mode} ${entry.oid} 0\t${file}`),
  );
  return out;
}

const readIndex = (dir: string): IndexSnapshot | undefined =>
  snapshotFromIndex(readFileSync(path.join(dir, '.git/index')), 20);

describe('index snapshots', () => {
  test.for([2, 3, 4])('read index version %i as git ls-files lists it', (version) => {
    const dir = repository();
    git(dir, 'update-index', '--index-version', String(version));
    // Version 3 and above keep extended flags (skip-worktree, intent-to-add).
    if (version >= 3) {
      git(dir, 'update-index', '--skip-worktree', 'a.md');
      writeTree(dir, { 'later.md': 'later\n' });
      git(dir, 'add', '-N', 'later.md');
    }
    // Version 4 compresses paths: git lists its records, laid out as a version 2 index.
    const direct = readIndex(dir);
    expect(direct === undefined).toBe(version === 4);
    const snapshot = direct ?? snapshotFromRecords(lsFiles(dir), 20);
    expect(records(snapshot)).toEqual(lsFiles(dir));
    expect(records(snapshotFromRecords(lsFiles(dir), 20))).toEqual(lsFiles(dir));
    expect(entryOf(snapshot, 'plugins/p/run.sh')?.mode).toBe('100755');
    expect(entryOf(snapshot, 'link')?.mode).toBe('120000');
    expect(entryOf(snapshot, 'plugins/p')).toBeUndefined();
    expect([hasPath(snapshot, 'patterns/ü ä/pat_x.md'), hasPath(snapshot, 'patterns')]).toEqual([
      true,
      false,
    ]);
  });

  test.for([2, 3])(
    'read index version %i through a window that holds only what is asked for, as in memory',
    (version) => {
      const dir = repository();
      // Paths longer than the 0xfff bytes an entry's flags can hold end at their NUL.
      const blob = git(dir, 'rev-parse', ':a.md').trim();
      const long = (n: number): string => `deep/${`${'d'.repeat(200)}${n}/`.repeat(22)}f.md`;
      execFileSync('git', ['update-index', '--add', '--index-info'], {
        cwd: dir,
        input: [long(1), long(2), 'zz.md'].map((file) => `100644 ${blob}\t${file}\n`).join(''),
      });
      git(dir, 'update-index', '--index-version', String(version));
      if (version === 3) git(dir, 'update-index', '--skip-worktree', 'a.md');
      const data = readFileSync(path.join(dir, '.git/index'));
      const whole = snapshotFromIndex(data, 20)!;
      // Each range asked for is copied into a fresh buffer, and nothing more: a reader that
      // kept a view across another range, or read past what it covered, reads garbage.
      const asked: Array<[number, number]> = [];
      const bytes: ByteWindow & { limit: number } = {
        length: data.length,
        view: Buffer.alloc(0),
        base: 0,
        limit: 0,
        cover(start, end) {
          if (start < 0 || start > end || end > data.length) return false;
          asked.push([start, end]);
          bytes.view = Buffer.concat([Buffer.alloc(start % 7, 0xff), data.subarray(start, end)]);
          bytes.base = start - (start % 7);
          bytes.limit = end;
          return true;
        },
      };
      const entries = indexEntries(bytes, 20, 1)!;
      expect([...entries.offsets]).toEqual([...whole.offsets]);
      expect([...entries.pathEnds]).toEqual([...whole.pathEnds]);
      expect(Math.max(...asked.map(([start, end]) => end - start))).toBeLessThan(2 * 0x1000 + 80);
      const windowed: IndexSnapshot = { ...whole, ...entries, bytes };
      expect(records(windowed)).toEqual(lsFiles(dir));
      expect(records(windowed, 'plugins/p')).toEqual(records(whole, 'plugins/p'));
      expect(pathsDigest(windowed)).toBe(pathsDigest(whole));
      expect(entryOf(windowed, long(2))).toEqual({ mode: '100644', oid: blob });
      expect([hasPath(windowed, long(1).slice(0, -1)), hasPath(windowed, 'zz.md')]).toEqual([
        false,
        true,
      ]);
      const before = snapshotFromRecords(lsFiles(dir).slice(1), 20);
      expect(diffSnapshots(before, windowed, '', 10)).toEqual(diffSnapshots(before, whole, '', 10));
    },
  );

  test('digests the paths alone: each path then a NUL byte, in index order, with the count', () => {
    const dir = repository();
    const before = readIndex(dir);
    if (!before) throw new Error('unreadable index');
    const paths = lsFiles(dir).map((record) => record.slice(record.indexOf('\t') + 1));
    expect(pathList(before)).toEqual(paths);
    // The two hashes over the bytes of `path\0` for each path, written out plainly.
    let first = 0x811c9dc5;
    let second = 0x9747b28c;
    for (const byte of Buffer.from(paths.map((file) => `${file}\0`).join(''))) {
      first = Math.imul(first ^ byte, 0x01000193);
      second = Math.imul(second ^ byte, 0x5bd1e995) ^ (second >>> 15);
    }
    const hex = (value: number): string => (value >>> 0).toString(16).padStart(8, '0');
    const expected = `${paths.length}:${hex(first)}${hex(second)}`;
    expect(pathsDigest(before)).toBe(expected);
    // New contents keep the digest; a new path changes it.
    writeTree(dir, { 'a.md': 'changed\n' });
    git(dir, 'add', 'a.md');
    const restaged = readIndex(dir);
    expect(restaged && pathsDigest(restaged)).toBe(expected);
    writeTree(dir, { 'b.md': 'b\n' });
    git(dir, 'add', 'b.md');
    const added = readIndex(dir);
    expect(added && pathsDigest(added)).not.toBe(expected);
  });

  test('lists the entries under a folder relative to it, and no neighbour sharing its name', () => {
    const snapshot = readIndex(repository());
    expect(snapshot && records(snapshot, 'plugins/p').map((r) => r.split('\t')[1])).toEqual([
      'agents/deep/c.md',
      'run.sh',
    ]);
  });

  test('leaves a split index to git', () => {
    const dir = repository();
    git(dir, 'update-index', '--split-index');
    expect(readIndex(dir)).toBeUndefined();
  });

  test('reports added, changed and removed paths under a folder, and stops past a limit', () => {
    const dir = repository();
    const before = readIndex(dir);
    writeTree(dir, {
      'patterns/release/pat_y.md': '# y, edited\n',
      'patterns/release/pat_z.md': '# z\n',
      'plugins/p-q/b.md': 'b, edited\n',
    });
    git(dir, 'add', '-A');
    git(dir, 'rm', '-q', '--cached', 'patterns/ü ä/pat_x.md');
    const now = readIndex(dir);
    if (!before || !now) throw new Error('unreadable index');
    const oid = (file: string): string => git(dir, 'rev-parse', `:${file}`).trim();
    expect(Object.fromEntries(diffSnapshots(before, now, 'patterns', 10) ?? [])).toEqual({
      'release/pat_y.md': {
        before: entryOf(before, 'patterns/release/pat_y.md'),
        now: { mode: '100644', oid: oid('patterns/release/pat_y.md') },
      },
      'release/pat_z.md': {
        before: undefined,
        now: { mode: '100644', oid: oid('patterns/release/pat_z.md') },
      },
      'ü ä/pat_x.md': { before: entryOf(before, 'patterns/ü ä/pat_x.md'), now: undefined },
    });
    expect([...(diffSnapshots(before, now, '', 10)?.keys() ?? [])]).toEqual([
      'patterns/release/pat_y.md',
      'patterns/release/pat_z.md',
      'patterns/ü ä/pat_x.md',
      'plugins/p-q/b.md',
    ]);
    expect(diffSnapshots(before, now, '', 3)).toBeUndefined();
    expect(diffSnapshots(now, now, '', 0)?.size).toBe(0);
  });

  test('finds the changes among hundreds of entries, refreshed stat data aside', () => {
    const dir = tempDir('agentops-lint-index-');
    git(dir, 'init', '-q');
    const name = (n: number): string => `patterns/p${String(n).padStart(3, '0')}.md`;
    writeTree(
      dir,
      Object.fromEntries(Array.from({ length: 300 }, (_, n) => [name(n), `# ${n}\n`])),
    );
    git(dir, 'add', '-A');
    const before = readIndex(dir);
    writeTree(dir, {
      [name(40)]: '# forty\n',
      [name(299)]: '# last\n',
      'patterns/p120x.md': '+\n',
    });
    rmSync(path.join(dir, name(90)));
    // Same contents with new stat data: git records the new times in the index.
    utimesSync(path.join(dir, name(200)), new Date(2001, 1, 1), new Date(2001, 1, 1));
    git(dir, 'add', '-A');
    const now = readIndex(dir);
    if (!before || !now) throw new Error('unreadable index');
    expect(
      [...(diffSnapshots(before, now, 'patterns', 10)?.entries() ?? [])].map(([file, change]) => [
        file,
        change.before !== undefined,
        change.now !== undefined,
      ]),
    ).toEqual([
      ['p040.md', true, true],
      ['p090.md', true, false],
      ['p120x.md', false, true],
      ['p299.md', true, true],
    ]);
  });

  test('finds every change among thousands of entries, wherever it falls among the blocks compared', () => {
    const oid = (n: number): string => n.toString(16).padStart(40, '0');
    const name = (n: number): string => `patterns/p${String(n).padStart(5, '0')}.md`;
    const before = new Map(Array.from({ length: 5000 }, (_, n) => [name(n), oid(n)]));
    const now = new Map(before);
    // In the first large block, on the edges of large and small blocks, and in the last entries.
    for (const n of [0, 700, 1023, 1024, 1055, 2047, 3100, 4999]) now.set(name(n), oid(n + 1));
    now.delete(name(1500));
    now.delete(name(1501));
    now.set('patterns/p02500x.md', oid(7));
    now.set('patterns/p04000-longer-name.md', oid(8));
    const snapshot = (entries: Map<string, string>): IndexSnapshot =>
      snapshotFromRecords(
        [...entries]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([file, id]) => `100644 ${id} 0\t${file}`),
        20,
      );
    const changes = diffSnapshots(snapshot(before), snapshot(now), 'patterns', 100);
    const expected = [...new Set([...before.keys(), ...now.keys()])]
      .filter((file) => before.get(file) !== now.get(file))
      .sort()
      .map((file) => [
        file.slice('patterns/'.length),
        before.has(file) ? { mode: '100644', oid: before.get(file) } : undefined,
        now.has(file) ? { mode: '100644', oid: now.get(file) } : undefined,
      ]);
    expect(expected).toHaveLength(12);
    expect(
      [...(changes?.entries() ?? [])]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([file, change]) => [file, change.before, change.now]),
    ).toEqual(expected);
  });

  test('marks contents unknown, and reads back only whole stored bytes', () => {
    const snapshot = readIndex(repository());
    if (!snapshot) throw new Error('unreadable index');
    const marked = withUnknownContents(snapshot, new Set(['a.md']));
    expect(entryOf(marked, 'a.md')).toEqual({ mode: '100644', oid: '0'.repeat(40) });
    expect(entryOf(snapshot, 'a.md')?.oid).not.toBe('0'.repeat(40));
    expect([...(diffSnapshots(snapshot, marked, '', 10)?.keys() ?? [])]).toEqual(['a.md']);
    const stored = snapshotFromIndex(Buffer.from(marked.data), 20);
    expect(stored && records(stored)).toEqual(records(marked));
    expect(snapshotFromIndex(marked.data.subarray(0, 200), 20)).toBeUndefined();
    expect(snapshotFromIndex(Buffer.from('{ not a snapshot, not an index }'), 20)).toBeUndefined();
  });

  test('compares with stored bytes that are no index, or cut short, as nothing it can use', () => {
    const now = readIndex(repository());
    if (!now) throw new Error('unreadable index');
    expect(diffSnapshots(now, now, '', 0)?.size).toBe(0);
    const cut = { data: now.data.subarray(0, 150), oidBytes: 20 };
    expect(cut.data.length).toBeLessThan(now.data.length - 20);
    expect(diffSnapshots(cut, now, '', 100)).toBeUndefined();
    const foreign = {
      data: Buffer.from('{ not a snapshot, not an index, not at all }'),
      oidBytes: 20,
    };
    expect(diffSnapshots(foreign, now, '', 100)).toBeUndefined();
    // Each ends in a checksum of its own, as another file would: one equal to the current
    // index's says that it is that index.
    const version4 = Buffer.from(now.data);
    version4.writeUInt32BE(4, 4);
    version4.fill(4, version4.length - 20);
    expect(diffSnapshots({ data: version4, oidBytes: 20 }, now, '', 100)).toBeUndefined();
    // More entries than the bytes hold.
    const counted = Buffer.from(now.data);
    counted.writeUInt32BE(now.offsets.length + 5, 8);
    counted.fill(5, counted.length - 20);
    expect(diffSnapshots({ data: counted, oidBytes: 20 }, now, '', 100)).toBeUndefined();
  });
});

describe('statMatches', () => {
  test('matches a file git recorded, before the index was written, and nothing else', () => {
    const dir = repository();
    const file = path.join(dir, 'a.md');
    // Older than the index by far: git records its stat when it writes the index again.
    utimesSync(file, 1_500_000_000, 1_500_000_000);
    git(dir, 'update-index', '--refresh');
    const data = readFileSync(path.join(dir, '.git/index'));
    const snapshot = snapshotFromIndex(data, 20);
    if (!snapshot) throw new Error('unreadable index');
    const written = { ...snapshot, writtenAt: statSync(path.join(dir, '.git/index')).mtimeMs };
    const stat = (name: string) => lstatSync(path.join(dir, name), { bigint: true });
    expect(statMatches(written, 'a.md', stat('a.md'))).toBe(true);
    // The same stat, but changed no earlier than the index was written: racy, so never a match.
    expect(statMatches({ ...snapshot, writtenAt: 1_500_000_000_000 }, 'a.md', stat('a.md'))).toBe(
      false,
    );
    // No index time, another path, the symlink, the executable bit: git must be asked.
    expect(statMatches(snapshot, 'a.md', stat('a.md'))).toBe(false);
    expect(statMatches(written, 'b.md', stat('a.md'))).toBe(false);
    expect(statMatches(written, 'link', stat('link'))).toBe(false);
    chmodSync(file, 0o755);
    expect(statMatches(written, 'a.md', stat('a.md'))).toBe(false);
    chmodSync(file, 0o644);
    // Rewritten with the same size and its old time: the change time still tells.
    writeFileSync(file, 'b\n');
    utimesSync(file, 1_500_000_000, 1_500_000_000);
    expect(statMatches(written, 'a.md', stat('a.md'))).toBe(false);
  });
});
