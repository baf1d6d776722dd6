import type { CatalogPlugin } from 'agentops-lint/catalog';

/** Capability flags, the facets "no hooks", "no network" and "prompt-only". */
export interface PluginFlags {
  noHooks: boolean;
  noNetwork: boolean;
  promptOnly: boolean;
}

/** What a plugin runs on the user's machine and which hosts it names. */
export interface RunsView {
  /** Host names found in hook commands, hook URLs and MCP server settings. */
  hosts: string[];
  /** Plugin files that hooks and servers run (`${CLAUDE_PLUGIN_ROOT}/…` in their commands). */
  scripts: string[];
  flags: PluginFlags;
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

/** The hosts, scripts and capability flags of a plugin, from its hooks, servers and `bin/`. */
export function runsView(plugin: CatalogPlugin): RunsView {
  const hosts = findHosts([
    ...plugin.hooks.flatMap((hook) => [hook.command, hook.url]),
    ...plugin.mcpServers.flatMap((server) => [server.command, ...server.args]),
    ...plugin.mcpServers.map((server) => server.host && `https://${server.host}`),
  ]);
  const remote = plugin.mcpServers.some(
    (server) => server.host !== undefined || server.transport !== 'stdio',
  );
  return {
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
  };
}
