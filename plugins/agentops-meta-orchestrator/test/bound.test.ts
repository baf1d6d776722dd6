import { describe, expect, test } from 'vitest';
import { trueLfdr, trueTallies, validationBound } from '../src/bench/bound.ts';
import type { WorldConfig, WorldExecution } from '../src/bench/world.ts';
import { defaultWorld, executionOf } from '../src/bench/world.ts';

/** Two families: default workflow 0 at 0.5; the others 0.9 and 0.6, or 0.6 (0.9 after drift) and 0.3. */
function tinyWorld(flipped = 0): WorldConfig {
  const base = defaultWorld();
  const family = (id: string, rates: [number, number?][]) => ({
    id,
    category: 'testing',
    slots: [['x']],
    workflows: rates.map(([p, pAfterDrift], i) => ({
      steps: [`agent:w${i}`, 'phase:test'],
      p,
      ...(pAfterDrift === undefined ? {} : { pAfterDrift }),
    })),
    defaultIndex: 0,
    weight: 1,
    paths: [],
  });
  return {
    ...base,
    driftAt: 0.5,
    noise: { ...base.noise, flipped },
    families: [family('a', [[0.5], [0.9], [0.6]]), family('b', [[0.5], [0.6, 0.9], [0.3]])],
  };
}

/** A log entry of a family's workflow with a label (`undefined`: unknown outcome). */
function entry(
  world: WorldConfig,
  index: number,
  family: number,
  workflow: number,
  label: boolean | undefined,
): WorldExecution {
  const outcome =
    label === undefined
      ? ({ status: 'unknown', source: 'none' } as const)
      : ({ status: label ? 'success' : 'failure', source: 'tests' } as const);
  const run = { success: label === true, steps: [], text: 'x', outcome, claimed: false };
  const execution = executionOf(world, family, run, { index, seed: 1, paths: [] });
  return { execution, family, workflow, text: 'x', claimed: false };
}

function logOf(world: WorldConfig, rows: [number, number, boolean | undefined][]) {
  return rows.map(([family, workflow, label], i) => entry(world, i, family, workflow, label));
}

describe('validation bound (reads the world truth)', () => {
  test('credits labelled executions to their true workflow, early or late by the drift point', () => {
    const world = tinyWorld();
    const log = logOf(world, [
      [0, 1, true],
      [1, 2, false],
      [0, 1, undefined],
      [0, 1, false],
      [0, 1, true],
      [1, 2, true],
    ]);
    expect(trueTallies(world, log)).toEqual([
      { family: 0, workflow: 1, early: { s: 1, f: 0 }, late: { s: 1, f: 1 } },
      { family: 1, workflow: 2, early: { s: 0, f: 1 }, late: { s: 1, f: 0 } },
    ]);
  });

  test('the local rate is the posterior share of bad workflows of the same role', () => {
    const world = tinyWorld();
    const tally = (early: [number, number], late: [number, number]) => ({
      family: 0,
      workflow: 1,
      early: { s: early[0], f: early[1] },
      late: { s: late[0], f: late[1] },
    });
    // Non-default workflows: 0.9 and 0.6 (0.9 late) good; 0.6 and 0.3 bad. Two early successes:
    // bad 0.36 + 0.09 against good 0.81 + 0.36.
    expect(trueLfdr(world, tally([2, 0], [0, 0]))).toBeCloseTo(0.45 / 1.62, 12);
    // Late, the drifting workflow runs at 0.9: bad 0.45 against good 0.81 + 0.81.
    expect(trueLfdr(world, tally([0, 0], [2, 0]))).toBeCloseTo(0.45 / 2.07, 12);
    // One early failure: bad 0.4 + 0.7 against good 0.1 + 0.4.
    expect(trueLfdr(world, tally([0, 1], [0, 0]))).toBeCloseTo(1.1 / 1.6, 12);
    // Every default workflow is bad (0.5), whatever its record.
    expect(trueLfdr(world, { ...tally([9, 0], [9, 0]), workflow: 0 })).toBe(1);
  });

  test('flipped labels lower the rate a success label shows', () => {
    const world = tinyWorld(0.1);
    // Label rates 0.9 → 0.82, 0.6 → 0.58, 0.3 → 0.34; one early success.
    const lfdr = trueLfdr(world, {
      family: 0,
      workflow: 1,
      early: { s: 1, f: 0 },
      late: { s: 0, f: 0 },
    });
    expect(lfdr).toBeCloseTo((0.58 + 0.34) / (0.58 + 0.34 + 0.82 + 0.58), 12);
  });

  test('validates only workflows past the seed floor, within the level, and the file rule asks more', () => {
    const world = tinyWorld();
    const rows: [number, number, boolean | undefined][] = [];
    for (let i = 0; i < 8; i++) rows.push([0, 1, true], [1, 1, true], [1, 2, i < 3]);
    rows.push([0, 2, true], [0, 2, true]);
    const log = logOf(world, rows);
    const bound = validationBound(world, log);
    const keys = (indexes: number[]) =>
      indexes.map((i) => `${bound.tallies[i]!.family}/${bound.tallies[i]!.workflow}`);
    expect(keys(bound.tallies.map((_t, i) => i))).toEqual(['0/1', '0/2', '1/1', '1/2']);
    // 8/8 twice; 3/8 fails the floor of a rate above 0.7; 2/2 has fewer than 3 labels.
    expect(keys(bound.validated)).toEqual(['0/1', '1/1']);
    expect(keys(validationBound(world, log, { alpha: 1 }).validated)).toEqual(['0/1', '1/1']);
    // At a level below the smaller local rate nothing is validated.
    const least = Math.min(bound.lfdr[0]!, bound.lfdr[2]!);
    expect(least).toBeGreaterThan(0);
    expect(validationBound(world, log, { alpha: least / 2 }).validated).toEqual([]);
    // 3/3 passes the seed floor (posterior mean 0.8) but not P(p > 0.7) ≥ 0.9 (it is 0.76).
    const three = logOf(world, [
      [0, 1, true],
      [0, 1, true],
      [0, 1, true],
    ]);
    expect(validationBound(world, three, { alpha: 1 }).validated).toEqual([0]);
    expect(validationBound(world, three, { alpha: 1, uniformFloor: true }).validated).toEqual([]);
  });
});
