import { describe, expect, test } from 'vitest';
import { defaultWorld, generateLog, rng } from '../src/bench/world.ts';
import { extractPatterns } from '../src/extract.ts';
import { fitGridPrior, lfdrByRole, localFdr, mixUniform, selectByFdr } from '../src/fdr.ts';
import { probAbove } from '../src/stats.ts';
import { controlFdr, patternRoles } from '../src/validate.ts';

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

  test('a share of the prior spread evenly keeps every rate possible', () => {
    const prior = { rates: [0.25, 0.5, 0.75, 1], weights: [0, 0, 0.5, 0.5] };
    expect(mixUniform(prior, 0.2)).toEqual({
      rates: [0.25, 0.5, 0.75, 1],
      weights: [0.05, 0.05, 0.45, 0.45],
    });
    expect(mixUniform(prior, 0)).toEqual(prior);
  });

  test('each role is judged under the prior fitted to its own tallies, or all when it has few', () => {
    const middling = Array.from({ length: 20 }, () => ({ s: 6, f: 4 }));
    const good = Array.from({ length: 20 }, () => ({ s: 9, f: 1 }));
    const probe = { s: 5, f: 1 };
    const tallies = [...middling, ...good, probe, probe];
    const roles = [...middling.map(() => 'a'), ...good.map(() => 'b'), 'a', 'b'];
    const lfdrs = lfdrByRole(tallies, roles);
    const own = (role: string) =>
      mixUniform(fitGridPrior(tallies.filter((_t, i) => roles[i] === role)), 0.1);
    expect(lfdrs[40]).toBeCloseTo(localFdr(probe, own('a')), 12);
    expect(lfdrs[41]).toBeCloseTo(localFdr(probe, own('b')), 12);
    // Among middling workflows 5/6 is likely luck; among good ones it is likely good.
    expect(lfdrs[40]).toBeGreaterThan(0.5);
    expect(lfdrs[41]).toBeLessThan(0.2);
    // A role with fewer than four tallies with outcomes borrows the prior of all tallies.
    const few = lfdrByRole(
      [...middling, probe, { s: 0, f: 0 }],
      [...middling.map(() => 'a'), 'c', 'c'],
    );
    const all = mixUniform(fitGridPrior([...middling, probe]), 0.1);
    expect(few[20]).toBeCloseTo(localFdr(probe, all), 12);
    expect(few[21]).toBeCloseTo(localFdr({ s: 0, f: 0 }, all), 12);
  });

  test('the most-run pattern of each group is its default, the others are not', () => {
    const patterns = extractPatterns(
      generateLog(defaultWorld(), 1000, 11).map((e) => e.execution),
      { rule: 'bayes' },
    );
    const roles = patternRoles(patterns);
    const groups = [...new Set(patterns.map((p) => p.group))];
    expect(groups.length).toBeGreaterThan(5);
    for (const group of groups) {
      const members = patterns.flatMap((p, i) => (p.group === group ? [i] : []));
      const defaults = members.filter((i) => roles[i] === 'default');
      expect(defaults).toHaveLength(1);
      const most = Math.max(...members.map((i) => patterns[i]!.counts.executions));
      expect(patterns[defaults[0]!]!.counts.executions).toBe(most);
      expect(members.filter((i) => patterns[i]!.counts.executions === most)[0]).toBe(defaults[0]);
    }
  });

  test('without roles and without the uniform share, one prior fitted to all patterns decides', () => {
    const executions = generateLog(defaultWorld(), 3000, 13).map((e) => e.execution);
    const floor = extractPatterns(executions, { rule: 'bayes', fdr: 1 });
    const tallies = floor.map((p) => ({ s: p.counts.successes, f: p.counts.failures }));
    const prior = fitGridPrior(tallies);
    const validated = floor.flatMap((p, i) => (p.status === 'validated' ? [i] : []));
    const kept = [
      ...selectByFdr(
        validated.map((i) => localFdr(tallies[i]!, prior)),
        0.1,
      ),
    ]
      .map((j) => validated[j]!)
      .sort((a, b) => a - b);
    const single = controlFdr(floor, 0.1, 0.7, { byRole: false, uniformShare: 0 });
    expect(single.flatMap((p, i) => (p.status === 'validated' ? [i] : []))).toEqual(kept);
    expect(kept.length).toBeGreaterThan(0);
  });
});
