import path from 'node:path/posix';
import type { Marketplace, PluginManifest } from '../../generated/schema-types.ts';
import type { CatalogPlugin, ParsedDocument } from '../model.ts';
import { discoverAgents } from './agents.ts';
import { discoverBin } from './bin.ts';
import { discoverCommands } from './commands.ts';
import { deriveFootprint } from './footprint.ts';
import { discoverHooks } from './hooks.ts';
import { discoverLsp } from './lsp.ts';
import { discoverMcp } from './mcp.ts';
import { discoverOutputStyles } from './output-styles.ts';
import {
  asList,
  createPluginScope,
  isObject,
  resolveInside,
  type DiscoveryContext,
  type Json,
} from './plugin-scope.ts';
import { discoverSkills } from './skills.ts';
import type { WalkEntry } from './walk.ts';

/** The component folders of a plugin at the repository root: the only folders its tree lists. */
const rootPluginFolders = [
  '.claude-plugin',
  'commands',
  'agents',
  'skills',
  'output-styles',
  'hooks',
  'bin',
];

/**
 * Every plugin of the catalog, sorted by folder: the marketplace's entries with local sources,
 * the folders under `plugins/`, and a plugin at the root beside the marketplace or alone.
 *
 * @param assumed Entry sources (as written) to treat as present although their folder is missing.
 * @param only The only plugin folders wanted (a partial load); entries naming others are skipped.
 */
