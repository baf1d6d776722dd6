import { existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Which parts of the work tree a file-argument run must check for changes: the folders whose files
 * can change what the given files are told. Everything else is taken from the stored facts
 * unchecked, which is exact only because no change there can reach the given files' messages.
 *
 * The catalog loader reads the marketplace, `.claude/`, `patterns/`, `plugins/` and the folders
 * marketplace entries name, nothing else of a catalog (a plugin at the catalog's root would have
 * files anywhere: then the whole tree is checked). A file inside a plugin folder
 * (`plugins/<name>/…`) is checked by the plugin rules against its own plugin and the marketplace
 * alone, and a run loads that plugin and the marketplace from the work tree whatever else changed:
 * the plugin's folder, `.claude-plugin/` and `.claude/` are all it needs. Any other file of a
 * catalog is checked against facts of the whole catalog, and a file outside a catalog with a
 * marketplace against the whole work tree.
 */

/** `dir/name` exists, as anything (a dangling symlink too). */
function isThere(dir: string, ...names: string[]): boolean {
  return lstatSync(path.join(dir, ...names), { throwIfNoEntry: false }) !== undefined;
}

function isRealDir(file: string): boolean {
  return lstatSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/**
 * The catalog root of a file, as the run finds it: the nearest folder upward with a marketplace,
 * not past the top of the work tree. `undefined` when there is none.
 */
function marketplaceRoot(file: string): string | undefined {
  for (let dir = path.dirname(file); ;) {
    if (existsSync(path.join(dir, '.claude-plugin', 'marketplace.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir || existsSync(path.join(dir, '.git'))) return undefined;
    dir = up;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The folders marketplace entries may name as plugin folders, relative to the catalog root, read
 * as loosely as any reading of `source` and `metadata.pluginRoot` could be; `undefined` when one
 * may be the root or above it, or the marketplace cannot be read.
 */
function entryFolders(marketplace: string): string[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(marketplace, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isObject(data)) return undefined;
  const pluginRoot =
    isObject(data.metadata) && typeof data.metadata.pluginRoot === 'string'
      ? data.metadata.pluginRoot
      : undefined;
  const folders: string[] = [];
  for (const entry of Array.isArray(data.plugins) ? (data.plugins as unknown[]) : []) {
    if (!isObject(entry) || typeof entry.source !== 'string') continue;
    // The usual layout first: nothing to add, and a catalog may list thousands of them.
    if (pluginRoot === undefined && simpleSource.test(entry.source)) continue;
    const written = [entry.source];
    if (pluginRoot !== undefined) written.push(path.posix.join(pluginRoot, entry.source));
    for (const source of written) {
      const dir = path.posix.normalize(source.replaceAll('\\', '/')).replace(/\/+$/, '');
      if (dir === '' || dir === '.' || dir === '..' || dir.startsWith('../')) return undefined;
      // An absolute source names no folder of the catalog.
      if (!dir.startsWith('/')) folders.push(dir);
    }
  }
  return folders;
}

/** A source naming one folder inside `plugins/` or `patterns/`, written the simplest way. */
const simpleSource = /^\.\/(?:plugins|patterns)\/[^/\\.][^/\\]*\/?$/;

/** The folders of a catalog the loader reads besides those entries name, relative to its root. */
const catalogFolders = ['.claude', '.claude-plugin', 'patterns', 'plugins'];

/**
 * The folders a file depends on, absolute, or `undefined`: the whole work tree. The file's own
 * folder is among them, so that an untracked file given is found.
 */
function scopeOf(file: string): string[] | undefined {
  const root = marketplaceRoot(file);
  if (root === undefined) return undefined;
  // A plugin at the root holds files everywhere.
  if (isThere(root, '.claude-plugin', 'plugin.json')) return undefined;
  const entries = entryFolders(path.join(root, '.claude-plugin', 'marketplace.json'));
  if (entries === undefined) return undefined;
  const own = path.dirname(file);
  const [top, name, ...rest] = path.relative(root, file).split(path.sep);
  if (
    top === 'plugins' &&
    name !== undefined &&
    name !== '..' &&
    rest.length > 0 &&
    isRealDir(path.join(root, 'plugins')) &&
    isRealDir(path.join(root, 'plugins', name)) &&
    // An entry naming `plugins` itself would hold every plugin folder.
    !entries.includes('plugins')
  ) {
    const plugin = path.join(root, 'plugins', name);
    return [plugin, path.join(root, '.claude-plugin'), path.join(root, '.claude'), own];
  }
  return [...catalogFolders, ...entries].map((folder) => path.join(root, folder)).concat(own);
}

/**
 * The folders (absolute) whose changes can change the messages of the given files (absolute), or
 * `undefined` when that is the whole work tree.
 */
export function watchedFolders(files: readonly string[]): string[] | undefined {
  const folders: string[] = [];
  for (const file of files) {
    const scope = scopeOf(file);
    if (scope === undefined) return undefined;
    folders.push(...scope);
  }
  if (folders.length === 0) return undefined;
  // The outermost of nested folders: each covers everything under it.
  const outermost: string[] = [];
  for (const folder of folders.sort()) {
    const last = outermost.at(-1);
    if (last === undefined || !(folder === last || folder.startsWith(`${last}${path.sep}`)))
      outermost.push(folder);
  }
  return outermost;
}
