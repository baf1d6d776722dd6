import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { forEachComponentKey, type ComponentKind } from './catalog/component-keys.ts';
import { componentKeySets } from './catalog/facts.ts';
import type { OutsideFacts, OutsidePattern, OutsidePlugin } from './catalog/model.ts';
import type { IndexBytes } from './index-diff.ts';
import { writeMemo, type MarketplaceMemo } from './marketplace-memo.ts';
import { isStrings, openStoreFile, readHead } from './store-file.ts';
import { writeAtomic } from './write-atomic.ts';

/**
 * The facts a `--staged` run stores per catalog root, in a file read whole but decoded only in
 * the parts a run asks about: a header line, then sections of text. Lookups (patterns by id,
 * component names) go through sorted sections by binary search, so a run that loads one pattern
 * never decodes the other ten thousand. The first line names the format: a store in any other
 * format is rebuilt, never misread.
 */
const formatLine = 'agentops-lint staged facts 3';

/**
 * Changed files up to which a run loads only those and takes the rest from the stored facts; more,
 * and a full load is as quick, and refreshes them. The index comparison is asked for with it, so
 * that every caller shares one remembered comparison (`diff-memo.ts`).
 */
export const partialLimit = 500;

/**
 * The sections after the header, in file order, one entry a line: `patterns` holds each pattern's
 * path under `patterns/` and its id (`=` when the file is named after it), `ids` the same sorted
 * by id (`<id>\t<path>`, the path as its folder and `=` when named after the id), `plugins` each
 * plugin's folder, name and component names, and `agent`, `skill`, `command` the sorted names
 * components answer to (`componentKey` forms, each after a `=`).
 */
const sectionNames = ['patterns', 'ids', 'plugins', 'agent', 'skill', 'command'] as const;
type Section = (typeof sectionNames)[number];

/** What the header line holds. */
interface StoreHeader {
  /** Tool version and schemas the facts were taken with. */
  key: string;
  /** Also the first line of the index file: pairs the two files. */
  token: string;
  /** The catalog root, relative to the top of the work tree (`.` for the top itself). */
  root: string;
  /** Existing plugin folders, root plugin excluded. */
  pluginDirs: string[];
  /** Folders named by marketplace entries that did not exist. */
  missingDirs: string[];
  /** Whether the catalog root is itself a plugin (its files are everywhere: never partial). */
  rootPlugin: boolean;
  /** Untracked files the facts include (file arguments read them from the work tree). */
  untracked: string[];
  pluginCount: number;
  /** Length of each section, in bytes of UTF-8. */
  sections: number[];
}

/** Stored facts of a root: the header's fields, and the patterns and plugins read on demand. */
export interface StoredRoot extends Omit<StoreHeader, 'sections'> {
  /** Every pattern, in path order. */
  patterns: () => OutsidePattern[];
  plugins: () => OutsidePlugin[];
  /** The folders of the plugins that have a component of `kind` answering to `key`. */
  providersOf: (kind: ComponentKind, key: string) => string[];
  /** The patterns whose `id` is `id`, in path order. */
  withId: (id: string) => OutsidePattern[];
  hasComponent: (kind: ComponentKind, key: string) => boolean;
}

/** What a full load gives a store to keep. */
export interface StoreContents extends Omit<StoreHeader, 'sections' | 'pluginCount'> {
  patterns: readonly OutsidePattern[];
  plugins: readonly OutsidePlugin[];
}

/** The files of a root: the facts, the index copy and the marketplace memo. */
export interface StoreFiles {
  facts: string;
  index: string;
  marketplace: string;
  /** The last comparison of the stored index with a later one (`diff-memo.ts`). */
  diff: string;
}

/**
 * A lookup of the first of `dirs` (folders relative to a root) that is a file or holds it, as
 * `dirs.find` would give it, made by looking the file's folders up in a map: a catalog has
 * thousands of plugin folders, and a run up to hundreds of files to place.
 */
export function folderFinder(dirs: readonly string[]): (file: string) => string | undefined {
  const order = new Map<string, number>();
  dirs.forEach((dir, i) => {
    if (!order.has(dir)) order.set(dir, i);
  });
  return (file) => {
    let found: string | undefined;
    let foundAt = Infinity;
    const consider = (dir: string): void => {
      const at = order.get(dir);
      if (at !== undefined && at < foundAt) [found, foundAt] = [dir, at];
    };
    for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1))
      consider(file.slice(0, slash));
    consider(file);
    return found;
  };
}

/** FNV-1a over UTF-16 code units, as 8 hex digits: a file name per root (the header has the root). */
function nameHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Where the facts of the root `rootKey` (relative to the top, `.` for the top) are kept. */
export function storeFiles(privateDir: string, rootKey: string): StoreFiles {
  const name = path.join(privateDir, `staged-${nameHash(rootKey)}`);
  return {
    facts: `${name}.facts`,
    index: `${name}.index`,
    marketplace: `${name}.marketplace`,
    diff: `${name}.diff`,
  };
}

