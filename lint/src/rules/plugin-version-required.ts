import { code } from '../catalog/diagnostic.ts';
import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'plugin-version-required',
  description: 'Require a `version` in the marketplace entry of a plugin that has no `plugin.json`',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check(plugin, ctx) {
    const { entry } = plugin;
    const marketplace = ctx.catalog.marketplace;
    // With a plugin.json, the schema already warns about its missing `version`, once.
    if (plugin.manifest || !plugin.dirExists || !entry || !marketplace) return;
    if (entry.data.version !== undefined) return;
    ctx.report({
      doc: marketplace,
      at: `/plugins/${entry.index}/name`,
      message: `Missing \`version\` for plugin ${code(plugin.name)}, expected a version such as \`1.0.0\` in its entry (it has no \`plugin.json\`)`,
      note: 'Claude Code installs a local plugin without a version as `unknown` and updates it only when the version string changes, so users keep the copy they first installed.',
    });
  },
});
