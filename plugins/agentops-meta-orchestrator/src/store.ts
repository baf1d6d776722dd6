import fs from 'node:fs';
import path from 'node:path';
import { LearnError } from './git.ts';

/** Where a store keeps its files. */
export interface StoreLayout {
  /** The store directory as given. */
  root: string;
  /** The repository top level, when the store is inside a git work tree. */
  repoRoot: string | undefined;
  /** Pattern files go to `<patternsDir>/<category>/<pattern_id>.md`. */
  patternsDir: string;
  /** Log, spool, config and background log live here. */
  dataDir: string;
  executionsDir: string;
  spoolDir: string;
  configFile: string;
  backgroundLog: string;
}

/** The store's settings (`config.json` in the data directory). */
export interface StoreConfig {
  /** Extract and commit in the background at session end. */
  autoLearn: boolean;
  /** `side-ref` commits to `refs/heads/agentops/memory`; `on-branch` to the current branch. */
  commitMode: 'side-ref' | 'on-branch';
  /** Keep the (redacted) task text in records. */
  storeTaskText: boolean;
  /** Validation rule. */
  rule: 'bayes' | 'legacy';
}

/** Settings used when the config file is absent or a field is invalid. */
const defaultConfig: StoreConfig = {
  autoLearn: true,
  commitMode: 'side-ref',
  storeTaskText: false,
  rule: 'bayes',
};

