import { contextTerms } from './context.ts';
import type { LearnedPattern, TaskGroup } from './extract.ts';
import { contextWeight, follows, groupSimilarity } from './extract.ts';
import type { Execution } from './record.ts';
import { labelOf } from './record.ts';
import { fitPrior } from './evidence.ts';
import { betaQuantile, probGreater } from './stats.ts';
import { inferCategory, keywords } from './text.ts';
import type { Neighbour, ScoredWorkflow } from './versus-default.ts';
import {
  closeEnough,
  defaultWorkflow,
  sameSteps,
  scoreVersusDefault,
  workflowsToWeigh,
} from './versus-default.ts';

/** One suggested pattern with its evidence on similar tasks. */
export interface Suggestion {
  pattern_id: string;
  category: string;
  status: string;
  steps: string[];
  verify: string | null;
  /** Successes and executions (with a known outcome) among similar tasks. */
  successes: number;
  executions: number;
  interval: [number, number];
  /** P(p_pattern > p_default) on similar tasks. */
  confidence: number;
  evidence: string;
}

/** The recommender's answer. */
export interface SuggestResult {
  task: { category: string; keywords: string[] };
  abstained: boolean;
  reason: string;
  suggestions: Suggestion[];
}

/** Recommender options. */
export interface SuggestOptions {
  category?: string;
  /**
   * Minimum P(p_pattern > p_default) to suggest: 0.3 with `nearest` credit, where the workflow
   * must also have the highest posterior mean of those run on similar tasks and the prior centred
   * on the default (see `priorStrength`) already holds thin evidence back, so the choice is in
   * effect the Bayes one, the highest expected success, with a floor; 0.7 with `follows`.
   */
  threshold?: number;
  /** Neighbours considered (25). */
  k?: number;
  /** Suggest the best pattern even when not confident (for ablations). */
  neverAbstain?: boolean;
  maxGap?: number;
  /**
   * Pseudo-executions of the prior centred on the default's rate: 6 with `nearest` credit, 4 with
   * `follows`. Of several workflows each run a few times, the one with the best raw rate is
   * likely the luckiest; a stronger pull towards the default ranks them by evidence as well (in
   * the benchmark, 4 → 6 with the threshold 0.5 → 0.3 raised RES at 400 executions from 0.711 to
   * 0.718 on seeds 11–30 and from 0.687 to 0.689 on seeds 31–50).
   */
  priorStrength?: number;
  /**
   * Similar executions that followed a pattern before it is suggested (3): successes with
   * `nearest` credit, executions with a known outcome with `follows`.
   */
  minEvidence?: number;
  /**
   * With `nearest` credit, runs of the default workflow among similar tasks from which a workflow
   * other than the default needs one success fewer than `minEvidence` (10): the floor guards
   * against comparing two thin records, and a long record of the default leaves only the other
   * workflow's, which its confidence already weighs.
   */
  knownDefaultRuns?: number;
  /** Past executions count when at least this share of the best similarity (0, off). */
  poolShare?: number;
  /** Past executions count when their similarity to the task is at least this (0.4). */
  minSimilarity?: number;
  /**
   * With `nearest` credit, how many of the labelled executions most similar to the task always
   * count (30); the others count only when at least `closeSimilarity` similar (see `closeEnough`).
   */
  closeRuns?: number;
  /** With `nearest` credit, the similarity from which past executions always count (0.55). */
  closeSimilarity?: number;
  /** Candidate patterns scored after fusion (6). */
  candidates?: number;
  /** What a pattern is compared with: the rest of the similar tasks, or their most run workflow. */
  defaultBy?: 'rest' | 'modal' | 'both';
  /** Use the empirical-Bayes prior of all patterns' outcomes. */
  empiricalPrior?: boolean;
  /**
   * How similar executions are credited to workflows: `nearest` (each to the workflow it
   * resembles most, compared with the most run one) or `follows` (every execution that runs a
   * pattern's steps, compared with the rest, or as `defaultBy` says).
   */
  credit?: 'nearest' | 'follows';
  /** Keyword normaliser for the query (the engine's own by default). */
  normalise?: (text: string) => string[];
  /** Paths (repo-relative globs) the task touches, when known: their folders and languages join the query. */
  paths?: readonly string[];
}

