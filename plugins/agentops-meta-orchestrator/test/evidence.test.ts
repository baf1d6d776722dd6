import { describe, expect, test } from 'vitest';
import { rng } from '../src/bench/world.ts';
import { eValueAbove, fitPrior, logMarginal, pooledPrior } from '../src/evidence.ts';
import { normalizeImport } from '../src/import.ts';
import type { Execution } from '../src/record.ts';
import { extractPatterns } from '../src/extract.ts';
import { probAbove } from '../src/stats.ts';
import { checkSequentially, mixingPrior } from '../src/validate.ts';

describe('mixture sequential test', () => {
  test('is one before any outcome and matches the closed forms of small cases', () => {
    expect(eValueAbove(0.7, 0, 0)).toBeCloseTo(1, 12);
    // Uniform mixture on (0.7, 1]: one success gives (∫ q dq / 0.3) / 0.7 = 0.85 / 0.7.
    expect(eValueAbove(0.7, 1, 0)).toBeCloseTo(0.85 / 0.7, 12);
    // One failure: (∫ (1 − q) dq / 0.3) / 0.3 = 0.15 / 0.3.
    expect(eValueAbove(0.7, 0, 1)).toBeCloseTo(0.5, 12);
    // 20 successes and 1 failure: ∫ q^20 (1 − q) dq over (0.7, 1], over 0.3, over 0.7^20 · 0.3.
    const integral = 1 / 21 - 1 / 22 - 0.7 ** 21 / 21 + 0.7 ** 22 / 22;
    expect(eValueAbove(0.7, 20, 1)).toBeCloseTo(integral / 0.3 / (0.7 ** 20 * 0.3), 9);
    expect(eValueAbove(0.7, 20, 1)).toBeCloseTo(30.0179, 3);
  });

  test('a prior concentrated near the alternative reaches 1 / alpha sooner', () => {
    expect(eValueAbove(0.7, 12, 1)).toBeLessThan(10);
    expect(eValueAbove(0.7, 12, 1, { a: 34, b: 6 })).toBeGreaterThan(eValueAbove(0.7, 12, 1));
  });

  test('checked after every outcome, it falsely rejects p ≤ 0.7 at most alpha of the time (simulation)', () => {
    // 800 workflows per true rate, each checked after each of 150 outcomes; e ≥ 10 validates.
    const random = rng(2024);
    const rates = [0.7, 0.6];
    const everRejected = rates.map((p) => {
      let rejected = 0;
      let bayesRejected = 0;
      for (let run = 0; run < 800; run++) {
        let s = 0;
        let f = 0;
        let eDone = false;
        let bayesDone = false;
        for (let n = 0; n < 150 && !(eDone && bayesDone); n++) {
          if (random() < p) s++;
          else f++;
          if (!eDone && eValueAbove(0.7, s, f) >= 10) eDone = true;
          if (!bayesDone && s + f >= 3 && probAbove(0.7, s, f) >= 0.9) bayesDone = true;
        }
        if (eDone) rejected++;
        if (bayesDone) bayesRejected++;
      }
      return { e: rejected / 800, bayes: bayesRejected / 800 };
    });
    expect(everRejected[0]!.e).toBeLessThanOrEqual(0.1);
    expect(everRejected[1]!.e).toBeLessThanOrEqual(0.02);
    // The posterior rule alone, checked as often, is fooled far more at the boundary.
    expect(everRejected[0]!.bayes).toBeGreaterThan(0.2);
  });
});

