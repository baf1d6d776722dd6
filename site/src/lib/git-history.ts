import { execFileSync } from 'node:child_process';

/** First and last commit dates (ISO 8601) of a file or folder. */
export interface PathHistory {
  updated: string;
  created: string;
}

const commitMark = '\u0001';

/**
 * Folds `git log --name-only --format=<mark><date>` output (newest commit first) into the last
 * and first commit date of every file and of every folder above it (`''` is the root).
 */
export function parseGitLog(text: string): Map<string, PathHistory> {
  const history = new Map<string, PathHistory>();
  const touch = (path: string, date: string): void => {
    const known = history.get(path);
    if (known) known.created = date;
    else history.set(path, { updated: date, created: date });
  };
  let date: string | undefined;
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.startsWith(commitMark)) {
      const stamp = new Date(line.slice(1).trim());
      date = Number.isNaN(stamp.getTime()) ? undefined : stamp.toISOString();
      seen.clear();
      continue;
    }
    if (!line || date === undefined) continue;
    const parts = line.split('/');
    for (let i = parts.length; i >= 0; i--) {
      const path = parts.slice(0, i).join('/');
      if (seen.has(path)) break;
      seen.add(path);
      touch(path, date);
    }
  }
  return history;
}

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', root, '-c', 'core.quotePath=off', ...args], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    // Not a git repository, or git is missing: the site shows no dates.
    return undefined;
  }
}

/** Commit dates of every path under `root` from git history; empty outside a git repository. */
export function readGitHistory(root: string): Map<string, PathHistory> {
  const text = git(root, [
    'log',
    '--relative',
    '--name-only',
    `--format=${commitMark}%cI`,
    '--',
    '.',
  ]);
  return text === undefined ? new Map<string, PathHistory>() : parseGitLog(text);
}

/** The URL of the `origin` remote, when there is one. */
export function readGitRemote(root: string): string | undefined {
  return git(root, ['remote', 'get-url', 'origin'])?.trim() || undefined;
}

/** The commit checked out, when `root` is in a git repository. */
export function readGitHead(root: string): string | undefined {
  return git(root, ['rev-parse', 'HEAD'])?.trim() || undefined;
}

/** The path of `root` relative to the top of its git repository (`''` at the top). */
export function readGitPrefix(root: string): string {
  return git(root, ['rev-parse', '--show-prefix'])?.trim() ?? '';
}
