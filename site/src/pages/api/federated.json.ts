import { indexResponse } from '../../lib/api.ts';
import { allFederated } from '../../lib/collections.ts';
import { federatedPath } from '../../lib/federated-view.ts';
import { withBase } from '../../lib/paths.ts';

/** Every de-duplicated federated plugin, summarised, with its page, JSON document and sources. */
export async function GET(): Promise<Response> {
  const base = import.meta.env.BASE_URL;
  const items = (await allFederated()).map((plugin) => ({
    id: plugin.id,
    title: plugin.name,
    description: plugin.description,
    url: withBase(base, federatedPath(plugin.slug)),
    api: withBase(base, `api/federated/${plugin.slug}.json`),
    ...(plugin.version ? { version: plugin.version } : {}),
    ...(plugin.category ? { category: plugin.category } : {}),
    tags: plugin.tags,
    labels: plugin.labels,
    marketplaces: plugin.listings.map((listing) => listing.marketplaceId),
  }));
  return indexResponse(base, items);
}
