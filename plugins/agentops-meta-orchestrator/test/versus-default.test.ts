import { describe, expect, test } from 'vitest';
import type { LearnedPattern } from '../src/extract.ts';
import { normalizeImport } from '../src/import.ts';
import { probGreater } from '../src/stats.ts';
import { creditShares, editDistance } from '../src/match.ts';
import { closeEnough, nearestWorkflow, scoreVersusDefault } from '../src/versus-default.ts';

const explore = ['agent:code-explorer', 'agent:change-executor', 'phase:test'];
const direct = ['agent:change-executor', 'phase:test'];
const design = ['agent:spec-architect', 'agent:change-executor', 'agent:reviewer'];

function run(i: number, steps: string[], ok: boolean) {
  return normalizeImport(
    {
      session_id: `v${i}`,
      seq: i,
      started_at: new Date(Date.UTC(2026, 2, 1, 9) + i * 3_600_000).toISOString(),
      task: { category: 'bug-fix', text: 'fix the token refresh race' },
      steps,
      outcome: { status: ok ? 'success' : 'failure', source: 'tests' },
    },
    { storeTaskText: false, now: '2026-01-01T00:00:00.000Z' },
  )!;
}

describe('crediting runs to workflows', () => {
  test('a run with a stray step counts for the workflow it resembles most', () => {
    const stray = ['agent:code-explorer', 'agent:change-executor', 'agent:reviewer', 'phase:test'];
    expect(nearestWorkflow(stray, [direct, explore])).toBe(1);
    expect(nearestWorkflow(['agent:code-explorer', 'phase:test'], [direct, explore])).toBe(1);
  });

  test('a tie or a run unlike every workflow counts for none', () => {
    expect(
      nearestWorkflow(
        ['a', 'b', 'c'],
        [
          ['a', 'b', 'c', 'd'],
          ['a', 'b', 'c', 'e'],
        ],
      ),
    ).toBe(undefined);
    expect(nearestWorkflow(['x', 'y', 'z'], [direct, explore])).toBe(undefined);
  });
});

describe('fractional credit (creditShares)', () => {
  const a = ['agent:code-explorer', 'agent:change-executor', 'phase:test'];
  const b = ['agent:code-explorer', 'agent:change-executor', 'agent:reviewer'];
  const between = ['agent:code-explorer', 'agent:change-executor'];

  test('the edit distance counts inserted and deleted steps', () => {
    expect(editDistance(between, a)).toBe(1);
    expect(editDistance(a, b)).toBe(2);
    expect(editDistance(direct, explore)).toBe(1);
    expect(editDistance(['x'], explore)).toBe(4);
  });

  test('an exact run goes whole to its workflow, even one step off another', () => {
    const shares = creditShares([explore, direct, ['x', 'y']], [1, 1, 1], [direct, explore]);
    expect(shares).toEqual([
      [0, 1],
      [1, 0],
      [0, 0],
    ]);
  });

  test('a run one step off two workflows is split by how often each is run', () => {
    // Three exact runs of `a`, one of `b`, one missing the last step of either. With x the share
    // of the ambiguous run going to `a`, the fitted shares are (3 + x) / 5 and (2 − x) / 5, and
    // x = (3 + x) / 5 at the fixed point: x = 0.75.
    const shares = creditShares([a, a, a, b, between], [1, 1, 1, 1, 1], [a, b]);
    expect(shares.slice(0, 4)).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(shares[4]![0]).toBeCloseTo(0.75, 6);
    expect(shares[4]![1]).toBeCloseTo(0.25, 6);
  });

  test('weights count in the shares', () => {
    // The run of `b` weighs 3: shares (3 + x) / 7 and (4 − x) / 7, so x = (3 + x) / 7 = 0.5.
    const shares = creditShares([a, a, a, b, between], [1, 1, 1, 3, 1], [a, b]);
    expect(shares[4]![0]).toBeCloseTo(0.5, 6);
  });

  test('a run two steps off a three-step workflow counts for none', () => {
    expect(creditShares([['agent:change-executor']], [1], [a, b])).toEqual([[0, 0]]);
  });
});

