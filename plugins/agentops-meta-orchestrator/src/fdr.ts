// Empirical-Bayes control of the false discovery rate across every pattern of a log: the prior of
// a workflow's success rate is learned from all patterns' outcomes (no shape assumed), each
// pattern's local false discovery rate is its posterior probability of being no better than the
// floor, and the largest set whose mean local rate stays within the level is kept.
import type { Tally } from './evidence.ts';

/** A discrete prior over success rates: atoms on a grid with their weights (summing to one). */
export interface GridPrior {
  rates: number[];
  weights: number[];
}

/** The grid of rates the prior lives on: 0.01, 0.03, …, 0.99 (50 atoms). */
const gridRates = Array.from({ length: 50 }, (_v, i) => 0.01 + 0.02 * i);

/** EM steps of the prior fit; the likelihood no longer moves visibly after a few hundred. */
const emSteps = 300;

/** Binomial log likelihood of a tally at each rate of the grid (coefficients dropped). */
function logLikelihoods(tally: Tally, rates: readonly number[]): number[] {
  return rates.map((p) => tally.s * Math.log(p) + tally.f * Math.log(1 - p));
}

/** Likelihoods scaled by their largest, so long tallies never underflow to all zeros. */
function scaledLikelihoods(tally: Tally, rates: readonly number[]): number[] {
  const logs = logLikelihoods(tally, rates);
  const top = Math.max(...logs);
  return logs.map((value) => Math.exp(value - top));
}

/**
 * The nonparametric maximum-likelihood prior (Kiefer–Wolfowitz, fitted by EM on a grid of 50
 * rates) of the success rates behind the tallies: it may be lumpy (most workflows near the
 * group's usual rate, a few far better) where a Beta prior would smear the good ones towards the
 * mean. Tallies without outcomes carry no information and are skipped; with none left the prior is
 * uniform over the grid. Deterministic: a fixed number of steps from the uniform start.
 */
export function fitGridPrior(tallies: readonly Tally[]): GridPrior {
  const rates = [...gridRates];
  let weights = rates.map(() => 1 / rates.length);
  const cells = tallies.filter((t) => t.s + t.f > 0).map((t) => scaledLikelihoods(t, rates));
  if (cells.length === 0) return { rates, weights };
  for (let step = 0; step < emSteps; step++) {
    const next = rates.map(() => 0);
    for (const likelihood of cells) {
      let total = 0;
      for (let k = 0; k < rates.length; k++) total += likelihood[k]! * weights[k]!;
      if (!(total > 0)) continue;
      for (let k = 0; k < rates.length; k++)
        next[k]! += (likelihood[k]! * weights[k]!) / total / cells.length;
    }
    const sum = next.reduce((a, b) => a + b, 0);
    weights = next.map((w) => w / sum);
  }
  return { rates, weights };
}

/**
 * The local false discovery rate of a tally: its posterior probability, under `prior`, that the
 * rate is at most `threshold`.
 */
export function localFdr(tally: Tally, prior: GridPrior, threshold = 0.7): number {
  const likelihood = scaledLikelihoods(tally, prior.rates);
  let all = 0;
  let atMost = 0;
  prior.rates.forEach((rate, k) => {
    const mass = prior.weights[k]! * likelihood[k]!;
    all += mass;
    if (rate <= threshold + 1e-12) atMost += mass;
  });
  return all > 0 ? atMost / all : 1;
}

/**
 * The prior with a `share` of its mass spread evenly over its grid: the fitted prior is lumpy
 * (a few dozen tallies of a few runs each put their mass on a few atoms), and a rate it happens
 * to leave empty, say 0.85 when the good workflows of a log are few, would make every pattern
 * there look false however long its record.
 */
export function mixUniform(prior: GridPrior, share: number): GridPrior {
  const even = share / prior.rates.length;
  return { rates: prior.rates, weights: prior.weights.map((w) => (1 - share) * w + even) };
}

/** Options of `lfdrByRole`. */
export interface RoleOptions {
  /** The rate a discovery must beat (0.7). */
  threshold?: number;
  /** Share of each prior kept uniform (0.1; see `mixUniform`). */
  uniformShare?: number;
  /** Fewest tallies with outcomes a role needs for a prior of its own (4); else all tallies'. */
  minTallies?: number;
}

/**
 * Local false discovery rates of tallies in roles (say, the groups' default workflows and the
 * rest): each role's prior is fitted to its own tallies, so a workflow is judged against those
 * like it. A role with too few tallies with outcomes to learn from uses the prior of all tallies.
 */
export function lfdrByRole(
  tallies: readonly Tally[],
  roles: readonly string[],
  options: RoleOptions = {},
): number[] {
  const threshold = options.threshold ?? 0.7;
  const share = options.uniformShare ?? 0.1;
  const minTallies = options.minTallies ?? 4;
  let all: GridPrior | undefined;
  const priors = new Map<string, GridPrior>();
  for (const role of [...new Set(roles)].sort()) {
    const own = tallies.filter((t, i) => roles[i] === role && t.s + t.f > 0);
    if (own.length >= minTallies) priors.set(role, mixUniform(fitGridPrior(own), share));
    else priors.set(role, (all ??= mixUniform(fitGridPrior(tallies), share)));
  }
  // Every role, and so every index's, was given a prior in the loop above.
  return tallies.map((t, i) => localFdr(t, priors.get(roles[i]!)!, threshold));
}

/**
 * Bayesian FDR control: the indexes of the largest set, taken in order of increasing local false
 * discovery rate (ties by index), whose mean local rate is at most `alpha`. Under the prior, the
 * expected share of false discoveries in that set is its mean local rate, so at most `alpha`.
 */
export function selectByFdr(lfdrs: readonly number[], alpha: number): Set<number> {
  const order = lfdrs.map((_v, i) => i).sort((a, b) => lfdrs[a]! - lfdrs[b]! || a - b);
  let keep = 0;
  let sum = 0;
  order.forEach((index, j) => {
    sum += lfdrs[index]!;
    if (sum / (j + 1) <= alpha + 1e-12) keep = j + 1;
  });
  return new Set(order.slice(0, keep));
}
