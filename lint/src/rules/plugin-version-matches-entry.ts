import { code } from '../catalog/diagnostic.ts';
import { jsonStringFix } from '../fix.ts';
import { manifestAndEntry } from '../manifest-entry.ts';
import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'plugin-version-matches-entry',
  description: 'Require the marketplace entry `version` to equal the `plugin.json` `version`',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check(plugin, ctx) {
    const both = manifestAndEntry(plugin, ctx.catalog);
    const own = both?.manifest.data?.version;
    const listed: unknown = both?.entry.data.version;
    if (!both || typeof own !== 'string') return;
    const { entry, manifest, marketplace } = both;
    if (typeof listed !== 'string' || listed === own) return;
    const at = `/plugins/${entry.index}/version`;
    const fix = jsonStringFix(marketplace.file.value, marketplace.positions.value(at), listed, own);
    ctx.report({
      doc: marketplace,
      at,
      message: `Unexpected entry version ${code(listed)}, expected ${code(own)} (the \`version\` in its \`plugin.json\`, which wins at install)`,
      actual: listed,
      expected: [own],
      fix,
      cause: { doc: manifest, at: '/version', message: 'The plugin declares its version here' },
    });
  },
});
