import { code } from '../catalog/diagnostic.ts';
import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'plugin-name-matches-dir',
  description: 'Require a plugin in `plugins/<folder>/` to be named after its folder',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check(plugin, ctx) {
    // Only the `plugins/<name>/` layout promises a folder named after its plugin; elsewhere the
    // folder is often a generic container (`plugin/`, `packages/mcp/`) or the repository root.
    if (plugin.dir !== `plugins/${plugin.dirName}` || !plugin.dirExists) return;
    const { entry, manifest } = plugin;
    const marketplace = ctx.catalog.marketplace;
    // Without a plugin.json, the marketplace entry is the manifest and names the plugin.
    const target = manifest
      ? { doc: manifest, at: '/name', name: manifest.data?.name }
      : entry && marketplace
        ? { doc: marketplace, at: `/plugins/${entry.index}/name`, name: entry.data.name }
        : undefined;
    const name: unknown = target?.name;
    if (!target || typeof name !== 'string' || name === plugin.dirName) return;
    ctx.report({
      doc: target.doc,
      at: target.at,
      message: `Unexpected plugin name ${code(name)}, expected ${code(plugin.dirName)} (its folder name)`,
      actual: name,
      expected: [plugin.dirName],
    });
  },
});