/** Files of the earlier format (`staged-<12 hex digits>.json` and `.index`). */
const earlierStoreRe = /^staged-[0-9a-f]{12}\.(?:json|index)$/;

/** A section of the store: its bytes, from `start` to `end`, one entry a line. */
interface SectionBytes {
  bytes: Buffer;
  start: number;
  end: number;
}

/** Where the line starting at `start` ends (its line break, or the end of the section). */
function lineEnd(section: SectionBytes, start: number): number {
  const at = section.bytes.indexOf(10, start);
  return at === -1 || at > section.end ? section.end : at;
}

/**
 * The lines of a section sorted by key (the text before a line's first tab) whose key is `key`,
 * found by bisection over the bytes, decoding only those lines. Keys are ASCII (pattern ids by
 * their schema, component keys by `componentKey`), so byte order is the order they were sorted in.
 */
function linesWithKey(section: SectionBytes, key: string): string[] {
  const { bytes } = section;
  const wanted = Buffer.from(key);
  // Byte by byte in place, the line's key ending at its first tab: Buffer's own methods make a
  // view or check their arguments with a fresh array on each of a bisection's many calls.
  const compareKey = (start: number, end: number): number => {
    for (let k = 0; ; k++) {
      const byte = start + k < end ? (bytes[start + k] ?? 9) : 9;
      if (k === wanted.length) return byte === 9 ? 0 : 1;
      if (byte === 9) return -1;
      const difference = byte - (wanted[k] ?? 0);
      if (difference !== 0) return difference;
    }
  };
  // `low` is always the start of a line; the first line whose key is not below `key` is in
  // [low, high].
  let low = section.start;
  let high = section.end;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = Math.max(low, bytes.lastIndexOf(10, middle - 1) + 1);
    const end = lineEnd(section, start);
    if (compareKey(start, end) < 0) low = end + 1;
    else high = start;
  }
  const found: string[] = [];
  for (let start = low; start < section.end;) {
    const end = lineEnd(section, start);
    if (compareKey(start, end) !== 0) break;
    found.push(bytes.toString('utf8', start, end));
    start = end + 1;
  }
  return found;
}

/** Every line of a section, decoded. */
function allLines(section: SectionBytes): string[] {
  return section.start === section.end
    ? []
    : section.bytes.toString('utf8', section.start, section.end).split('\n');
}

/** A pattern from its line in the `patterns` section: path under `patterns/`, tab, id. */
function decodePattern(line: string): OutsidePattern {
  const tab = line.indexOf('\t');
  const file = line.slice(0, tab);
  const slash = file.lastIndexOf('/');
  const id = line.slice(tab + 1);
  return {
    path: `patterns/${file}`,
    folder: slash === -1 ? '' : file.slice(0, slash),
    id: id === '=' ? file.slice(slash + 1, -'.md'.length) : id || undefined,
  };
}

/** The `patterns` line of a pattern: `=` for an id equal to the file name, nothing for none. */
function encodePattern(pattern: OutsidePattern): string {
  const file = pattern.path.slice('patterns/'.length);
  const slug = file.slice(file.lastIndexOf('/') + 1, -'.md'.length);
  return `${file}\t${pattern.id === slug ? '=' : (pattern.id ?? '')}`;
}

/** Whether a parsed header has the shape this version writes (anything else is rebuilt). */
function isHeader(value: unknown): value is StoreHeader {
  if (typeof value !== 'object' || value === null) return false;
  const header = value as Partial<Record<keyof StoreHeader, unknown>>;
  return (
    typeof header.key === 'string' &&
    typeof header.token === 'string' &&
    typeof header.root === 'string' &&
    typeof header.rootPlugin === 'boolean' &&
    typeof header.pluginCount === 'number' &&
    isStrings(header.untracked) &&
    isStrings(header.pluginDirs) &&
    isStrings(header.missingDirs) &&
    Array.isArray(header.sections) &&
    header.sections.length === sectionNames.length &&
    header.sections.every((length) => Number.isInteger(length) && (length as number) >= 0)
  );
}

/** Separates the names of a list in the `plugins` section, after their count. */
const unit = '\u001f';

/**
 * The `plugins` line of a plugin: folder, name, then its agents, skills and commands, each a count
 * and the names. Decoding it cannot fail, so a section read late never stops a run.
 */
function encodePlugin(plugin: OutsidePlugin): string {
  const list = (names: readonly string[]): string => [names.length, ...names].join(unit);
  return [
    plugin.dir,
    plugin.name,
    list(plugin.agents),
    list(plugin.skills),
    list(plugin.commands),
  ].join('\t');
}

