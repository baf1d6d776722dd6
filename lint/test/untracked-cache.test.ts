import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { indexChecksum, pathList, pathsDigest, snapshotFromIndex } from '../src/index-snapshot.ts';
import { listUntrackedCached } from '../src/untracked-cache.ts';
import { git } from './helpers/git.ts';
import { tempDir, writeTree } from './helpers/tree.ts';

// The stored listing of untracked files against real git repositories: after every change, the
// list equals what `git ls-files --others --exclude-standard` gives, and git is asked only about
// the folders that changed. Folder times are set by hand (old, then a new old time per step), so
// that only the detection under test can see a change; one test keeps a time inside the second
// the listing was taken, as a coarse clock would.

/** Every folder and file of the work tree but `.git`, relative. */
function entries(top: string, dir = ''): string[] {
  const found = [dir];
  for (const entry of readdirSync(path.join(top, dir), { withFileTypes: true })) {
    const name = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory() && entry.name !== '.git') found.push(...entries(top, name));
    else if (entry.isFile()) found.push(name);
  }
  return found;
}

/** Seconds since the epoch of the oldest times the tests give folders (2017). */
const oldTime = 1_500_000_000;

/** Gives everything changed since the last step (a recent time) the old time of `step`. */
function settle(top: string, step: number): void {
  for (const dir of entries(top)) {
    const absolute = path.join(top, dir);
    if (statSync(absolute).mtimeMs > (oldTime + 1_000_000) * 1000)
      utimesSync(absolute, oldTime + step, oldTime + step);
  }
}

function repository(): { top: string; privateDir: string } {
  const top = tempDir('agentops-lint-untracked-');
  writeTree(top, {
    '.gitignore': '*.log\nbuild/\n',
    'patterns/a/one.md': '# One\n',
    'patterns/b/two.md': '# Two\n',
    'docs/readme.md': '# Docs\n',
    'docs/notes.txt': 'untracked\n',
    'logs/only.log': 'ignored\n',
    'build/out.js': 'ignored\n',
  });
  git(top, 'init', '-q');
  git(top, 'add', '.gitignore', 'patterns', 'docs/readme.md');
  git(top, 'commit', '-q', '-m', 'tree');
  settle(top, 0);
  return { top, privateDir: path.join(top, '.git/agentops-lint') };
}

/** What git lists in full, sorted. */
const fullList = (top: string): string[] =>
  git(top, 'ls-files', '--others', '--exclude-standard', '-z')
    .split('\0')
    .filter((entry) => entry !== '')
    .sort();

/** Listings of ignored files made by `list`, all calls together. */
let ignoredListings = 0;

/** The stored listing's answer, with the pathspecs of each `ls-files` call it made. */
async function list(repo: { top: string; privateDir: string }, scope?: string[]) {
  // The pathspecs of each listing of untracked files (the listing of ignored ones aside).
  const untrackedCalls: string[][] = [];
  const run = (args: string[]): Promise<string> => {
    if (!args.includes('--ignored')) untrackedCalls.push(args.slice(args.indexOf('--') + 1));
    else ignoredListings += 1;
    return new Promise((resolve, reject) =>
      execFile('git', args, { cwd: repo.top, encoding: 'utf8' }, (error, stdout) => {
        if (error) reject(new Error(error.message));
        else resolve(stdout);
      }),
    );
  };
  const index = snapshotFromIndex(readFileSync(path.join(repo.top, '.git/index')), 20);
  if (!index) throw new Error('unreadable index');
  const untracked = await listUntrackedCached(
    repo.top,
    repo.privateDir,
    [],
    {
      checksum: indexChecksum(index),
      digest: () => pathsDigest(index),
      paths: () => pathList(index),
    },
    run,
    scope,
  );
  return { untracked, specs: untrackedCalls };
}

