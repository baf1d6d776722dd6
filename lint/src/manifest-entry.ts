import type { Marketplace, PluginManifest } from './generated/schema-types.ts';
import type {
  Catalog,
  CatalogPlugin,
  MarketplaceEntryRef,
  ParsedDocument,
} from './catalog/model.ts';

/** A plugin described twice: by its own `plugin.json` and by its marketplace entry. */
export interface ManifestAndEntry {
  manifest: ParsedDocument<PluginManifest>;
  entry: MarketplaceEntryRef;
  marketplace: ParsedDocument<Marketplace>;
}

/** The plugin's `plugin.json`, its marketplace entry and the marketplace, when it has all three. */
export function manifestAndEntry(
  plugin: CatalogPlugin,
  catalog: Catalog,
): ManifestAndEntry | undefined {
  const { entry, manifest } = plugin;
  const marketplace = catalog.marketplace;
  return entry && manifest && marketplace ? { manifest, entry, marketplace } : undefined;
}
