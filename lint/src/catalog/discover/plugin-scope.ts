import path from 'node:path/posix';
import type { CatalogPlugin, PathProblem } from '../model.ts';
import type { DocumentReader } from '../parse.ts';
import { joinPointer } from '../position-map.ts';
import type { CatalogSource } from '../source.ts';
import type { TreeWalker, WalkEntry } from './walk.ts';

/** A JSON object as parsed, before schema validation. */
export type Json = Record<string, unknown>;

/** True for a plain JSON object (not an array, not `null`). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A manifest field that takes one value or a list of them, as a list. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** A segment other than `.` and `..`, without `/` or `\\`. */
const segment = String.raw`(?!\.\.?(?:/|$))[^/\\]+`;

/** A folder in normal form: segments of a name each (none empty, `.` or `..`). */
const plainDirRe = new RegExp(String.raw`^${segment}(?:/${segment})*$`);

/** `./` and a path in normal form: joined with a plain folder, normal as it stands. */
const plainRelativeRe = new RegExp(String.raw`^\./${segment}(?:/${segment})*$`);

/** Resolves a `./`-relative component path against a plugin dir; `undefined` when it escapes the root. */
export function resolveInside(pluginDir: string, written: string): string | undefined {
  // The usual `./plugins/name` under a plain folder, without normalizing (a marketplace of
  // thousands of entries resolves each of them).
  if (plainRelativeRe.test(written)) {
    const rest = written.slice(2);
    if (pluginDir === '' || pluginDir === '.') return rest;
    if (plainDirRe.test(pluginDir)) return `${pluginDir}/${rest}`;
  }
  if (path.isAbsolute(written) || written.includes('\\')) return undefined;
  const joined = path.normalize(path.join(pluginDir === '.' ? '' : pluginDir, written));
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

/** True when `file` is `dir` or inside it (`''` and `.` hold everything). */
export function isWithin(dir: string, file: string): boolean {
  return dir === '' || dir === '.' || file === dir || file.startsWith(`${dir}/`);
}

/** What every discovery step reads through: the source, the document reader and the walker. */
export interface DiscoveryContext {
  source: CatalogSource;
  reader: DocumentReader;
  walker: TreeWalker;
}

/** A path a manifest or entry field declares, resolved to what it is. */
interface DeclaredTarget {
  path: string;
  type: 'file' | 'dir';
}

/** One plugin being discovered: its model (filled in by each kind) and its files. */
export interface PluginScope extends DiscoveryContext {
  plugin: CatalogPlugin;
  /** The plugin folder relative to the root, `''` for the root plugin. */
  base: string;
  /** A path relative to the plugin folder, made relative to the root. */
  at: (relative: string) => string;
  /** The plugin's walked tree. */
  tree: WalkEntry[];
  /** The files of `tree`. */
  files: Set<string>;
  /** Files under a folder of the plugin, sorted. */
  under: (folder: string) => string[];
  manifestData: Json;
  entryData: Json;
  /**
   * The `./` paths of a manifest or entry field that lead where they must; the others are recorded
   * in `plugin.pathProblems`.
   */
  declared: (
    declaredIn: PathProblem['declaredIn'],
    field: string,
    expect: 'file' | 'dir' | 'any',
  ) => DeclaredTarget[];
  /**
   * One path as written at `pointer`, resolved against the plugin folder, or `undefined` when it
   * leads outside the plugin, nowhere, or to the wrong kind of entry (recorded as a path problem).
   */
  resolve: (
    declaredIn: PathProblem['declaredIn'],
    pointer: string,
    written: string,
    expect: 'file' | 'dir' | 'any',
  ) => DeclaredTarget | undefined;
  /** The Markdown files of some targets: a file itself, every `.md` file under a folder. */
  markdownIn: (targets: DeclaredTarget[]) => string[];
}

/** The scope of a plugin whose folder exists, over its walked `tree`. */
export function createPluginScope(
  context: DiscoveryContext,
  plugin: CatalogPlugin,
  tree: WalkEntry[],
  manifestData: Json,
  entryData: Json,
): PluginScope {
  const { dir } = plugin;
  const base = dir === '.' ? '' : dir;
  const at = (relative: string): string => (base === '' ? relative : `${base}/${relative}`);
  const files = new Set(tree.filter((entry) => entry.type === 'file').map((entry) => entry.path));
  const resolve: PluginScope['resolve'] = (declaredIn, pointer, written, expect) => {
    const problem = (kind: PathProblem['problem']): undefined => {
      plugin.pathProblems.push({ declaredIn, pointer, path: written, problem: kind });
      return undefined;
    };
    const resolved = resolveInside(dir, written);
    if (resolved === undefined || !isWithin(base, resolved)) return problem('outside-plugin');
    const type = context.source.type(resolved);
    if (type === 'missing' || type === 'other') return problem('missing');
    if (expect === 'dir' && type !== 'dir') return problem('not-a-directory');
    if (expect === 'file' && type !== 'file') return problem('not-a-file');
    return { path: resolved, type };
  };
  return {
    ...context,
    plugin,
    base,
    at,
    tree,
    files,
    under: (folder) => [...files].filter((file) => file.startsWith(`${at(folder)}/`)).sort(),
    manifestData,
    entryData,
    resolve,
    declared: (declaredIn, field, expect) => {
      const data = declaredIn === 'manifest' ? manifestData : entryData;
      const fieldPointer = `/${field}`;
      const value = data[field];
      const list = Array.isArray(value)
        ? value.map((item, i) => [item, joinPointer(fieldPointer, i)] as const)
        : [[value, fieldPointer] as const];
      const out: DeclaredTarget[] = [];
      for (const [item, pointer] of list) {
        if (typeof item !== 'string' || !item.startsWith('./')) continue;
        const target = resolve(declaredIn, pointer, item, expect);
        if (target) out.push(target);
      }
      return out;
    },
    markdownIn: (targets) =>
      targets.flatMap((target) =>
        target.type === 'file'
          ? [target.path]
          : context.walker
              .walk(target.path)
              .filter((e) => e.type === 'file' && e.path.endsWith('.md'))
              .map((e) => e.path),
      ),
  };
}
