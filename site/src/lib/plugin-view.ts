import type { CatalogPlugin, TokenCost } from 'agentops-lint/catalog';
import type { MarketplaceView, ViewOptions } from './catalog-view.ts';
import type { Check } from './checklist.ts';
import { installCommands, type InstallCommands } from './install.ts';
import { componentAnchor, resolveRelativeUrl, safeHttpUrl, sourceLink } from './links.ts';
import {
  byName,
  isObject,
  person,
  repositoryUrl,
  str,
  strings,
  type Json,
  type PersonView,
} from './manifest-fields.ts';
import { renderMarkdown } from './markdown.ts';
import { normaliseCategory, normaliseTerms } from './taxonomy.ts';
import { runsView, type PluginFlags, type RunsView } from './runs-view.ts';

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
interface HookView {
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
interface McpView {
  name: string;
  transport: string;
  command: string | undefined;
  args: string[];
  host: string | undefined;
  path: string;
  anchor: string;
}

/** A language server a plugin starts. */
interface LspView {
  name: string;
  command: string | undefined;
  languages: string[];
  path: string;
  anchor: string;
}

/** A link from a plugin to a pattern that uses it, or back. */
interface RefView {
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
  /** True when the repository has no known address: `install` adds the marketplace from a clone. */
  installFromClone: boolean;
  components: ComponentView[];
  hooks: HookView[];
  mcpServers: McpView[];
  lspServers: LspView[];
  bin: string[];
  /** Host names found in hook commands, hook URLs and MCP server settings. */
  hosts: string[];
  /** Plugin files that hooks, servers and `bin/` run, relative to the plugin folder. */
  scripts: string[];
  flags: PluginFlags;
  /** What runs on the user's machine, as the loader judged it, with its reasons. */
  runs: Pick<RunsView, 'label' | 'reasons' | 'writesGit' | 'folderMissing'>;
  tokens: TokenCost;
  readmeHtml: string | undefined;
  checks: Check[];
  patterns: RefView[];
}

/** What `/plugin marketplace add` takes when the marketplace can only be added from a clone. */
const clonePlaceholder = '<path-to-your-clone>';

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

/**
 * A plugin as its page shows it: display fields resolved the way Claude Code resolves them,
 * components with anchors, what runs on the user's machine and the README as safe HTML. Checks
 * and the patterns that use it are filled in by the caller.
 */
export function pluginView(
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
  const runs = runsView(plugin);
  const history = options.history?.get(plugin.dir === '.' ? '' : plugin.dir);
  const readme = plugin.readme ? String(plugin.readme.value) : undefined;
  const readmeDir = plugin.dir === '.' ? '' : `${plugin.dir}/`;
  const tags = normaliseTerms([...strings(pick('tags')), ...strings(pick('keywords'))]);
  return {
    name: plugin.name,
    displayName: str(pick('displayName')) ?? plugin.name,
    description: str(pick('description')) ?? '',
    version: str(manifest.version) ?? str(entry.version),
    author: person(pick('author')),
    license: str(pick('license')),
    homepage: safeHttpUrl(str(pick('homepage'))),
    repository: safeHttpUrl(repositoryUrl(pick('repository'))),
    category: normaliseCategory(str(pick('category'))),
    tags,
    dir: plugin.dir,
    sourceUrl: plugin.dir === '.' ? options.sourceBase : sourceLink(options.sourceBase, plugin.dir),
    updated: history?.updated,
    created: history?.created,
    install: installCommands(
      marketplace.addSource ?? clonePlaceholder,
      plugin.name,
      marketplace.name,
    ),
    installFromClone: marketplace.addSource === undefined,
    components: components(plugin),
    hooks,
    mcpServers,
    lspServers,
    bin: [...plugin.bin].sort(),
    hosts: runs.hosts,
    scripts: runs.scripts,
    flags: runs.flags,
    runs: {
      label: runs.label,
      reasons: runs.reasons,
      writesGit: runs.writesGit,
      folderMissing: runs.folderMissing,
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
