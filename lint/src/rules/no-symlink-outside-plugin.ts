import { VFile } from 'vfile';
import { code } from '../catalog/diagnostic.ts';
import type { CatalogPlugin, SymlinkInfo } from '../catalog/model.ts';
import { defineRule } from '../rule.ts';

function isWithin(dir: string, file: string): boolean {
  return dir === '.' || file === dir || file.startsWith(`${dir}/`);
}

/** How deep a plugin folder sits: the repository root plugin is the outermost. */
function depthOf(plugin: CatalogPlugin): number {
  return plugin.dir === '.' ? 0 : plugin.dir.split('/').length;
}

/** The innermost plugin whose folder holds `file` (not the folder itself). */
function pluginHolding(plugins: readonly CatalogPlugin[], file: string): CatalogPlugin | undefined {
  let found: CatalogPlugin | undefined;
  for (const plugin of plugins) {
    if (!plugin.dirExists || file === plugin.dir || !isWithin(plugin.dir, file)) continue;
    if (!found || depthOf(plugin) > depthOf(found)) found = plugin;
  }
  return found;
}

/**
 * Where a plugin folder really is: its own path, or where a symlinked folder on that path leads
 * (links inside a linked plugin resolve through the link, to the real folder).
 */
function realDirOf(dir: string, links: readonly SymlinkInfo[]): string {
  let best: SymlinkInfo | undefined;
  for (const link of links) {
    if (link.resolved === undefined || !isWithin(link.path, dir)) continue;
    if (!best || link.path.length > best.path.length) best = link;
  }
  return best?.resolved === undefined ? dir : `${best.resolved}${dir.slice(best.path.length)}`;
}

export default defineRule({
  id: 'no-symlink-outside-plugin',
  description: 'Disallow symbolic links in a plugin folder that lead out of that plugin',
  severity: 'error',
  appliesTo: 'catalog',
  stage: 'stable',
  check(catalog, ctx) {
    for (const link of catalog.symlinks) {
      // Links that leave the repository, loop or dangle are the loader's `symlink` messages.
      if (link.problem || link.resolved === undefined) continue;
      const plugin = pluginHolding(catalog.plugins, link.path);
      if (!plugin || isWithin(plugin.dir, link.resolved)) continue;
      if (isWithin(realDirOf(plugin.dir, catalog.symlinks), link.resolved)) continue;
      ctx.report({
        doc:
          catalog.files.find((file) => file.path === link.path) ?? new VFile({ path: link.path }),
        message: `Unexpected symlink to ${code(link.target)} outside the plugin folder, expected a target inside \`${plugin.dir}/\` (installs copy the plugin folder alone)`,
        actual: link.target,
      });
    }
  },
});
