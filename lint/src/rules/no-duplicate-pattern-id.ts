import { VFile } from 'vfile';
import { code } from '../catalog/diagnostic.ts';
import { validPatternId } from '../catalog/facts.ts';
import type { CatalogPattern } from '../catalog/model.ts';
import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'no-duplicate-pattern-id',
  description: 'Disallow two pattern files with the same `pattern_id`',
  severity: 'error',
  appliesTo: 'catalog',
  stage: 'stable',
  check(catalog, ctx) {
    // The first file by path defines an id; every later one with the same id is a duplicate.
    // Patterns outside a partial catalog count for that, but are not linted.
    const first = new Map<string, { path: string; pattern: CatalogPattern | undefined }>();
    const consider = (id: string | undefined, path: string, pattern?: CatalogPattern): void => {
      if (id === undefined) return;
      const known = first.get(id);
      if (!known || path < known.path) first.set(id, { path, pattern });
    };
    for (const pattern of catalog.patterns)
      consider(validPatternId(pattern), pattern.path, pattern);
    // Only the ids of loaded patterns matter, and the facts look those up without a full scan.
    for (const id of [...first.keys()])
      for (const pattern of catalog.outside?.withId(id) ?? []) consider(id, pattern.path);
    for (const pattern of catalog.patterns) {
      const id = validPatternId(pattern);
      const original = id === undefined ? undefined : first.get(id);
      if (id === undefined || !original || original.path === pattern.path) continue;
      ctx.report({
        doc: pattern.doc,
        message: `Unexpected duplicate \`pattern_id\` ${code(id)}, expected an id no other pattern uses (first used in ${code(original.path)})`,
        at: '/pattern_id',
        actual: id,
        cause: original.pattern
          ? { doc: original.pattern.doc, at: '/pattern_id', message: 'First defined here' }
          : { doc: new VFile({ path: original.path }), message: 'First defined here' },
      });
    }
  },
});
