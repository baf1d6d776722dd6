import type { Catalog, CatalogPattern, CatalogPlugin, TokenCost } from 'agentops-lint/catalog';
import { VFile } from 'vfile';
import { checksFor, type Check, type RuleInfo } from './checklist.ts';
import { installCommands, type InstallCommands } from './install.ts';
import { renderMarkdown } from './markdown.ts';
import { readPatternStats, type PatternStats } from './pattern-stats.ts';

/** A person or organisation as manifests write it. */
export interface PersonView {
  name: string;
  email?: string;
  url?: string;
}

/** One command, agent, skill or output style, as the plugin page lists it. */
export interface ComponentView {
  kind: 'command' | 'agent' | 'skill' | 'output-style';
  name: string;
  /** `/plugin:name` for commands and skills, `plugin:name` for agents. */
  invocation: string | undefined;
  description: string | undefined;
  path: string;
  /** Fragment id on the plugin page. */
  anchor: string;
  tokens: TokenCost;
}

/** One hook handler: what runs, when, and whether it runs on every call of its event. */
export interface HookView {
  event: string;
  matcher: string | undefined;
  type: string;
  command: string | undefined;
  url: string | undefined;
  broad: boolean;
  path: string;
  anchor: string;
}

/** An MCP server: a local command or a remote host. */
export interface McpView {
  name: string;
  transport: string;
  command: string | undefined;
  args: string[];
  host: string | undefined;
  path: string;
  anchor: string;
}

/** A language server a plugin starts. */
export interface LspView {
  name: string;
  command: string | undefined;
  languages: string[];
  path: string;
  anchor: string;
}

/** Capability flags, the facets "no hooks", "no network" and "prompt-only". */
export interface PluginFlags {
  noHooks: boolean;
  noNetwork: boolean;
  promptOnly: boolean;
}

/** A link from a plugin to a pattern that uses it, or back. */
export interface RefView {
  id: string;
  title: string;
}

/** Everything a plugin page, its JSON twin and the search index need; plain data only. */
export interface PluginView {
  name: string;
  displayName: string;
  description: string;
  version: string | undefined;
  author: PersonView | undefined;
  license: string | undefined;
  homepage: string | undefined;
  repository: string | undefined;
  category: string | undefined;
  tags: string[];
  dir: string;
  /** URL of the plugin's folder in its repository, when known. */
  sourceUrl: string | undefined;
  /** ISO date of the last commit touching the plugin's folder. */
  updated: string | undefined;
  /** ISO date of the first commit touching it. */
  created: string | undefined;
  install: InstallCommands;
  components: ComponentView[];
  hooks: HookView[];
  mcpServers: McpView[];
  lspServers: LspView[];
  bin: string[];
  /** Host names found in hook commands, hook URLs and MCP server settings. */
  hosts: string[];
  /** Plugin files that hooks and servers run (`${CLAUDE_PLUGIN_ROOT}/…` in their commands). */
  scripts: string[];
  flags: PluginFlags;
  tokens: TokenCost;
  readmeHtml: string | undefined;
  checks: Check[];
  patterns: RefView[];
}

/** A workflow step, with the catalog components it names. */
export interface StepView {
  text: string;
  actor: string | undefined;
  /** Plugin pages (with fragment) of the agents, skills or commands the step uses. */
  uses: ComponentRef[];
}

/** A component of some plugin, referenced from a pattern step. */
export interface ComponentRef {
  plugin: string;
  kind: ComponentView['kind'];
  name: string;
  anchor: string;
}

/** Everything a pattern page, its JSON twin and the search index need; plain data only. */
export interface PatternView {
  id: string;
  slug: string;
  path: string;
  title: string;
  description: string;
  category: string | undefined;
  tags: string[];
  stats: PatternStats;
  steps: StepView[];
  /** Plugins whose agents, skills or commands the steps use. */
  plugins: string[];
  agents: ComponentRef[];
  skills: ComponentRef[];
  sourceUrl: string | undefined;
  updated: string | undefined;
  created: string | undefined;
  bodyHtml: string;
  checks: Check[];
}

