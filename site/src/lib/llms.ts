import type { MarketplaceView } from './catalog-view.ts';
import type { PatternView } from './pattern-view.ts';
import type { PluginView } from './plugin-view.ts';
import { patternPath, pluginPath } from './paths.ts';

/** Makes free text safe on one Markdown line: no line breaks, brackets or backticks that start links or code. */
function oneLine(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/[[\]`<>]/g, '')
    .trim();
}

/** Builds `llms.txt`: the marketplace, how to install, and a link per plugin and pattern. */
export function llmsText(
  market: MarketplaceView,
  plugins: readonly PluginView[],
  patterns: readonly PatternView[],
  link: (path: string) => string,
): string {
  const lines = [
    `# ${oneLine(market.title)}`,
    '',
    `> ${oneLine(market.description ?? 'A Claude Code plugin marketplace with learned workflow patterns.')}`,
    '',
    market.addSource === undefined
      ? `Clone the marketplace's repository, add it with \`/plugin marketplace add <path-to-your-clone>\`, then install a plugin with \`/plugin install <name>@${oneLine(market.name)}\`.`
      : `Add the marketplace with \`/plugin marketplace add ${oneLine(market.addSource)}\`, then install a plugin with \`/plugin install <name>@${oneLine(market.name)}\`.`,
    `Machine-readable data: ${link('marketplace.json')}, ${link('api/plugins.json')}, ${link('api/patterns.json')}.`,
    '',
    '## Plugins',
    '',
    ...plugins.map(
      (plugin) =>
        `- [${oneLine(plugin.displayName)}](${link(pluginPath(plugin.name))}): ${oneLine(plugin.description)}`,
    ),
    '',
    '## Patterns',
    '',
    ...patterns.map(
      (pattern) =>
        `- [${oneLine(pattern.title)}](${link(patternPath(pattern.id))}): ${oneLine(pattern.description || `${pattern.steps.length} steps`)}`,
    ),
    '',
  ];
  return lines.join('\n');
}
