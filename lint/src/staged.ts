import { lstatSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { isPatternPath, marketplacePath } from './catalog/discover.ts';
import { patternFactsOf, pluginFactsOf, validPatternId } from './catalog/facts.ts';
import { parseCatalog } from './catalog/load.ts';
import { loadYaml } from './catalog/frontmatter.ts';
import { loadValidators } from './catalog/validator-modules.ts';
import type { Catalog, SchemaKind } from './catalog/model.ts';
import { maxFileBytes, type RememberedDocuments } from './catalog/parse.ts';
import { createFsSource } from './catalog/read.ts';
import { createOverlaySource, type CatalogSource } from './catalog/source.ts';
import { listUnstaged, readBlobs, unstagedAmong } from './git-files.ts';
import { memoOf, readMemo, rememberMarketplace } from './marketplace-memo.ts';
import { nodeCrypto } from './node-crypto.ts';
import {
  isStorable,
  partialLimit,
  partialOutside,
  readStore,
  storeFiles,
  writeStore,
  type StoreContents,
  type StoredRoot,
  folderFinder,
} from './staged-store.ts';
import { diffSnapshots, type IndexBytes } from './index-diff.ts';
import {
  entryOf,
  forEachEntry,
  statMatches,
  withUnknownContents,
  type IndexSnapshot,
} from './index-snapshot.ts';

/**
 * `--staged` lints the staged files as they are in the work tree, against the rest of the
 * repository as it is in the git index: what the commit will hold. Untracked and ignored files are
 * not part of it.
 *
 * The first run loads the whole catalog and stores, in the git directory, the index it saw and the
 * facts cross-file rules need (pattern ids and folders, component names). Later runs compare the
 * index with the stored one and, when only pattern files or files inside known plugins changed,
 * load just those (plus the marketplace for plugins) and take everything else from the stored
 * facts: the same messages for the staged files, without reading the rest of the repository.
 */

/** A staged run's catalog; `save` stores its facts for the next run (full loads only). */
export interface StagedCatalog {
  catalog: Catalog;
  /** Whether only what changed was loaded. */
  partial: boolean;
  save: (() => void) | undefined;
}

/** Where the run happens and what it lints. */
export interface StagedInput {
  /** Absolute catalog root. */
  root: string;
  /** Absolute top folder of the git work tree. */
  top: string;
  /** A private folder inside the git directory. */
  privateDir: string;
  /** The index of the whole work tree (`readStagedState`). */
  index: IndexSnapshot;
  /**
   * Untracked files to count as part of the tree (file arguments), relative to `top`. When given,
   * `staged` also holds every tracked file whose work tree differs from the index, so the work
   * tree is the truth for all files and no contents are read from the index.
   */
  untracked?: readonly string[];
  /** Staged files, relative to the root. */
  staged: readonly string[];
  /**
   * The files whose messages are reported, relative to the root (default: `staged`). When each
   * lies in a plugin folder, a partial load reads only their plugins and the marketplace.
   */
  reported?: readonly string[];
  /** Changes whenever the tool or its schemas change. */
  key: string;
  /** Load everything, even when a partial load would do. */
  full?: boolean;
  /** Texts to use instead of the work tree's (fixes not written, with `--fix-dry-run`). */
  overrides?: ReadonlyMap<string, string>;
}

/** Mode and blob id by path (relative to the catalog root). */
type IndexEntries = Map<string, { mode: string; oid: string }>;

const toPosix = (file: string): string => file.split(path.sep).join('/');

function ancestors(file: string, into: Set<string>): void {
  for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
    const dir = file.slice(0, slash);
    if (into.has(dir)) return;
    into.add(dir);
  }
}

/** Whether `file` is `dir` or inside it; makes no string (it runs for every plugin folder). */
const isWithin = (file: string, dir: string): boolean =>
  file.startsWith(dir) &&
  (file.length === dir.length || file.charCodeAt(dir.length) === 47); /* `/` */

/**
 * The index's view of a work tree: only tracked paths (and what lies behind tracked symlinks),
 * with `blobs` (index contents) answering for files whose work-tree state must not be used.
 * `scope`, when given, narrows it further to what a partial load needs.
 */
