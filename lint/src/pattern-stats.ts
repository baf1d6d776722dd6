/**
 * Statistics of pattern outcomes under a Beta-Binomial model with a uniform prior: the success
 * probability `p` of a workflow has the posterior `Beta(1 + s, 1 + f)` after `s` successes and `f`
 * failures. Counts may be fractional (recency-weighted). Pure functions, no dependencies.
 */

/** The seed threshold on the success rate: a pattern is worth following above it. */
export const seedRateFloor = 0.7;

/** The fewest executions a validated pattern may have (the seed rule). */
export const seedMinExecutions = 3;

/** Posterior probability `P(p > 0.7)` a `validated` status needs under the Bayesian rule. */
export const validatedConfidence = 0.9;

/** Posterior probability `P(p > 0.7)` a `provisional` status needs under the Bayesian rule. */
export const provisionalConfidence = 0.8;

const lanczosG = 7;
const lanczosCoefficients = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** The natural logarithm of the gamma function, for `x > 0` (Lanczos approximation, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection keeps the series in the range where it is accurate.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = lanczosCoefficients[0] ?? 1;
  for (let i = 1; i < lanczosCoefficients.length; i++) {
    sum += (lanczosCoefficients[i] ?? 0) / (z + i);
  }
  const t = z + lanczosG + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Evaluates the continued fraction of the incomplete beta function (modified Lentz's method). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const epsilon = 1e-15;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    // Even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)).
    let numerator = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    result *= d * c;
    // Odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
    numerator = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    result *= delta;
    if (Math.abs(delta - 1) < epsilon) break;
  }
  return result;
}

/**
 * The regularized incomplete beta function `I_x(a, b)`: the probability that a `Beta(a, b)`
 * variable is at most `x`. Returns `NaN` for `a <= 0`, `b <= 0` or a non-finite argument.
 *
 * @example
 * regularizedIncompleteBeta(0.7, 4, 1); // 0.2401 (= 0.7 ** 4)
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b) || Number.isNaN(x)) {
    return Number.NaN;
  }
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront =
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  // The continued fraction converges fast only below the mean; use the symmetry above it.
  if (x < (a + 1) / (a + b + 2)) {
    return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  }
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * The quantile of `Beta(a, b)`: the `x` with `I_x(a, b) = probability` (bisection to 1e-12).
 *
 * @example
 * betaQuantile(0.5, 2, 2); // 0.5
 */
export function betaQuantile(probability: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(probability >= 0 && probability <= 1)) return Number.NaN;
  let low = 0;
  let high = 1;
  for (let i = 0; i < 60 && high - low > 1e-12; i++) {
    const mid = (low + high) / 2;
    if (regularizedIncompleteBeta(mid, a, b) < probability) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * The posterior mean of the success probability after `successes` and `failures` under a
 * uniform prior: `(1 + s) / (2 + s + f)`.
 */
export function posteriorMean(successes: number, failures: number): number {
  return (1 + successes) / (2 + successes + failures);
}

/**
 * The raw success share `s / (s + f)` (the legacy rule), or `undefined` without any labelled
 * execution.
 */
export function rawRate(successes: number, failures: number): number | undefined {
  const total = successes + failures;
  return total > 0 ? successes / total : undefined;
}

/**
 * The posterior probability that the success probability exceeds `threshold`:
 * `P(p > threshold | Beta(1 + s, 1 + f))`.
 *
 * @example
 * probabilityAbove(0.7, 6, 0); // 0.9176 (= 1 - 0.7 ** 7)
 */
export function probabilityAbove(threshold: number, successes: number, failures: number): number {
  return 1 - regularizedIncompleteBeta(threshold, 1 + successes, 1 + failures);
}

/** The equal-tailed credible interval of the posterior with the given mass (0.9 for 90 %). */
export function credibleInterval(
  successes: number,
  failures: number,
  mass = 0.9,
): [number, number] {
  const tail = (1 - mass) / 2;
  return [
    betaQuantile(tail, 1 + successes, 1 + failures),
    betaQuantile(1 - tail, 1 + successes, 1 + failures),
  ];
}

/** The strongest status the counts alone support; the lifecycle rule may demand more. */
export type SupportedStatus = 'validated' | 'provisional' | 'candidate';

/**
 * The strongest status the Bayesian rule allows from the counts alone: `validated` needs
 * `P(p > 0.7) >= 0.90`, `provisional` needs `>= 0.80`. (Validation also compares the pattern
 * with the rest of its group; that needs data a pattern file does not hold.)
 */
export function bayesSupportedStatus(successes: number, failures: number): SupportedStatus {
  const confidence = probabilityAbove(seedRateFloor, successes, failures);
  if (confidence >= validatedConfidence) return 'validated';
  if (confidence >= provisionalConfidence) return 'provisional';
  return 'candidate';
}

/**
 * Whether the seed (legacy) rule validates: at least 3 executions with a known outcome and a raw
 * rate `s / (s + f)` above 0.7. (Executions without an objective label never count.)
 */
export function isLegacyValidated(successes: number, failures: number): boolean {
  const rate = rawRate(successes, failures);
  return successes + failures >= seedMinExecutions && rate !== undefined && rate > seedRateFloor;
}
