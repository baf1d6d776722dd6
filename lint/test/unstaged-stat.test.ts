import {
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { snapshotFromIndex, type IndexSnapshot } from '../src/index-snapshot.ts';
import { unstagedByStat } from '../src/unstaged-stat.ts';
import { git } from './helpers/git.ts';
import { tempDir, writeTree } from './helpers/tree.ts';

// Tracked files that differ from the index, decided from their stat where that is exact, in real
// repositories: every answer given equals `git diff --name-only` over the same folders, and
// whatever stat cannot settle is left to git (`undefined`).

/** Seconds since the epoch of the time files get before they are added: long before the index. */
const oldTime = 1_500_000_000;

const files = {
  'plugins/a/agents/x.md': '# X\n',
  'plugins/a/commands/run.md': '# Run\n',
  'plugins/a-b/y.md': '# Y\n',
  'plugins/b/z.md': '# Z\n',
  'plugins/a/empty.md': '',
  'patterns/p/pat_one.md': '# One\n',
};

/** A repository with `files` committed, their times long past. */
function repository(): string {
  const top = tempDir('agentops-lint-unstaged-');
  writeTree(top, files);
  for (const file of Object.keys(files)) utimesSync(path.join(top, file), oldTime, oldTime);
  git(top, 'init', '-q');
  git(top, 'add', '.');
  git(top, 'commit', '-q', '-m', 'tree');
  return top;
}

/** The index as a run reads it: its bytes and when its file was written. */
function indexOf(top: string): IndexSnapshot {
  const file = path.join(top, '.git/index');
  const writtenAt = statSync(file).mtimeMs;
  const snapshot = snapshotFromIndex(readFileSync(file), 20);
  if (!snapshot) throw new Error('unreadable index');
  return { ...snapshot, writtenAt };
}

/** What git says differs in `folders`, sorted. */
function gitDiff(top: string, folders: string[]): string[] {
  return git(top, 'diff', '--name-only', '-z', '--', ...folders.map((dir) => `:(literal)${dir}`))
    .split('\0')
    .filter((entry) => entry !== '')
    .sort();
}

/** `unstagedByStat` over `folders`, sorted, read before git could refresh the index. */
function byStat(top: string, folders: string[], given: string[] = []): string[] | undefined {
  return unstagedByStat(top, indexOf(top), folders, new Set(given), 1000)?.sort();
}

describe('tracked files that differ from the index, from their stat', () => {
  test('are none in a clean tree, as git says, in the folders asked and not in look-alikes', () => {
    const top = repository();
    writeTree(top, { 'plugins/a-b/y.md': '# Changed\n', 'plugins/b/z.md': '# Changed too\n' });
    expect(byStat(top, ['plugins/a', '.claude'])).toEqual([]);
    expect(gitDiff(top, ['plugins/a', '.claude'])).toEqual([]);
  });

  test('are the deleted files, a file whose folder became a file among them', () => {
    const top = repository();
    rmSync(path.join(top, 'plugins/a/agents/x.md'));
    rmSync(path.join(top, 'plugins/a/commands'), { recursive: true });
    writeFileSync(path.join(top, 'plugins/a/commands'), 'now a file\n');
    const found = byStat(top, ['plugins/a']);
    expect(found).toEqual(['plugins/a/agents/x.md', 'plugins/a/commands/run.md']);
    expect(found).toEqual(gitDiff(top, ['plugins/a']));
  });

  test('leave an edit of the same size and modification time to git', () => {
    const top = repository();
    writeFileSync(path.join(top, 'plugins/a/agents/x.md'), '# Q\n');
    utimesSync(path.join(top, 'plugins/a/agents/x.md'), oldTime, oldTime);
    // Its change time differs (to the nanosecond, if not to the second): git answers for it.
    expect(byStat(top, ['plugins/a'])).toBeUndefined();
  });

  test('count the file given alone as changed when its stat differs, asking no one', () => {
    const top = repository();
    writeFileSync(path.join(top, 'plugins/a/agents/x.md'), '# Edited\n');
    expect(byStat(top, ['plugins/a'], ['plugins/a/agents/x.md'])).toEqual([
      'plugins/a/agents/x.md',
    ]);
    expect(gitDiff(top, ['plugins/a'])).toEqual(['plugins/a/agents/x.md']);
  });

  test('leave a file replaced by a symlink to git, and see files behind a folder made a link', () => {
    const top = repository();
    rmSync(path.join(top, 'plugins/a/agents/x.md'));
    symlinkSync('../commands/run.md', path.join(top, 'plugins/a/agents/x.md'));
    expect(byStat(top, ['plugins/a'])).toBeUndefined();
    expect(gitDiff(top, ['plugins/a'])).toEqual(['plugins/a/agents/x.md']);

    const other = repository();
    renameSync(path.join(other, 'plugins/a/agents'), path.join(other, 'plugins/a/moved'));
    symlinkSync('moved', path.join(other, 'plugins/a/agents'));
    // Every stat through the link matches, yet git takes the file for removed.
    const found = byStat(other, ['plugins/a']);
    expect(found).toEqual(['plugins/a/agents/x.md']);
    expect(found).toEqual(gitDiff(other, ['plugins/a']));
  });

  test('leave a file modified no earlier than the index was written to git', () => {
    const top = repository();
    const index = indexOf(top);
    const file = path.join(top, 'plugins/a/agents/x.md');
    const later = (index.writtenAt ?? 0) / 1000 + 5;
    utimesSync(file, later, later);
    expect(unstagedByStat(top, index, ['plugins/a'], new Set(), 1000)).toBeUndefined();
  });

  test('leave entries git is told not to look at to git, and more entries than the limit', () => {
    const assumed = repository();
    git(assumed, 'update-index', '--assume-unchanged', 'plugins/a/agents/x.md');
    expect(byStat(assumed, ['plugins/a'])).toBeUndefined();
    const skipped = repository();
    git(skipped, 'update-index', '--skip-worktree', 'plugins/a/agents/x.md');
    expect(byStat(skipped, ['plugins/a'])).toBeUndefined();
    const intended = repository();
    writeTree(intended, { 'plugins/a/new.md': '# New\n' });
    git(intended, 'add', '-N', 'plugins/a/new.md');
    expect(byStat(intended, ['plugins/a'])).toBeUndefined();
    expect(gitDiff(intended, ['plugins/a'])).toEqual(['plugins/a/new.md']);

    const top = repository();
    expect(unstagedByStat(top, indexOf(top), ['plugins'], new Set(), 4)).toBeUndefined();
    expect(unstagedByStat(top, indexOf(top), ['plugins'], new Set(), 5)).toEqual([]);
  });

  test('take an empty file as git does, and leave an entry git smudged to it', () => {
    const top = repository();
    const index = indexOf(top);
    expect(unstagedByStat(top, index, ['plugins/a'], new Set(), 1000)).toEqual([]);
    // Git keeps a racily clean entry with size 0 and its real object id: it must read that file.
    const smudged = Buffer.from(index.data);
    const at = index.offsets.find(
      (offset) => smudged.toString('utf8', offset + 62, offset + 80) === 'plugins/a/empty.md',
    );
    if (at === undefined) throw new Error('no entry for the empty file');
    smudged.fill(7, at + 40, at + 60);
    expect(
      unstagedByStat(
        top,
        { ...index, ...snapshotFromIndex(smudged, 20) },
        ['plugins/a'],
        new Set(),
        1000,
      ),
    ).toBeUndefined();
  });

  test('leave an index without stat data to git', () => {
    const top = repository();
    const { bytes, data, oidBytes, offsets, pathStarts, pathEnds } = indexOf(top);
    const index = { bytes, data, oidBytes, offsets, pathStarts, pathEnds };
    expect(unstagedByStat(top, index, ['plugins/a'], new Set(), 1000)).toBeUndefined();
  });
});
