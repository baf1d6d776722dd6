import { describe, expect, test } from 'vitest';
import type { LearnedPattern } from '../src/extract.ts';
import { normalizeImport } from '../src/import.ts';
import { probGreater } from '../src/stats.ts';
import { nearestWorkflow, scoreVersusDefault } from '../src/versus-default.ts';

const explore = ['agent:code-explorer', 'agent:change-executor', 'phase:test'];
const direct = ['agent:change-executor', 'phase:test'];

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

describe('scoring against the default workflow', () => {
  // Six runs of the direct workflow (3 succeed) make it the default; four of the explorer's
  // workflow all succeed.
  const labelled = [
    ...[true, false, true, false, true, false].map((ok, i) => ({
      execution: run(i, direct, ok),
      sim: 1,
    })),
    ...[0, 1, 2, 3].map((i) => ({ execution: run(10 + i, explore, true), sim: 1 })),
  ];
  const patterns = [direct, explore].map((steps) => ({ id: steps.join(' ') }) as LearnedPattern);

  test('the most run workflow is the default; the others get a prior centred on its rate', () => {
    const result = scoreVersusDefault(labelled, [direct, explore], (i) => patterns[i]!, {
      priorStrength: 4,
    })!;
    expect(result.defaultSteps).toEqual(direct);
    const better = result.scored.find((c) => c.pattern.id === explore.join(' '))!;
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

  test('the default itself is compared with all the other workflows run', () => {
    const result = scoreVersusDefault(labelled, [direct, explore], (i) => patterns[i]!, {
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
        () => patterns[1]!,
        { priorStrength: 4 },
      ),
    ).toBe(undefined);
  });
});
