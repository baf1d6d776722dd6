import type { TaskGroup } from './extract.ts';
import type { Execution } from './record.ts';
import { countsCosine } from './stats.ts';

/** Least cosine of two groups' touched folders and languages for them to be one kind of task. */
const mergeContext = 0.75;
/** Least cosine of their keywords, so that a shared code area alone never merges unlike tasks. */
const mergeKeywords = 0.15;

/**
 * Merges groups of a category that are fragments of one kind of task: greedy grouping splits a
 * kind whose tasks are worded with synonyms the table does not know (`structure`, `layout`) into
 * groups that share keywords only in part but touch the same folders and languages. The most
 * similar pair is merged first, until no pair is similar enough in both; groups without known
 * paths are never merged. Members stay in log order.
 */
export function mergeFragments(groups: TaskGroup[], executions: readonly Execution[]): TaskGroup[] {
  const order = new Map(executions.map((execution, index) => [execution, index]));
  const out = [...groups];
  for (;;) {
    let best: [number, number] | undefined;
    let bestScore = -1;
    for (let i = 0; i < out.length; i++)
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i]!;
        const b = out[j]!;
        if (a.category !== b.category) continue;
        const byContext = countsCosine(a.contextCounts, b.contextCounts);
        const byWords = countsCosine(a.keywordCounts, b.keywordCounts);
        if (byContext < mergeContext || byWords < mergeKeywords) continue;
        if (byContext + byWords > bestScore) {
          best = [i, j];
          bestScore = byContext + byWords;
        }
      }
    if (best === undefined) return out;
    const [keep, drop] = [out[best[0]]!, out[best[1]]!];
    keep.members = [...keep.members, ...drop.members].sort(
      (x, y) => (order.get(x) ?? 0) - (order.get(y) ?? 0),
    );
    for (const [word, count] of drop.keywordCounts)
      keep.keywordCounts.set(word, (keep.keywordCounts.get(word) ?? 0) + count);
    for (const [term, count] of drop.contextCounts)
      keep.contextCounts.set(term, (keep.contextCounts.get(term) ?? 0) + count);
    out.splice(best[1], 1);
  }
}