/** Marketplace-level facts: its name, owner and where to add it from. */
export interface MarketplaceView {
  name: string;
  description: string | undefined;
  owner: PersonView | undefined;
  /** `owner/repo` (or URL) given to `/plugin marketplace add`. */
  addSource: string;
  /** Path of marketplace.json relative to the catalog root, when there is one. */
  path: string | undefined;
}

/** The whole catalog as the site renders it. */
export interface SiteData {
  marketplace: MarketplaceView;
  plugins: PluginView[];
  patterns: PatternView[];
}

/** Inputs from outside the catalog: git history, repository URL and the linter's verdicts. */
export interface ViewOptions {
  /** `owner/repo` for `/plugin marketplace add`. */
  addSource: string;
  /** Base URL of the repository's files at the built revision (`…/blob/<ref>/`), if known. */
  sourceBase?: string | undefined;
  /** Last and first commit date by path (file or folder) relative to the root. */
  history?: ReadonlyMap<string, { updated: string; created: string }> | undefined;
  /** Files carrying the linter's messages (defaults to the loader's `catalog.files`). */
  lintFiles?: readonly VFile[] | undefined;
  /** Every rule the linter ran, to show passed checks too. */
  rules?: readonly RuleInfo[] | undefined;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

function person(value: unknown): PersonView | undefined {
  if (typeof value === 'string') return str(value) ? { name: value } : undefined;
  if (!isObject(value)) return undefined;
  const name = str(value.name);
  if (!name) return undefined;
  const email = str(value.email);
  const url = str(value.url);
  return { name, ...(email ? { email } : {}), ...(url ? { url } : {}) };
}

function repositoryUrl(value: unknown): string | undefined {
  if (typeof value === 'string') return str(value);
  return isObject(value) ? str(value.url) : undefined;
}

/** Keeps only http(s) URLs; anything else (`javascript:`, relative paths) is dropped. */
export function safeHttpUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const hostRe = /\b(?:https?|wss?):\/\/([a-z0-9.-]+)(?::\d+)?/gi;

/** Host names of the http(s) and ws(s) URLs in some texts, sorted and unique. */
export function findHosts(texts: readonly (string | undefined)[]): string[] {
  const hosts = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const match of text.matchAll(hostRe)) {
      const host = match[1]?.toLowerCase().replace(/\.$/, '');
      if (host) hosts.add(host);
    }
  }
  return [...hosts].sort();
}

