import { code } from '../catalog/diagnostic.ts';
import type { CatalogPattern } from '../catalog/model.ts';
import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'no-duplicate-pattern-id',
  description: 'Disallow two pattern files with the same `pattern_id`',
  severity: 'error',
  appliesTo: 'catalog',
  stage: 'stable',
  check(catalog, ctx) {
    const first = new Map<string, CatalogPattern>();
    const patterns = catalog.patterns
      .filter((pattern) => pattern.doc.valid)
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const pattern of patterns) {
      const id = pattern.doc.data?.pattern_id;
      if (typeof id !== 'string') continue;
      const original = first.get(id);
      if (!original) {
        first.set(id, pattern);
        continue;
      }
      ctx.report({
        doc: pattern.doc,
        message: `Unexpected duplicate \`pattern_id\` ${code(id)}, expected an id no other pattern uses (first used in ${code(original.path)})`,
        at: '/pattern_id',
        actual: id,
        cause: { doc: original.doc, at: '/pattern_id', message: 'First defined here' },
      });
    }
  },
});