function indexSource(
  inner: CatalogSource,
  tracked: IndexEntries,
  blobs: ReadonlyMap<string, Uint8Array>,
  scope?: (file: string) => boolean,
): CatalogSource {
  const dirs = new Set<string>();
  for (const file of tracked.keys()) ancestors(file, dirs);
  const behindLink = (file: string): boolean => {
    for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1))
      if (tracked.get(file.slice(0, slash))?.mode === '120000') return true;
    return false;
  };
  // The scope first: a partial load lists folders of thousands of entries it leaves out.
  const kept = (file: string): boolean =>
    file === '' ||
    ((scope?.(file) ?? true) && (tracked.has(file) || dirs.has(file) || behindLink(file)));
  const filtered: CatalogSource = {
    root: inner.root,
    // A folder left out holds nothing kept (whatever is kept has its folders kept): not read,
    // which spares a partial load listing `plugins/` or a folder of thousands of patterns.
    list: (dir) =>
      kept(dir)
        ? inner.list(dir).filter((entry) => kept(dir === '' ? entry.name : `${dir}/${entry.name}`))
        : [],
    type: (file) => (kept(file) ? inner.type(file) : 'missing'),
    link: (file) => inner.link(file),
    read: (file, maxBytes) =>
      kept(file) ? inner.read(file, maxBytes) : { problem: 'unreadable', reason: 'untracked' },
  };
  return createOverlaySource(filtered, blobs);
}

/** Contents from the index for files to load that are not staged (their work tree may differ). */
function indexBlobs(
  top: string,
  entries: IndexEntries,
  files: Iterable<string>,
): Map<string, Uint8Array> {
  const wanted: [string, string][] = [];
  for (const file of files) {
    const entry = entries.get(file);
    if (entry && entry.mode !== '120000' && entry.mode !== '160000') wanted.push([file, entry.oid]);
  }
  const contents = readBlobs(
    top,
    wanted.map(([, oid]) => oid),
  );
  const blobs = new Map<string, Uint8Array>();
  for (const [file, oid] of wanted) {
    const bytes = contents.get(oid);
    if (bytes) blobs.set(file, bytes);
  }
  return blobs;
}

/** What a plugin's files can be: the kinds a partial load of plugins validates. */
const pluginKinds: readonly SchemaKind[] = [
  'plugin',
  'hooks',
  'mcp',
  'lsp',
  'command',
  'agent',
  'skill',
  'output-style',
];

/**
 * The files of a partial `--staged` load to take from the index, relative to the root: those not
 * staged whose work tree differs from it. A file changed in the index since the facts were stored
 * always is; any other is, when its stat does not match its index entry, if `git diff` says so.
 */
function unstagedInScope(
  input: StagedInput,
  prefix: string,
  entries: IndexEntries,
  state: (file: string) => 'staged' | 'changed' | 'same',
): string[] {
  const fromIndex: string[] = [];
  const unsure: string[] = [];
  for (const [file, entry] of entries) {
    const now = state(file);
    if (now === 'changed') fromIndex.push(file);
    if (now !== 'same' || (entry.mode !== '100644' && entry.mode !== '100755')) continue;
    const stat = lstatSync(path.join(input.root, file), { bigint: true, throwIfNoEntry: false });
    if (!stat || !statMatches(input.index, topPath(prefix, file), stat)) unsure.push(file);
  }
  const skip = prefix === '' ? 0 : prefix.length + 1;
  const listed = unstagedAmong(
    input.top,
    unsure.map((file) => topPath(prefix, file)),
  );
  return [...fromIndex, ...listed.map((file) => file.slice(skip))];
}

interface Plan {
  patterns: Set<string>;
  pluginDirs: Set<string>;
  /** Every changed path the facts describe, loaded or gone. */
  changed: Set<string>;
}

/** Where the index snapshot of a root starts: its folder relative to the top, `''` for all. */
const topPath = (prefix: string, file: string): string =>
  prefix === '' ? file : `${prefix}/${file}`;

/** Object id of a file whose indexed contents are unknown (untracked, or read from disk). */
const unknownOid = '0'.repeat(40);

