import { code } from '../catalog/diagnostic.ts';
import { manifestAndEntry } from '../manifest-entry.ts';
import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'plugin-name-matches-entry',
  description: 'Require the marketplace entry `name` to equal the `plugin.json` `name`',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check(plugin, ctx) {
    const both = manifestAndEntry(plugin, ctx.catalog);
    const own = both?.manifest.data?.name;
    if (!both || typeof own !== 'string') return;
    const { entry, manifest, marketplace } = both;
    const listed: unknown = entry.data.name;
    if (typeof listed !== 'string' || listed === own) return;
    const entryAt = `/plugins/${entry.index}/name`;
    // When the entry agrees with the `plugins/<name>/` folder, plugin.json is the odd one out.
    if (plugin.dir === `plugins/${plugin.dirName}` && listed === plugin.dirName) {
      ctx.report({
        doc: manifest,
        at: '/name',
        message: `Unexpected plugin name ${code(own)}, expected ${code(listed)} (the \`name\` of its marketplace entry)`,
        actual: own,
        expected: [listed],
        cause: {
          doc: marketplace,
          at: entryAt,
          message: 'The marketplace entry names the plugin here',
        },
      });
      return;
    }
    ctx.report({
      doc: marketplace,
      at: entryAt,
      message: `Unexpected entry name ${code(listed)}, expected ${code(own)} (the \`name\` in its \`plugin.json\`)`,
      actual: listed,
      expected: [own],
      cause: { doc: manifest, at: '/name', message: 'The plugin names itself here' },
    });
  },
});