/** How many times a listing made the paths digest of the index, answering as `list` does. */
async function digestsMade(repo: { top: string; privateDir: string }): Promise<number> {
  const index = snapshotFromIndex(readFileSync(path.join(repo.top, '.git/index')), 20);
  if (!index) throw new Error('unreadable index');
  let made = 0;
  const digest = (): string => {
    made += 1;
    return pathsDigest(index);
  };
  const untracked = await listUntrackedCached(
    repo.top,
    repo.privateDir,
    [],
    { checksum: indexChecksum(index), digest, paths: () => pathList(index) },
    (args) => Promise.resolve(git(repo.top, ...args)),
  );
  expect(untracked).toEqual(fullList(repo.top));
  return made;
}

async function primed(): Promise<{ top: string; privateDir: string }> {
  const repo = repository();
  expect(await list(repo)).toEqual({ untracked: ['docs/notes.txt'], specs: [[':/']] });
  expect(await list(repo)).toEqual({ untracked: ['docs/notes.txt'], specs: [] });
  return repo;
}

describe('stored untracked listing', () => {
  test('asks git for ignored folders only where there are folders to walk into', async () => {
    const repo = await primed();
    // A file in a folder of files: one listing, of untracked files.
    writeTree(repo.top, { 'patterns/a/new.md': '# New\n' });
    settle(repo.top, 1);
    let before = ignoredListings;
    const leaf = await list(repo);
    expect([leaf.specs, ignoredListings - before]).toEqual([[[':(top,literal)patterns/a']], 0]);
    expect(leaf.untracked).toEqual(fullList(repo.top));
    // A folder with an ignored folder in it: that one is left out of the stored folders.
    writeTree(repo.top, { 'docs/build/out.js': 'ignored\n', 'docs/more.md': '# More\n' });
    settle(repo.top, 2);
    before = ignoredListings;
    const nested = await list(repo);
    expect([nested.specs, ignoredListings - before]).toEqual([[[':(top,literal)docs']], 1]);
    expect(nested.untracked).toEqual(fullList(repo.top));
    // A file added in the ignored folder changes nothing stored: no listing at all.
    writeTree(repo.top, { 'docs/build/more.js': 'ignored\n' });
    settle(repo.top, 3);
    expect(await list(repo)).toEqual({ untracked: fullList(repo.top), specs: [] });
  });

  test('finds a file added to a folder that exists, listing only that folder', async () => {
    const repo = await primed();
    writeTree(repo.top, { 'patterns/a/new.md': '# New\n' });
    settle(repo.top, 1);
    const result = await list(repo);
    expect(result).toEqual({
      untracked: ['docs/notes.txt', 'patterns/a/new.md'],
      specs: [[':(top,literal)patterns/a']],
    });
    expect(result.untracked).toEqual(fullList(repo.top));
    expect(await list(repo)).toEqual({ untracked: result.untracked, specs: [] });
  });

  test('finds a file in new nested folders through their changed parent', async () => {
    const repo = await primed();
    writeTree(repo.top, { 'patterns/b/deep/er/new.md': '# New\n' });
    settle(repo.top, 1);
    const result = await list(repo);
    expect(result).toEqual({
      untracked: ['docs/notes.txt', 'patterns/b/deep/er/new.md'],
      specs: [[':(top,literal)patterns/b']],
    });
    expect(result.untracked).toEqual(fullList(repo.top));
    // The new folders are stored too: a file added deep inside them is found next time.
    writeTree(repo.top, { 'patterns/b/deep/er/more.md': '# More\n' });
    settle(repo.top, 2);
    expect(await list(repo)).toEqual({
      untracked: ['docs/notes.txt', 'patterns/b/deep/er/more.md', 'patterns/b/deep/er/new.md'],
      specs: [[':(top,literal)patterns/b/deep/er']],
    });
  });

  test('leaves out a new ignored file, and finds one added beside ignored files only', async () => {
    const repo = await primed();
    writeTree(repo.top, { 'patterns/a/debug.log': 'ignored\n', 'build/more.js': 'ignored\n' });
    settle(repo.top, 1);
    const ignored = await list(repo);
    expect(ignored).toEqual({
      untracked: ['docs/notes.txt'],
      specs: [[':(top,literal)patterns/a']],
    });
    expect(ignored.untracked).toEqual(fullList(repo.top));
    // `logs/` holds only ignored files, yet a new file in it counts; `build/` is ignored whole.
    writeTree(repo.top, { 'logs/kept.md': '# Kept\n' });
    settle(repo.top, 2);
    const kept = await list(repo);
    expect(kept).toEqual({
      untracked: ['docs/notes.txt', 'logs/kept.md'],
      specs: [[':(top,literal)logs']],
    });
    expect(kept.untracked).toEqual(fullList(repo.top));
  });

  test('forgets a removed untracked file', async () => {
    const repo = await primed();
    rmSync(path.join(repo.top, 'docs/notes.txt'));
    settle(repo.top, 1);
    const result = await list(repo);
    expect(result).toEqual({ untracked: [], specs: [[':(top,literal)docs']] });
    expect(result.untracked).toEqual(fullList(repo.top));
  });

  test('follows a renamed folder', async () => {
    const repo = await primed();
    writeTree(repo.top, { 'patterns/c/d/three.md': '# Three\n' });
    settle(repo.top, 1);
    expect((await list(repo)).untracked).toEqual(['docs/notes.txt', 'patterns/c/d/three.md']);
    renameSync(path.join(repo.top, 'patterns/c'), path.join(repo.top, 'patterns/e'));
    settle(repo.top, 2);
    const result = await list(repo);
    expect(result).toEqual({
      untracked: ['docs/notes.txt', 'patterns/e/d/three.md'],
      specs: [[':(top,literal)patterns']],
    });
    expect(result.untracked).toEqual(fullList(repo.top));
  });

  test('lists a folder again when its time falls within the second the listing was taken', async () => {
    const repo = repository();
    // A clock that counts whole seconds: the folder's time is this second, before and after.
    const second = Math.floor(Date.now() / 1000);
    utimesSync(path.join(repo.top, 'patterns/a'), second, second);
    expect((await list(repo)).untracked).toEqual(['docs/notes.txt']);
    writeTree(repo.top, { 'patterns/a/new.md': '# New\n' });
    utimesSync(path.join(repo.top, 'patterns/a'), second, second);
    const result = await list(repo);
    expect(result).toEqual({
      untracked: ['docs/notes.txt', 'patterns/a/new.md'],
      specs: [[':(top,literal)patterns/a']],
    });
    expect(result.untracked).toEqual(fullList(repo.top));
  });

  test('lists everything again when a .gitignore keeps its size and time within the second', async () => {
    const repo = repository();
    const second = Math.floor(Date.now() / 1000);
    const gitignore = path.join(repo.top, '.gitignore');
    utimesSync(gitignore, second, second);
    expect((await list(repo)).untracked).toEqual(['docs/notes.txt']);
    writeTree(repo.top, { '.gitignore': '*.txt\nbuild/\n' });
    utimesSync(gitignore, second, second);
    const result = await list(repo);
    expect(result).toEqual({ untracked: ['logs/only.log'], specs: [[':/']] });
    expect(result.untracked).toEqual(fullList(repo.top));
  });

  test('lists everything again when a .gitignore changes, and after a corrupt store', async () => {
    const repo = await primed();
    writeTree(repo.top, { '.gitignore': '*.log\n' });
    settle(repo.top, 1);
    const result = await list(repo);
    expect(result).toEqual({
      untracked: ['build/out.js', 'docs/notes.txt'],
      specs: [[':/']],
    });
    expect(result.untracked).toEqual(fullList(repo.top));
    writeTree(repo.top, { '.git/agentops-lint/untracked.store': '{"version":2,"takenAt":"x"}\n' });
    expect(await list(repo)).toEqual({ untracked: result.untracked, specs: [[':/']] });
  });

  test('sees files enter or leave the index, no folder changing, asking git about those alone', async () => {
    const repo = await primed();
    git(repo.top, 'add', 'docs/notes.txt');
    const added = await list(repo);
    expect(added).toEqual({ untracked: [], specs: [] });
    expect(added.untracked).toEqual(fullList(repo.top));
    git(repo.top, 'rm', '-q', '--cached', 'patterns/a/one.md', 'docs/notes.txt');
    rmSync(path.join(repo.top, 'docs/notes.txt'));
    settle(repo.top, 1);
    const removed = await list(repo);
    expect(removed).toEqual({
      untracked: ['patterns/a/one.md'],
      specs: [
        [':(top,literal)docs'],
        [':(top,literal)docs/notes.txt', ':(top,literal)patterns/a/one.md'],
      ],
    });
    expect(removed.untracked).toEqual(fullList(repo.top));
    expect(await list(repo)).toEqual({ untracked: removed.untracked, specs: [] });
  });

  test('makes no paths digest while the index file is the same, and stores a new one’s checksum', async () => {
    const repo = await primed();
    expect(await digestsMade(repo)).toBe(0);
    // Written again by git with other stat data: the same paths, another checksum.
    utimesSync(path.join(repo.top, 'patterns/a/one.md'), oldTime + 7, oldTime + 7);
    git(repo.top, 'update-index', '--refresh');
    expect(await digestsMade(repo)).toBe(1);
    expect(await digestsMade(repo)).toBe(0);
    // Other paths: the digest tells, and the listing follows.
    git(repo.top, 'add', 'docs/notes.txt');
    expect(await digestsMade(repo)).toBe(1);
    expect(await digestsMade(repo)).toBe(0);
  });

  test('is the same as a full listing when many folders change at once', async () => {
    const repo = await primed();
    const files: Record<string, string> = {};
    for (let at = 0; at < 120; at += 1) files[`many/f${at}/x.md`] = 'x\n';
    writeTree(repo.top, { 'patterns/z/new.md': '# New\n', ...files });
    const result = await list(repo);
    // The top folder changed (a new folder in it): one listing of everything.
    expect(result.specs).toEqual([[':/']]);
    expect(result.untracked).toEqual(fullList(repo.top));
  });

  test('checks only folders inside or above the scope, leaving the rest for a later check', async () => {
    const repo = await primed();
    writeTree(repo.top, { 'patterns/a/new.md': '# New\n', 'docs/more.md': '# More\n' });
    settle(repo.top, 1);
    expect(await list(repo, ['patterns/a'])).toEqual({
      untracked: ['docs/notes.txt', 'patterns/a/new.md'],
      specs: [[':(top,literal)patterns/a']],
    });
    // A new folder beside the scope changes the folder above it, which a check of the scope
    // leaves for a check that covers it: nothing on the way to the scope is new.
    writeTree(repo.top, { 'patterns/c/other.md': '# Other\n', 'top.md': '# Top\n' });
    settle(repo.top, 2);
    expect(await list(repo, ['patterns/a'])).toEqual({
      untracked: ['docs/notes.txt', 'patterns/a/new.md'],
      specs: [],
    });
    const all = await list(repo);
    expect(all).toEqual({
      untracked: [
        'docs/more.md',
        'docs/notes.txt',
        'patterns/a/new.md',
        'patterns/c/other.md',
        'top.md',
      ],
      specs: [[':/']],
    });
    expect(all.untracked).toEqual(fullList(repo.top));
  });

  test('lists a folder above the scope again when a folder on the way to the scope is new', async () => {
    const repo = await primed();
    writeTree(repo.top, { 'notes.md': '# Notes\n' });
    settle(repo.top, 1);
    // A file at the top: nothing the scope needs.
    expect(await list(repo, ['patterns/a', 'skills/s'])).toEqual({
      untracked: ['docs/notes.txt'],
      specs: [],
    });
    // The scope's own folder made anew at the top, with a file in it.
    writeTree(repo.top, { 'skills/s/SKILL.md': '# Skill\n' });
    settle(repo.top, 2);
    const scoped = await list(repo, ['patterns/a', 'skills/s']);
    expect(scoped.untracked).toEqual(['docs/notes.txt', 'notes.md', 'skills/s/SKILL.md']);
    expect(scoped.untracked).toEqual(fullList(repo.top));
  });

  test('lists the scope alone when nothing is stored, leaving each other folder to the check that covers it', async () => {
    const repo = repository();
    writeTree(repo.top, { 'patterns/a/new.md': '# New\n', 'patterns/b/deep/x.md': '# X\n' });
    settle(repo.top, 1);
    const scope = ['.claude', 'patterns/a'];
    const first = { untracked: ['patterns/a/new.md'], specs: [[':(top,literal)patterns/a']] };
    expect(await list(repo, scope)).toEqual(first);
    expect(await list(repo, scope)).toEqual({ ...first, specs: [] });
    // A folder beside the scope, and one below a folder beside it, each listed when first checked.
    expect(await list(repo, ['docs'])).toEqual({
      untracked: ['docs/notes.txt', 'patterns/a/new.md'],
      specs: [[':(top,literal)docs']],
    });
    expect(await list(repo, ['patterns/b/deep'])).toEqual({
      untracked: ['docs/notes.txt', 'patterns/a/new.md', 'patterns/b/deep/x.md'],
      specs: [[':(top,literal)patterns/b']],
    });
    // The scope's own folder made at the top later.
    writeTree(repo.top, { '.claude/agents/a.md': '# A\n', 'top.md': '# Top\n' });
    settle(repo.top, 2);
    const all = [
      '.claude/agents/a.md',
      'docs/notes.txt',
      'patterns/a/new.md',
      'patterns/b/deep/x.md',
    ];
    expect(await list(repo, scope)).toEqual({ untracked: [...all, 'top.md'], specs: [[':/']] });
    // The whole tree: as git lists it, once.
    const whole = await list(repo);
    expect(whole.untracked).toEqual(fullList(repo.top));
    expect(whole.specs).toEqual([]);
  });

  test('lists the whole tree at the first check without a scope after a scoped first listing', async () => {
    const repo = repository();
    expect(await list(repo, ['patterns'])).toEqual({
      untracked: [],
      specs: [[':(top,literal)patterns']],
    });
    expect(await list(repo)).toEqual({ untracked: fullList(repo.top), specs: [[':/']] });
    expect(fullList(repo.top)).toEqual(['docs/notes.txt']);
  });

  test('stores a folder it did not check as changed when its time was too close to the listing', async () => {
    const repo = repository();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // `docs` changes within the second the listing is taken, as a coarse clock would show it.
      const second = Math.floor(Date.now() / 1000);
      vi.setSystemTime(second * 1000 + 500);
      utimesSync(path.join(repo.top, 'docs'), second, second);
      expect((await list(repo)).untracked).toEqual(['docs/notes.txt']);
      writeTree(repo.top, { 'docs/late.md': '# Late\n' });
      utimesSync(path.join(repo.top, 'docs'), second, second);
      // Ten seconds on, a check of `patterns` alone stores a new listing without looking at `docs`.
      vi.setSystemTime((second + 10) * 1000);
      writeTree(repo.top, { 'patterns/a/new.md': '# New\n' });
      utimesSync(path.join(repo.top, 'patterns/a'), second + 5, second + 5);
      expect((await list(repo, ['patterns'])).specs).toEqual([[':(top,literal)patterns/a']]);
      // `docs` keeps its time, yet the next check of it lists it again.
      const all = await list(repo);
      expect(all).toEqual({
        untracked: ['docs/late.md', 'docs/notes.txt', 'patterns/a/new.md'],
        specs: [[':(top,literal)docs']],
      });
      expect(all.untracked).toEqual(fullList(repo.top));
    } finally {
      vi.useRealTimers();
    }
  });
});
