import type { PatternView } from './pattern-view.ts';
import type { PluginView } from './plugin-view.ts';
import type { FeedInfo, FeedItem } from './feeds.ts';
import { patternPath, pluginPath, withBase } from './paths.ts';

/** Absolute URL of a path inside the site. */
export function absolute(site: string, base: string, path: string): string {
  return new URL(withBase(base, path), site).href;
}

/** Feed entries for every plugin and pattern with a known commit date. */
export function feedItems(
  site: string,
  base: string,
  plugins: readonly PluginView[],
  patterns: readonly PatternView[],
): FeedItem[] {
  const items: FeedItem[] = [];
  for (const plugin of plugins) {
    if (!plugin.updated || !plugin.created) continue;
    items.push({
      id: plugin.name,
      title: plugin.displayName,
      url: absolute(site, base, pluginPath(plugin.name)),
      summary: plugin.description,
      updated: plugin.updated,
      created: plugin.created,
      kind: 'plugin',
    });
  }
  for (const pattern of patterns) {
    if (!pattern.updated || !pattern.created) continue;
    items.push({
      id: pattern.id,
      title: pattern.title,
      url: absolute(site, base, patternPath(pattern.id)),
      summary: pattern.description || `${pattern.steps.length} steps`,
      updated: pattern.updated,
      created: pattern.created,
      kind: 'pattern',
    });
  }
  return items;
}

/** The feeds' own title and URLs. */
export function feedInfo(site: string, base: string, title: string): FeedInfo {
  return {
    title,
    description: `New and updated plugins and patterns of ${title}`,
    home: absolute(site, base, ''),
    rss: absolute(site, base, 'feed.xml'),
    atom: absolute(site, base, 'atom.xml'),
    json: absolute(site, base, 'feed.json'),
  };
}
