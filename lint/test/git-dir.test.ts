import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultExcludeFile, findGitPaths, type GitPaths } from '../src/git-dir.ts';
import { git } from './helpers/git.ts';
import { tempDir, writeTree } from './helpers/tree.ts';

// The git folder is found without starting git for the layouts git itself would find the same
// way, and left to git (`undefined`) for every other one. Each answer is compared with what
// `git rev-parse` says in the same place.

/** What `git rev-parse` says of `cwd`, in the form `findGitPaths` answers. */
function askGit(cwd: string): GitPaths {
  const [top = '', privateDir = '', indexFile = '', excludeFile = '', format = ''] = git(
    cwd,
    'rev-parse',
    '--show-toplevel',
    '--git-path',
    'agentops-lint',
    '--git-path',
    'index',
    '--git-path',
    'info/exclude',
    '--show-object-format',
  )
    .trim()
    .split('\n');
  return {
    top: path.resolve(cwd, top),
    privateDir: path.resolve(cwd, privateDir),
    indexFile: path.resolve(cwd, indexFile),
    excludeFile: path.resolve(cwd, excludeFile),
    oidBytes: format === 'sha256' ? 32 : 20,
  };
}

/** A repository with one commit, in a folder without symlinks on its path. */
function repository(...init: string[]): string {
  const dir = realpathSync(tempDir('agentops-lint-gitdir-'));
  git(dir, 'init', '-q', ...init);
  writeTree(dir, { 'a/b/file.md': '# A\n' });
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'one');
  return dir;
}

const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

describe('findGitPaths', () => {
  test('finds a work tree’s git folder from a folder inside it, as git does', () => {
    const dir = repository();
    const cwd = path.join(dir, 'a/b');
    expect(findGitPaths(cwd)).toEqual(askGit(cwd));
    expect(findGitPaths(cwd)).toEqual({
      top: dir,
      privateDir: path.join(dir, '.git/agentops-lint'),
      indexFile: path.join(dir, '.git/index'),
      excludeFile: path.join(dir, '.git/info/exclude'),
      oidBytes: 20,
    });
  });

  test('follows a .git file to a linked work tree’s own folder, sharing info/exclude', () => {
    const dir = repository();
    const linked = realpathSync(tempDir('agentops-lint-linked-'));
    // The layout of a linked work tree: its own git folder under the main one's `worktrees/`.
    const own = path.join(dir, '.git/worktrees/linked');
    mkdirSync(own, { recursive: true });
    writeFileSync(path.join(own, 'HEAD'), `${git(dir, 'rev-parse', 'HEAD').trim()}\n`);
    writeFileSync(path.join(own, 'commondir'), '../..\n');
    writeFileSync(path.join(own, 'gitdir'), `${path.join(linked, '.git')}\n`);
    writeFileSync(path.join(linked, '.git'), `gitdir: ${own}\n`);
    git(linked, 'reset', '-q', '--hard');
    const found = findGitPaths(linked);
    expect(found).toEqual(askGit(linked));
    expect(found).toMatchObject({
      top: linked,
      privateDir: path.join(own, 'agentops-lint'),
      indexFile: path.join(own, 'index'),
      excludeFile: path.join(dir, '.git/info/exclude'),
    });
  });

  test('honours GIT_INDEX_FILE, as a commit hook sees it', () => {
    const dir = repository();
    process.env['GIT_INDEX_FILE'] = '.git/next-index';
    expect(findGitPaths(dir)).toEqual(askGit(dir));
    expect(findGitPaths(dir)?.indexFile).toBe(path.join(dir, '.git/next-index'));
  });

  test('reads the object format of a SHA-256 repository', () => {
    const dir = repository('--object-format=sha256');
    expect(findGitPaths(dir)).toEqual(askGit(dir));
    expect(findGitPaths(dir)?.oidBytes).toBe(32);
  });

  test('leaves GIT_DIR, core.worktree, a bare repository and a git folder itself to git', () => {
    const dir = repository();
    expect(findGitPaths(path.join(dir, '.git'))).toBeUndefined();
    git(dir, 'config', 'core.worktree', dir);
    expect(findGitPaths(dir)).toBeUndefined();
    git(dir, 'config', '--unset', 'core.worktree');
    expect(findGitPaths(dir)).toEqual(askGit(dir));
    git(dir, 'config', 'core.bare', 'true');
    expect(findGitPaths(dir)).toBeUndefined();
    git(dir, 'config', 'core.bare', 'false');
    process.env['GIT_DIR'] = path.join(dir, '.git');
    expect(findGitPaths(dir)).toBeUndefined();
  });

  test('finds nothing where git finds no repository, and a .git file it cannot read is git’s', () => {
    const dir = realpathSync(tempDir('agentops-lint-nogit-'));
    writeFileSync(path.join(dir, '.git'), 'not a gitdir line\n');
    expect(findGitPaths(dir)).toBeUndefined();
  });
});

describe('defaultExcludeFile', () => {
  test('is git’s default place unless a config file may set core.excludesFile', () => {
    const dir = repository();
    const home = realpathSync(tempDir('agentops-lint-home-'));
    process.env['HOME'] = home;
    delete process.env['XDG_CONFIG_HOME'];
    const paths = findGitPaths(dir);
    if (!paths) throw new Error('no git folder found');
    expect(defaultExcludeFile(paths)).toBe(path.join(home, '.config/git/ignore'));
    git(dir, 'config', 'core.excludesFile', path.join(home, 'ignored'));
    expect(defaultExcludeFile(paths)).toBeUndefined();
    git(dir, 'config', '--unset', 'core.excludesFile');
    writeTree(home, { '.gitconfig': '[core]\n\texcludesFile = ~/ignored\n' });
    expect(defaultExcludeFile(paths)).toBeUndefined();
    writeTree(home, { '.gitconfig': '[user]\n\tname = A\n' });
    expect(defaultExcludeFile(paths)).toBe(path.join(home, '.config/git/ignore'));
    process.env['GIT_CONFIG_GLOBAL'] = path.join(home, 'other');
    expect(defaultExcludeFile(paths)).toBeUndefined();
  });
});
