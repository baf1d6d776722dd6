import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Where git keeps a work tree's files, found the way git finds them, without starting git: a short
 * run spends less time on this than on starting one git process. Only the common layouts are read
 * here (a `.git` folder, or a `.git` file naming the git folder, as linked work trees and
 * submodules have); anything else (a bare repository, `core.worktree`, `GIT_DIR` and its friends,
 * a config file this reader cannot follow) is left to git itself.
 */

/** Where a work tree is and where git keeps its index and our private files. */
export interface GitPaths {
  /** The top folder of the work tree, as git names it (symlinks resolved). */
  top: string;
  /** `<git dir>/agentops-lint`: private to this work tree. */
  privateDir: string;
  indexFile: string;
  /** `info/exclude`, absolute. */
  excludeFile: string;
  /** Bytes of an object id: 20 (SHA-1) or 32 (SHA-256). */
  oidBytes: number;
}

/** Variables that change where git looks or what its config says: git answers then. */
const gitVariables = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_COMMON_DIR',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_SYSTEM',
  'GIT_CONFIG_NOSYSTEM',
];

const readText = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** Whether a config text may say something this reader does not follow: includes, a work tree. */
const isPlain = (config: string): boolean =>
  !/^\s*\[\s*include/im.test(config) &&
  !/^\s*worktree\s*=/im.test(config) &&
  !/^\s*bare\s*=\s*true\s*$/im.test(config);

/**
 * The git folder a `.git` entry of `dir` leads to: the folder itself, or the one a `gitdir:` file
 * names. `undefined` when there is none; `null` when there is one this reader does not follow.
 */
function gitDirAt(dir: string): string | undefined | null {
  const entry = path.join(dir, '.git');
  const stat = lstatSync(entry, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (stat.isDirectory()) return entry;
  if (!stat.isFile()) return null;
  const written = /^gitdir: (.+?)\r?\n?$/.exec(readText(entry) ?? '')?.[1];
  return written === undefined ? null : path.resolve(dir, written);
}

/**
 * Where git keeps the files of the work tree holding `cwd`, or `undefined` when git must be asked
 * (see above): never a guess where git could answer otherwise.
 */
export function findGitPaths(cwd: string): GitPaths | undefined {
  if (gitVariables.some((name) => process.env[name] !== undefined)) return undefined;
  try {
    let dir = realpathSync.native(cwd);
    // Inside a git folder, git finds no work tree; across file systems it stops looking.
    if (dir.split(path.sep).includes('.git')) return undefined;
    const device = statSync(dir).dev;
    let gitDir: string | undefined | null;
    for (;;) {
      gitDir = gitDirAt(dir);
      if (gitDir !== undefined) break;
      const up = path.dirname(dir);
      if (up === dir || statSync(up).dev !== device) return undefined;
      dir = up;
    }
    if (gitDir === null || !lstatSync(path.join(gitDir, 'HEAD')).isFile()) return undefined;
    // A linked work tree keeps its index and private files apart, and shares the rest.
    const common = readText(path.join(gitDir, 'commondir'))?.trim();
    const commonDir = common === undefined ? gitDir : path.resolve(gitDir, common);
    const config = readText(path.join(commonDir, 'config'));
    if (config === undefined || !isPlain(config)) return undefined;
    if (/^\s*worktreeconfig\s*=\s*true/im.test(config)) return undefined;
    const indexFile = process.env['GIT_INDEX_FILE'];
    return {
      top: dir,
      privateDir: path.join(gitDir, 'agentops-lint'),
      indexFile:
        indexFile === undefined ? path.join(gitDir, 'index') : path.resolve(cwd, indexFile),
      excludeFile: path.join(commonDir, 'info', 'exclude'),
      oidBytes: /^\s*objectformat\s*=\s*sha256\s*$/im.test(config) ? 32 : 20,
    };
  } catch {
    return undefined;
  }
}

/** Where git's own config files may be: system-wide (by install prefix) and the user's. */
function configFiles(): string[] | undefined {
  const home = process.env['HOME'];
  if (!home) return undefined;
  const xdg = process.env['XDG_CONFIG_HOME'] || path.join(home, '.config');
  return [
    '/etc/gitconfig',
    '/usr/local/etc/gitconfig',
    '/opt/homebrew/etc/gitconfig',
    path.join(xdg, 'git', 'config'),
    path.join(home, '.gitconfig'),
  ];
}

/**
 * The user's own ignore file when no config file sets `core.excludesFile` (git's default place for
 * it), or `undefined` when one may: git must be asked then.
 */
export function defaultExcludeFile(paths: GitPaths): string | undefined {
  if (gitVariables.some((name) => process.env[name] !== undefined)) return undefined;
  const files = configFiles();
  if (!files) return undefined;
  const repository = path.join(path.dirname(paths.excludeFile), '..', 'config');
  for (const file of [...files, repository]) {
    const text = readText(file);
    if (text !== undefined && (/excludesfile/i.test(text) || /\[\s*include/i.test(text)))
      return undefined;
  }
  const home = process.env['HOME'] ?? '';
  const xdg = process.env['XDG_CONFIG_HOME'] || path.join(home, '.config');
  return path.join(xdg, 'git', 'ignore');
}
