// The Beta-distribution primitives are the linter's own (lint/src/pattern-stats.ts), so the
// numbers the engine writes and the numbers the linter recomputes come from one implementation.
import {
  betaQuantile,
  logGamma,
  posteriorMean,
  regularizedIncompleteBeta as betaCdf,
} from '../../../lint/src/pattern-stats.ts';

export { betaCdf, betaQuantile, logGamma, posteriorMean };

/** P(p > threshold) for p ~ Beta(1 + s, 1 + f). */
export function probAbove(threshold: number, s: number, f: number): number {
  return 1 - betaCdf(threshold, 1 + s, 1 + f);
}

/** P(p < threshold) for p ~ Beta(1 + s, 1 + f). */
export function probBelow(threshold: number, s: number, f: number): number {
  return betaCdf(threshold, 1 + s, 1 + f);
}

/**
 * P(X > Y) for X ~ Beta(a1, b1) and Y ~ Beta(a2, b2), by Simpson's rule over X's density
 * times Y's distribution function (400 panels; exact enough for status thresholds).
 */
export function probGreater(a1: number, b1: number, a2: number, b2: number): number {
  const n = 400;
  const logNorm = logGamma(a1 + b1) - logGamma(a1) - logGamma(b1);
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const x = i / n;
    let density = 0;
    if (x > 0 && x < 1)
      density = Math.exp(logNorm + (a1 - 1) * Math.log(x) + (b1 - 1) * Math.log(1 - x));
    else if (x === 0 && a1 === 1) density = Math.exp(logNorm + (b1 - 1) * 0);
    else if (x === 1 && b1 === 1) density = Math.exp(logNorm);
    const weight = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * density * betaCdf(x, a2, b2);
  }
  return Math.min(1, Math.max(0, sum / (3 * n)));
}

/** Cosine similarity of two count vectors (0 when either is empty). */
export function countsCosine(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [key, value] of a) {
    na += value * value;
    dot += value * (b.get(key) ?? 0);
  }
  for (const value of b.values()) nb += value * value;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
