import { contextTerms } from './context.ts';
import { assignNearest, explains } from './match.ts';
import { mergeFragments } from './merge-groups.ts';
import { mineClosedPatterns } from './mine.ts';
import type { Execution } from './record.ts';
import { labelOf } from './record.ts';
import { betaQuantile, posteriorMean, probAbove, probBelow, probGreater } from './stats.ts';
import { sha256 } from './text.ts';
import { checkSequentially, controlFdr } from './validate.ts';

// Moved to match.ts; exported here too so existing imports keep working.
export { assignNearest, follows } from './match.ts';

/** A validation status, weakest first (deprecated is separate). */
type PatternStatus = 'candidate' | 'provisional' | 'validated' | 'deprecated';

/** Validation rule: the Bayesian default or the seed's legacy rule. */
export type Rule = 'bayes' | 'legacy';

/** A group of similar tasks within a category. */
export interface TaskGroup {
  category: string;
  /** Label keywords (the group's most frequent ones). */
  label: string[];
  /** Keyword frequencies in the group. */
  keywordCounts: Map<string, number>;
  /** Frequencies of the context terms (folders and languages touched) in the group. */
  contextCounts: Map<string, number>;
  members: Execution[];
}

/** Counts over a set of executions. */
interface Counts {
  executions: number;
  successes: number;
  failures: number;
  /** Recency-weighted successes and failures. */
  weightedSuccesses: number;
  weightedFailures: number;
}

/** A pattern the engine learned, with everything its file and the recommender need. */
export interface LearnedPattern {
  id: string;
  category: string;
  group: TaskGroup;
  steps: string[];
  counts: Counts;
  contrast: Counts;
  status: PatternStatus;
  rule: Rule;
  successRate: number;
  interval: [number, number];
  probAbove70: number;
  probBeatsRest: number;
  evidence: string[];
  matches: Execution[];
  firstSeen: string;
  lastSeen: string;
  verify: string | undefined;
  keywords: string[];
  /** The group's common context terms (folders and languages touched), for retrieval. */
  context: string[];
}

/** Extraction options. */
export interface ExtractOptions {
  rule: Rule;
  /** Half-life of recency weights in days (90). */
  halfLifeDays?: number;
  /** Items allowed between neighbouring steps of a pattern (1). */
  maxGap?: number;
  /** Group tasks by keywords within a category (true); false groups by category only. */
  groupByKeywords?: boolean;
  /**
   * Let touched folders and languages join the keywords in grouping (false). Off by default: in
   * the benchmark it merged near-duplicate families that share folders and lowered RES at 400.
   */
  groupByContext?: boolean;
  /** Compare against the rest of the group for `validated` (true). */
  contrast?: boolean;
  /**
   * Least support as a share of the group (0.04): in a large group, noisy variants of a workflow
   * (a stray or a missing step) reach a support of three and would take the credit of its runs.
   */
  minSupportShare?: number;
  /** Patterns kept per group (8). */
  perGroup?: number;
  /**
   * Upper bound of the minimum support (3): a better workflow the agent rarely runs unprompted
   * must be mined from its first few runs to be compared at all.
   */
  minSupportCap?: number;
  /**
   * How executions are credited to patterns: `explains` (every step in order, few extra steps)
   * or `nearest` (the default: each execution to the one mined pattern closest by edit distance,
   * within a third of its length; ties between different patterns credit none), so a run with a
   * missing or stray step still counts for its workflow and no run counts twice.
   */
  counting?: 'explains' | 'nearest';
  /**
   * Validate only patterns whose mixture sequential test, with a prior pooled from the other
   * groups, also rejects p ≤ 0.7 at level 0.1 (false): then a pattern validated after any
   * execution, however often the log is re-extracted, is false at most a tenth of the time
   * (see `checkSequentially`).
   */
  sequential?: boolean;
  /**
   * Level of the Bayesian false discovery rate across all patterns (0.1; 0 turns it off): a
   * pattern is validated when its raw counts alone support it (P(p > 0.7) ≥ 0.9, what the linter
   * recomputes) and it belongs to the largest set whose mean local false discovery rate, under
   * priors fitted to the patterns' counts (one for the groups' default workflows, one for the
   * rest), is at most this (see `controlFdr`). This takes the
   * place of the comparison with the rest of the group and of the recency-weighted counts, which
   * still deprecate. Off, the rule table of the design decides alone.
   */
  fdr?: number;
}

