import { lstatSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { findCatalogRoot } from './catalog-root.ts';
import { isStrings, readSmallText, settleMargin } from './store-file.ts';
import { writeQuietly } from './write-atomic.ts';

/**
 * Which parts of the work tree a file-argument run must check for changes: the folders whose files
 * can change what the given files are told. Everything else is taken from the stored facts
 * unchecked, which is exact only because no change there can reach the given files' messages.
 *
 * The catalog loader reads the marketplace, `.claude/`, `patterns/`, `plugins/` and the folders
 * marketplace entries name, nothing else of a catalog (a plugin at the catalog's root would have
 * files anywhere: then the whole catalog is checked). A file inside a plugin folder
 * (`plugins/<name>/…`) is checked by the plugin rules against its own plugin and the marketplace
 * alone, and a run loads that plugin and the marketplace from the work tree whatever else changed:
 * the plugin's folder, `.claude-plugin/` and `.claude/` are all it needs. A pattern file needs
 * `patterns/` (ids, folders), the marketplace and the plugins that provide the components it names,
 * when the stored facts name a provider for each (`pattern-scope.ts`). Any other file of a catalog
 * is checked against facts of the whole catalog. The catalog is the one the run lints
 * (`catalog-root.ts`): with a marketplace or without one.
 */

/** `dir/name` exists, as anything (a dangling symlink too). */
function isThere(dir: string, ...names: string[]): boolean {
  return lstatSync(path.join(dir, ...names), { throwIfNoEntry: false }) !== undefined;
}

function isRealDir(file: string): boolean {
  return lstatSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** A `"source"` member naming one folder inside `plugins/` or `patterns/` the simplest way. */
const simpleSource = /"source"\s*:\s*"\.\/(?:plugins|patterns)\/[^/\\."][^/\\"]*\/?"/y;

/** A member whose value is a string, matched where it starts. */
const stringMember = /"(?:source|pluginRoot)"\s*:\s*"((?:[^"\\]|\\.)*)"/y;

/**
 * Every string value of the JSON text's `name` members, wherever they are, but the simple
 * sources when `skipSimple`; `undefined` when one does not decode. Scanned rather than parsed: a
 * marketplace can list thousands of plugins, and this runs before the checks it scopes start.
 */
function memberStrings(text: string, name: string, skipSimple: boolean): string[] | undefined {
  const found: string[] = [];
  const token = `"${name}"`;
  for (let at = text.indexOf(token); at !== -1; at = text.indexOf(token, at + token.length)) {
    simpleSource.lastIndex = at;
    if (skipSimple && simpleSource.test(text)) continue;
    stringMember.lastIndex = at;
    const literal = stringMember.exec(text)?.[1];
    if (literal === undefined) continue;
    try {
      found.push(literal.includes('\\') ? (JSON.parse(`"${literal}"`) as string) : literal);
    } catch {
      return undefined;
    }
  }
  return found;
}

/**
 * The folders marketplace entries may name as plugin folders, relative to the catalog root,
 * besides those inside `plugins/` and `patterns/` (none when there is no marketplace);
 * `undefined` when one may be the root or above it, or the marketplace cannot be read. Every `source` string counts, read with and without every
 * `pluginRoot` before it: the folders found hold every folder the loader could take from the
 * marketplace, valid or not.
 */
function entryFolders(marketplace: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(marketplace, 'utf8');
  } catch (error) {
    // A catalog without a marketplace: the loader reads its usual folders only.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? [] : undefined;
  }
  // A member name spelled with escapes would pass the scan unseen.
  if (text.includes('\\u')) return undefined;
  const roots = memberStrings(text, 'pluginRoot', false);
  const sources = roots && memberStrings(text, 'source', roots.length === 0);
  if (roots === undefined || sources === undefined) return undefined;
  const folders: string[] = [];
  for (const source of sources) {
    for (const written of [source, ...roots.map((root) => path.posix.join(root, source))]) {
      const dir = path.posix.normalize(written.replaceAll('\\', '/')).replace(/\/+$/, '');
      if (dir === '' || dir === '.' || dir === '..' || dir.startsWith('../')) return undefined;
      // An absolute source names no folder of the catalog.
      if (!dir.startsWith('/')) folders.push(dir);
    }
  }
  return folders;
}

/** Bytes of a memo of entry folders read at most: one far larger was not written here. */
const memoBytes = 1 << 23;

/** The stamp and folders a memo of `rememberedEntryFolders` holds, if it holds them in their form. */
function readEntryFoldersMemo(
  memo: string,
): { stamp: string; folders: string[] | undefined } | undefined {
  const text = readSmallText(memo, memoBytes);
  if (text === undefined) return undefined;
  try {
    const { stamp, folders } = JSON.parse(text) as { stamp?: unknown; folders?: unknown };
    if (typeof stamp === 'string' && (folders === null || isStrings(folders)))
      return { stamp, folders: folders ?? undefined };
  } catch {
    // Not one of these.
  }
  return undefined;
}

/**
 * `entryFolders`, kept in `memo` (a file in the git folder) with the marketplace's stat: a
 * marketplace of thousands of plugins is read and scanned once, not for every file argument. The
 * stat stands for the bytes once the file's last change is older than `settleMargin`: any later
 * write gives it a newer change time. A newer file is scanned each time until it settles.
 */