const pluginRootRe = /\$\{?CLAUDE_PLUGIN_ROOT\}?\/([^\s"'`;|&)<>]+)/g;

/** Files under the plugin root that commands run, from their `${CLAUDE_PLUGIN_ROOT}/…` paths. */
export function findPluginScripts(texts: readonly (string | undefined)[]): string[] {
  const scripts = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const match of text.matchAll(pluginRootRe)) {
      const file = match[1]?.replace(/^\.\//, '');
      if (file && !file.split('/').includes('..')) scripts.add(file);
    }
  }
  return [...scripts].sort();
}

/** The fragment id of a component on its plugin page, e.g. `command-deploy`. */
export function componentAnchor(kind: string, name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${kind}-${slug || 'unnamed'}`;
}

/** Joins a repository path onto `sourceBase`; `undefined` when there is no base. */
export function sourceLink(sourceBase: string | undefined, path: string): string | undefined {
  if (!sourceBase) return undefined;
  const clean = path === '.' ? '' : path.split('/').map(encodeURIComponent).join('/');
  return `${sourceBase.replace(/\/?$/, '/')}${clean}`;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function components(plugin: CatalogPlugin): ComponentView[] {
  const list: ComponentView[] = [];
  const add = (
    kind: ComponentView['kind'],
    item: { name: string; description: string | undefined; path: string; tokens: TokenCost },
    invocation: string | undefined,
  ): void => {
    list.push({
      kind,
      name: item.name,
      invocation,
      description: item.description,
      path: item.path,
      anchor: componentAnchor(kind, item.name),
      tokens: item.tokens,
    });
  };
  for (const item of [...plugin.commands].sort(byName)) add('command', item, item.invocation);
  for (const item of [...plugin.agents].sort(byName)) add('agent', item, item.id);
  for (const item of [...plugin.skills].sort(byName)) add('skill', item, item.invocation);
  for (const item of [...plugin.outputStyles].sort(byName)) add('output-style', item, undefined);
  return list;
}

function pluginView(
  plugin: CatalogPlugin,
  marketplace: MarketplaceView,
  options: ViewOptions,
): PluginView {
  const manifest: Json = isObject(plugin.manifest?.data) ? plugin.manifest.data : {};
  const entry: Json = isObject(plugin.entry?.data) ? plugin.entry.data : {};
  // Marketplace entry display fields override plugin.json's, as Claude Code does.
  const pick = (key: string): unknown => entry[key] ?? manifest[key];
  const hooks = plugin.hooks.map((hook, index) => ({
    event: hook.event,
    matcher: hook.matcher,
    type: hook.type,
    command: hook.command,
    url: hook.url,
    broad: hook.broad,
    path: hook.path,
    anchor: `hook-${index + 1}`,
  }));
  const mcpServers = [...plugin.mcpServers].sort(byName).map((server) => ({
    name: server.name,
    transport: server.transport,
    command: server.command,
    args: server.args,
    host: server.host,
    path: server.path,
    anchor: componentAnchor('mcp', server.name),
  }));
  const lspServers = [...plugin.lspServers].sort(byName).map((server) => ({
    name: server.name,
    command: server.command,
    languages: server.languages,
    path: server.path,
    anchor: componentAnchor('lsp', server.name),
  }));
  const hosts = findHosts([
    ...plugin.hooks.flatMap((hook) => [hook.command, hook.url]),
    ...plugin.mcpServers.flatMap((server) => [server.command, ...server.args]),
    ...plugin.mcpServers.map((server) => server.host && `https://${server.host}`),
  ]);
  const remote = plugin.mcpServers.some(
    (server) => server.host !== undefined || server.transport !== 'stdio',
  );
  const history = options.history?.get(plugin.dir === '.' ? '' : plugin.dir);
  const readme = plugin.readme ? String(plugin.readme.value) : undefined;
  const readmeDir = plugin.dir === '.' ? '' : `${plugin.dir}/`;
  const tags = [...new Set([...strings(pick('tags')), ...strings(pick('keywords'))])];
  return {
    name: plugin.name,
    displayName: str(pick('displayName')) ?? plugin.name,
    description: str(pick('description')) ?? '',
    version: str(manifest.version) ?? str(entry.version),
    author: person(pick('author')),
    license: str(pick('license')),
    homepage: safeHttpUrl(str(pick('homepage'))),
    repository: safeHttpUrl(repositoryUrl(pick('repository'))),
    category: str(pick('category')),
    tags,
    dir: plugin.dir,
    sourceUrl: plugin.dir === '.' ? options.sourceBase : sourceLink(options.sourceBase, plugin.dir),
    updated: history?.updated,
    created: history?.created,
    install: installCommands(marketplace.addSource, plugin.name, marketplace.name),
    components: components(plugin),
    hooks,
    mcpServers,
    lspServers,
    bin: [...plugin.bin].sort(),
    hosts,
    scripts: findPluginScripts([
      ...plugin.hooks.map((hook) => hook.command),
      ...plugin.mcpServers.flatMap((server) => [server.command, ...server.args]),
      ...plugin.lspServers.map((server) => server.command),
    ]),
    flags: {
      noHooks: plugin.hooks.length === 0,
      noNetwork: hosts.length === 0 && !remote,
      promptOnly:
        plugin.hooks.length === 0 &&
        plugin.mcpServers.length === 0 &&
        plugin.lspServers.length === 0 &&
        plugin.bin.length === 0,
    },
    tokens: plugin.tokens,
    readmeHtml:
      readme === undefined
        ? undefined
        : renderMarkdown(readme, {
            headingOffset: 2,
            resolveRelative: (url) => resolveRelativeUrl(options.sourceBase, readmeDir, url),
          }),
    checks: [],
    patterns: [],
  };
}

/**
 * Resolves a relative link in a document under `dir` against the repository's file URL base;
 * `undefined` (link dropped) when there is no base or the path climbs out of the repository.
 */
