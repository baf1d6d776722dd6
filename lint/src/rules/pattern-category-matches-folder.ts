import { code } from '../catalog/diagnostic.ts';
import type { Catalog } from '../catalog/model.ts';
import { defineRule } from '../rule.ts';

/** The category folder of the first pattern that has one, per catalog (computed once per run). */
const firstFoldered = new WeakMap<Catalog, string | undefined>();

function categoryFolderExample(catalog: Catalog): string | undefined {
  if (!firstFoldered.has(catalog)) {
    const folders = [...catalog.patterns, ...(catalog.outside?.patterns ?? [])]
      .map((pattern) => pattern.folder)
      .filter((folder) => folder !== '')
      .sort();
    firstFoldered.set(catalog, folders[0]);
  }
  return firstFoldered.get(catalog);
}

export default defineRule({
  id: 'pattern-category-matches-folder',
  description: 'Require `category` to equal the pattern folder under `patterns/`',
  severity: 'error',
  appliesTo: 'pattern',
  stage: 'stable',
  check(pattern, ctx) {
    const category = pattern.doc.data?.category;
    if (typeof category !== 'string') return;
    if (pattern.folder === '') {
      // A flat `patterns/` folder is fine; a top-level file beside category folders is not.
      const example = categoryFolderExample(ctx.catalog);
      if (example === undefined) return;
      const expected = `patterns/${category}/${pattern.slug}.md`;
      ctx.report({
        message: `Unexpected pattern file at the top of \`patterns/\`, expected ${code(expected)} (other patterns use category folders, such as ${code(`patterns/${example}/`)})`,
        at: '/category',
        actual: pattern.path,
        expected: [expected],
      });
      return;
    }
    if (pattern.folder.includes('/')) {
      // The learning engine reads and writes exactly `patterns/<category>/<pattern_id>.md`.
      const expected = `patterns/${category}/${pattern.slug}.md`;
      ctx.report({
        message: `Unexpected pattern file in ${code(`patterns/${pattern.folder}/`)}, expected ${code(expected)} (one folder per category)`,
        at: '/category',
        actual: pattern.path,
        expected: [expected],
      });
      return;
    }
    if (category === pattern.folder) return;
    ctx.report({
      message: `Unexpected \`category\` ${code(category)}, expected ${code(pattern.folder)} (its folder under \`patterns/\`)`,
      at: '/category',
      actual: category,
      expected: [pattern.folder],
    });
  },
});