function overlap(a: ReadonlySet<string>, b: readonly string[]): number {
  if (a.size === 0 || b.length === 0) return 0;
  let inter = 0;
  for (const word of b) if (a.has(word)) inter++;
  return inter / (a.size + b.length - inter);
}

/** BM25 scores of documents (token lists) for a query. */
export function bm25(
  query: readonly string[],
  docs: readonly (readonly string[])[],
  k1 = 1.2,
  b = 0.75,
): number[] {
  const n = docs.length;
  if (n === 0) return [];
  const avg = docs.reduce((sum, doc) => sum + doc.length, 0) / n || 1;
  const df = new Map<string, number>();
  for (const doc of docs) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  return docs.map((doc) => {
    const tf = new Map<string, number>();
    for (const term of doc) tf.set(term, (tf.get(term) ?? 0) + 1);
    let score = 0;
    for (const term of new Set(query)) {
      const f = tf.get(term);
      if (f === undefined) continue;
      const idf = Math.log(1 + (n - (df.get(term) ?? 0) + 0.5) / ((df.get(term) ?? 0) + 0.5));
      score += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * doc.length) / avg));
    }
    return score;
  });
}

/** The text of the evidence line: "8/9 on similar tasks, 90 % CI 0.62–0.96". */
function evidenceText(successes: number, executions: number, interval: [number, number]): string {
  return `${successes}/${executions} on similar tasks, 90 % CI ${interval[0].toFixed(2)}–${interval[1].toFixed(2)}`;
}

/** P(p_default > p_others) the default workflow needs to be suggested itself. */
const defaultConfidence = 0.7;

function suggestionOf(c: ScoredWorkflow): Suggestion {
  const p = c.pattern;
  return {
    pattern_id: p.id,
    category: p.category,
    status: p.status,
    steps: p.steps,
    verify: p.verify ?? null,
    successes: c.successes,
    executions: c.executions,
    interval: [Math.round(c.interval[0] * 100) / 100, Math.round(c.interval[1] * 100) / 100],
    confidence: Math.round(c.confidence * 100) / 100,
    evidence: evidenceText(c.successes, c.executions, c.interval),
  };
}

/**
 * Scores the workflows of the retrieved candidates and the category's patterns, then those of
 * other categories not within a step of one already listed, each once, against the default
 * workflow (see `scoreVersusDefault`) and suggests the likeliest better ones. Deprecated patterns
 * still take the credit of the runs that resemble them, but are never suggested.
 */