export function resolveRelativeUrl(
  sourceBase: string | undefined,
  dir: string,
  url: string,
): string | undefined {
  if (!sourceBase || url.startsWith('/')) return undefined;
  const [pathPart = '', fragment] = url.split('#', 2);
  const parts: string[] = [];
  for (const segment of `${dir}${pathPart}`.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  const link = sourceLink(sourceBase, parts.join('/'));
  return link && fragment !== undefined ? `${link}#${encodeURIComponent(fragment)}` : link;
}

/**
 * Groups files by the entry that owns them: a pattern by its path, a plugin by its folder (the
 * nearest plugin folder above the file). A plugin at the catalog root owns what no other entry
 * owns, except the marketplace file.
 */
function filesByOwner(files: readonly VFile[], catalog: Catalog): Map<string, VFile[]> {
  const owners = new Map<string, VFile[]>();
  const add = (owner: string, file: VFile): void => {
    const list = owners.get(owner) ?? [];
    list.push(file);
    owners.set(owner, list);
  };
  const patternPaths = new Set(catalog.patterns.map((pattern) => pattern.path));
  const pluginDirs = new Set(catalog.plugins.map((plugin) => plugin.dir));
  for (const file of files) {
    if (patternPaths.has(file.path)) {
      add(file.path, file);
      continue;
    }
    let dir = file.path;
    let owner: string | undefined;
    for (
      let cut = dir.lastIndexOf('/');
      cut > 0 && owner === undefined;
      cut = dir.lastIndexOf('/')
    ) {
      dir = dir.slice(0, cut);
      if (pluginDirs.has(dir)) owner = dir;
    }
    if (
      owner === undefined &&
      pluginDirs.has('.') &&
      !file.path.startsWith('.claude-plugin/marketplace')
    )
      owner = '.';
    if (owner !== undefined) add(owner, file);
    if (file.path === catalog.marketplace?.file.path) {
      for (const [dir, entryFile] of entryMessages(file, catalog)) add(dir, entryFile);
    }
  }
  return owners;
}

/**
 * The messages of marketplace.json that fall inside a plugin's entry (`/plugins/<index>`), as one
 * file per plugin folder, so a plugin's checklist shows what the linter says about its entry.
 */
function entryMessages(file: VFile, catalog: Catalog): Map<string, VFile> {
  const entries = new Map<string, VFile>();
  const positions = catalog.marketplace?.positions;
  if (!positions) return entries;
  const ranges = catalog.plugins.flatMap((plugin) => {
    const range = plugin.entry ? positions.value(`/plugins/${plugin.entry.index}`) : undefined;
    return range ? [{ dir: plugin.dir, range }] : [];
  });
  for (const message of file.messages) {
    const line = message.line ?? 0;
    const column = message.column ?? 0;
    const owner = ranges.find(({ range }) => {
      const afterStart =
        line > range.start.line || (line === range.start.line && column >= range.start.column);
      const beforeEnd =
        line < range.end.line || (line === range.end.line && column < range.end.column);
      return afterStart && beforeEnd;
    });
    if (!owner) continue;
    const entryFile = entries.get(owner.dir) ?? new VFile({ path: file.path });
    entryFile.messages.push(message);
    entries.set(owner.dir, entryFile);
  }
  return entries;
}

/** Lower-cases and joins words with `-`, so `Code Explorer` matches an agent `code-explorer`. */
function normalizeName(text: string): string {
  return text
    .toLowerCase()
    .replace(/^\/|^(agent|skill|command):/, '')
    .replace(/[^a-z0-9:]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Index of every agent, skill and command by the names a step might use for it. */
function componentIndex(plugins: readonly PluginView[]): Map<string, ComponentRef[]> {
  const index = new Map<string, ComponentRef[]>();
  const add = (key: string, ref: ComponentRef): void => {
    const list = index.get(key) ?? [];
    if (!list.some((known) => known.plugin === ref.plugin && known.anchor === ref.anchor))
      list.push(ref);
    index.set(key, list);
  };
  for (const plugin of plugins) {
    for (const component of plugin.components) {
      if (component.kind === 'output-style') continue;
      const ref = {
        plugin: plugin.name,
        kind: component.kind,
        name: component.name,
        anchor: component.anchor,
      };
      add(normalizeName(component.name), ref);
      if (component.invocation) add(normalizeName(component.invocation), ref);
    }
  }
  return index;
}

const codeSpanRe = /`([^`]+)`/g;

function stepUses(
  step: { text: string; actor: string | undefined },
  index: Map<string, ComponentRef[]>,
): ComponentRef[] {
  const names = [step.actor, ...[...step.text.matchAll(codeSpanRe)].map((match) => match[1])];
  const uses: ComponentRef[] = [];
  for (const name of names) {
    if (!name) continue;
    for (const ref of index.get(normalizeName(name)) ?? []) {
      if (!uses.some((known) => known.plugin === ref.plugin && known.anchor === ref.anchor))
        uses.push(ref);
    }
  }
  return uses;
}

function uniqueRefs(refs: ComponentRef[]): ComponentRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = `${ref.plugin}#${ref.anchor}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function patternView(
  pattern: CatalogPattern,
  index: Map<string, ComponentRef[]>,
  options: ViewOptions,
): PatternView {
  const data: Json = isObject(pattern.doc.data) ? pattern.doc.data : {};
  const stats = readPatternStats(data, pattern.interval);
  const steps = pattern.steps.map((step) => ({
    text: step.text,
    actor: step.actor,
    uses: stepUses(step, index),
  }));
  const canonical = stats.canonicalSteps.flatMap((step) => index.get(normalizeName(step)) ?? []);
  const used = uniqueRefs([...steps.flatMap((step) => step.uses), ...canonical]);
  const history = options.history?.get(pattern.path);
  const dir = pattern.path.includes('/')
    ? pattern.path.slice(0, pattern.path.lastIndexOf('/') + 1)
    : '';
  return {
    id: pattern.id,
    slug: pattern.slug,
    path: pattern.path,
    title: pattern.title ?? str(data.title) ?? pattern.id,
    description: str(data.description) ?? str(data.summary) ?? '',
    category: str(data.category),
    tags: [...new Set([...strings(data.tags), ...strings(data.keywords)])],
    stats,
    steps,
    plugins: [...new Set(used.map((ref) => ref.plugin))].sort(),
    agents: used.filter((ref) => ref.kind === 'agent'),
    skills: used.filter((ref) => ref.kind === 'skill'),
    sourceUrl: sourceLink(options.sourceBase, pattern.path),
    updated: history?.updated,
    created: history?.created,
    bodyHtml: renderMarkdown(pattern.doc.body, {
      headingOffset: 2,
      resolveRelative: (url) => resolveRelativeUrl(options.sourceBase, dir, url),
    }),
    checks: [],
  };
}

