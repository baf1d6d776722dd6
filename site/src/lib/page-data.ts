import type { PatternView } from './pattern-view.ts';
import type { PluginView } from './plugin-view.ts';
import { federatedCapabilities, type FederatedPluginView } from './federated-view.ts';
import { segment } from './paths.ts';
import { facetTags } from './taxonomy.ts';

/** A category or tag with the plugins, patterns and federated plugins under it. */
export interface Group {
  name: string;
  slug: string;
  plugins: PluginView[];
  patterns: PatternView[];
  federated: FederatedPluginView[];
}

/** What grouping looks at: a category and tags. */
export type Groupable = Pick<PluginView, 'category' | 'tags'>;

/**
 * Groups plugins, patterns and federated plugins by a key (their category, or each of their
 * tags). Names that give the same URL segment share one group, named after the first spelling met.
 */
export function groupBy(
  plugins: readonly PluginView[],
  patterns: readonly PatternView[],
  keys: (item: Groupable) => readonly string[],
  federated: readonly FederatedPluginView[] = [],
): Group[] {
  const groups = new Map<string, Group>();
  const ensure = (name: string): Group => {
    const slug = segment(name);
    const known = groups.get(slug);
    if (known) return known;
    const group: Group = { name, slug, plugins: [], patterns: [], federated: [] };
    groups.set(slug, group);
    return group;
  };
  for (const plugin of plugins)
    for (const key of new Set(keys(plugin))) ensure(key).plugins.push(plugin);
  for (const pattern of patterns)
    for (const key of new Set(keys(pattern))) ensure(key).patterns.push(pattern);
  for (const plugin of federated)
    for (const key of new Set(keys(plugin))) ensure(key).federated.push(plugin);
  return [...groups.values()].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/** Keys for categories. */
export function categoryKeys(item: Groupable): string[] {
  return item.category ? [item.category] : [];
}

/**
 * The tags worth a facet and a page, with how many entries carry them: the tags authors give
 * plugins, where at least three entries share one; a learned pattern's keywords only add to them.
 */
export function tagFacets(
  plugins: readonly Groupable[],
  patterns: readonly Groupable[],
  federated: readonly Groupable[] = [],
): [string, number][] {
  return facetTags(
    [...plugins, ...federated].map((item) => item.tags),
    patterns.map((item) => item.tags),
  );
}

/** The groups of the tags worth a page (see {@link tagFacets}). */
export function tagGroups(
  plugins: readonly PluginView[],
  patterns: readonly PatternView[],
  federated: readonly FederatedPluginView[] = [],
): Group[] {
  const facets = new Set(tagFacets(plugins, patterns, federated).map(([tag]) => tag));
  return groupBy(
    plugins,
    patterns,
    (item) => item.tags.filter((tag) => facets.has(tag)),
    federated,
  );
}

/** Keys for tags. */
export function tagKeys(item: Groupable): string[] {
  return item.tags;
}

/** Items per list page. */
export const pageSize = 60;

/** One page of a paginated list: its items and the paths of it and its neighbours. */
export interface ListPage<T> {
  items: T[];
  path: string;
  prev: string | undefined;
  next: string | undefined;
  last: number;
}

/** The path of page `n` of the list at `root` (`plugins/`, `plugins/page/2/`, …). */
function listPath(root: string, n: number): string {
  return n === 1 ? root : `${root}page/${n}/`;
}

/** Cuts page `n` (1-based) out of `items`. */
export function listPage<T>(items: readonly T[], n: number, root: string): ListPage<T> {
  const last = Math.max(1, Math.ceil(items.length / pageSize));
  return {
    items: items.slice((n - 1) * pageSize, n * pageSize),
    path: listPath(root, n),
    prev: n > 1 ? listPath(root, n - 1) : undefined,
    next: n < last ? listPath(root, n + 1) : undefined,
    last,
  };
}

/** The page numbers after the first, for a list of `count` items. */
export function pageNumbers(count: number): number[] {
  const last = Math.max(1, Math.ceil(count / pageSize));
  return Array.from({ length: last - 1 }, (_, i) => i + 2);
}

/** Values of each search facet with how many entries have them, most frequent first. */
export type FacetCounts = Record<
  'type' | 'category' | 'tag' | 'capability' | 'license' | 'status',
  [string, number][]
>;

/** The capability flags of a plugin, as the search facet names them. */
function capabilities(plugin: PluginView): string[] {
  return [
    plugin.flags.promptOnly && 'prompt-only',
    plugin.flags.noHooks && 'no hooks',
    plugin.flags.noNetwork && 'no network',
  ].filter((value): value is string => typeof value === 'string');
}

/**
 * Counts the facet values over the whole catalog and the federated plugins, for the search
 * page's filters (the tag list keeps the `maxTags` most frequent).
 */
export function facetCounts(
  plugins: readonly PluginView[],
  patterns: readonly PatternView[],
  maxTags = 24,
  federated: readonly FederatedPluginView[] = [],
): FacetCounts {
  const tally = (values: Iterable<string | undefined>): [string, number][] => {
    const counts = new Map<string, number>();
    for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  };
  return {
    type: tally([
      ...plugins.map(() => 'plugin'),
      ...patterns.map(() => 'pattern'),
      ...federated.map(() => 'federated plugin'),
    ]),
    category: tally([...plugins, ...patterns, ...federated].map((item) => item.category)),
    tag: tagFacets(plugins, patterns, federated).slice(0, maxTags),
    capability: tally([
      ...plugins.flatMap(capabilities),
      ...federated.flatMap(federatedCapabilities),
    ]),
    license: tally([...plugins, ...federated].map((plugin) => plugin.license)),
    status: tally(patterns.map((pattern) => pattern.stats.status)),
  };
}
