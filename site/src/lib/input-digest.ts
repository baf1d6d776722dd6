import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const skippedDirs = new Set(['.git', 'node_modules', 'dist', '.astro', '.cache']);

/** Files of a folder outside git, relative and sorted, skipping build output and dependencies. */
function walk(root: string, under: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!skippedDirs.has(entry.name)) visit(rel);
      } else if (entry.isFile()) files.push(rel);
    }
  };
  for (const start of under.length > 0 ? under : ['']) {
    if (start !== '' && statSync(path.join(root, start), { throwIfNoEntry: false })?.isFile())
      files.push(start);
    else visit(start);
  }
  return files.sort();
}

/**
 * The files under `root` that can change a build: in a git work tree, the tracked and untracked
 * files git does not ignore (`under` limits them to some paths); elsewhere, every file except
 * dependencies and build output.
 */
function inputFiles(root: string, under: readonly string[]): string[] {
  try {
    const listed = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...under],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 },
    );
    return [...new Set(listed.split('\0').filter((file) => file !== ''))].sort();
  } catch {
    return walk(root, under);
  }
}

/**
 * A SHA-256 of every input file's path and bytes under `root` (see `inputFiles`), plus `extra`
 * strings (settings, a commit): equal digests mean a build of these inputs would come out the same.
 */
export function inputsDigest(
  root: string,
  under: readonly string[] = [],
  extra: readonly string[] = [],
): string {
  const hash = createHash('sha256');
  for (const value of extra) hash.update(`extra\0${value}\0`);
  for (const file of inputFiles(root, under)) {
    hash.update(`file\0${file}\0`);
    try {
      hash.update(readFileSync(path.join(root, file)));
    } catch {
      // Tracked but deleted in the work tree, or unreadable: the name alone marks its state.
      hash.update('\0missing\0');
    }
  }
  return hash.digest('hex');
}
