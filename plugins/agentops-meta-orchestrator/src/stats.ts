/** Natural log of the gamma function (Lanczos approximation, g = 7). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b): P(X ≤ x) for X ~ Beta(a, b). */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** The quantile of Beta(a, b) at probability q, by bisection (1e-10). */
export function betaQuantile(q: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(p > threshold) for p ~ Beta(1 + s, 1 + f). */
export function probAbove(threshold: number, s: number, f: number): number {
  return 1 - betaCdf(threshold, 1 + s, 1 + f);
}

/** P(p < threshold) for p ~ Beta(1 + s, 1 + f). */
export function probBelow(threshold: number, s: number, f: number): number {
  return betaCdf(threshold, 1 + s, 1 + f);
}

/** Posterior mean (1 + s) / (2 + s + f). */
export function posteriorMean(s: number, f: number): number {
  return (1 + s) / (2 + s + f);
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

/** Rounds to a fixed number of decimals, returning a number (never `-0`). */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const out = Math.round(value * factor) / factor;
  return out === 0 ? 0 : out;
}
