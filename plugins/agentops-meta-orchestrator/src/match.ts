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