function suggestVersusDefault(
  result: SuggestResult,
  labelled: readonly Neighbour[],
  usable: readonly LearnedPattern[],
  candidates: readonly { p: LearnedPattern }[],
  category: string,
  options: {
    threshold: number;
    priorStrength: number;
    minEvidence: number;
    knownDefaultRuns: number;
    neverAbstain: boolean;
    groupSim: ReadonlyMap<TaskGroup, number>;
    /** The similar executions closest to the task in wording (see `suggest`). */
    closest: readonly Neighbour[];
  },
): SuggestResult {
  const { workflows, standing } = workflowsToWeigh(
    candidates.map((c) => c.p),
    usable,
    category,
    options.groupSim,
  );
  const versus = scoreVersusDefault(labelled, workflows, (i) => standing[i]!, {
    priorStrength: options.priorStrength,
  });
  if (versus === undefined || versus.scored.length === 0) {
    result.reason = 'Not confident: similar tasks ran no workflow but the default';
    return result;
  }
  const mean = (c: ScoredWorkflow): number => c.a / (c.a + c.b);
  const ranked = [...versus.scored].sort(
    (x, y) =>
      mean(y) - mean(x) || y.confidence - x.confidence || (x.pattern.id < y.pattern.id ? -1 : 1),
  );
  // A workflow needs `minEvidence` successes on similar tasks, or one fewer beside a default whose
  // long record there makes its rate known.
  const defaultRuns = versus.scored.find((c) => c.isDefault)?.executions ?? 0;
  const least = (c: ScoredWorkflow): number =>
    !c.isDefault && defaultRuns >= options.knownDefaultRuns
      ? options.minEvidence - 1
      : options.minEvidence;
  const eligible = ranked.filter(
    (c) =>
      c.pattern.status !== 'deprecated' &&
      (options.neverAbstain ? c.executions > 0 : c.successes >= least(c)),
  );
  // The likeliest best workflow, when it is not the default and has too few successes.
  const leader = ranked.find((c) => c.pattern.status !== 'deprecated');
  const thinReason =
    leader !== undefined && !leader.isDefault && leader.successes < least(leader)
      ? `Not confident: the likeliest best pattern (beats the default with probability ${leader.confidence.toFixed(2)}) has ${leader.successes} successes on similar tasks, below ${least(leader)}`
      : undefined;
  // The default run unprompted is suggested only when it clearly beats the other workflows run,
  // and while it is the likeliest best, nothing below it is.
  const top = eligible[0];
  if (!options.neverAbstain && top?.isDefault === true && top.confidence < defaultConfidence) {
    result.reason =
      thinReason ??
      `Not confident: the default workflow is the likeliest best, and beats the others with probability ${top.confidence.toFixed(2)}, below ${defaultConfidence.toFixed(2)}`;
    return result;
  }
  const confident = eligible.filter(
    (c) =>
      options.neverAbstain || c.confidence >= (c.isDefault ? defaultConfidence : options.threshold),
  );
  const first = confident[0];
  if (!options.neverAbstain && first?.isDefault === true) {
    // Similar tasks may mix two kinds of task whose unprompted workflows differ (an OAuth endpoint
    // and a login page): the mix's default is then worth suggesting only when the past tasks
    // closest in wording are close (else this may be a task of another kind than those whose
    // default that is) and ran it most too.
    const closest = scoreVersusDefault(options.closest, workflows, (i) => standing[i]!, {
      priorStrength: options.priorStrength,
    });
    if (options.closest.length === 0) {
      result.reason =
        "Not confident: no past task is close in wording to this one, so the default workflow of similar tasks may be another kind's";
      return result;
    }
    if (closest !== undefined && !sameSteps(closest.defaultSteps, first.pattern.steps)) {
      result.reason =
        'Not confident: the default workflow of similar tasks is not the one the closest tasks ran most';
      return result;
    }
  }
  if (confident.length === 0) {
    const best = [...ranked].sort((x, y) => y.confidence - x.confidence)[0]!;
    result.reason =
      thinReason ??
      `Not confident: the best pattern beats the default with probability ${best.confidence.toFixed(2)}, below ${options.threshold.toFixed(2)}`;
    return result;
  }
  result.abstained = false;
  result.reason = 'Patterns that beat the default workflow on similar tasks';
  result.suggestions = confident.slice(0, 2).map(suggestionOf);
  return result;
}

/**
 * Recommends at most two patterns for a task: candidates from BM25 over pattern documents fused
 * (reciprocal rank) with the k nearest past executions; each scored by a similarity-weighted
 * Beta posterior against the default (the similar executions that did not follow it); the best
 * 20th percentile wins; abstains unless P(p_pattern > p_default) ≥ the threshold.
 */
