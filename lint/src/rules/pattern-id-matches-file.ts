import { code } from '../catalog/diagnostic.ts';
import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'pattern-id-matches-file',
  description: 'Require `pattern_id` to equal the pattern file name without `.md`',
  severity: 'error',
  appliesTo: 'pattern',
  stage: 'stable',
  check(pattern, ctx) {
    const id = pattern.doc.data?.pattern_id;
    if (typeof id !== 'string' || id === pattern.slug) return;
    ctx.report({
      message: `Unexpected \`pattern_id\` ${code(id)}, expected ${code(pattern.slug)} (its file name without \`.md\`)`,
      at: '/pattern_id',
      actual: id,
      expected: [pattern.slug],
    });
  },
});
