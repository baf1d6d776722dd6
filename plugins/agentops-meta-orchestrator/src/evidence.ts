// Evidence that stays honest when it is looked at after every execution, and priors learned
// from the other task groups instead of assumed.
import { betaCdf, logGamma } from './stats.ts';

/** Successes and failures (possibly fractional, for pooled pseudo-counts). */
export interface Tally {
  s: number;
  f: number;
}

/** A Beta distribution's parameters. */
export interface BetaPrior {
  a: number;
  b: number;
}

/** log B(a, b), the log of the beta function. */
function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * The e-value of the mixture sequential probability ratio test of H0: p ≤ `threshold` after `s`
 * successes and `f` failures: the likelihood of the outcomes averaged over alternatives q drawn
 * from `prior` restricted to (threshold, 1], divided by their likelihood at p = threshold.
 *
 * For each q > threshold the ratio (q / t)^x ((1 − q) / (1 − t))^(1 − x) has expectation at most
 * one under any p ≤ t, so the running product is a non-negative supermartingale under H0, and so
 * is its mixture. By Ville's inequality, P(the e-value ever reaches 1 / α) ≤ α under H0, however
 * often it is checked and whenever one stops: validating when it reaches 1 / α is a test of level
 * α valid after every execution. `s` and `f` must be raw counts of independent outcomes, and the
 * prior must not depend on them (it may depend on other groups' data).
 */
export function eValueAbove(
  threshold: number,
  s: number,
  f: number,
  prior: BetaPrior = { a: 1, b: 1 },
): number {
  const { a, b } = prior;
  const tailPrior = 1 - betaCdf(threshold, a, b);
  const tailPosterior = 1 - betaCdf(threshold, a + s, b + f);
  if (!(tailPrior > 0) || !(tailPosterior > 0)) return 0;
  const logMixture = logBeta(a + s, b + f) - logBeta(a, b) + Math.log(tailPosterior / tailPrior);
  const logNull = s * Math.log(threshold) + f * Math.log(1 - threshold);
  return Math.exp(logMixture - logNull);
}

/** Beta-binomial log marginal likelihood of tallies under a prior (binomial coefficients dropped). */
export function logMarginal(tallies: readonly Tally[], prior: BetaPrior): number {
  let total = 0;
  const base = logBeta(prior.a, prior.b);
  for (const t of tallies) total += logBeta(prior.a + t.s, prior.b + t.f) - base;
  return total;
}

/** Prior strengths (a + b) tried by `fitPrior`, weakest first. */
const strengths = [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];

/**
 * Empirical Bayes: the Beta prior that best explains a population of tallies (other workflows,
 * other task groups), by maximum marginal likelihood over a grid of means (0.05 … 0.95, step
 * 0.025) and strengths (2 … 64). With fewer than `minCells` tallies carrying outcomes it returns
 * the uniform prior Beta(1, 1): too little data to learn a prior from. Deterministic.
 */
export function fitPrior(tallies: readonly Tally[], minCells = 4): BetaPrior {
  const cells = tallies.filter((t) => t.s + t.f > 0);
  if (cells.length < minCells) return { a: 1, b: 1 };
  let best: BetaPrior = { a: 1, b: 1 };
  let bestLogLik = logMarginal(cells, best);
  for (let i = 2; i <= 38; i++) {
    const mean = i * 0.025;
    for (const strength of strengths) {
      const prior = { a: mean * strength, b: (1 - mean) * strength };
      const logLik = logMarginal(cells, prior);
      if (logLik > bestLogLik + 1e-12) {
        best = prior;
        bestLogLik = logLik;
      }
    }
  }
  return best;
}

/**
 * A pooled prior for one task group: the population prior plus the tallies of similar groups
 * discounted by their similarity (a power prior), capped at `cap` pseudo-executions so other
 * groups inform but never outvote the group's own evidence.
 */
export function pooledPrior(
  base: BetaPrior,
  neighbours: readonly { tally: Tally; weight: number }[],
  cap = 8,
): BetaPrior {
  let s = 0;
  let f = 0;
  for (const { tally, weight } of neighbours) {
    const w = Math.max(0, Math.min(1, weight));
    s += w * tally.s;
    f += w * tally.f;
  }
  const n = s + f;
  const scale = n > cap ? cap / n : 1;
  return { a: base.a + s * scale, b: base.b + f * scale };
}