export function rememberedEntryFolders(
  marketplace: string,
  memo: string,
  now = Date.now(),
): string[] | undefined {
  let stamp: string;
  let settled: boolean;
  try {
    const stat = statSync(marketplace, { bigint: true });
    stamp = [marketplace, stat.dev, stat.ino, stat.size, stat.mtimeNs, stat.ctimeNs].join(' ');
    settled = Number(stat.ctimeNs / 1_000_000n) < now - settleMargin;
  } catch {
    return entryFolders(marketplace);
  }
  const kept = readEntryFoldersMemo(memo);
  if (kept?.stamp === stamp) return kept.folders;
  const folders = entryFolders(marketplace);
  if (settled) writeQuietly(memo, JSON.stringify({ stamp, folders: folders ?? null }));
  return folders;
}

/** The folders of a catalog the loader reads besides those entries name, relative to its root. */
const catalogFolders = ['.claude', '.claude-plugin', 'patterns', 'plugins'];

/**
 * The plugin folders (relative to the catalog root) a pattern file's messages depend on, besides
 * `patterns/` and the marketplace, or `undefined` when that is every folder the loader reads.
 */
export type PatternProviders = (root: string, file: string) => string[] | undefined;

/**
 * The folders a file depends on, absolute: `now`, known at once, and `later`, what a pattern's
 * providers add (looked up only when asked). `undefined`: the whole work tree. The file's own
 * folder is among them, so that an untracked file given is found.
 */
function scopeOf(
  file: string,
  providers?: PatternProviders,
  memo?: string,
): { now: string[]; later?: () => string[] } | undefined {
  const root = findCatalogRoot(path.dirname(file));
  // A plugin at the root holds files anywhere in it: a plugin folder taken as a catalog of its own
  // (one without a marketplace) is all the run reads.
  if (isThere(root, '.claude-plugin', 'plugin.json')) return { now: [root] };
  const marketplace = path.join(root, '.claude-plugin', 'marketplace.json');
  const entries = memo ? rememberedEntryFolders(marketplace, memo) : entryFolders(marketplace);
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
    return { now: [plugin, path.join(root, '.claude-plugin'), path.join(root, '.claude'), own] };
  }
  const inRoot = (folders: readonly string[]): string[] =>
    folders.map((folder) => path.join(root, folder));
  const whole = inRoot([...catalogFolders, ...entries]);
  const inEntry = entries.some((entry) => isWithin(path.relative(root, file), entry));
  if (providers && top === 'patterns' && file.endsWith('.md') && !inEntry)
    return {
      now: inRoot(['.claude', '.claude-plugin', 'patterns']).concat(own),
      later: () => {
        const plugins = providers(root, file);
        return plugins ? inRoot(plugins) : whole;
      },
    };
  return { now: whole.concat(own) };
}

/** Whether `file` (relative, native separators) is the folder `dir` (POSIX) or inside it. */
const isWithin = (file: string, dir: string): boolean => {
  const posix = file.split(path.sep).join('/');
  return posix === dir || posix.startsWith(`${dir}/`);
};

/** The outermost of nested folders: each covers everything under it. */
function outermost(folders: readonly string[]): string[] {
  const kept: string[] = [];
  for (const folder of [...folders].sort()) {
    const last = kept.at(-1);
    if (last === undefined || !(folder === last || folder.startsWith(`${last}${path.sep}`)))
      kept.push(folder);
  }
  return kept;
}

/**
 * The folders a pattern file's scope starts with (`watchedScope(...).first` for it alone), from its
 * path: `.claude`, `.claude-plugin` and `patterns` of its catalog; `undefined` for a file that is
 * no pattern file. A guess made before anything is read: the
 * marketplace's entries or a plugin at the root can make the scope another, so a caller compares
 * this with the scope before taking anything from it.
 */
export function patternFolders(file: string): string[] | undefined {
  const root = findCatalogRoot(path.dirname(file));
  const [top, ...rest] = path.relative(root, file).split(path.sep);
  if (top !== 'patterns' || rest.length === 0 || !file.endsWith('.md')) return undefined;
  return outermost(['.claude', '.claude-plugin', 'patterns'].map((name) => path.join(root, name)));
}

/** The folders a run watches, in two steps (`watchedScope`). */
export interface WatchedScope {
  /** The folders known at once (absolute), or `undefined`: the whole work tree. */
  first: string[] | undefined;
  /**
   * Every watched folder, `first` among them, when `first` is not `undefined`: those pattern
   * files' providers add are looked up on this call.
   */
  all: () => string[] | undefined;
}

/**
 * The folders (absolute) whose changes can change the messages of the given files (absolute), or
 * `undefined` when that is the whole work tree: first those known at once, then all of them.
 * `providers`, when given, narrows a pattern file's to the plugins that provide what it names
 * (`pattern-scope.ts`); `memo`, a file where the marketplace's entries are kept between runs.
 */
export function watchedScope(
  files: readonly string[],
  providers?: PatternProviders,
  memo?: string,
): WatchedScope {
  const scopes: { now: string[]; later?: () => string[] }[] = [];
  for (const file of files) {
    const scope = scopeOf(file, providers, memo);
    if (scope === undefined) return { first: undefined, all: () => undefined };
    scopes.push(scope);
  }
  if (scopes.length === 0) return { first: undefined, all: () => undefined };
  const first = outermost(scopes.flatMap((scope) => scope.now));
  return {
    first,
    all: () => outermost(scopes.flatMap((scope) => [...scope.now, ...(scope.later?.() ?? [])])),
  };
}

/**
 * The folders (absolute) whose changes can change the messages of the given files (absolute), or
 * `undefined` when that is the whole work tree. `providers`, when given, narrows a pattern file's
 * to the plugins that provide what it names (`pattern-scope.ts`).
 */
export function watchedFolders(
  files: readonly string[],
  providers?: PatternProviders,
): string[] | undefined {
  return watchedScope(files, providers).all();
}
