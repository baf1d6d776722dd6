import type { CatalogPlugin, FootprintLabel } from 'agentops-lint/catalog';

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
  /** The loader's verdict: `prompt-only`, `no-network`, `network` or `unknown`. */
  label: FootprintLabel;
  /** Why the label is what it is, one sentence each. */
  reasons: string[];
  /** Whether the plugin commits to git in the background. */
  writesGit: boolean;
  /** Whether the plugin's folder is missing from its repository. */
  folderMissing: boolean;
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

/** The hosts, scripts, flags and label of a plugin, as the loader's footprint gives them. */
export function runsView(plugin: CatalogPlugin): RunsView {
  const { footprint } = plugin;
  const prefix = plugin.dir === '.' ? '' : `${plugin.dir}/`;
  return {
    hosts: footprint.hosts,
    scripts: footprint.scripts.map((script) =>
      script.path.startsWith(prefix) ? script.path.slice(prefix.length) : script.path,
    ),
    flags: {
      noHooks: plugin.hooks.length === 0,
      noNetwork: footprint.label === 'prompt-only' || footprint.label === 'no-network',
      promptOnly: footprint.label === 'prompt-only',
    },
    label: footprint.label,
    reasons: footprint.reasons.map((reason) => reason.text),
    writesGit: footprint.writes.includes('git'),
    folderMissing: footprint.folderMissing,
  };
}