const dayMs = 86_400_000;

function topKeywords(counts: Map<string, number>, size: number, limit: number): string[] {
  return [...counts.entries()]
    .filter(([, count]) => count * 2 >= size)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([word]) => word);
}

function cosine(terms: readonly string[], counts: ReadonlyMap<string, number>): number {
  const set = new Set(terms);
  if (set.size === 0) return 0;
  let dot = 0;
  let norm = 0;
  for (const count of counts.values()) norm += count * count;
  for (const term of set) dot += counts.get(term) ?? 0;
  return norm === 0 ? 0 : dot / (Math.sqrt(norm) * Math.sqrt(set.size));
}

/** Weight of the context terms (folders, languages) against the keywords when both are known. */
export const contextWeight = 1 / 3;

/**
 * Similarity of a task to a group: the cosine of its keywords with the group's keyword counts,
 * blended (one third) with the cosine of its context terms with the group's context counts when
 * both sides touched paths. A task with no known paths is compared on keywords alone, so
 * missing paths never count against it.
 */
export function groupSimilarity(
  words: readonly string[],
  group: TaskGroup,
  context: readonly string[] = [],
): number {
  if (group.members.length === 0) return 0;
  const byWords = cosine(words, group.keywordCounts);
  if (context.length === 0 || group.contextCounts.size === 0) return byWords;
  return (1 - contextWeight) * byWords + contextWeight * cosine(context, group.contextCounts);
}

/**
 * Groups executions by category, then greedily by the cosine similarity of their keywords
 * with each group's keyword counts (joining the most similar group at or above `threshold`).
 * With `byContext` the touched folders and languages join the keywords (see `groupSimilarity`);
 * either way each group records their counts for retrieval. Fragments of one kind of task are
 * then merged (see `mergeFragments`). Input order is the log order, so the grouping is
 * deterministic.
 */
export function groupTasks(
  executions: readonly Execution[],
  byKeywords = true,
  threshold = 0.35,
  byContext = false,
): TaskGroup[] {
  const groups: TaskGroup[] = [];
  const byCategory = new Map<string, TaskGroup[]>();
  for (const execution of executions) {
    const category = execution.task.category;
    const list = byCategory.get(category) ?? [];
    byCategory.set(category, list);
    let best: TaskGroup | undefined;
    let bestScore = -1;
    const context = contextTerms(execution.paths);
    for (const group of list) {
      const score = byKeywords
        ? groupSimilarity(execution.task.keywords, group, byContext ? context : [])
        : 1;
      if (score > bestScore) {
        best = group;
        bestScore = score;
      }
    }
    if (best === undefined || (byKeywords && bestScore < threshold)) {
      best = {
        category,
        label: [],
        keywordCounts: new Map(),
        contextCounts: new Map(),
        members: [],
      };
      list.push(best);
      groups.push(best);
    }
    best.members.push(execution);
    for (const word of new Set(execution.task.keywords))
      best.keywordCounts.set(word, (best.keywordCounts.get(word) ?? 0) + 1);
    for (const term of context)
      best.contextCounts.set(term, (best.contextCounts.get(term) ?? 0) + 1);
  }
  const merged = mergeFragments(groups, executions);
  for (const group of merged) {
    group.label = topKeywords(group.keywordCounts, 0, 2);
    if (group.label.length === 0) group.label = [group.category];
  }
  return merged;
}

/** Counts successes and failures with recency weights relative to `reference`. */
function countOutcomes(
  executions: readonly Execution[],
  reference: number,
  halfLifeDays: number,
): Counts {
  const counts: Counts = {
    executions: 0,
    successes: 0,
    failures: 0,
    weightedSuccesses: 0,
    weightedFailures: 0,
  };
  for (const execution of executions) {
    counts.executions++;
    const label = labelOf(execution.outcome);
    if (label === undefined) continue;
    const age = Math.max(0, reference - Date.parse(execution.ended_at)) / dayMs;
    const weight = 0.5 ** (age / halfLifeDays);
    if (label) {
      counts.successes++;
      counts.weightedSuccesses += weight;
    } else {
      counts.failures++;
      counts.weightedFailures += weight;
    }
  }
  return counts;
}