/** Finds the top level of the git work tree containing `dir`, without running git. */
export function findRepoRoot(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Lays out a store. A store folder named `patterns` is a published store: pattern files at its
 * top and the log in its `.log/` folder. Any other folder (the default `.agentops/`) keeps the
 * log at its top and pattern files in its `patterns/` folder.
 */
export function storeLayout(storeArg: string | undefined, cwd: string): StoreLayout {
  const repoRoot = findRepoRoot(cwd);
  const root = path.resolve(cwd, storeArg ?? path.join(repoRoot ?? cwd, '.agentops'));
  const published = path.basename(root) === 'patterns';
  const dataDir = published ? path.join(root, '.log') : root;
  return {
    root,
    repoRoot: findRepoRoot(root) ?? repoRoot,
    patternsDir: published ? root : path.join(root, 'patterns'),
    dataDir,
    executionsDir: path.join(dataDir, 'executions'),
    spoolDir: path.join(dataDir, 'spool'),
    configFile: path.join(dataDir, 'config.json'),
    backgroundLog: path.join(dataDir, 'learn.log'),
  };
}

/** Reads the store's config, ignoring anything malformed. */
export function readConfig(layout: StoreLayout): StoreConfig {
  const config = { ...defaultConfig };
  let data: unknown;
  try {
    const text = fs.readFileSync(layout.configFile, 'utf8');
    if (text.length > 64 * 1024) return config;
    data = JSON.parse(text);
  } catch {
    return config;
  }
  if (typeof data !== 'object' || data === null) return config;
  const record = data as Record<string, unknown>;
  if (typeof record.autoLearn === 'boolean') config.autoLearn = record.autoLearn;
  if (record.commitMode === 'side-ref' || record.commitMode === 'on-branch')
    config.commitMode = record.commitMode;
  if (typeof record.storeTaskText === 'boolean') config.storeTaskText = record.storeTaskText;
  if (record.rule === 'bayes' || record.rule === 'legacy') config.rule = record.rule;
  return config;
}

/**
 * The folder that holds the store (the repository, for `.agentops/`). The engine makes folders
 * only inside it and never makes it: a worker started in the background at a session's end must
 * not make a repository removed meanwhile again.
 */
export function storeHome(layout: StoreLayout): string {
  return path.dirname(layout.root);
}

function isDirectory(dir: string): boolean {
  return fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true;
}

/**
 * Makes `dir` and the folders between it and `home`, one at a time from `home` down, and never
 * `home` itself: when `home` (or a folder on the way) is removed at any moment, the next `mkdir`
 * fails instead of making it again, which a check before a recursive `mkdir` could not promise.
 * Tolerates other processes making the same folders at the same time.
 */
export function ensureDir(dir: string, home: string): void {
  if (isDirectory(dir)) return;
  const relative = path.relative(home, dir);
  if (relative === '') throw new LearnError(`The folder ${home} does not exist`);
  if (relative.startsWith('..') || path.isAbsolute(relative))
    throw new Error(`${dir} is not inside ${home}`);
  let current = home;
  for (const part of relative.split(path.sep)) {
    current = path.join(current, part);
    try {
      fs.mkdirSync(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && isDirectory(current)) continue;
      if (code === 'ENOENT')
        throw new LearnError(`The folder ${path.dirname(current)} does not exist`);
      throw error;
    }
  }
}

let tempCounter = 0;

/**
 * Writes a file atomically into an existing folder: a temp file in the same folder, fsync
 * (unless `durable` is false: then a crash may lose the file, never leave it half written),
 * rename.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array, durable = true): void {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Date.now()}.${tempCounter++}.tmp`,
  );
  const fd = fs.openSync(temp, 'w', 0o644);
  try {
    fs.writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

// What the store keeps out of git when its files are committed to the current branch (and in
// the published `patterns/` store): only the local working files.
const workingFilesIgnore = 'spool/\nlock/\nlearn.log\n*.tmp\n';

// The default store is committed to its own ref, never to the user's branch: it ignores itself
// whole, so nothing of it shows in `git status` or is swept in by `git add -A`.
const selfIgnore =
  '# agentops-learn commits this store to refs/heads/agentops/memory, never to your branch.\n*\n';

/** The `.gitignore` the store's data folder should have. */
function storeIgnore(layout: StoreLayout, config: StoreConfig): string {
  const published = layout.dataDir !== layout.root;
  return published || config.commitMode === 'on-branch' ? workingFilesIgnore : selfIgnore;
}

/**
 * Creates the data folder and its `.gitignore`, and brings a `.gitignore` the engine wrote
 * before up to date when the commit mode changed; one edited by hand is left alone.
 */
export function ensureDataDir(layout: StoreLayout): void {
  const home = storeHome(layout);
  if (!isDirectory(home))
    throw new LearnError(`The folder that holds the store, ${home}, does not exist`);
  ensureDir(layout.dataDir, home);
  const ignore = path.join(layout.dataDir, '.gitignore');
  let current: string | undefined;
  try {
    current = fs.readFileSync(ignore, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== undefined && current !== workingFilesIgnore && current !== selfIgnore) return;
  const wanted = storeIgnore(layout, readConfig(layout));
  if (current === wanted) return;
  try {
    writeFileAtomic(ignore, wanted);
  } catch {
    // A read-only store still records nothing worse than a missing ignore file.
  }
}

/** Appends a line to the store's background log (never throws). */
export function logBackground(layout: StoreLayout, message: string): void {
  try {
    ensureDir(layout.dataDir, storeHome(layout));
    const line = `${new Date().toISOString()} ${message.replace(/\s+/g, ' ').slice(0, 2000)}\n`;
    fs.appendFileSync(layout.backgroundLog, line);
    const stat = fs.statSync(layout.backgroundLog);
    if (stat.size > 256 * 1024) {
      const text = fs.readFileSync(layout.backgroundLog, 'utf8');
      writeFileAtomic(layout.backgroundLog, text.slice(text.length - 128 * 1024));
    }
  } catch {
    // Logging must never fail the caller.
  }
}

/** Repository-relative form of a path with forward slashes, or `undefined` outside the repo. */
export function repoRelative(file: string, repoRoot: string | undefined): string | undefined {
  if (repoRoot === undefined) return undefined;
  const relative = path.relative(repoRoot, path.resolve(repoRoot, file));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}
