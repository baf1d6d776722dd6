import { describe, expect, test } from 'vitest';
import { defaultWorld, generateLog, rng } from '../src/bench/world.ts';
import { extractPatterns } from '../src/extract.ts';
import { fitGridPrior, localFdr, selectByFdr } from '../src/fdr.ts';
import { probAbove } from '../src/stats.ts';
import { controlFdr } from '../src/validate.ts';

describe('empirical-Bayes FDR control', () => {
  test('the prior is uniform over the 50-rate grid without outcomes', () => {
    const prior = fitGridPrior([{ s: 0, f: 0 }]);
    expect(prior.rates).toHaveLength(50);
    expect(prior.rates[0]).toBeCloseTo(0.01, 12);
    expect(prior.rates[49]).toBeCloseTo(0.99, 12);
    expect(prior.weights.every((w) => Math.abs(w - 1 / 50) < 1e-15)).toBe(true);
  });

  test('the fitted prior finds two clusters of rates where a Beta prior would see one', () => {
    const tallies = [
      ...Array.from({ length: 20 }, () => ({ s: 40, f: 10 })),
      ...Array.from({ length: 20 }, () => ({ s: 15, f: 35 })),
    ];
    const { rates, weights } = fitGridPrior(tallies);
    const near = (centre: number): number =>
      rates.reduce((sum, r, k) => sum + (Math.abs(r - centre) <= 0.05 ? weights[k]! : 0), 0);
    expect(near(0.8)).toBeGreaterThan(0.49);
    expect(near(0.3)).toBeGreaterThan(0.49);
    expect(near(0.55)).toBeLessThan(0.01);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  test('the local false discovery rate is the posterior mass at or below the threshold', () => {
    const prior = { rates: [0.5, 0.9], weights: [0.5, 0.5] };
    // 3 successes: 0.5³ / (0.5³ + 0.9³).
    expect(localFdr({ s: 3, f: 0 }, prior)).toBeCloseTo(0.125 / (0.125 + 0.729), 12);
    // 2 successes and 1 failure: 0.5³ / (0.5³ + 0.81 · 0.1).
    expect(localFdr({ s: 2, f: 1 }, prior)).toBeCloseTo(0.125 / (0.125 + 0.081), 12);
    expect(localFdr({ s: 0, f: 0 }, prior)).toBeCloseTo(0.5, 12);
    // Long tallies neither underflow nor return NaN.
    expect(localFdr({ s: 5000, f: 500 }, prior)).toBe(0);
  });

  test('keeps the largest set, by increasing local rate, whose mean stays within the level', () => {
    // Sorted: 0.01 (1), 0.05 (2), 0.2 (3), 0.3 (0); running means 0.01, 0.03, 0.0867, 0.14.
    expect([...selectByFdr([0.3, 0.01, 0.05, 0.2], 0.1)].sort()).toEqual([1, 2, 3]);
    expect([...selectByFdr([0.3, 0.01, 0.05, 0.2], 0.01)]).toEqual([1]);
    expect(selectByFdr([0.5, 0.4], 0.1).size).toBe(0);
    expect(selectByFdr([], 0.1).size).toBe(0);
  });

  test('the share of false discoveries stays near the level (simulation)', () => {
    // 1,500 workflows: 70 % truly at 0.55, 30 % at 0.85, 12 outcomes each.
    const random = rng(77);
    const truth: boolean[] = [];
    const tallies = Array.from({ length: 1500 }, () => {
      const good = random() < 0.3;
      truth.push(good);
      let s = 0;
      for (let i = 0; i < 12; i++) if (random() < (good ? 0.85 : 0.55)) s++;
      return { s, f: 12 - s };
    });
    const prior = fitGridPrior(tallies);
    const chosen = selectByFdr(
      tallies.map((t) => localFdr(t, prior)),
      0.1,
    );
    const falseOnes = [...chosen].filter((i) => !truth[i]).length;
    expect(chosen.size).toBeGreaterThan(100);
    expect(falseOnes / chosen.size).toBeLessThanOrEqual(0.12);
    // The uniform prior's rule, P(p > 0.7) ≥ 0.9 per workflow, finds fewer of the good ones.
    const uniform = tallies.filter((t) => probAbove(0.7, t.s, t.f) >= 0.9).length;
    expect(chosen.size).toBeGreaterThan(uniform);
  });

  test('demotes validated patterns outside the selected set to provisional and leaves the rest', () => {
    const executions = generateLog(defaultWorld(), 3000, 12).map((e) => e.execution);
    const open = extractPatterns(executions, { rule: 'bayes', fdr: 0 });
    const floor = extractPatterns(executions, { rule: 'bayes', fdr: 1 });
    const controlled = extractPatterns(executions, { rule: 'bayes' });
    expect(controlFdr(floor, 0.1)).toEqual(controlled);
    expect(controlFdr(floor, 1)).toEqual(floor);
    const validated = controlled.filter((p) => p.status === 'validated');
    expect(validated.length).toBeGreaterThan(open.filter((p) => p.status === 'validated').length);
    controlled.forEach((p, i) => {
      const before = floor[i]!;
      expect(p.id).toBe(before.id);
      if (before.status !== 'validated') expect(p.status).toBe(before.status);
      else expect(['validated', 'provisional']).toContain(p.status);
      if (p.status === 'validated')
        expect(probAbove(0.7, p.counts.successes, p.counts.failures)).toBeGreaterThanOrEqual(0.9);
    });
  });
});
