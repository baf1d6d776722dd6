import type {
  FederationIndex,
  FederationIndexAvailability,
  FederationIndexMarketplace,
  FederationIndexPerson,
  FederationIndexPlugin,
  FederationIndexStatus,
} from '../../../lint/src/generated/schema-types.ts';
import { safeHttpUrl } from './catalog-view.ts';
import { federatedComponents, type FederatedComponent } from './federated-components.ts';
import {
  buildMarketplaceViews,
  formatMarketplaceError,
  marketplaceWebUrl,
  type FederatedMarketplaceView,
} from './federated-marketplaces.ts';
import type { InstallCommands } from './install.ts';
import { flagsOf, reasonLine, type PluginFlags, type RunsView } from './runs-view.ts';
import { normaliseCategory, normaliseTerms } from './taxonomy.ts';

/** A federated plugin's person fields, with only a safe web link kept. */
interface FederatedPerson {
  name: string;
  url: string | undefined;
}

/** One marketplace a federated plugin is available from, with its own install commands. */
interface FederatedListing {
  marketplaceId: string;
  marketplaceName: string | undefined;
  /** The marketplace's repository page, when it is on the web (`https://`). */
  marketplaceUrl: string | undefined;
  /** Where the marketplace comes from, as listed: `owner/repo` (GitHub) or a git URL. */
  marketplaceSource: string | undefined;
  pluginName: string;
  version: string | undefined;
  status: FederationIndexStatus;
  dead: boolean;
  pinned: boolean;
  commit: string | undefined;
  sourceKind: FederationIndexAvailability['sourceKind'];
  sourceKey: string | undefined;
  errors: number;
  warnings: number;
  /** `undefined` when Claude Code cannot add the marketplace (dead, invalid or nameless). */
  install: InstallCommands | undefined;
  /** When that marketplace's data last changed (ISO 8601). */
  fetchedAt: string | undefined;
  /** That marketplace's first sync error, when it has one. */
  marketplaceError: string | undefined;
}

/** The labels a federated plugin page and card show, from the index's `flags`. */
export type FederatedLabel = 'dead' | 'stale' | 'unpinned';

/** Everything a federated plugin page and the search index need; plain data only. */
export interface FederatedPluginView {
  id: string;
  /** URL path below `federated/plugins/`: the id with unsafe characters replaced. */
  slug: string;
  name: string;
  names: string[];
  description: string;
  version: string | undefined;
  author: FederatedPerson | undefined;
  license: string | undefined;
  homepage: string | undefined;
  category: string | undefined;
  tags: string[];
  /** False for external sources: components, capabilities and cost are then unknown. */
  fetched: boolean;
  components: FederatedComponent[];
  hooks: { event: string; matcher: string | undefined; type: string; broad: boolean }[];
  mcpServers: {
    name: string;
    transport: string;
    command: string | undefined;
    host: string | undefined;
  }[];
  lspServers: { name: string; command: string | undefined; languages: string[] }[];
  bin: string[];
  /** Hosts it can reach, from the loader's footprint in the index. */
  hosts: string[];
  /** `undefined` when the files were not fetched. */
  flags: PluginFlags | undefined;
  /** The loader's verdict on what runs on the user's machine, from the index. */
  runs: Pick<RunsView, 'label' | 'reasons' | 'writesGit' | 'folderMissing'> & {
    /** Reasons the index left out (it keeps the first ten). */
    moreReasons: number;
  };
  tokens: { session: number; activation: number } | undefined;
  lint: FederationIndexPlugin['lint'];
  labels: FederatedLabel[];
  listings: FederatedListing[];
  /** The newest `fetchedAt` of its marketplaces, for the "updated" sort. */
  updated: string | undefined;
}

const slugSegmentRe = /[^A-Za-z0-9._~-]/g;

/**
 * The URL path of a federated plugin below `federated/plugins/`: each `/`-separated part of
 * its id with characters outside `A-Z a-z 0-9 . _ ~ -` replaced by `-` (`..` and empty parts too).
 */
export function federatedSlug(id: string): string {
  return id
    .split('/')
    .map((part) => {
      const clean = part.replace(slugSegmentRe, '-');
      return clean === '' || clean === '.' || clean === '..' ? '-' : clean;
    })
    .join('/');
}

/** The page of a federated plugin, relative to the site root. */
export function federatedPath(slug: string): string {
  return `federated/plugins/${slug}/`;
}

