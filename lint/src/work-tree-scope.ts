import { existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Which parts of the work tree a file-argument run must check for changes: the folders whose files
 * can change what the given files are told. Everything else is taken from the stored facts
 * unchecked, which is exact only because no change there can reach the given files' messages.
 *
 * A file inside a plugin folder (`plugins/<name>/…` of a catalog with a marketplace) is checked
 * by the plugin rules against its own plugin and the marketplace alone, and a run loads that
 * plugin and the marketplace from the work tree whatever else changed: the plugin's folder and
 * the catalog's `.claude-plugin/` and `.claude/` are all it needs. Any other file (a pattern, the
 * marketplace, a file of a plugin at the catalog's root or of one another plugin holds) is checked
 * against facts of the whole catalog: the whole work tree is checked.
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
 * Whether a marketplace entry may name a folder that holds the plugin folders (`plugins`, the
 * root, or above it): its plugin would hold the given file too. Read as loosely as any reading
 * of `source` and `metadata.pluginRoot` could be; an unreadable marketplace counts as one that
 * does.
 */
function namesEnclosingFolder(marketplace: string): boolean {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(marketplace, 'utf8'));
  } catch {
    return true;
  }
  if (!isObject(data)) return true;
  const pluginRoot =
    isObject(data.metadata) && typeof data.metadata.pluginRoot === 'string'
      ? data.metadata.pluginRoot
      : undefined;
  const entries = Array.isArray(data.plugins) ? (data.plugins as unknown[]) : [];
  return entries.some((entry) => {
    if (!isObject(entry) || typeof entry.source !== 'string') return false;
    const written = [entry.source];
    if (pluginRoot !== undefined) written.push(path.posix.join(pluginRoot, entry.source));
    return written.some((source) => {
      const dir = path.posix.normalize(source.replaceAll('\\', '/')).replace(/\/+$/, '');
      return (
        dir === '' || dir === '.' || dir === 'plugins' || dir === '..' || dir.startsWith('../')
      );
    });
  });
}

/** The folders a file inside a plugin folder depends on, or `undefined`: the whole work tree. */
function pluginFileScope(file: string): string[] | undefined {
  const root = marketplaceRoot(file);
  if (root === undefined) return undefined;
  const [top, name, ...rest] = path.relative(root, file).split(path.sep);
  if (top !== 'plugins' || name === undefined || name === '..' || rest.length === 0)
    return undefined;
  const pluginDir = path.join(root, 'plugins', name);
  if (!isRealDir(path.join(root, 'plugins')) || !isRealDir(pluginDir)) return undefined;
  // A plugin at the root holds files everywhere.
  if (isThere(root, '.claude-plugin', 'plugin.json')) return undefined;
  if (namesEnclosingFolder(path.join(root, '.claude-plugin', 'marketplace.json'))) return undefined;
  return [pluginDir, path.join(root, '.claude-plugin'), path.join(root, '.claude')];
}

/**
 * The folders (absolute) whose changes can change the messages of the given files (absolute), or
 * `undefined` when that is the whole work tree.
 */
export function watchedFolders(files: readonly string[]): string[] | undefined {
  const folders = new Set<string>();
  for (const file of files) {
    const scope = pluginFileScope(file);
    if (scope === undefined) return undefined;
    for (const folder of scope) folders.add(folder);
  }
  return folders.size === 0 ? undefined : [...folders].sort();
}
