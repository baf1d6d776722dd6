/** A mined sequential pattern and the sequences that contain it. */
export interface MinedPattern {
  items: string[];
  /** Indexes of the sequences that contain the pattern (sorted). */
  matches: number[];
}

/** Options for mining. */
export interface MineOptions {
  minSupport: number;
  /** Items allowed between two consecutive pattern items. */
  maxGap: number;
  maxLength?: number;
  maxPatterns?: number;
}

/** Whether `sequence` contains `items` in order with at most `maxGap` items between neighbours. */
export function containsWithGap(
  sequence: readonly string[],
  items: readonly string[],
  maxGap: number,
): boolean {
  if (items.length === 0) return true;
  let ends: number[] = [];
  for (let i = 0; i < sequence.length; i++) if (sequence[i] === items[0]) ends.push(i);
  for (let k = 1; k < items.length && ends.length > 0; k++) {
    const next = new Set<number>();
    for (const end of ends) {
      for (let j = end + 1; j <= Math.min(sequence.length - 1, end + 1 + maxGap); j++) {
        if (sequence[j] === items[k]) next.add(j);
      }
    }
    ends = [...next].sort((a, b) => a - b);
  }
  return ends.length > 0;
}

/**
 * PrefixSpan with a gap constraint: grows patterns item by item over projected end positions,
 * keeping those contained in at least `minSupport` sequences, then keeps the closed ones (no
 * one-item extension with the same support).
 */
export function mineClosedPatterns(
  sequences: readonly (readonly string[])[],
  options: MineOptions,
): MinedPattern[] {
  const maxLength = options.maxLength ?? 10;
  const maxPatterns = options.maxPatterns ?? 5000;
  const all: MinedPattern[] = [];
  const grow = (prefix: string[], projection: Map<number, number[]>): void => {
    if (all.length >= maxPatterns || prefix.length >= maxLength) return;
    const next = new Map<string, Map<number, Set<number>>>();
    for (const [seqIndex, ends] of projection) {
      const sequence = sequences[seqIndex]!;
      for (const end of ends) {
        const from = prefix.length === 0 ? 0 : end + 1;
        const to =
          prefix.length === 0
            ? sequence.length - 1
            : Math.min(sequence.length - 1, end + 1 + options.maxGap);
        for (let j = from; j <= to; j++) {
          const item = sequence[j]!;
          let bySeq = next.get(item);
          if (bySeq === undefined) next.set(item, (bySeq = new Map<number, Set<number>>()));
          let positions = bySeq.get(seqIndex);
          if (positions === undefined) bySeq.set(seqIndex, (positions = new Set<number>()));
          positions.add(j);
        }
      }
    }
    for (const item of [...next.keys()].sort()) {
      const bySeq = next.get(item)!;
      if (bySeq.size < options.minSupport) continue;
      const items = [...prefix, item];
      const childProjection = new Map<number, number[]>();
      for (const [seqIndex, positions] of bySeq)
        childProjection.set(
          seqIndex,
          [...positions].sort((a, b) => a - b),
        );
      all.push({ items, matches: [...bySeq.keys()].sort((a, b) => a - b) });
      grow(items, childProjection);
    }
  };
  const root = new Map<number, number[]>();
  sequences.forEach((_sequence, index) => root.set(index, [-1]));
  grow([], root);
  // Closed: drop a pattern when a pattern one item longer containing it has the same support.
  const byLength = new Map<number, MinedPattern[]>();
  for (const pattern of all) {
    const list = byLength.get(pattern.items.length) ?? [];
    list.push(pattern);
    byLength.set(pattern.items.length, list);
  }
  return all.filter((pattern) => {
    const longer = byLength.get(pattern.items.length + 1) ?? [];
    return !longer.some(
      (other) =>
        other.matches.length === pattern.matches.length &&
        isSubsequence(pattern.items, other.items),
    );
  });
}

/** Whether `small` is a subsequence of `big` (any gaps). */
function isSubsequence(small: readonly string[], big: readonly string[]): boolean {
  let i = 0;
  for (const item of big) if (i < small.length && item === small[i]) i++;
  return i === small.length;
}