function text(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function personView(value: FederationIndexPerson): FederatedPerson | undefined {
  const name = text(value?.name);
  if (!name) return undefined;
  const url = safeHttpUrl(text(value?.url));
  return { name, url: url?.startsWith('https://') ? url : undefined };
}

/** Slash and shell install commands from the index's `install` pair. */
export function federatedInstall(
  install: FederationIndexAvailability['install'],
): InstallCommands | undefined {
  if (!install) return undefined;
  const shell = (command: string): string => command.replace(/^\/plugin /, 'claude plugin ');
  return {
    slash: `${install.marketplaceAdd}\n${install.pluginInstall}`,
    shell: `${shell(install.marketplaceAdd)}\n${shell(install.pluginInstall)}`,
  };
}

function pluginView(
  plugin: FederationIndexPlugin,
  marketplaces: ReadonlyMap<string, FederationIndexMarketplace>,
): FederatedPluginView {
  const caps = plugin.capabilities;
  const hooks = (caps?.hooks ?? []).map((hook) => ({
    event: hook.event,
    matcher: text(hook.matcher),
    type: hook.type,
    broad: hook.broad,
  }));
  const mcpServers = (caps?.mcp ?? []).map((server) => ({
    name: server.name,
    transport: server.transport,
    command: text(server.command),
    host: text(server.host),
  }));
  const lspServers = (caps?.lsp ?? []).map((server) => ({
    name: server.name,
    command: text(server.command),
    languages: server.languages,
  }));
  const bin = [...(caps?.bin ?? [])].sort();
  const { footprint } = plugin;
  const listings = plugin.availableFrom.map((entry): FederatedListing => {
    const market = marketplaces.get(entry.marketplaceId);
    return {
      marketplaceId: entry.marketplaceId,
      marketplaceName: text(entry.marketplaceName),
      marketplaceUrl: market ? marketplaceWebUrl(market) : undefined,
      marketplaceSource: market?.source,
      pluginName: entry.pluginName,
      version: text(entry.version),
      status: entry.marketplaceStatus,
      dead: entry.dead,
      pinned: entry.pinned,
      commit: text(entry.commit),
      sourceKind: entry.sourceKind,
      sourceKey: text(entry.sourceKey),
      errors: entry.lint.errors,
      warnings: entry.lint.warnings,
      install: federatedInstall(entry.install),
      fetchedAt: market?.fetchedAt,
      marketplaceError: formatMarketplaceError(market?.firstError ?? null),
    };
  });
  const updated = listings
    .map((listing) => listing.fetchedAt ?? '')
    .reduce((a, b) => (b > a ? b : a), '');
  return {
    id: plugin.id,
    slug: federatedSlug(plugin.id),
    name: plugin.name,
    names: plugin.names,
    description: text(plugin.description) ?? '',
    version: text(plugin.version),
    author: personView(plugin.author),
    license: text(plugin.license),
    homepage: safeHttpUrl(text(plugin.homepage)),
    category: normaliseCategory(text(plugin.category)),
    tags: normaliseTerms(plugin.keywords),
    fetched: caps !== null,
    components: federatedComponents(plugin),
    hooks,
    mcpServers,
    lspServers,
    bin,
    hosts: footprint.hosts,
    flags: caps === null ? undefined : flagsOf(footprint.label, hooks.length),
    runs: {
      label: footprint.label,
      reasons: footprint.reasons.map(reasonLine),
      writesGit: footprint.writes.includes('git'),
      folderMissing: footprint.folderMissing,
      moreReasons: footprint.moreReasons,
    },
    tokens: plugin.contextCost ?? undefined,
    lint: plugin.lint,
    labels: [...plugin.flags].sort(),
    listings,
    updated: updated === '' ? undefined : updated,
  };
}

/**
 * Turns the federated index into the views the site renders: display fields with unsafe URLs
 * dropped, components with anchors, what runs on the user's machine, each marketplace's install
 * commands, and the dead, stale and unpinned labels. Slugs that clash get `-2`, `-3` ….
 */
export function buildFederatedViews(index: FederationIndex): {
  plugins: FederatedPluginView[];
  marketplaces: FederatedMarketplaceView[];
} {
  const byId = new Map(index.marketplaces.map((market) => [market.id, market]));
  const taken = new Set<string>();
  const plugins = index.plugins.map((plugin) => {
    const view = pluginView(plugin, byId);
    let slug = view.slug;
    for (let n = 2; taken.has(slug.toLowerCase()); n++) slug = `${view.slug}-${n}`;
    taken.add(slug.toLowerCase());
    view.slug = slug;
    return view;
  });
  return { plugins, marketplaces: buildMarketplaceViews(index, plugins) };
}

/** The capability facet values of a federated plugin (none when its files were not fetched). */
export function federatedCapabilities(plugin: FederatedPluginView): string[] {
  const flags = plugin.flags;
  if (!flags) return [];
  return [
    flags.promptOnly && 'prompt-only',
    flags.noHooks && 'no hooks',
    flags.noNetwork && 'no network',
  ].filter((value): value is string => typeof value === 'string');
}

/** How each label reads on a page. */
export const federatedLabelText: Record<FederatedLabel, string> = {
  dead: 'dead source: every marketplace listing it is gone',
  stale: 'stale: a marketplace listing it failed its last sync, so its data may be old',
  unpinned: 'unpinned: a listing installs from a branch, not a fixed commit',
};

/**
 * The id of an entry each federated collection always holds: Astro warns on every read of an empty
 * collection, and an index without federated sources is normal. Readers leave it out.
 */
export const presenceMarkerId = '@present';
