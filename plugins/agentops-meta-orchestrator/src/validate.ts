import type { BetaPrior, Tally } from './evidence.ts';
import { eValueAbove, fitPrior, pooledPrior } from './evidence.ts';
import type { LearnedPattern, TaskGroup } from './extract.ts';
import { lfdrByRole, selectByFdr } from './fdr.ts';
import type { RoleOptions } from './fdr.ts';
import { countsCosine } from './stats.ts';

/** Options of the sequential check. */
export interface SequentialOptions {
  /** Level of the test: validation needs an e-value of at least 1 / alpha (0.1). */
  alpha?: number;
  /** The rate a validated pattern must beat (0.7, the seed floor). */
  threshold?: number;
  /** Most pseudo-executions similar groups lend a group's prior (8). */
  cap?: number;
}

function tallyOf(pattern: LearnedPattern): Tally {
  return { s: pattern.counts.successes, f: pattern.counts.failures };
}

/**
 * The mixing prior of a pattern's sequential test, learned from other groups only (so the test
 * stays valid for its own outcomes): the empirical-Bayes prior of all other groups' patterns,
 * plus the outcomes of the same workflow in similar groups of the category, discounted by the
 * cosine similarity of their keywords (at most `cap` pseudo-executions).
 */
export function mixingPrior(
  pattern: LearnedPattern,
  patterns: readonly LearnedPattern[],
  cap = 8,
): BetaPrior {
  const others = patterns.filter((p) => p.group !== pattern.group);
  const base = fitPrior(others.map(tallyOf));
  const similarity = new Map<TaskGroup, number>();
  const neighbours = others
    .filter((p) => p.category === pattern.category && p.steps.join(' ') === pattern.steps.join(' '))
    .map((p) => {
      let weight = similarity.get(p.group);
      if (weight === undefined) {
        weight = countsCosine(pattern.group.keywordCounts, p.group.keywordCounts);
        similarity.set(p.group, weight);
      }
      return { tally: tallyOf(p), weight };
    });
  return pooledPrior(base, neighbours, cap);
}

/**
 * Keeps `validated` only for patterns whose mixture sequential test rejects p ≤ threshold at
 * level alpha (see `eValueAbove`); the others become `provisional`, which their counts still
 * support. Other statuses are unchanged. The e-value is computed from the raw counts, so the
 * guarantee holds however often the log is re-extracted.
 */
export function checkSequentially(
  patterns: readonly LearnedPattern[],
  options: SequentialOptions = {},
): LearnedPattern[] {
  const alpha = options.alpha ?? 0.1;
  const threshold = options.threshold ?? 0.7;
  return patterns.map((pattern) => {
    if (pattern.status !== 'validated') return pattern;
    const prior = mixingPrior(pattern, patterns, options.cap ?? 8);
    const e = eValueAbove(threshold, pattern.counts.successes, pattern.counts.failures, prior);
    return e >= 1 / alpha ? pattern : { ...pattern, status: 'provisional' };
  });
}

/**
 * The role of each pattern in its group: `default` for the workflow run most often in the group
 * (what the agent does unprompted; ties go to the first in order), `other` for the rest.
 */
export function patternRoles(patterns: readonly LearnedPattern[]): ('default' | 'other')[] {
  const top = new Map<TaskGroup, number>();
  patterns.forEach((pattern, i) => {
    const best = top.get(pattern.group);
    if (best === undefined || patterns[best]!.counts.executions < pattern.counts.executions)
      top.set(pattern.group, i);
  });
  const defaults = new Set(top.values());
  return patterns.map((_p, i) => (defaults.has(i) ? 'default' : 'other'));
}

/** Options of `controlFdr`. */
export interface FdrOptions extends RoleOptions {
  /**
   * Fit one prior to the groups' default workflows and one to the others (true): the defaults
   * have long records and mostly middling rates, and a lucky streak of one of them is no
   * evidence about how often the rarely tried workflows are good.
   */
  byRole?: boolean;
}

/**
 * Empirical-Bayes FDR control over all patterns of a log: fits priors of success rates to the
 * patterns' raw counts (see `fitGridPrior`), one per role with `byRole` (see `patternRoles`), a
 * tenth of each kept uniform (see `mixUniform`), computes each pattern's local false discovery
 * rate, its posterior probability of a rate of at most `threshold` (0.7), and keeps `validated`
 * only for the patterns in the largest set of validated ones whose mean local rate is at most
 * `alpha` (see `selectByFdr`); the others become `provisional`, which their raw counts still
 * support. Other statuses are unchanged. Pooling all groups into the priors lets a group with a
 * few runs borrow what the others show about how rare good workflows are.
 */
export function controlFdr(
  patterns: readonly LearnedPattern[],
  alpha: number,
  threshold = 0.7,
  options: FdrOptions = {},
): LearnedPattern[] {
  const tallies = patterns.map((p) => ({ s: p.counts.successes, f: p.counts.failures }));
  const roles = options.byRole === false ? patterns.map(() => 'all') : patternRoles(patterns);
  const validated = patterns.flatMap((p, i) => (p.status === 'validated' ? [i] : []));
  const lfdrs = lfdrByRole(tallies, roles, { ...options, threshold });
  const kept = selectByFdr(
    validated.map((i) => lfdrs[i]!),
    alpha,
  );
  const keep = new Set([...kept].map((j) => validated[j]!));
  return patterns.map((pattern, i) =>
    pattern.status !== 'validated' || keep.has(i) ? pattern : { ...pattern, status: 'provisional' },
  );
}