const statusRank: Record<PatternStatus, number> = {
  deprecated: -1,
  candidate: 0,
  provisional: 1,
  validated: 2,
};

function bayesStatus(s: number, f: number, beatsRest: number, useContrast: boolean): PatternStatus {
  if (probBelow(0.6, s, f) >= 0.9) return 'deprecated';
  const above = probAbove(0.7, s, f);
  if (above >= 0.9 && (!useContrast || beatsRest >= 0.8)) return 'validated';
  if (above >= 0.8) return 'provisional';
  return 'candidate';
}

function slugify(words: string[]): string {
  return words
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

/** The content-addressed id: first-seen day, group label and a hash of category, label and steps. */
function patternId(category: string, label: string[], steps: string[], firstSeen: string): string {
  const hash = sha256(`${category}\n${label.join(' ')}\n${steps.join(' ')}`).slice(0, 6);
  const slug = slugify(label) || 'workflow';
  return `pat_${firstSeen}_${slug}-${hash}`;
}

function mostCommon(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values)
    if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [value, count] of [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

/** The reference time for recency weights: the log's latest end time (never the clock). */
function referenceTime(executions: readonly Execution[]): number {
  let latest = 0;
  for (const execution of executions)
    latest = Math.max(latest, Date.parse(execution.ended_at) || 0);
  return latest;
}

/** Mines, counts and validates patterns from the log: a pure function of the executions. */
export function extractPatterns(
  executions: readonly Execution[],
  options: ExtractOptions,
): LearnedPattern[] {
  const halfLife = options.halfLifeDays ?? 90;
  const maxGap = options.maxGap ?? 1;
  const useContrast = options.contrast ?? true;
  const perGroup = options.perGroup ?? 8;
  const fdrLevel = options.rule === 'bayes' ? (options.fdr ?? 0.1) : 0;
  const byFdr = fdrLevel > 0;
  const reference = referenceTime(executions);
  const out: LearnedPattern[] = [];
  for (const group of groupTasks(
    executions,
    options.groupByKeywords ?? true,
    0.35,
    options.groupByContext ?? false,
  )) {
    const members = group.members.filter((e) => e.signature.length > 0);
    if (members.length < 3) continue;
    // max(3, 20 % of the group), the 20 % capped so a better workflow that is still rarely used
    // in a large group can be discovered before it reaches a fifth of the group's runs, and at
    // least 4 % of the group so that noisy variants of a workflow are not mined as workflows.
    const minSupport = Math.max(
      3,
      Math.ceil((options.minSupportShare ?? 0.04) * members.length),
      Math.min(options.minSupportCap ?? 3, Math.ceil(0.2 * members.length)),
    );
    const mined = mineClosedPatterns(
      members.map((e) => e.signature),
      { minSupport, maxGap },
    )
      .filter((pattern) => pattern.items.length >= 2)
      // Longest first, so that of two patterns explaining the same executions the longer stays.
      .sort(
        (a, b) =>
          b.items.length - a.items.length || (a.items.join(' ') < b.items.join(' ') ? -1 : 1),
      );
    const seen = new Set<string>();
    const nearest =
      (options.counting ?? 'nearest') === 'nearest'
        ? assignNearest(
            members.map((e) => e.signature),
            mined.map((pattern) => pattern.items),
          )
        : undefined;
    const scored = mined.flatMap((pattern, index) => {
      // Count only executions the pattern explains as a whole workflow, not as a fragment.
      const matchedIndexes =
        nearest !== undefined
          ? members.flatMap((_e, i) => (nearest[i] === index ? [i] : []))
          : pattern.matches.filter((i) => explains(members[i]!.signature, pattern.items, maxGap));
      const key = matchedIndexes.join(',');
      if (matchedIndexes.length < 3 || seen.has(key)) return [];
      seen.add(key);
      const matched = new Set(matchedIndexes);
      const matches = matchedIndexes.map((i) => members[i]!);
      const rest = members.filter((_e, i) => !matched.has(i));
      const counts = countOutcomes(matches, reference, halfLife);
      const contrast = countOutcomes(rest, reference, halfLife);
      return [{ pattern, matches, counts, contrast }];
    });
    const candidates = scored.filter((c) => c.counts.successes + c.counts.failures >= 3);
    const chosen = candidates
      .map((c) => ({
        ...c,
        lower: betaQuantile(0.2, 1 + c.counts.weightedSuccesses, 1 + c.counts.weightedFailures),
      }))
      .sort(
        (a, b) =>
          b.lower - a.lower ||
          b.pattern.items.length - a.pattern.items.length ||
          (a.pattern.items.join(' ') < b.pattern.items.join(' ') ? -1 : 1),
      )
      .slice(0, perGroup);
    for (const c of chosen) {
      const { counts, contrast } = c;
      const beatsRest = probGreater(
        1 + counts.weightedSuccesses,
        1 + counts.weightedFailures,
        1 + contrast.weightedSuccesses,
        1 + contrast.weightedFailures,
      );
      const beatsRestRaw = probGreater(
        1 + counts.successes,
        1 + counts.failures,
        1 + contrast.successes,
        1 + contrast.failures,
      );
      let status: PatternStatus;
      const labelled = counts.successes + counts.failures;
      if (options.rule === 'legacy') {
        status = labelled >= 3 && counts.successes / labelled > 0.7 ? 'validated' : 'candidate';
      } else {
        const weighted = bayesStatus(
          counts.weightedSuccesses,
          counts.weightedFailures,
          beatsRest,
          useContrast && !byFdr,
        );
        const raw = bayesStatus(
          counts.successes,
          counts.failures,
          beatsRestRaw,
          useContrast && !byFdr,
        );
        // The file's raw counts must support the status (the linter recomputes it from them); under
        // FDR control the weighted counts only deprecate, and the FDR pass guards validation.
        status = byFdr || statusRank[weighted] > statusRank[raw] ? raw : weighted;
        if (weighted === 'deprecated' || raw === 'deprecated') status = 'deprecated';
        if (status !== 'deprecated') {
          const dominated = candidates.some(
            (other) =>
              other !== c &&
              probGreater(
                1 + other.counts.weightedSuccesses,
                1 + other.counts.weightedFailures,
                1 + counts.weightedSuccesses,
                1 + counts.weightedFailures,
              ) >= 0.95,
          );
          if (dominated) status = 'deprecated';
        }
      }
      const successRate =
        options.rule === 'legacy'
          ? labelled === 0
            ? 0
            : counts.successes / labelled
          : posteriorMean(counts.successes, counts.failures);
      const interval: [number, number] = [
        betaQuantile(0.05, 1 + counts.successes, 1 + counts.failures),
        betaQuantile(0.95, 1 + counts.successes, 1 + counts.failures),
      ];
      const dates = c.matches.map((e) => e.started_at.slice(0, 10)).sort();
      const firstSeen = dates[0]!;
      const lastSeen = dates[dates.length - 1]!;
      const recent = [...c.matches]
        .sort((a, b) => (a.execution_id < b.execution_id ? 1 : -1))
        .slice(0, 20);
      out.push({
        id: patternId(group.category, group.label, c.pattern.items, firstSeen),
        category: group.category,
        group,
        steps: c.pattern.items,
        counts,
        contrast,
        status,
        rule: options.rule,
        successRate,
        interval,
        probAbove70: probAbove(0.7, counts.successes, counts.failures),
        probBeatsRest: beatsRestRaw,
        evidence: recent.map((e) => e.execution_id).sort(),
        matches: c.matches,
        firstSeen,
        lastSeen,
        verify: mostCommon(
          c.matches.map(
            (e) => e.verify ?? e.outcome.signals?.find((s) => s.label !== undefined)?.label,
          ),
        ),
        keywords: topKeywords(group.keywordCounts, Math.ceil(group.members.length / 2), 8).sort(),
        context: topKeywords(group.contextCounts, Math.ceil(group.members.length / 2), 8).sort(),
      });
    }
  }
  out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const controlled = byFdr ? controlFdr(out, fdrLevel) : out;
  return options.sequential === true && options.rule === 'bayes'
    ? checkSequentially(controlled)
    : controlled;
}
