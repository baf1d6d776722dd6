import { allDocs, allFederated, allPatterns, allPlugins, allSchemas } from '../lib/collections.ts';
import { federatedPath } from '../lib/federated-view.ts';
import { sitemap } from '../lib/feeds.ts';
import { absolute } from '../lib/feed-items.ts';
import { categoryKeys, groupBy, tagGroups } from '../lib/page-data.ts';
import { patternPath, pluginPath } from '../lib/paths.ts';

/** Every HTML page of the site. */
export async function GET(): Promise<Response> {
  const site = import.meta.env.SITE;
  const base = import.meta.env.BASE_URL;
  const plugins = await allPlugins();
  const patterns = await allPatterns();
  const federated = await allFederated();
  const paths = [
    '',
    'plugins/',
    'patterns/',
    'categories/',
    'tags/',
    'reference/',
    ...plugins.map((plugin) => pluginPath(plugin.name)),
    ...patterns.map((pattern) => patternPath(pattern.id)),
    ...(federated.length > 0 ? ['federated/', 'federated/marketplaces/'] : []),
    ...federated.map((plugin) => federatedPath(plugin.slug)),
    ...groupBy(plugins, patterns, categoryKeys, federated).map(
      (group) => `categories/${group.slug}/`,
    ),
    ...tagGroups(plugins, patterns, federated).map((group) => `tags/${group.slug}/`),
    ...(await allDocs()).map((doc) => doc.route),
    ...(await allSchemas()).map((schema) => `reference/${schema.kind}/`),
  ];
  const urls = [...new Set(paths)].map((path) => absolute(site, base, path));
  return new Response(sitemap(urls), {
    headers: { 'content-type': 'application/xml; charset=utf-8' },
  });
}
