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

/** What each label says on a plugin page, ours or federated. */
export const runsVerdictText: Record<FootprintLabel, string> = {
  'prompt-only': 'Prompt-only: it adds text to Claude Code and runs nothing.',
  'no-network':
    'Runs code on your machine; nothing it runs reaches the network, as far as we can see.',
  network: 'Runs code that can reach the network.',
  unknown: 'Runs code we cannot read, so what it does is not known.',
};

/**
 * A footprint reason as one line: its sentence, then the file it was found in unless the sentence
 * already names it.
 */
export function reasonLine(reason: { text: string; path: string | null | undefined }): string {
  const { text, path } = reason;
  return path && !text.includes(`\`${path}\``) ? `${text} (in \`${path}\`)` : text;
}

/** The capability flags that follow from the loader's label and whether the plugin has hooks. */
export function flagsOf(label: FootprintLabel, hookCount: number): PluginFlags {
  return {
    noHooks: hookCount === 0,
    noNetwork: label === 'prompt-only' || label === 'no-network',
    promptOnly: label === 'prompt-only',
  };
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
    flags: flagsOf(footprint.label, plugin.hooks.length),
    label: footprint.label,
    reasons: footprint.reasons.map(reasonLine),
    writesGit: footprint.writes.includes('git'),
    folderMissing: footprint.folderMissing,
  };
}