describe('empirical-Bayes prior', () => {
  test('falls back to the uniform prior with fewer than four tallies with outcomes', () => {
    expect(
      fitPrior([
        { s: 3, f: 0 },
        { s: 2, f: 1 },
        { s: 0, f: 0 },
        { s: 1, f: 1 },
      ]),
    ).toEqual({ a: 1, b: 1 });
  });

  test('learns a strong prior at the common rate when every group agrees', () => {
    const prior = fitPrior(Array.from({ length: 8 }, () => ({ s: 40, f: 10 })));
    expect(prior.a).toBeCloseTo(51.2, 9);
    expect(prior.b).toBeCloseTo(12.8, 9);
    expect(logMarginal([{ s: 40, f: 10 }], prior)).toBeGreaterThan(
      logMarginal([{ s: 40, f: 10 }], { a: 1, b: 1 }),
    );
  });

  test('stays weak when groups disagree', () => {
    expect(
      fitPrior([
        { s: 1, f: 9 },
        { s: 9, f: 1 },
        { s: 1, f: 9 },
        { s: 9, f: 1 },
      ]),
    ).toEqual({ a: 1, b: 1 });
  });

  test('similar groups lend their outcomes discounted by similarity, capped', () => {
    expect(pooledPrior({ a: 1, b: 1 }, [{ tally: { s: 6, f: 2 }, weight: 0.5 }])).toEqual({
      a: 4,
      b: 2,
    });
    expect(pooledPrior({ a: 1, b: 1 }, [{ tally: { s: 20, f: 20 }, weight: 1 }], 8)).toEqual({
      a: 5,
      b: 5,
    });
    expect(pooledPrior({ a: 2, b: 3 }, [{ tally: { s: 5, f: 5 }, weight: -1 }])).toEqual({
      a: 2,
      b: 3,
    });
  });
});

function log(wordings: string[], successes: number, runs: number): Execution[] {
  const steps = ['agent:code-explorer', 'agent:change-executor', 'phase:test'];
  return Array.from({ length: runs * wordings.length }, (_v, i) =>
    normalizeImport(
      {
        session_id: `s${i}`,
        seq: i,
        started_at: new Date(Date.UTC(2026, 0, 1, 10, i)).toISOString(),
        task: { category: 'bug-fix', text: wordings[i % wordings.length]! },
        steps,
        outcome: {
          status: Math.floor(i / wordings.length) < successes ? 'success' : 'failure',
          source: 'tests',
        },
      },
      { storeTaskText: false, now: '2026-01-01T00:00:00.000Z' },
    )!,
  );
}

describe('sequential validation of patterns', () => {
  test('keeps validated only when the e-value reaches 1 / alpha, else provisional', () => {
    const few = extractPatterns(log(['fix the token refresh race'], 8, 8), { rule: 'bayes' });
    expect(few.map((p) => p.status)).toEqual(['validated']);
    // 8/8: P(p > 0.7) = 1 − 0.7^9 ≥ 0.9, but the e-value is 6.2, short of 10.
    expect(eValueAbove(0.7, 8, 0)).toBeCloseTo((1 - 0.7 ** 9) / 2.7 / 0.7 ** 8, 9);
    expect(checkSequentially(few).map((p) => p.status)).toEqual(['provisional']);
    const many = extractPatterns(log(['fix the token refresh race'], 19, 19), { rule: 'bayes' });
    expect(eValueAbove(0.7, 19, 0)).toBeGreaterThan(10);
    expect(checkSequentially(many).map((p) => p.status)).toEqual(['validated']);
  });

  test('extraction applies the sequential test when asked to, and only under the Bayesian rule', () => {
    const rows = log(['fix the token refresh race'], 8, 8);
    expect(extractPatterns(rows, { rule: 'bayes', sequential: true }).map((p) => p.status)).toEqual(
      ['provisional'],
    );
    expect(
      extractPatterns(rows, { rule: 'legacy', sequential: true }).map((p) => p.status),
    ).toEqual(['validated']);
    const many = log(['fix the token refresh race'], 19, 19);
    expect(extractPatterns(many, { rule: 'bayes', sequential: true }).map((p) => p.status)).toEqual(
      ['validated'],
    );
  });

  test('the mixing prior comes from other groups only', () => {
    const patterns = extractPatterns(log(['fix the token refresh race'], 8, 8), { rule: 'bayes' });
    expect(mixingPrior(patterns[0]!, patterns)).toEqual({ a: 1, b: 1 });
  });
});