/**
 * A plugin from its line, its folder read at once and the rest on first use: a partial load lists
 * thousands of outside plugins and mostly asks only where they are.
 */
function lazyPlugin(line: string): OutsidePlugin {
  let decoded: OutsidePlugin | undefined;
  const full = (): OutsidePlugin => (decoded ??= decodePlugin(line));
  const tab = line.indexOf('\t');
  return {
    dir: tab === -1 ? line : line.slice(0, tab),
    get name() {
      return full().name;
    },
    get agents() {
      return full().agents;
    },
    get skills() {
      return full().skills;
    },
    get commands() {
      return full().commands;
    },
  };
}

function decodePlugin(line: string): OutsidePlugin {
  const [dir = '', name = '', ...lists] = line.split('\t');
  const list = (field = ''): string[] => field.split(unit).slice(1);
  return { dir, name, agents: list(lists[0]), skills: list(lists[1]), commands: list(lists[2]) };
}

/** The last store read, by its files' identity: a run that scopes its checks reads it once. */
let lastRead: { identity: string; store: [StoredRoot, IndexBytes] } | undefined;

/** Path, inode, size and time of each file: a store rewritten (atomically) is another one. */
function identityOf(files: StoreFiles, rootKey: string): string | undefined {
  const parts = [rootKey];
  for (const file of [files.facts, files.index]) {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) return undefined;
    parts.push(`${file}:${stat.ino}:${stat.size}:${stat.mtimeMs}`);
  }
  return parts.join('\0');
}

/** The stored facts of a root, with its stored index snapshot, when both are whole and paired. */
export function readStore(
  files: StoreFiles,
  rootKey: string,
): [StoredRoot, IndexBytes] | undefined {
  const identity = identityOf(files, rootKey);
  if (identity === undefined) return undefined;
  if (lastRead?.identity === identity) return lastRead.store;
  const store = readStoreFiles(files, rootKey);
  lastRead = store && { identity, store };
  return store;
}

function readStoreFiles(files: StoreFiles, rootKey: string): [StoredRoot, IndexBytes] | undefined {
  try {
    // Held open: a section is read, and becomes text, only when a run asks about it.
    const facts = openStoreFile(files.facts);
    if (!facts || facts.lines[0] !== formatLine) return undefined;
    const header = JSON.parse(facts.lines[1]) as unknown;
    if (!isHeader(header) || header.root !== rootKey) return undefined;
    const total = header.sections.reduce((sum, length) => sum + length, 0);
    if (facts.bodyStart + total !== facts.size) return undefined;
    const read = new Map<Section, SectionBytes>();
    const section = (name: Section): SectionBytes => {
      let bytes = read.get(name);
      if (!bytes) {
        const at = sectionNames.indexOf(name);
        const start = header.sections.slice(0, at).reduce((sum, length) => sum + length, 0);
        const length = header.sections[at] ?? 0;
        bytes = { bytes: facts.read(facts.bodyStart + start, length), start: 0, end: length };
        read.set(name, bytes);
      }
      return bytes;
    };
    // The token and the object id length on the first line, then a copy of the index: read
    // where it differs from the current index (`diffSnapshots`), never whole.
    const head = readHead(files.index);
    const [token, oidBytes] = head.slice(0, -1).split(' ');
    if (!head.endsWith('\n') || token !== header.token || (oidBytes !== '20' && oidBytes !== '32'))
      return undefined;
    return [
      storedRoot(header, section),
      { file: files.index, head, oidBytes: Number(oidBytes), memo: files.diff },
    ];
  } catch {
    return undefined;
  }
}

function storedRoot(header: StoreHeader, section: (name: Section) => SectionBytes): StoredRoot {
  return {
    key: header.key,
    token: header.token,
    root: header.root,
    pluginDirs: header.pluginDirs,
    missingDirs: header.missingDirs,
    rootPlugin: header.rootPlugin,
    untracked: header.untracked,
    pluginCount: header.pluginCount,
    patterns: () => allLines(section('patterns')).map(decodePattern),
    plugins: () => allLines(section('plugins')).map(lazyPlugin),
    providersOf: (kind, key) =>
      linesWithKey(section(kind), `=${key}`).flatMap((line) =>
        line.slice(line.indexOf('\t') + 1).split(unit),
      ),
    withId: (id) =>
      linesWithKey(section('ids'), id).map((line) => {
        const written = line.slice(id.length + 1);
        const file = written.endsWith('=') ? `${written.slice(0, -1)}${id}.md` : written;
        const slash = file.lastIndexOf('/');
        return { path: `patterns/${file}`, folder: slash === -1 ? '' : file.slice(0, slash), id };
      }),
    hasComponent: (kind, key) => linesWithKey(section(kind), `=${key}`).length > 0,
  };
}

/** What a stored path, id or name must not hold: the store's separators. */
const isStorableText = (text: string): boolean =>
  !text.includes('\t') && !text.includes('\n') && !text.includes(unit);

