import { code } from '../catalog/diagnostic.ts';
import { seedMinExecutions, seedRateFloor } from '../pattern-stats.ts';
import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'pattern-validated-threshold',
  description:
    'Require at least 3 `executions` and a `success_rate` above 0.7 for `validated: true`',
  severity: 'error',
  appliesTo: 'pattern',
  stage: 'stable',
  check(pattern, ctx) {
    const data = pattern.doc.data;
    if (data?.validated !== true) return;
    if (typeof data.executions === 'number' && data.executions < seedMinExecutions) {
      const noun = data.executions === 1 ? 'execution' : 'executions';
      ctx.report({
        message: `Unexpected \`validated: true\` with ${code(data.executions)} ${noun}, expected at least ${code(seedMinExecutions)} executions`,
        at: '/validated',
        actual: String(data.executions),
        expected: [`>= ${seedMinExecutions}`],
      });
    }
    if (typeof data.success_rate === 'number' && !(data.success_rate > seedRateFloor)) {
      ctx.report({
        message: `Unexpected \`validated: true\` with \`success_rate\` ${code(data.success_rate)}, expected a \`success_rate\` above ${code(seedRateFloor)}`,
        at: '/validated',
        actual: String(data.success_rate),
        expected: [`> ${seedRateFloor}`],
      });
    }
  },
});