describe('scoring against the default workflow', () => {
  // Six runs of the direct workflow (3 succeed) make it the default; four of the design workflow,
  // three steps away from it so that no run is shared, all succeed.
  const labelled = [
    ...[true, false, true, false, true, false].map((ok, i) => ({
      execution: run(i, direct, ok),
      sim: 1,
    })),
    ...[0, 1, 2, 3].map((i) => ({ execution: run(10 + i, design, true), sim: 1 })),
  ];
  const patterns = [direct, design].map((steps) => ({ id: steps.join(' ') }) as LearnedPattern);

  test('the most run workflow is the default; the others get a prior centred on its rate', () => {
    const result = scoreVersusDefault(labelled, [direct, design], (i) => patterns[i]!, {
      priorStrength: 4,
    })!;
    expect(result.defaultSteps).toEqual(direct);
    const better = result.scored.find((c) => c.pattern.id === design.join(' '))!;
    // Prior Beta(1 + 4 · 0.5, 1 + 4 · 0.5) from the default's posterior mean (1 + 3) / (2 + 6).
    expect([better.isDefault, better.a, better.b, better.successes, better.executions]).toEqual([
      false,
      7,
      3,
      4,
      4,
    ]);
    expect(better.confidence).toBeCloseTo(probGreater(7, 3, 4, 4), 12);
    expect(better.confidence).toBeGreaterThan(0.8);
  });

  test('a run one step off two workflows adds its shares to both tallies', () => {
    const a = ['agent:code-explorer', 'agent:change-executor', 'phase:test'];
    const b = ['agent:code-explorer', 'agent:change-executor', 'agent:reviewer'];
    const between = ['agent:code-explorer', 'agent:change-executor'];
    // Six exact runs of `a` (3 succeed), two of `b` (both succeed), one failing ambiguous run.
    const mixed = [
      ...[true, false, true, false, true, false].map((ok, i) => ({
        execution: run(i, a, ok),
        sim: 1,
      })),
      ...[0, 1].map((i) => ({ execution: run(10 + i, b, true), sim: 1 })),
      { execution: run(20, between, false), sim: 1 },
    ];
    const byId = [a, b].map((steps) => ({ id: steps.join(' ') }) as LearnedPattern);
    const result = scoreVersusDefault(mixed, [a, b], (i) => byId[i]!, { priorStrength: 4 })!;
    // Shares (6 + x) / 9 and (3 − x) / 9 with x = (6 + x) / 9: x = 0.75.
    const toA = 0.75;
    expect(result.defaultSteps).toEqual(a);
    const other = result.scored.find((c) => !c.isDefault)!;
    // The default `a`: 3 successes and 3 + 0.75 failures.
    const base = (1 + 3) / (2 + 3 + 3 + toA);
    expect(other.a).toBeCloseTo(1 + 4 * base + 2, 5);
    expect(other.b).toBeCloseTo(1 + 4 * (1 - base) + (1 - toA), 5);
    expect([other.successes, other.executions]).toEqual([2, 2]);
    const itself = result.scored.find((c) => c.isDefault)!;
    expect([itself.successes, itself.executions]).toEqual([3, 7]);
  });

  test('the default itself is compared with all the other workflows run', () => {
    const result = scoreVersusDefault(labelled, [direct, design], (i) => patterns[i]!, {
      priorStrength: 4,
    })!;
    const itself = result.scored.find((c) => c.pattern.id === direct.join(' '))!;
    expect(itself.isDefault).toBe(true);
    // The rest is 4/4: prior centred on (1 + 4) / (2 + 4).
    expect(itself.a).toBeCloseTo(1 + (4 * 5) / 6 + 3, 12);
    expect(itself.b).toBeCloseTo(1 + (4 * 1) / 6 + 3, 12);
    expect(itself.confidence).toBeCloseTo(probGreater(itself.a, itself.b, 5, 1), 12);
    expect(itself.confidence).toBeLessThan(0.2);
    expect([itself.successes, itself.executions]).toEqual([3, 6]);
  });

  test('nothing credited gives no default', () => {
    expect(
      scoreVersusDefault(
        [{ execution: run(0, ['x'], true), sim: 1 }],
        [explore],
        () => patterns[0]!,
        { priorStrength: 4 },
      ),
    ).toBe(undefined);
  });
});

describe('which similar executions count (closeEnough)', () => {
  // Most similar first, as `suggest` sorts them; every third outcome unknown.
  const similar = [0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.42].map((sim, i) => ({
    execution:
      i % 3 === 2
        ? {
            ...run(i, direct, true),
            outcome: { status: 'unknown' as const, source: 'none' as const },
          }
        : run(i, direct, true),
    sim,
  }));

  test('with few labelled runs every run down to the floor counts', () => {
    expect(closeEnough(similar, 0.4, 6, 0.55)).toBe(0.4);
    expect(closeEnough(similar, 0.4, 30, 0.55)).toBe(0.4);
  });

  test('the given number of most similar labelled runs count, and no fewer than those close enough', () => {
    // Labelled: 0.9, 0.8, 0.6, 0.5, 0.42; the third of them is 0.6, above the close similarity.
    expect(closeEnough(similar, 0.4, 3, 0.55)).toBe(0.55);
    // The fourth is 0.5, below it: the four most similar labelled runs count.
    expect(closeEnough(similar, 0.4, 4, 0.55)).toBe(0.5);
    expect(closeEnough(similar, 0.4, 4, 0.95)).toBe(0.5);
    // Above the floor only three labelled runs: all of them count.
    expect(closeEnough(similar, 0.52, 4, 0.55)).toBe(0.52);
  });
});
