import type { Marketplace } from '../generated/schema-types.ts';
import type { Catalog } from './model.ts';
import type { DocumentReader } from './parse.ts';
import type { CatalogSource } from './source.ts';
import { findPatternFiles, parsePatternFiles } from './discover/patterns.ts';
import { findPlugins } from './discover/plugins.ts';
import type { DiscoveryContext } from './discover/plugin-scope.ts';
import { TreeWalker } from './discover/walk.ts';

export { estimateTokens } from './discover/markdown-components.ts';
export { isPatternPath, patternFolderOf } from './discover/patterns.ts';

/** Options of catalog discovery. */
export interface DiscoverOptions {
  /**
   * Marketplace sources (as written, e.g. `./plugins/x`) to treat as present although their folder
   * is missing: for checking a marketplace whose plugins were deliberately left out.
   */
  assumePresent?: string[];
  /**
   * List the pattern files in `catalog.deferredPatterns` instead of parsing them, for a caller
   * that parses them in batches (`parsePatterns`) to keep memory flat on large catalogs.
   */
  deferPatterns?: boolean;
  /**
   * Only the plugins in these folders (a partial load): marketplace entries naming any other
   * folder are skipped rather than found missing.
   */
  pluginDirs?: ReadonlySet<string>;
}

/** Folders of project-level components: walked so their symlinks are checked like a plugin's. */
const projectFolders = [
  '.claude/commands',
  '.claude/agents',
  '.claude/skills',
  '.claude/output-styles',
];

/** The marketplace's path in a catalog. */
export const marketplacePath = '.claude-plugin/marketplace.json';

/** Discovers the marketplace, its plugins with every component, and the patterns of a source. */
export function discoverCatalog(
  source: CatalogSource,
  reader: DocumentReader,
  options: DiscoverOptions,
): Catalog {
  const context: DiscoveryContext = { source, reader, walker: new TreeWalker(source, reader) };
  const marketplace =
    source.type(marketplacePath) === 'file'
      ? reader.json<Marketplace>(marketplacePath, 'marketplace')
      : undefined;
  const plugins = findPlugins(
    context,
    marketplace,
    new Set(options.assumePresent ?? []),
    options.pluginDirs,
  );
  // A plugin folder under `patterns/` holds components, not patterns.
  const pluginDirs = plugins
    .filter((plugin) => plugin.dirExists && plugin.dir.startsWith('patterns/'))
    .map((plugin) => `${plugin.dir}/`);
  const patternFiles = findPatternFiles(context, pluginDirs);
  const patterns = options.deferPatterns ? [] : parsePatternFiles(reader, patternFiles);
  for (const dir of projectFolders) context.walker.walk(dir, 2);
  return {
    root: source.root,
    marketplace,
    plugins,
    patterns,
    files: reader.files(),
    symlinks: context.walker.symlinks(),
    ...(options.deferPatterns ? { deferredPatterns: patternFiles } : {}),
  };
}