/**
 * Whether every path, id and name fits on a line of the store (no tab, line break or unit
 * separator): a catalog where one does not is loaded in full each time instead.
 */
export function isStorable(contents: Pick<StoreContents, 'patterns' | 'plugins'>): boolean {
  return (
    contents.patterns.every(
      (pattern) => isStorableText(pattern.path) && isStorableText(pattern.id ?? ''),
    ) &&
    contents.plugins.every((plugin) =>
      [plugin.dir, plugin.name, ...plugin.agents, ...plugin.skills, ...plugin.commands].every(
        isStorableText,
      ),
    )
  );
}

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The text of a store file. */
function storeText(contents: StoreContents): string {
  const { patterns, plugins, ...fields } = contents;
  const ids = patterns
    .flatMap((pattern) =>
      pattern.id === undefined ? [] : [[pattern.id, pattern.path.slice('patterns/'.length)]],
    )
    .sort(([a = '', x = ''], [b = '', y = '']) => byKey(a, b) || byKey(x, y))
    // A file named after its id (nearly all) is written as its folder and `=`.
    .map(([id = '', file = '']) =>
      file === `${id}.md` || file.endsWith(`/${id}.md`)
        ? `${id}\t${file.slice(0, -`${id}.md`.length)}=`
        : `${id}\t${file}`,
    );
  const keys = (kind: ComponentKind): string => {
    const providers = new Map<string, Set<string>>();
    for (const plugin of plugins)
      forEachComponentKey(plugin, kind, (key) => {
        const dirs = providers.get(key) ?? new Set();
        providers.set(key, dirs.add(plugin.dir));
      });
    // Each key after a `=` (no line is empty, so a lone empty name is not an empty section), then
    // the folders of the plugins it names a component of.
    return [...providers.keys()]
      .sort(byKey)
      .map((key) => `=${key}\t${[...(providers.get(key) ?? [])].join(unit)}`)
      .join('\n');
  };
  const section: Record<Section, string> = {
    patterns: patterns.map(encodePattern).join('\n'),
    ids: ids.join('\n'),
    plugins: plugins.map(encodePlugin).join('\n'),
    agent: keys('agent'),
    skill: keys('skill'),
    command: keys('command'),
  };
  const header: StoreHeader = {
    ...fields,
    pluginCount: plugins.length,
    sections: sectionNames.map((name) => Buffer.byteLength(section[name])),
  };
  return [
    formatLine,
    JSON.stringify(header),
    sectionNames.map((name) => section[name]).join(''),
  ].join('\n');
}

/**
 * Stores a root's facts, the index they were taken from and the marketplace's memo (the facts
 * last: until they name its token, the others do not match them). Files of the earlier format are
 * removed.
 */
export function writeStore(
  privateDir: string,
  files: StoreFiles,
  contents: StoreContents,
  index: { data: Uint8Array; oidBytes: number },
  memo?: MarketplaceMemo,
): void {
  writeAtomic(
    files.index,
    Buffer.concat([Buffer.from(`${contents.token} ${index.oidBytes}\n`), index.data]),
  );
  if (memo) writeMemo(files.marketplace, contents.token, memo);
  else rmSync(files.marketplace, { force: true });
  writeAtomic(files.facts, storeText(contents));
  for (const name of readdirSync(privateDir))
    if (earlierStoreRe.test(name)) rmSync(path.join(privateDir, name), { force: true });
}

/**
 * The outside facts of a partial catalog: the stored ones without the patterns that were loaded or
 * changed (`isLeftOut`) and the plugins that were loaded again (`reloaded` folders).
 */
export function partialOutside(
  stored: StoredRoot,
  isLeftOut: (file: string) => boolean,
  reloaded: ReadonlySet<string>,
): OutsideFacts {
  let patterns: OutsidePattern[] | undefined;
  let plugins: OutsidePlugin[] | undefined;
  let keys: Record<ComponentKind, Set<string>> | undefined;
  const pluginList = (): OutsidePlugin[] =>
    (plugins ??= stored.plugins().filter((plugin) => !reloaded.has(plugin.dir)));
  return {
    get patterns() {
      return (patterns ??= stored.patterns().filter((pattern) => !isLeftOut(pattern.path)));
    },
    get plugins() {
      return pluginList();
    },
    get pluginCount() {
      return reloaded.size === 0 ? stored.pluginCount : pluginList().length;
    },
    withId: (id) => stored.withId(id).filter((pattern) => !isLeftOut(pattern.path)),
    // The stored keys include those of reloaded plugins, whose names may have changed since.
    hasComponent: (kind, key) =>
      reloaded.size === 0
        ? stored.hasComponent(kind, key)
        : (keys ??= componentKeySets(pluginList()))[kind].has(key),
  };
}