export function findPlugins(
  context: DiscoveryContext,
  marketplace: ParsedDocument<Marketplace> | undefined,
  assumed: ReadonlySet<string>,
  only?: ReadonlySet<string>,
): CatalogPlugin[] {
  const { source, walker } = context;
  const byDir = new Map<string, CatalogPlugin>();
  const data: Json | undefined = isObject(marketplace?.data) ? marketplace.data : undefined;
  const pluginRoot =
    isObject(data?.metadata) && typeof data.metadata.pluginRoot === 'string'
      ? data.metadata.pluginRoot
      : undefined;

  asList(data?.plugins).forEach((entry, index) => {
    if (!isObject(entry)) return;
    const dir = entryDir(entry.source, pluginRoot);
    if (dir === undefined || byDir.has(dir) || (only && !only.has(dir))) return;
    const exists = source.type(dir === '.' ? '' : dir) === 'dir';
    const present = exists || assumed.has(String(entry.source));
    const ref = { index, data: entry as NonNullable<Marketplace['plugins']>[number] };
    const plugin = discoverPlugin(context, dir, ref, 'marketplace', present);
    const rooted = present ? undefined : entryDirUnder(entry.source, pluginRoot);
    if (rooted !== undefined && rooted !== dir) {
      plugin.underPluginRoot = { dir: rooted, exists: source.type(rooted) === 'dir' };
    }
    byDir.set(dir, plugin);
  });

  for (const entry of source.list('plugins')) {
    const dir = `plugins/${entry.name}`;
    if (entry.type === 'symlink') walker.link(dir);
    if (source.type(dir) !== 'dir') continue;
    const known = byDir.get(dir);
    if (known) known.discoveredBy = 'both';
    else byDir.set(dir, discoverPlugin(context, dir, undefined, 'folder', true));
  }

  // A plugin.json at the root is a plugin of its own: alone, or beside marketplace.json even when no
  // entry uses it (Claude Code checks it there too).
  if (
    (marketplace !== undefined || byDir.size === 0) &&
    !byDir.has('.') &&
    source.type('.claude-plugin/plugin.json') === 'file'
  ) {
    byDir.set('.', discoverPlugin(context, '.', undefined, 'folder', true));
  }
  return [...byDir.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/** The local directory of a marketplace entry's source, or `undefined` for remote or unsafe ones. */
function entryDir(source: unknown, pluginRoot: string | undefined): string | undefined {
  if (typeof source !== 'string') return undefined;
  let written = source;
  if (
    !written.startsWith('./') &&
    written !== '.' &&
    pluginRoot !== undefined &&
    /^[A-Za-z0-9][-A-Za-z0-9._]*$/.test(written)
  ) {
    written = `./${path.join(pluginRoot, written)}`;
  }
  if (!(written.startsWith('./') || written === '.')) return undefined;
  const dir = resolveInside('', written);
  return dir === undefined ? undefined : dir === '' ? '.' : dir;
}

/**
 * The folder a `./` entry source would name if `pluginRoot` applied to it (it applies only to bare
 * names), or `undefined` when there is no `pluginRoot` or the source is not a `./` path inside.
 */
function entryDirUnder(source: unknown, pluginRoot: string | undefined): string | undefined {
  if (typeof source !== 'string' || pluginRoot === undefined || !source.startsWith('./')) {
    return undefined;
  }
  const dir = entryDir(`./${path.join(pluginRoot, source)}`, undefined);
  return dir === '.' ? undefined : dir;
}

/** One plugin: its manifest, then each component kind in Claude Code's order, then its totals. */
function discoverPlugin(
  context: DiscoveryContext,
  dir: string,
  entry: CatalogPlugin['entry'],
  discoveredBy: CatalogPlugin['discoveredBy'],
  dirExists: boolean,
): CatalogPlugin {
  const { source, reader, walker } = context;
  const base = dir === '.' ? '' : dir;
  const at = (relative: string): string => (base === '' ? relative : `${base}/${relative}`);
  const exists = dirExists && (dir === '.' || source.type(base) === 'dir');
  // One listing of the plugin tree (the repository root plugin lists only its component folders).
  const tree = !exists ? [] : dir === '.' ? rootPluginTree(context) : walker.walk(base);
  const manifestPath = at('.claude-plugin/plugin.json');
  const manifest =
    exists && source.type(manifestPath) === 'file'
      ? reader.json<PluginManifest>(manifestPath, 'plugin')
      : undefined;
  const manifestData: Json = isObject(manifest?.data) ? manifest.data : {};
  const entryData: Json = entry ? entry.data : {};
  const dirName = dir === '.' ? path.basename(source.root) : path.basename(dir);
  const name =
    typeof manifestData.name === 'string' && manifestData.name !== ''
      ? manifestData.name
      : typeof entryData.name === 'string' && entryData.name !== ''
        ? entryData.name
        : dirName;

  const plugin: CatalogPlugin = {
    name,
    dir,
    dirName,
    discoveredBy,
    dirExists,
    manifest,
    entry,
    commands: [],
    agents: [],
    skills: [],
    outputStyles: [],
    hookFiles: [],
    hooks: [],
    mcpFiles: [],
    mcpServers: [],
    lspFiles: [],
    lspServers: [],
    bin: [],
    paths: tree.map((item) => item.path),
    readme: undefined,
    shadowedFolders: [],
    pathProblems: [],
    unloaded: [],
    tokens: { session: 0, activation: 0 },
    // Derived last, from everything above.
    footprint: {
      label: 'unknown',
      folderMissing: false,
      hosts: [],
      runs: [],
      scripts: [],
      writes: [],
      reasons: [],
    },
  };
  if (!exists) {
    plugin.footprint = deriveFootprint(plugin, source, false);
    return plugin;
  }
  const scope = createPluginScope(context, plugin, tree, manifestData, entryData);
  plugin.commands = discoverCommands(scope);
  plugin.agents = discoverAgents(scope);
  plugin.outputStyles = discoverOutputStyles(scope);
  plugin.skills = discoverSkills(scope);
  ({ hookFiles: plugin.hookFiles, hooks: plugin.hooks } = discoverHooks(scope));
  ({ files: plugin.mcpFiles, servers: plugin.mcpServers } = discoverMcp(scope));
  ({ files: plugin.lspFiles, servers: plugin.lspServers } = discoverLsp(scope));
  plugin.bin = discoverBin(scope);
  if (scope.files.has(at('README.md'))) plugin.readme = reader.text(at('README.md')).file;
  const all = [...plugin.commands, ...plugin.agents, ...plugin.skills, ...plugin.outputStyles];
  plugin.tokens = {
    session: all.reduce((sum, component) => sum + component.tokens.session, 0),
    activation: all.reduce((sum, component) => sum + component.tokens.activation, 0),
  };
  plugin.footprint = deriveFootprint(plugin, source, true);
  return plugin;
}

/** The plugin tree of a plugin at the repository root: its root files and component folders only. */
function rootPluginTree({ source, walker }: DiscoveryContext): WalkEntry[] {
  const rootFiles = source
    .list('')
    .filter((entry) => entry.type === 'file')
    .map((entry): WalkEntry => ({ path: entry.name, type: 'file' }));
  return [
    ...rootFiles,
    ...rootPluginFolders.flatMap((folder) =>
      source.type(folder) === 'dir'
        ? [{ path: folder, type: 'dir' as const }, ...walker.walk(folder)]
        : [],
    ),
  ];
}
