import { containsWithGap } from './mine.ts';
import type { Execution } from './record.ts';

/**
 * Whether a signature runs a pattern as its workflow: it contains the steps in order (gaps of
 * at most `maxGap`) and at most one extra step per four pattern steps, so fragments shared by
 * many workflows do not collect the credit of the workflows that contain them.
 */
export function explains(
  signature: readonly string[],
  steps: readonly string[],
  maxGap = 1,
): boolean {
  return (
    signature.length <= steps.length + Math.floor(steps.length / 4) &&
    containsWithGap(signature, steps, maxGap)
  );
}

/** Whether an execution follows a pattern's steps as its workflow. */
export function follows(execution: Execution, steps: readonly string[], maxGap = 1): boolean {
  return explains(execution.signature, steps, maxGap);
}

/** Length of the longest common subsequence of two step lists. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * For each signature, the index of the one pattern closest to it by insertions and deletions,
 * when that distance is at most a third of the pattern's length (rounded up); a tie between
 * patterns of the same length credits none, a tie between lengths credits the longer.
 */
export function assignNearest(
  signatures: readonly (readonly string[])[],
  patterns: readonly (readonly string[])[],
): (number | undefined)[] {
  return signatures.map((signature) => {
    let best: number | undefined;
    let bestDistance = Infinity;
    let tied = false;
    patterns.forEach((steps, index) => {
      const distance = signature.length + steps.length - 2 * lcsLength(signature, steps);
      if (distance > Math.ceil(steps.length / 3)) return;
      const current = best === undefined ? undefined : patterns[best]!;
      if (
        distance < bestDistance ||
        (distance === bestDistance && current !== undefined && steps.length > current.length)
      ) {
        best = index;
        bestDistance = distance;
        tied = false;
      } else if (
        distance === bestDistance &&
        current !== undefined &&
        steps.length === current.length
      )
        tied = true;
    });
    return tied ? undefined : best;
  });
}

/** Insertions and deletions that turn one step list into the other. */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  return a.length + b.length - 2 * lcsLength(a, b);
}

/** Options of `creditShares`. */
export interface ShareOptions {
  /**
   * Likelihood factor of each inserted or deleted step (0.1): a run with one stray or missing
   * step is a tenth as likely under a workflow as an exact run of it.
   */
  editFactor?: number;
  /** Rounds of expectation-maximisation over the workflows' shares (30). */
  rounds?: number;
}

/**
 * Fractional credit of runs to workflows. A run that is exactly a workflow's steps is that
 * workflow's. Any other run is shared among the workflows it may be a noisy run of: each inserted
 * or deleted step costs a constant factor (at most a third of the workflow's length, rounded up,
 * as in `assignNearest`), and each workflow is run in proportion to its share of the (weighted)
 * runs, the shares fitted by expectation-maximisation. So a run one step off two workflows is
 * split between them by how often each is run, instead of counting for none, and a run with a
 * stray and a missing step still counts, mostly for the workflow run most. A signature no
 * workflow explains gets all zeros.
 */
export function creditShares(
  signatures: readonly (readonly string[])[],
  weights: readonly number[],
  workflows: readonly (readonly string[])[],
  options: ShareOptions = {},
): number[][] {
  const factor = options.editFactor ?? 0.1;
  const rounds = options.rounds ?? 30;
  const likelihood = signatures.map((signature) => {
    const row = workflows.map((steps) => {
      const distance = editDistance(signature, steps);
      return distance > Math.ceil(steps.length / 3) ? 0 : factor ** distance;
    });
    // An exact run of a workflow is that workflow's, whatever it is one step away from.
    return row.includes(1) ? row.map((l) => (l === 1 ? 1 : 0)) : row;
  });
  let shares = workflows.map(() => 1 / Math.max(1, workflows.length));
  let credit: number[][] = [];
  for (let round = 0; round < rounds; round++) {
    credit = likelihood.map((row) => {
      const joint = row.map((l, i) => l * shares[i]!);
      const total = joint.reduce((sum, v) => sum + v, 0);
      return total === 0 ? joint : joint.map((v) => v / total);
    });
    const mass = workflows.map(() => 0);
    let all = 0;
    credit.forEach((row, j) => {
      const weight = weights[j] ?? 1;
      row.forEach((r, i) => (mass[i]! += weight * r));
      all += row.some((r) => r > 0) ? weight : 0;
    });
    if (all === 0) break;
    shares = mass.map((m) => m / all);
  }
  return credit;
}
