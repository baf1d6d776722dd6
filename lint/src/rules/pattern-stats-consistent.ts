import { code } from '../catalog/diagnostic.ts';
import type { MarkdownDocument, Range } from '../catalog/model.ts';
import { offsetsOf } from '../catalog/position-map.ts';
import type { PatternFrontmatter } from '../generated/schema-types.ts';
import {
  bayesSupportedStatus,
  isLegacyValidated,
  posteriorMean,
  probabilityAbove,
  provisionalConfidence,
  rawRate,
  seedMinExecutions,
  seedRateFloor,
  validatedConfidence,
} from '../pattern-stats.ts';
import type { Fix } from '../rule.ts';
import { defineRule } from '../rule.ts';

/** `success_rate` is written to 2 decimals, so a recomputation may differ by half a unit. */
const rateTolerance = 0.005 + 1e-9;

const strength: Record<string, number> = { candidate: 0, provisional: 1, validated: 2 };

function labelledCount(labelled: number): string {
  return `${labelled} labelled ${labelled === 1 ? 'execution' : 'executions'}`;
}

function counts(successes: number, failures: number): string {
  const s = `${successes} ${successes === 1 ? 'success' : 'successes'}`;
  const f = `${failures} ${failures === 1 ? 'failure' : 'failures'}`;
  return `${s} and ${f}`;
}

/** A probability shown to 3 decimals, rounded down so a value under a threshold never shows as it. */
function probability(value: number): string {
  return (Math.floor(value * 1000) / 1000).toFixed(3);
}

/** An edit replacing the value at `pointer` in the document's text, when its range is known. */
function replaceValue(
  doc: MarkdownDocument<PatternFrontmatter>,
  pointer: string,
  text: string,
): Fix | undefined {
  const range: Range | undefined = doc.positions.value(pointer);
  const source = doc.file.value;
  if (!range || typeof source !== 'string') return undefined;
  const offsets = offsetsOf(source, range);
  return offsets ? { range: offsets, text } : undefined;
}

export default defineRule({
  id: 'pattern-stats-consistent',
  description:
    'Require `success_rate`, `interval`, `status` and `validated` to agree with the pattern counts',
  severity: 'error',
  appliesTo: 'pattern',
  stage: 'stable',
  check(pattern, ctx) {
    const data = pattern.doc.data;
    if (!data) return;
    const rule = data.rule ?? 'bayes';
    const { successes, failures, executions, status } = data;
    const rate = data.success_rate;

    if (successes !== undefined || failures !== undefined) {
      const labelled = (successes ?? 0) + (failures ?? 0);
      if (labelled > executions) {
        const fields =
          successes !== undefined && failures !== undefined
            ? '`successes` + `failures`'
            : successes !== undefined
              ? '`successes`'
              : '`failures`';
        ctx.report({
          message: `Unexpected \`executions\` ${code(executions)}, expected at least ${code(labelled)} (${fields})`,
          at: '/executions',
          actual: String(executions),
          expected: [`>= ${labelled}`],
        });
      }
    }

    const hasCounts = successes !== undefined && failures !== undefined;
    if (hasCounts) {
      const recomputed =
        rule === 'legacy' ? rawRate(successes, failures) : posteriorMean(successes, failures);
      if (recomputed !== undefined && Math.abs(rate - recomputed) > rateTolerance) {
        const derivation =
          rule === 'legacy'
            ? `the raw share s / (s + f) of ${counts(successes, failures)}, \`rule: legacy\``
            : `the posterior mean (1 + s) / (2 + s + f) of ${counts(successes, failures)}`;
        const expected = recomputed.toFixed(2);
        ctx.report({
          message: `Unexpected \`success_rate\` ${code(rate)}, expected ${code(expected)} (${derivation})`,
          at: '/success_rate',
          actual: String(rate),
          expected: [expected],
          fix: replaceValue(pattern.doc, '/success_rate', expected),
        });
      }
    }

    const [low, high] = data.interval ?? [];
    if (low !== undefined && high !== undefined) {
      if (low > high) {
        ctx.report({
          message: `Unexpected \`interval\` ${code(`[${low}, ${high}]`)}, expected \`[low, high]\` with low at most high`,
          at: '/interval',
          actual: JSON.stringify(data.interval),
        });
      } else if (rate < low - 1e-9 || rate > high + 1e-9) {
        ctx.report({
          message: `Unexpected \`interval\` ${code(`[${low}, ${high}]`)}, expected a range that contains \`success_rate\` ${code(rate)}`,
          at: '/interval',
          actual: JSON.stringify(data.interval),
        });
      }
    }

    let statusReported = false;
    if (hasCounts) {
      // Without `status`, `validated` is the claim; under the seed rule `false` claims `candidate`.
      const claimed =
        status ?? (data.validated ? 'validated' : rule === 'legacy' ? 'candidate' : undefined);
      const pointer = status === undefined ? '/validated' : '/status';
      const shown = (value: string): string =>
        status === undefined
          ? `\`validated: ${value === 'validated' ? 'true' : 'false'}\``
          : `\`status\` ${code(value)}`;
      const wanted = (value: string): string => (status === undefined ? shown(value) : code(value));
      if (rule === 'legacy' && claimed !== undefined && claimed !== 'deprecated') {
        const share = rawRate(successes, failures);
        const evidence =
          share === undefined
            ? labelledCount(0)
            : `${labelledCount(successes + failures)} and s / (s + f) = ${code(share.toFixed(2))}`;
        const supported = isLegacyValidated(successes, failures);
        if (claimed === 'validated' && !supported) {
          ctx.report({
            message: `Unexpected ${shown('validated')}, expected ${wanted('candidate')} (under \`rule: legacy\`, validation needs at least ${seedMinExecutions} labelled executions and s / (s + f) above ${seedRateFloor}; the counts give ${evidence})`,
            at: pointer,
            actual: claimed,
            expected: ['candidate'],
          });
          statusReported = true;
        } else if (claimed !== 'validated' && supported) {
          ctx.report({
            message: `Unexpected ${shown(claimed)}, expected ${wanted('validated')} (under \`rule: legacy\` the counts give ${evidence})`,
            at: pointer,
            actual: claimed,
            expected: ['validated'],
          });
          statusReported = true;
        }
      } else if (rule === 'bayes' && claimed !== undefined && (strength[claimed] ?? 0) > 0) {
        const supported = bayesSupportedStatus(successes, failures);
        if ((strength[claimed] ?? 0) > (strength[supported] ?? 0)) {
          const needed = claimed === 'validated' ? validatedConfidence : provisionalConfidence;
          const confidence = probabilityAbove(seedRateFloor, successes, failures);
          ctx.report({
            message: `Unexpected ${shown(claimed)}, expected ${wanted(supported)} (P(p > ${seedRateFloor}) is ${code(probability(confidence))} from ${counts(successes, failures)}; ${code(claimed)} needs at least ${code(needed)})`,
            at: pointer,
            actual: claimed,
            expected: [supported],
          });
          statusReported = true;
        }
      }
    }

    // When `status` itself is too strong, that message says what to change; `validated` follows it.
    if (
      !statusReported &&
      status !== undefined &&
      (data.validated === true) !== (status === 'validated')
    ) {
      const expected = status === 'validated' ? 'true' : 'false';
      ctx.report({
        message: `Unexpected \`validated: ${String(data.validated)}\`, expected \`validated: ${expected}\` (\`status\` is ${code(status)})`,
        at: '/validated',
        actual: String(data.validated),
        expected: [expected],
        fix: replaceValue(pattern.doc, '/validated', expected),
      });
    }
  },
});