/**
 * Turns a loaded catalog into the plain data the site renders: display fields resolved the way
 * Claude Code resolves them, components with anchors, what runs on the user's machine, pattern
 * steps linked to the components they use, sanitized HTML, and check results.
 */
export function buildSiteData(catalog: Catalog, options: ViewOptions): SiteData {
  const market: Json = isObject(catalog.marketplace?.data) ? catalog.marketplace.data : {};
  const marketplace: MarketplaceView = {
    name: str(market.name) ?? 'marketplace',
    description:
      str(market.description) ??
      (isObject(market.metadata) ? str(market.metadata.description) : undefined),
    owner: person(market.owner),
    addSource: options.addSource,
    path: catalog.marketplace?.file.path,
  };
  const owned = filesByOwner(options.lintFiles ?? catalog.files, catalog);
  const plugins = catalog.plugins
    .map((plugin) => {
      const view = pluginView(plugin, marketplace, options);
      view.checks = checksFor(owned.get(plugin.dir) ?? [], 'plugin', options.rules);
      return view;
    })
    .sort(byName);
  const index = componentIndex(plugins);
  const patterns = catalog.patterns
    .map((pattern) => patternView(pattern, index, options))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byPlugin = new Map(plugins.map((plugin) => [plugin.name, plugin]));
  for (const pattern of patterns) {
    for (const name of pattern.plugins)
      byPlugin.get(name)?.patterns.push({ id: pattern.id, title: pattern.title });
  }
  for (const pattern of patterns) {
    pattern.checks = checksFor(owned.get(pattern.path) ?? [], 'pattern', options.rules);
  }
  return { marketplace, plugins, patterns };
}
