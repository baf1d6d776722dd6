import { indexResponse } from '../../lib/api.ts';
import { allPlugins } from '../../lib/collections.ts';
import { pluginPath, withBase } from '../../lib/paths.ts';

/** Every plugin, summarised, with the URL of its page and its JSON document. */
export async function GET(): Promise<Response> {
  const base = import.meta.env.BASE_URL;
  const plugins = await allPlugins();
  const items = plugins.map((plugin) => ({
    id: plugin.name,
    title: plugin.displayName,
    description: plugin.description,
    url: withBase(base, pluginPath(plugin.name)),
    api: withBase(base, `api/plugins/${encodeURIComponent(plugin.name)}.json`),
    ...(plugin.version ? { version: plugin.version } : {}),
    ...(plugin.category ? { category: plugin.category } : {}),
    tags: plugin.tags,
    flags: plugin.flags,
    tokens: plugin.tokens,
    ...(plugin.updated ? { updated: plugin.updated } : {}),
  }));
  return indexResponse(base, items);
}
