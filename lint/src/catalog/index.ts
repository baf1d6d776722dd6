import path from 'node:path';
import { discoverCatalog, type DiscoverOptions } from './discover.ts';
import { parsePatternFiles } from './discover/patterns.ts';
import type { VFile } from 'vfile';
import type { Catalog, CatalogPattern } from './model.ts';
import { DocumentReader } from './parse.ts';
import { createFsSource } from './read.ts';
import type { CatalogSource } from './source.ts';

export type * from './model.ts';
export type { CatalogSource, SourceEntry, PathType, ReadFailure } from './source.ts';
export type { DiscoverOptions as LoadOptions } from './discover.ts';
export type { Severity } from './diagnostic.ts';
export { createMemorySource } from './source.ts';
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

/**
 * Builds the catalog from any source (for example `createMemorySource({...})`): the pure core of
 * `loadCatalog`.
 */
export function parseCatalog(source: CatalogSource, options: DiscoverOptions = {}): Catalog {
  return discoverCatalog(source, new DocumentReader(source), options);
}

/**
 * Parses some pattern files of a source (paths from `catalog.deferredPatterns`): the patterns and
 * the files read, with their diagnostics.
 */
export function parsePatterns(
  source: CatalogSource,
  files: readonly string[],
): { patterns: CatalogPattern[]; files: VFile[] } {
  const reader = new DocumentReader(source);
  const patterns = parsePatternFiles(reader, files);
  return { patterns, files: reader.files() };
}
