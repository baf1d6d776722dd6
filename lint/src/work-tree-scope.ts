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

/**
 * Every string value of a `"source"` or `"pluginRoot"` member in a JSON text, wherever it is;
 * `undefined` when the text may hide one (a member name can be spelled with `\u` escapes) or a
 * value does not decode. Scanned rather than parsed: a marketplace can list thousands of
 * plugins, and this runs before the checks it scopes can start.
 */
function memberStrings(text: string): { sources: string[]; roots: string[] } | undefined {
  if (text.includes('\\u')) return undefined;
  const found = { sources: [] as string[], roots: [] as string[] };
  for (const [name, into] of [
    ['"source"', found.sources],
    ['"pluginRoot"', found.roots],
  ] as const) {
    for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
      let i = at + name.length;
      while (/\s/.test(text.charAt(i))) i++;
      if (text.charAt(i) !== ':') continue;
      i++;
      while (/\s/.test(text.charAt(i))) i++;
      if (text.charAt(i) !== '"') continue;
      let end = i + 1;
      while (end < text.length && text.charAt(end) !== '"')
        end += text.charAt(end) === '\\' ? 2 : 1;
      const literal = text.slice(i, end + 1);
      try {
        into.push(literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1));
      } catch {
        return undefined;
      }
    }
  }
  return found;
}

/**
 * The folders marketplace entries may name as plugin folders, relative to the catalog root;
 * `undefined` when one may be the root or above it, or the marketplace cannot be read. Every
 * `source` counts, read with and without every `pluginRoot` before it: the folders found hold
 * every folder the loader could take from the marketplace, valid or not.
 */
function entryFolders(marketplace: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(marketplace, 'utf8');
  } catch {
    return undefined;
  }
  const members = memberStrings(text);
  if (members === undefined) return undefined;
  const folders: string[] = [];
  for (const source of members.sources) {
    // The usual layout first: nothing to add, and a catalog may list thousands of them.
    if (members.roots.length === 0 && simpleSource.test(source)) continue;
    for (const written of [source, ...members.roots.map((root) => path.posix.join(root, source))]) {
      const dir = path.posix.normalize(written.replaceAll('\\', '/')).replace(/\/+$/, '');
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