export function suggest(
  task: string,
  patterns: readonly LearnedPattern[],
  executions: readonly Execution[],
  options: SuggestOptions = {},
): SuggestResult {
  const words = (options.normalise ?? keywords)(task);
  const category = options.category ?? inferCategory(words);
  const credit = options.credit ?? 'nearest';
  const threshold = options.threshold ?? (credit === 'nearest' ? 0.3 : 0.7);
  const priorStrength = options.priorStrength ?? (credit === 'nearest' ? 6 : 4);
  const maxGap = options.maxGap ?? 1;
  const query = new Set(words);
  const context = contextTerms(options.paths);
  const contextQuery = new Set(context);
  const result: SuggestResult = {
    task: { category, keywords: words },
    abstained: true,
    reason: '',
    suggestions: [],
  };
  const usable = patterns.filter((p) => p.status !== 'deprecated');
  if (usable.length === 0) {
    result.reason = 'No patterns learned yet';
    return result;
  }
  const docs = usable.map((p) => [
    ...p.group.label,
    ...p.group.label,
    ...p.keywords,
    p.category,
    ...p.steps.map((s) => s.split(':')[1] ?? s),
    ...p.context,
  ]);
  const lexical = bm25([...words, category, ...context], docs);
  // Similarity of a past execution: its own keyword overlap with the task, or its group's
  // similarity to the task (which carries synonyms the table does not know), whichever is higher.
  const groupSim = new Map<TaskGroup, number>();
  for (const p of usable) {
    if (!groupSim.has(p.group))
      groupSim.set(
        p.group,
        p.group.category === category ? groupSimilarity(words, p.group, context) : 0,
      );
  }
  const groupOf = new Map<Execution, TaskGroup>();
  for (const group of groupSim.keys())
    for (const member of group.members) groupOf.set(member, group);
  const similar = executions
    .map((execution) => {
      let sim = overlap(query, execution.task.keywords);
      // Folders and languages count only when both the task and the execution touched paths.
      const touched = contextQuery.size > 0 ? contextTerms(execution.paths) : [];
      if (touched.length > 0)
        sim = (1 - contextWeight) * sim + contextWeight * overlap(contextQuery, touched);
      const group = groupOf.get(execution);
      if (group !== undefined) sim = Math.max(sim, groupSim.get(group) ?? 0);
      if (execution.task.category === category) sim = sim * 0.9 + 0.1;
      else sim *= 0.5;
      return { execution, sim };
    })
    .filter((entry) => entry.sim > 0.1)
    .sort(
      (a, b) => b.sim - a.sim || (a.execution.execution_id < b.execution.execution_id ? -1 : 1),
    );
  const neighbours = similar.slice(0, options.k ?? 25);
  const lexicalRank = usable.map((_p, i) => i).sort((a, b) => lexical[b]! - lexical[a]! || a - b);
  const neighbourVotes = usable.map(
    (p) => neighbours.filter((n) => p.group.members.includes(n.execution)).length,
  );
  const voteRank = usable
    .map((_p, i) => i)
    .sort((a, b) => neighbourVotes[b]! - neighbourVotes[a]! || a - b);
  const fused = usable.map((_p, i) => {
    let score = 0;
    if (lexical[i]! > 0) score += 1 / (60 + lexicalRank.indexOf(i));
    if (neighbourVotes[i]! > 0) score += 1 / (60 + voteRank.indexOf(i));
    return score;
  });
  const candidates = usable
    .map((p, i) => ({ p, score: fused[i]!, i }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, options.candidates ?? 6);
  if (candidates.length === 0) {
    result.reason = 'No pattern matches tasks like this one';
    return result;
  }
  const topSim = similar[0]?.sim ?? 0;
  const least = Math.max(options.minSimilarity ?? 0.4, (options.poolShare ?? 0) * topSim);
  const pool = similar.filter(
    (entry) =>
      entry.sim >=
      (credit === 'nearest'
        ? closeEnough(similar, least, options.closeRuns ?? 30, options.closeSimilarity ?? 0.55)
        : least),
  );
  if (!pool.some((entry) => labelOf(entry.execution.outcome) !== undefined)) {
    result.reason = 'No similar past executions with a known outcome';
    return result;
  }
  const labelled = pool.filter((entry) => labelOf(entry.execution.outcome) !== undefined);
  const own = labelled.map((entry) => overlap(query, entry.execution.task.keywords));
  const closestOverlap = own.reduce((max, value) => Math.max(max, value), 0);
  const nearest = labelled.flatMap((entry, i) =>
    closestOverlap > 0 && own[i]! >= closestOverlap - 1e-9 ? [{ ...entry, sim: 1 }] : [],
  );
  // Close in wording: they share at least 0.7 of their keywords with the task, or one of them has
  // all its keywords in it.
  const closest =
    closestOverlap >= 0.7 ||
    nearest.some((n) => n.execution.task.keywords.every((w) => query.has(w)))
      ? nearest
      : [];
  if (credit === 'nearest')
    return suggestVersusDefault(result, labelled, patterns, candidates, category, {
      threshold,
      priorStrength,
      minEvidence: options.minEvidence ?? 3,
      knownDefaultRuns: options.knownDefaultRuns ?? 10,
      neverAbstain: options.neverAbstain === true,
      groupSim,
      closest,
    });
  const defaultBy = options.defaultBy ?? 'rest';
  const { workflows, owner, modal } =
    defaultBy === 'rest'
      ? { workflows: [], owner: [], modal: undefined }
      : defaultWorkflow(labelled, patterns);
  const eb =
    options.empiricalPrior === true
      ? fitPrior(patterns.map((p) => ({ s: p.counts.successes, f: p.counts.failures })))
      : undefined;
  const seenSteps: string[][] = [];
  const counted = candidates.flatMap(({ p }) => {
    if (seenSteps.some((steps) => sameSteps(steps, p.steps))) return [];
    seenSteps.push(p.steps);
    if (modal !== undefined && sameSteps(workflows[modal]!, p.steps)) return [];
    let s = 0;
    let f = 0;
    let ds = 0;
    let df = 0;
    let ms = 0;
    let mf = 0;
    let rawS = 0;
    let rawN = 0;
    labelled.forEach(({ execution, sim }, i) => {
      const label = labelOf(execution.outcome)!;
      if (follows(execution, p.steps, maxGap)) {
        if (label) s += sim;
        else f += sim;
        rawN++;
        if (label) rawS++;
      } else {
        if (defaultBy !== 'modal') {
          if (label) ds += sim;
          else df += sim;
        }
        if (defaultBy !== 'rest' && modal !== undefined && owner[i] === modal) {
          if (label) ms += sim;
          else mf += sim;
        }
      }
    });
    // Shrink towards the default: the pattern's prior is centred on the default's rate.
    const defaultRate = (1 + ds) / (2 + ds + df);
    const a = (eb ? eb.a : 1 + priorStrength * defaultRate) + s;
    const b = (eb ? eb.b : 1 + priorStrength * (1 - defaultRate)) + f;
    return [{ p, a, b, ds, df, ms, mf, rawS, rawN, mean: a / (a + b) }];
  });
  if (counted.length === 0) {
    result.reason = 'Not confident: similar tasks ran no workflow but the default';
    return result;
  }
  // Exact posteriors only for the most promising few: the rest cannot win.
  counted.sort((a, b) => b.mean - a.mean || (a.p.id < b.p.id ? -1 : 1));
  const scored = counted.slice(0, 6).map(({ p, a, b, ds, df, ms, mf, rawS, rawN }) => {
    const lower = betaQuantile(0.2, a, b);
    const confidence =
      defaultBy === 'rest'
        ? probGreater(a, b, 1 + ds, 1 + df)
        : defaultBy === 'modal'
          ? probGreater(a, b, 1 + ms, 1 + mf)
          : Math.min(probGreater(a, b, 1 + ds, 1 + df), probGreater(a, b, 1 + ms, 1 + mf));
    const interval: [number, number] = [betaQuantile(0.05, a, b), betaQuantile(0.95, a, b)];
    return { p, lower, confidence, interval, rawS, rawN };
  });
  scored.sort(
    (a, b) => b.lower - a.lower || b.confidence - a.confidence || (a.p.id < b.p.id ? -1 : 1),
  );
  const confident = scored.filter((c) =>
    options.neverAbstain === true
      ? c.rawN > 0
      : c.rawN >= (options.minEvidence ?? 3) && c.confidence >= threshold,
  );
  if (confident.length === 0) {
    const best = scored[0]!;
    result.reason = `Not confident: the best pattern beats the default with probability ${best.confidence.toFixed(2)}, below ${threshold.toFixed(2)}`;
    return result;
  }
  result.abstained = false;
  result.reason = 'Patterns that beat the default workflow on similar tasks';
  const distinct = confident.filter(
    (c, i) => confident.findIndex((o) => o.p.steps.join(' ') === c.p.steps.join(' ')) === i,
  );
  result.suggestions = distinct.slice(0, 2).map((c) => ({
    pattern_id: c.p.id,
    category: c.p.category,
    status: c.p.status,
    steps: c.p.steps,
    verify: c.p.verify ?? null,
    successes: c.rawS,
    executions: c.rawN,
    interval: [Math.round(c.interval[0] * 100) / 100, Math.round(c.interval[1] * 100) / 100],
    confidence: Math.round(c.confidence * 100) / 100,
    evidence: evidenceText(c.rawS, c.rawN, c.interval),
  }));
  return result;
}
