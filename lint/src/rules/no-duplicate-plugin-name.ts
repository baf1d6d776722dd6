import { code } from '../catalog/diagnostic.ts';
import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'no-duplicate-plugin-name',
  description: 'Disallow two marketplace entries with the same plugin `name`',
  severity: 'error',
  appliesTo: 'marketplace',
  stage: 'stable',
  check(marketplace, ctx) {
    const first = new Map<string, number>();
    marketplace.data?.plugins.forEach((entry, index) => {
      const name: unknown = entry.name;
      if (typeof name !== 'string') return;
      const original = first.get(name);
      if (original === undefined) {
        first.set(name, index);
        return;
      }
      ctx.report({
        message: `Unexpected duplicate plugin name ${code(name)}, expected a name no other entry uses (first used by \`/plugins/${original}\`)`,
        at: `/plugins/${index}/name`,
        actual: name,
        cause: { at: `/plugins/${original}/name`, message: 'First defined here' },
      });
    });
  },
});