/** What a partial load must read, or `undefined` when only a full load is right. */
function planPartial(
  stored: StoredRoot,
  before: IndexBytes,
  input: StagedInput,
  prefix: string,
  untracked: readonly string[],
): (Plan & { entries: IndexEntries }) | undefined {
  const { staged } = input;
  if (stored.rootPlugin) return undefined;
  const changes = diffSnapshots(before, input.index, prefix, partialLimit);
  if (!changes) return undefined;
  const entries: IndexEntries = new Map();
  const changed = new Set(staged);
  for (const [file, change] of changes) {
    changed.add(file);
    if (change.now) entries.set(file, change.now);
    if (change.now?.mode === '120000' || change.before?.mode === '120000') return undefined;
  }
  // Untracked files, then or now, are read from the work tree or left out: both are changes.
  for (const file of stored.untracked) changed.add(file);
  for (const file of untracked) {
    changed.add(file);
    if (!entries.has(file)) entries.set(file, { mode: '100644', oid: unknownOid });
  }
  if (changed.size > partialLimit) return undefined;

  const plan = { patterns: new Set<string>(), pluginDirs: new Set<string>(), changed, entries };
  const pluginDirOf = folderFinder(stored.pluginDirs);
  const missingDirOf = folderFinder(stored.missingDirs);
  for (const file of changed) {
    if (file.startsWith('.claude-plugin/') || file.startsWith('.claude/')) return undefined;
    // Plugin folders first: one under `patterns/` holds components, not patterns.
    const plugin = pluginDirOf(file);
    if (plugin !== undefined) {
      plan.pluginDirs.add(plugin);
      continue;
    }
    if (isPatternPath(file)) {
      if (entries.has(file) || staged.includes(file)) plan.patterns.add(file);
      continue;
    }
    // A new plugin, or files in a folder a marketplace entry names: the plugin set changes.
    if (file.startsWith('plugins/') || missingDirOf(file) !== undefined) return undefined;
    // Anything else (docs, scripts, non-pattern files under `patterns/`) is not read by the loader.
  }
  return plan;
}

/**
 * The plan narrowed to what the reported files' messages depend on. A file in a plugin folder is
 * checked by the plugin rules against its own plugin and the marketplace, and by the file rules
 * against itself: when every reported file is one, the patterns and other plugins that changed
 * are not loaded (they are still left out of the outside facts).
 */
function narrowed<T extends Plan>(plan: T, stored: StoredRoot, reported: readonly string[]): T {
  if (reported.length === 0) return plan;
  const pluginDirs = new Set<string>();
  const pluginDirOf = folderFinder(stored.pluginDirs);
  for (const file of reported) {
    const dir = pluginDirOf(file);
    if (dir === undefined) return plan;
    pluginDirs.add(dir);
  }
  return { ...plan, patterns: new Set<string>(), pluginDirs };
}

/**
 * Loads the catalog a `--staged` run lints: partially from the stored facts when it can, else in
 * full (then `save` stores the facts for the next run).
 */
