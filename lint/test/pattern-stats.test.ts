import { describe, expect, test } from 'vitest';
import {
  bayesSupportedStatus,
  betaQuantile,
  credibleInterval,
  isLegacyValidated,
  logGamma,
  posteriorMean,
  probabilityAbove,
  rawRate,
  regularizedIncompleteBeta,
} from '../src/pattern-stats.ts';

/** `I_x(a, b)` for integer `a`, `b` through its binomial identity: `P(Binomial(a + b - 1, x) >= a)`. */
function binomialTail(x: number, a: number, b: number): number {
  const n = a + b - 1;
  let sum = 0;
  for (let j = a; j <= n; j++) {
    let logChoose = 0;
    for (let i = 1; i <= j; i++) logChoose += Math.log(n - j + i) - Math.log(i);
    sum += Math.exp(logChoose + j * Math.log(x) + (n - j) * Math.log1p(-x));
  }
  return sum;
}

/**
 * `P(p > t)` for `Beta(a, b)` by Simpson's rule on the density (an independent check, good to about
 * 1e-6: the density's derivative is unbounded at 1 when b < 2).
 */
function integratedTail(t: number, a: number, b: number): number {
  const steps = 20_000;
  const logNorm = logGamma(a + b) - logGamma(a) - logGamma(b);
  const density = (x: number): number =>
    x <= 0 || x >= 1 ? 0 : Math.exp(logNorm + (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x));
  const h = (1 - t) / steps;
  let sum = density(t) + density(1);
  for (let i = 1; i < steps; i++) sum += density(t + i * h) * (i % 2 === 0 ? 2 : 4);
  return (sum * h) / 3;
}

describe('logGamma', () => {
  test('equals the log factorial at positive integers', () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      expect(logGamma(n)).toBeCloseTo(Math.log(factorial), 10);
      factorial *= n;
    }
  });

  test('gives the square root of pi at one half', () => {
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
});

describe('regularizedIncompleteBeta', () => {
  test('matches the closed forms with one parameter equal to 1', () => {
    for (const x of [0.05, 0.3, 0.7, 0.95]) {
      for (const k of [0.5, 1, 2.5, 7, 40]) {
        expect(regularizedIncompleteBeta(x, k, 1)).toBeCloseTo(x ** k, 12);
        expect(regularizedIncompleteBeta(x, 1, k)).toBeCloseTo(1 - (1 - x) ** k, 12);
      }
    }
  });

  test('matches the binomial tail for integer parameters', () => {
    for (let a = 1; a <= 30; a += 3) {
      for (let b = 1; b <= 30; b += 4) {
        for (const x of [0.1, 0.5, 0.7, 0.9]) {
          expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(binomialTail(x, a, b), 10);
        }
      }
    }
  });

  test('is symmetric: I_x(a, b) = 1 - I_(1-x)(b, a)', () => {
    for (const [x, a, b] of [
      [0.2, 2.5, 7.25],
      [0.7, 12.5, 3.5],
      [0.93, 0.75, 0.5],
    ] as const) {
      expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(
        1 - regularizedIncompleteBeta(1 - x, b, a),
        12,
      );
    }
  });

  test('gives one half at the centre of a symmetric distribution', () => {
    for (const a of [0.5, 1, 3, 50, 500]) {
      expect(regularizedIncompleteBeta(0.5, a, a)).toBeCloseTo(0.5, 10);
    }
  });

  test('clamps outside the unit interval', () => {
    expect(regularizedIncompleteBeta(-0.1, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(regularizedIncompleteBeta(1.5, 2, 3)).toBe(1);
  });

  test('returns NaN for parameters outside the domain', () => {
    expect(regularizedIncompleteBeta(0.5, 0, 1)).toBeNaN();
    expect(regularizedIncompleteBeta(0.5, 1, -2)).toBeNaN();
    expect(regularizedIncompleteBeta(Number.NaN, 1, 1)).toBeNaN();
    expect(regularizedIncompleteBeta(0.5, Number.POSITIVE_INFINITY, 1)).toBeNaN();
  });
});

describe('betaQuantile', () => {
  test('inverts the distribution function', () => {
    for (const [p, a, b] of [
      [0.05, 9, 2],
      [0.5, 2, 2],
      [0.95, 18, 4],
      [0.3, 0.5, 0.5],
    ] as const) {
      expect(regularizedIncompleteBeta(betaQuantile(p, a, b), a, b)).toBeCloseTo(p, 9);
    }
  });

  test('matches the closed form of Beta(a, 1)', () => {
    expect(betaQuantile(0.05, 4, 1)).toBeCloseTo(0.05 ** (1 / 4), 10);
  });

  test('returns NaN for a probability outside [0, 1]', () => {
    expect(betaQuantile(1.5, 2, 2)).toBeNaN();
  });
});

describe('posterior summaries', () => {
  test('posteriorMean is (1 + s) / (2 + s + f)', () => {
    expect(posteriorMean(8, 1)).toBe(9 / 11);
    expect(posteriorMean(0, 0)).toBe(0.5);
  });

  test('rawRate is s / (s + f), undefined without labelled executions', () => {
    expect(rawRate(9, 1)).toBe(0.9);
    expect(rawRate(0, 0)).toBeUndefined();
  });

  test('probabilityAbove matches the closed form after successes only', () => {
    expect(probabilityAbove(0.7, 6, 0)).toBeCloseTo(1 - 0.7 ** 7, 12);
  });

  test('probabilityAbove matches numerical integration for recency-weighted counts', () => {
    for (const [s, f] of [
      [5.5, 0.25],
      [12.3, 4.8],
      [0.4, 0.9],
    ] as const) {
      expect(probabilityAbove(0.7, s, f)).toBeCloseTo(integratedTail(0.7, 1 + s, 1 + f), 5);
    }
  });

  test('stays finite and centred for very large counts', () => {
    expect(probabilityAbove(0.7, 700_000, 300_000)).toBeCloseTo(0.5, 2);
    expect(probabilityAbove(0.7, 1e15, 0)).toBe(1);
    expect(probabilityAbove(0.7, 0, 1e15)).toBe(0);
  });

  test('credibleInterval is the equal-tailed 90 % interval', () => {
    const [low, high] = credibleInterval(8, 1);
    expect(regularizedIncompleteBeta(low, 9, 2)).toBeCloseTo(0.05, 9);
    expect(regularizedIncompleteBeta(high, 9, 2)).toBeCloseTo(0.95, 9);
    expect([low.toFixed(2), high.toFixed(2)]).toEqual(['0.61', '0.96']);
  });
});

describe('bayesSupportedStatus', () => {
  test.for([
    [3, 0, 'candidate'],
    [5, 0, 'provisional'],
    [6, 0, 'validated'],
    [8, 1, 'provisional'],
    [16, 4, 'provisional'],
    [17, 3, 'validated'],
    [2, 8, 'candidate'],
  ] as const)('%i successes and %i failures support %s', ([s, f, status]) => {
    expect(bayesSupportedStatus(s, f)).toBe(status);
  });
});

describe('isLegacyValidated', () => {
  test('validates 3 of 3', () => {
    expect(isLegacyValidated(3, 0)).toBe(true);
  });

  test('rejects fewer than 3 labelled executions', () => {
    expect(isLegacyValidated(2, 0)).toBe(false);
  });

  test('rejects a raw rate of exactly 0.7', () => {
    expect(isLegacyValidated(7, 3)).toBe(false);
  });

  test('rejects executions without labels', () => {
    expect(isLegacyValidated(0, 0)).toBe(false);
  });
});
