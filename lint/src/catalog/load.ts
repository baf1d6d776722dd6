import type { VFile } from 'vfile';
import { discoverCatalog, type DiscoverOptions } from './discover.ts';
import { parsePatternFiles } from './discover/patterns.ts';
import type { Catalog, CatalogPattern } from './model.ts';
import { DocumentReader, type RememberedDocuments } from './parse.ts';
import type { CatalogSource } from './source.ts';

/**
 * Builds the catalog from any source (for example `createMemorySource({...})`): the pure core of
 * `loadCatalog`. The validators of the kinds it meets must be loaded (`loadValidators`); the
 * library entry points load them all. `remembered` gives the verdicts of JSON documents checked
 * before, which are then neither parsed for positions nor validated again.
 */
export function parseCatalog(
  source: CatalogSource,
  options: DiscoverOptions = {},
  remembered?: RememberedDocuments,
): Catalog {
  return discoverCatalog(source, new DocumentReader(source, remembered), options);
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
