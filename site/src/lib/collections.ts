import { getCollection } from 'astro:content';
import type { MarketplaceView } from './catalog-view.ts';
import type { PatternView } from './pattern-view.ts';
import type { PluginView } from './plugin-view.ts';
import type { DocPage } from './docs.ts';
import type { FederatedMarketplaceView } from './federated-marketplaces.ts';
import { presenceMarkerId, type FederatedPluginView } from './federated-view.ts';
import type { SchemaDoc } from './schema-doc.ts';
import { tagFacets } from './page-data.ts';

/** A published schema: its exact text and its reference-page description. */
export interface SchemaEntry {
  kind: string;
  raw: string;
  doc: SchemaDoc;
}

/** Every plugin, sorted by name. */
export async function allPlugins(): Promise<PluginView[]> {
  return (await getCollection('plugins'))
    .filter((entry) => entry.id !== presenceMarkerId)
    .map((entry) => entry.data as unknown as PluginView)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Every pattern, sorted by id. */
export async function allPatterns(): Promise<PatternView[]> {
  return (await getCollection('patterns'))
    .filter((entry) => entry.id !== presenceMarkerId)
    .map((entry) => entry.data as unknown as PatternView)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** The marketplace, plus the catalog root it was loaded from. */
export async function marketplace(): Promise<MarketplaceView & { repo: string }> {
  const [entry] = await getCollection('marketplace');
  if (!entry) throw new Error('The marketplace collection is empty');
  return entry.data as unknown as MarketplaceView & { repo: string };
}

/** Every page of `docs/`, sorted by id. */
export async function allDocs(): Promise<DocPage[]> {
  return (await getCollection('docs'))
    .map((entry) => entry.data as unknown as DocPage)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Every schema, sorted by kind. */
export async function allSchemas(): Promise<SchemaEntry[]> {
  return (await getCollection('schemas'))
    .map((entry) => ({ kind: entry.id, ...(entry.data as unknown as Omit<SchemaEntry, 'kind'>) }))
    .sort((a, b) => (a.kind < b.kind ? -1 : 1));
}

/** Every federated plugin, sorted by id. */
export async function allFederated(): Promise<FederatedPluginView[]> {
  return (await getCollection('federated'))
    .filter((entry) => entry.id !== presenceMarkerId)
    .map((entry) => entry.data as unknown as FederatedPluginView)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

let facetTagSet: Promise<Set<string>> | undefined;

/** The tags that are search facets, computed once per build (see `tagFacets`). */
export function facetTags(): Promise<Set<string>> {
  facetTagSet ??= Promise.all([allPlugins(), allPatterns(), allFederated()]).then(
    ([plugins, patterns, federated]) =>
      new Set(tagFacets(plugins, patterns, federated).map(([tag]) => tag)),
  );
  return facetTagSet;
}

/** Every federated marketplace, sorted by id. */
export async function allFederatedMarketplaces(): Promise<FederatedMarketplaceView[]> {
  return (await getCollection('federatedMarketplaces'))
    .filter((entry) => entry.id !== presenceMarkerId)
    .map((entry) => entry.data as unknown as FederatedMarketplaceView)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
