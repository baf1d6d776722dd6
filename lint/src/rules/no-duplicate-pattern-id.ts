import { VFile } from 'vfile';
import { code } from '../catalog/diagnostic.ts';
import type { CatalogPattern } from '../catalog/model.ts';
import { defineRule } from '../rule.ts';

/** A schema-valid pattern with a `pattern_id`: loaded (with its document) or outside a partial catalog. */
interface Known {
  path: string;
  id: string;
  pattern: CatalogPattern | undefined;
}

export default defineRule({
  id: 'no-duplicate-pattern-id',
  description: 'Disallow two pattern files with the same `pattern_id`',
  severity: 'error',
  appliesTo: 'catalog',
  stage: 'stable',
  check(catalog, ctx) {
    const known: Known[] = [];
    for (const pattern of catalog.patterns) {
      const id = pattern.doc.data?.pattern_id;
      if (pattern.doc.valid && typeof id === 'string')
        known.push({ path: pattern.path, id, pattern });
    }
    for (const pattern of catalog.outside?.patterns ?? []) {
      if (pattern.id !== undefined)
        known.push({ path: pattern.path, id: pattern.id, pattern: undefined });
    }
    known.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const first = new Map<string, Known>();
    for (const entry of known) {
      const original = first.get(entry.id);
      if (!original) {
        first.set(entry.id, entry);
        continue;
      }
      // Patterns outside a partial catalog are not linted.
      if (!entry.pattern) continue;
      ctx.report({
        doc: entry.pattern.doc,
        message: `Unexpected duplicate \`pattern_id\` ${code(entry.id)}, expected an id no other pattern uses (first used in ${code(original.path)})`,
        at: '/pattern_id',
        actual: entry.id,
        cause: original.pattern
          ? { doc: original.pattern.doc, at: '/pattern_id', message: 'First defined here' }
          : { doc: new VFile({ path: original.path }), message: 'First defined here' },
      });
    }
  },
});
