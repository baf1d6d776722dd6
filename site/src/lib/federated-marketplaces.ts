import type {
  FederationIndex,
  FederationIndexMarketplace,
  FederationIndexStatus,
} from '../../../lint/src/generated/schema-types.ts';
import { safeHttpUrl } from './catalog-view.ts';
import type { FederatedPluginView } from './federated-view.ts';

/** A federated plugin as its marketplace's page lists it. */
interface FederatedMarketplacePlugin {
  /** The name the marketplace lists it under. */
  name: string;
  /** Slug of its federated plugin page. */
  slug: string;
}

/** A marketplace of the federation, as the marketplaces pages show it. */
export interface FederatedMarketplaceView {
  id: string;
  name: string | undefined;
  description: string | undefined;
  url: string | undefined;
  status: FederationIndexStatus;
  commit: string | undefined;
  fetchedAt: string;
  deadSince: string | undefined;
  errorCount: number;
  /** The first marketplace-level error, with its file and line when it has them. */
  firstError: string | undefined;
  pluginCount: number;
  addCommand: string | undefined;
  /** Its entries, sorted by name, each linking to the de-duplicated plugin page. */
  plugins: FederatedMarketplacePlugin[];
}

/** What each status means, as pages say it. */
export const marketplaceStatusText: Record<FederationIndexStatus, string> = {
  ok: 'synced',
  invalid: 'invalid: Claude Code refuses its marketplace.json',
  unreachable: 'unreachable at the last sync',
  dead: 'dead: the repository is gone',
};

const ownerRepoRe = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** The web page of a marketplace repository: GitHub for `owner/repo`, else an https URL. */
export function marketplaceWebUrl(
  marketplace: Pick<FederationIndexMarketplace, 'source' | 'url'>,
): string | undefined {
  if (ownerRepoRe.test(marketplace.source))
    return `https://github.com/${marketplace.source.split('/').map(encodeURIComponent).join('/')}`;
  const web = safeHttpUrl(marketplace.url.replace(/\.git$/, ''));
  return web?.startsWith('https://') ? web : undefined;
}

/** The page of a federated marketplace, relative to the site root (ids are URL-safe). */
export function federatedMarketplacePath(id: string): string {
  return `federated/marketplaces/${id}/`;
}

/** `path:line:column message`, or the message alone when the error names no file. */
export function formatMarketplaceError(
  error: FederationIndexMarketplace['firstError'],
): string | undefined {
  if (!error) return undefined;
  if (error.path === null) return error.message;
  return `${error.path}:${error.line ?? 1}:${error.column ?? 1} ${error.message}`;
}

function text(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The marketplaces of the index, each with the plugin pages of its entries. */
export function buildMarketplaceViews(
  index: FederationIndex,
  plugins: readonly FederatedPluginView[],
): FederatedMarketplaceView[] {
  const entries = new Map<string, FederatedMarketplacePlugin[]>();
  for (const plugin of plugins) {
    for (const listing of plugin.listings) {
      const list = entries.get(listing.marketplaceId) ?? [];
      list.push({ name: listing.pluginName, slug: plugin.slug });
      entries.set(listing.marketplaceId, list);
    }
  }
  return index.marketplaces.map((market) => ({
    id: market.id,
    name: text(market.name),
    description: text(market.description),
    url: marketplaceWebUrl(market),
    status: market.status,
    commit: text(market.commit),
    fetchedAt: market.fetchedAt,
    deadSince: text(market.deadSince),
    errorCount: market.errorCount,
    firstError: formatMarketplaceError(market.firstError),
    pluginCount: market.pluginCount,
    addCommand: text(market.addCommand),
    plugins: (entries.get(market.id) ?? []).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    ),
  }));
}
