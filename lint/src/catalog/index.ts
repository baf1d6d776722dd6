import path from 'node:path';
import './validators-all.ts';
import type { DiscoverOptions } from './discover.ts';
import { parseCatalog } from './load.ts';
import type { Catalog } from './model.ts';
import { createFsSource } from './read.ts';

export type * from './model.ts';
export type { CatalogSource, SourceEntry, PathType, ReadFailure } from './source.ts';
export type { DiscoverOptions as LoadOptions } from './discover.ts';
export type { Severity } from './diagnostic.ts';
export { createMemorySource } from './source.ts';
export { parseCatalog, parsePatterns } from './load.ts';
export { estimateTokens, isPatternPath, patternFolderOf } from './discover.ts';
export { externalFootprint } from './discover/footprint.ts';
export { ruleUrl, schemaUrl, siteUrl } from './diagnostic.ts';

/**
 * Loads the catalog of a marketplace repository (or a single plugin directory) from disk: the
 * marketplace, every plugin with its components and derived facts, and every pattern, with all
 * parse and schema diagnostics attached to `catalog.files`. Never throws on content.
 *
 * @example
 * const catalog = await loadCatalog('.');
 * for (const plugin of catalog.plugins) console.log(plugin.name, plugin.commands.length);
 */
export function loadCatalog(root: string, options: DiscoverOptions = {}): Promise<Catalog> {
  return Promise.resolve(parseCatalog(createFsSource(path.resolve(root)), options));
}
