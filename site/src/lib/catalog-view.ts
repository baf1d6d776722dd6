import type { Catalog } from 'agentops-lint/catalog';
import type { VFile } from 'vfile';
import { checksFor, type RuleInfo } from './checklist.ts';
import { byName, isObject, person, str, type Json, type PersonView } from './manifest-fields.ts';
import { filesByOwner } from './message-owners.ts';
import { componentIndex, patternView, type PatternView } from './pattern-view.ts';
import { pluginView, type PluginView } from './plugin-view.ts';

// The federated view still imports these from here; the modules that define them are the source.
export { componentAnchor, safeHttpUrl } from './links.ts';

/** Marketplace-level facts: its name, owner and where to add it from. */
export interface MarketplaceView {
  name: string;
  /** The name people read (the site's brand): see `marketplaceTitle`. */
  title: string;
  description: string | undefined;
  owner: PersonView | undefined;
  /**
   * `owner/repo` (or URL) given to `/plugin marketplace add`; `undefined` when the repository has
   * no known address, so the marketplace can only be added from a clone.
   */
  addSource: string | undefined;
  /** Path of marketplace.json relative to the catalog root, when there is one. */
  path: string | undefined;
}

/** The whole catalog as the site renders it. */
export interface SiteData {
  marketplace: MarketplaceView;
  plugins: PluginView[];
  patterns: PatternView[];
}

/** Inputs from outside the catalog: git history, repository URL and the linter's verdicts. */
export interface ViewOptions {
  /** `owner/repo` for `/plugin marketplace add`; `undefined` when unknown (add from a clone). */
  addSource: string | undefined;
  /** Base URL of the repository's files at the built revision (`…/blob/<ref>/`), if known. */
  sourceBase?: string | undefined;
  /** Last and first commit date by path (file or folder) relative to the root. */
  history?: ReadonlyMap<string, { updated: string; created: string }> | undefined;
  /** Files carrying the linter's messages (defaults to the loader's `catalog.files`). */
  lintFiles?: readonly VFile[] | undefined;
  /** Every rule the linter ran, to show passed checks too. */
  rules?: readonly RuleInfo[] | undefined;
}

/**
 * The marketplace's name as people read it: the owner's name when it spells the marketplace's
 * name (`AgentOps Marketplace` for `agentops-marketplace`), else the name's words capitalised
 * (`tmf-skills` → `Tmf Skills`).
 */
export function marketplaceTitle(name: string, owner: PersonView | undefined): string {
  const words = (text: string): string[] =>
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
  if (owner && words(owner.name).join('-') === words(name).join('-')) return owner.name;
  const title = words(name)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
  return title || name;
}

/**
 * Turns a loaded catalog into the plain data the site renders: display fields resolved the way
 * Claude Code resolves them, components with anchors, what runs on the user's machine, pattern
 * steps linked to the components they use, sanitized HTML, and check results.
 */
export function buildSiteData(catalog: Catalog, options: ViewOptions): SiteData {
  const market: Json = isObject(catalog.marketplace?.data) ? catalog.marketplace.data : {};
  const name = str(market.name) ?? 'marketplace';
  const owner = person(market.owner);
  const marketplace: MarketplaceView = {
    name,
    title: marketplaceTitle(name, owner),
    description:
      str(market.description) ??
      (isObject(market.metadata) ? str(market.metadata.description) : undefined),
    owner,
    addSource: options.addSource,
    path: catalog.marketplace?.file.path,
  };
  const owned = filesByOwner(options.lintFiles ?? catalog.files, catalog);
  const plugins = catalog.plugins
    .map((plugin) => {
      const view = pluginView(plugin, marketplace, options);
      view.checks = checksFor(owned.get(plugin.dir) ?? [], 'plugin', options.rules);
      return view;
    })
    .sort(byName);
  const index = componentIndex(plugins);
  const patterns = catalog.patterns
    .map((pattern) => patternView(pattern, index, options))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byPlugin = new Map(plugins.map((plugin) => [plugin.name, plugin]));
  for (const pattern of patterns) {
    for (const name of pattern.plugins)
      byPlugin.get(name)?.patterns.push({ id: pattern.id, title: pattern.title });
  }
  for (const pattern of patterns) {
    pattern.checks = checksFor(owned.get(pattern.path) ?? [], 'pattern', options.rules);
  }
  return { marketplace, plugins, patterns };
}
