import { code } from '../catalog/diagnostic.ts';
import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'no-missing-plugin-source',
  description: 'Disallow a relative plugin `source` whose folder does not exist',
  severity: 'error',
  appliesTo: 'marketplace',
  stage: 'stable',
  check(marketplace, ctx) {
    for (const plugin of ctx.catalog.plugins) {
      if (plugin.dirExists || !plugin.entry) continue;
      const source = plugin.entry.data.source;
      ctx.report({
        message: `Missing plugin folder ${code(plugin.dir)}, expected an existing folder (relative sources resolve from the repository root)`,
        at: `/plugins/${plugin.entry.index}/source`,
        actual: typeof source === 'string' ? source : undefined,
        note: 'Claude Code accepts the marketplace, but `claude plugin install` fails with `Source path does not exist`.',
      });
    }
  },
});
