import { code } from '../catalog/diagnostic.ts';
import { isReservedPluginName, isReservedPluginNameWaived } from '../reserved-names.ts';
import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'no-reserved-plugin-name',
  description: 'Disallow plugin names that pass as one of Anthropic’s own',
  severity: 'error',
  appliesTo: 'plugin',
  stage: 'stable',
  check(plugin, ctx) {
    // Without a plugin.json the engine points `/name` at the marketplace entry.
    const name = plugin.manifest ? plugin.manifest.data?.name : plugin.entry?.data.name;
    if (typeof name !== 'string' || !isReservedPluginName(name)) return;
    const marketplaceName = ctx.catalog.marketplace?.data?.name;
    if (typeof marketplaceName === 'string' && isReservedPluginNameWaived(marketplaceName)) return;
    ctx.report({
      message: `Unexpected plugin name ${code(name)}, expected a name that does not pass as one of Anthropic’s own`,
      at: '/name',
      actual: name,
      note: 'A third party’s plugin name cannot start with `claude-`, `anthropic-`, `anthropics-` or `cc-plugin-`, be `claude`, `anthropic`, `anthropics`, `claude-code` or `claude-mods`, or put `official` beside `claude` or `anthropic`. Name it for what it does.',
    });
  },
});