export async function loadStagedCatalog(input: StagedInput): Promise<StagedCatalog> {
  const { root, top, privateDir, staged, key } = input;
  const prefix = toPosix(path.relative(top, root));
  const rootKey = prefix || '.';
  const files = storeFiles(privateDir, rootKey);
  const untracked = (input.untracked ?? []).flatMap((file) =>
    prefix === '' ? [file] : file.startsWith(`${prefix}/`) ? [file.slice(prefix.length + 1)] : [],
  );
  const stagedSet = new Set(staged);
  const fsSource = createOverlaySource(createFsSource(root), input.overrides ?? new Map());

  const store = input.full ? undefined : readStore(files, rootKey);
  const whole =
    store && store[0].key === key
      ? planPartial(store[0], store[1], input, prefix, untracked)
      : undefined;
  const plan = store && whole && narrowed(whole, store[0], input.reported ?? staged);
  if (store && plan) {
    const [stored] = store;
    const memo = plan.pluginDirs.size > 0 ? readMemo(files.marketplace, stored.token) : undefined;
    const load = async (patterns: ReadonlySet<string>): Promise<Catalog> => {
      const wanted = new Set(patterns);
      const trees = [...plan.pluginDirs];
      if (trees.length > 0) wanted.add(marketplacePath);
      const needed = new Set<string>();
      for (const file of [...wanted, ...trees]) ancestors(file, needed);
      const inScope = (file: string): boolean =>
        wanted.has(file) || needed.has(file) || trees.some((dir) => isWithin(file, dir));
      // Index entries of what is in scope: changed ones (untracked files included) are decoded
      // already; unchanged ones (plugin trees, the marketplace, clashing patterns) are looked up.
      const subset: IndexEntries = new Map();
      for (const [file, entry] of plan.entries) if (inScope(file)) subset.set(file, entry);
      for (const file of wanted) {
        const entry = subset.has(file) ? undefined : entryOf(input.index, topPath(prefix, file));
        if (entry) subset.set(file, entry);
      }
      for (const dir of trees) {
        forEachEntry(input.index, topPath(prefix, dir), (file, entry) => {
          const relative = `${dir}/${file}`;
          if (!subset.has(relative)) subset.set(relative, entry);
        });
      }
      const unstagedToLoad = input.untracked
        ? []
        : unstagedInScope(input, prefix, subset, (file) =>
            stagedSet.has(file) ? 'staged' : plan.changed.has(file) ? 'changed' : 'same',
          );
      const blobs = indexBlobs(top, subset, unstagedToLoad);
      let source = indexSource(fsSource, subset, blobs, inScope);
      // The marketplace as checked before, when these are its bytes: pinned, so the reader reads
      // exactly them.
      let remembered: RememberedDocuments | undefined;
      const bytes = memo && source.read(marketplacePath, maxFileBytes);
      if (memo && bytes instanceof Uint8Array && memo.bytes.equals(bytes)) {
        source = createOverlaySource(source, new Map([[marketplacePath, Buffer.from(bytes)]]));
        remembered = rememberMarketplace(memo);
      }
      // Patterns need only their own validator; plugins their parts', and the marketplace's
      // unless it is remembered.
      await loadValidators([
        ...(patterns.size > 0 ? (['pattern'] as const) : []),
        ...(trees.length > 0 ? pluginKinds : []),
        ...(trees.length > 0 && !remembered ? (['marketplace'] as const) : []),
      ]);
      const catalog = parseCatalog(source, { pluginDirs: plan.pluginDirs }, remembered);
      const loaded = new Set(catalog.patterns.map((pattern) => pattern.path));
      catalog.outside = partialOutside(
        stored,
        (file) => loaded.has(file) || plan.changed.has(file),
        plan.pluginDirs,
      );
      return catalog;
    };
    let catalog = await load(plan.patterns);
    // A loaded pattern sharing its id with one outside: load those too, so that the duplicate
    // check sees both documents exactly as a full load would.
    const ids = new Set(catalog.patterns.map(validPatternId));
    const clashing = [...ids].flatMap((id) =>
      id === undefined ? [] : (catalog.outside?.withId(id) ?? []),
    );
    if (clashing.length > 0)
      catalog = await load(new Set([...plan.patterns, ...clashing.map((pattern) => pattern.path)]));
    return { catalog, partial: true, save: undefined };
  }

  await Promise.all([loadValidators(), loadYaml()]);
  const entries: IndexEntries = new Map();
  forEachEntry(input.index, prefix, (file, entry) => entries.set(file, entry));
  for (const file of untracked) entries.set(file, { mode: '100644', oid: unknownOid });
  const unstaged = listUnstaged(top, root);
  const blobs = indexBlobs(
    top,
    entries,
    unstaged.filter((file) => !stagedSet.has(file)),
  );
  const catalog = parseCatalog(indexSource(fsSource, entries, blobs));
  const save = (): void => {
    // Staged files were read from the work tree: where that differs from the index, the stored
    // record must match no index state.
    const unknown = new Set(unstaged.filter((file) => stagedSet.has(file)));
    const contents: StoreContents = {
      key,
      token: nodeCrypto().randomBytes(8).toString('hex'),
      root: rootKey,
      patterns: patternFactsOf(catalog),
      plugins: pluginFactsOf(catalog),
      pluginDirs: catalog.plugins
        .filter((plugin) => plugin.dirExists && plugin.dir !== '.')
        .map((plugin) => plugin.dir),
      missingDirs: catalog.plugins
        .filter((plugin) => !plugin.dirExists)
        .map((plugin) => plugin.dir),
      rootPlugin: catalog.plugins.some((plugin) => plugin.dir === '.'),
      untracked,
    };
    if (!isStorable(contents)) return;
    const kept = withUnknownContents(
      input.index,
      new Set([...unknown].map((file) => topPath(prefix, file))),
    );
    try {
      mkdirSync(privateDir, { recursive: true });
      writeStore(privateDir, files, contents, kept, memoOf(catalog.marketplace));
    } catch {
      // An unwritable git directory only costs speed next time.
    }
  };
  return { catalog, partial: false, save };
}
