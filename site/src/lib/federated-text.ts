import type { FederatedPluginView } from './federated-view.ts';
import { countOf } from './words.ts';

/** What names a marketplace listing a federated plugin. */
type ListingNames = Pick<
  FederatedPluginView['listings'][number],
  'marketplaceName' | 'marketplaceId'
>;

type ListingSearchNames = Pick<
  FederatedPluginView['listings'][number],
  'marketplaceName' | 'marketplaceSource'
>;

/** A marketplace listing a federated plugin, by its name, or by its id when it has none. */
export function listingName(listing: ListingNames): string {
  return listing.marketplaceName ?? listing.marketplaceId;
}

/**
 * What search should also find a federated plugin by, beyond its page's text: each listing
 * marketplace's name and where it comes from (`owner/repo`, or its git URL), each once,
 * space-separated.
 */
export function listingSearchText(plugin: { listings: readonly ListingSearchNames[] }): string {
  const words = plugin.listings.flatMap((listing) => [
    listing.marketplaceName ?? '',
    listing.marketplaceSource ?? '',
  ]);
  return [...new Set(words.filter((word) => word !== ''))].join(' ');
}

/** Where a federated plugin is listed: its one marketplace's name, or `3 marketplaces`. */
export function listedBy(plugin: { listings: readonly ListingNames[] }): string {
  const [only, ...others] = plugin.listings;
  if (only && others.length === 0) return listingName(only);
  return countOf(plugin.listings.length, 'marketplace');
}
