import type { LearnedPattern, TaskGroup } from './extract.ts';
import { creditShares, editDistance, lcsLength } from './match.ts';
import type { Execution } from './record.ts';
import { labelOf } from './record.ts';
import { betaQuantile, probGreater } from './stats.ts';

/** A past execution with a known outcome and its similarity to the task. */
export interface Neighbour {
  execution: Execution;
  sim: number;
}

/** A workflow scored against the default workflow of similar tasks. */
export interface ScoredWorkflow {
  pattern: LearnedPattern;
  /** Whether this is the default workflow, compared with all the others run. */
  isDefault: boolean;
  /** Posterior Beta parameters of the workflow's rate on similar tasks. */
  a: number;
  b: number;
  /** P(p_workflow > p_default). */
  confidence: number;
  interval: [number, number];
  /** Raw successes and executions credited to the workflow among similar tasks (rounded shares). */
  successes: number;
  executions: number;
}

/** Options of the comparison. */
export interface VersusDefaultOptions {
  /** Pseudo-executions of the prior centred on the default's rate (4). */
  priorStrength: number;
}

/**
 * The least similarity a past execution needs to count for a task, given every execution similar
 * to it (most similar first): `least`, raised to that of the `runs`-th most similar one with a
 * known outcome but never above `close`. So every execution at least `close` similar counts, and
 * so do the `runs` most similar ones with a known outcome down to `least`: a task with plenty of
 * evidence from closely similar tasks is judged on those alone (less similar tasks, such as those
 * of a near-duplicate kind with a different best workflow, add more bias than evidence), and a
 * task with little evidence pools more widely.
 */
export function closeEnough(
  similar: readonly Neighbour[],
  least: number,
  runs: number,
  close: number,
): number {
  let seen = 0;
  for (const entry of similar) {
    if (entry.sim < least) break;
    if (labelOf(entry.execution.outcome) !== undefined && ++seen >= runs)
      return Math.max(least, Math.min(close, entry.sim));
  }
  return least;
}

/** Resemblance of a signature to a workflow: their longest common subsequence over the longer. */
function resemblance(signature: readonly string[], steps: readonly string[]): number {
  const longer = Math.max(signature.length, steps.length);
  return longer === 0 ? 0 : lcsLength(signature, steps) / longer;
}

/** Least resemblance for a run to count for a workflow: one missing or stray step in three. */
const minResemblance = 0.6;

/** The workflow a signature resembles most (at least `least`); `undefined` on a tie or none. */
export function nearestWorkflow(
  signature: readonly string[],
  workflows: readonly (readonly string[])[],
  least = minResemblance,
): number | undefined {
  let best: number | undefined;
  let bestScore = least - 1e-9;
  let tied = false;
  workflows.forEach((steps, i) => {
    const score = resemblance(signature, steps);
    if (score > bestScore + 1e-9) {
      best = i;
      bestScore = score;
      tied = false;
    } else if (best !== undefined && Math.abs(score - bestScore) <= 1e-9) tied = true;
  });
  return tied ? undefined : best;
}

interface Tally {
  s: number;
  f: number;
  rawS: number;
  rawN: number;
}

/**
 * Scores every workflow the patterns describe against the default workflow of similar tasks,
 * what the agent does unprompted: each similar execution with a known outcome is shared among the
 * workflows it may be a noisy run of (see `creditShares`: a missing or stray step is tolerated,
 * and a run that two workflows explain equally is split by how often each is run), with its
 * similarity as weight, and the default is the workflow credited with the most weight. Each
 * other workflow gets a Beta posterior whose prior (`priorStrength` pseudo-executions) is centred
 * on the default's rate, so thin evidence stays near the default, and its confidence is
 * P(p_workflow > p_default). The default itself is compared the same way with all the other
 * workflows run together, since abstaining leaves the agent to run any of them. Returns every
 * credited workflow, with `patternOf` choosing the pattern that stands for each; `undefined` when
 * no execution was credited.
 */
export function scoreVersusDefault(
  labelled: readonly Neighbour[],
  workflows: readonly (readonly string[])[],
  patternOf: (index: number) => LearnedPattern,
  options: VersusDefaultOptions,
): { defaultSteps: readonly string[]; scored: ScoredWorkflow[] } | undefined {
  const tallies: Tally[] = workflows.map(() => ({ s: 0, f: 0, rawS: 0, rawN: 0 }));
  const shares = creditShares(
    labelled.map((n) => n.execution.signature),
    labelled.map((n) => n.sim),
    workflows,
  );
  labelled.forEach(({ execution, sim }, j) => {
    const label = labelOf(execution.outcome)!;
    shares[j]!.forEach((share, index) => {
      if (share === 0) return;
      const tally = tallies[index]!;
      if (label) {
        tally.s += sim * share;
        tally.rawS += share;
      } else tally.f += sim * share;
      tally.rawN += share;
    });
  });
  let modal: number | undefined;
  tallies.forEach((tally, index) => {
    const weight = tally.s + tally.f;
    if (weight > 0 && (modal === undefined || weight > tallies[modal]!.s + tallies[modal]!.f))
      modal = index;
  });
  if (modal === undefined) return undefined;
  const score = (index: number, base: { s: number; f: number }): ScoredWorkflow => {
    const tally = tallies[index]!;
    // Shrink towards the default: the prior is centred on the rate it is compared with.
    const baseRate = (1 + base.s) / (2 + base.s + base.f);
    const a = 1 + options.priorStrength * baseRate + tally.s;
    const b = 1 + options.priorStrength * (1 - baseRate) + tally.f;
    return {
      pattern: patternOf(index),
      isDefault: index === modal,
      a,
      b,
      confidence: probGreater(a, b, 1 + base.s, 1 + base.f),
      interval: [betaQuantile(0.05, a, b), betaQuantile(0.95, a, b)],
      successes: Math.round(tally.rawS),
      executions: Math.round(tally.rawN),
    };
  };
  const rest = { s: 0, f: 0 };
  tallies.forEach((tally, index) => {
    if (index === modal) return;
    rest.s += tally.s;
    rest.f += tally.f;
  });
  const scored = tallies.flatMap((tally, index) =>
    tally.rawN < 0.5
      ? []
      : // The default itself is worth suggesting when it beats the other workflows run.
        [score(index, index === modal ? rest : tallies[modal!]!)],
  );
  return { defaultSteps: workflows[modal]!, scored };
}

/**
 * The workflows a task's similar executions are credited to, each once, with the pattern that
 * names it: those of the retrieved `candidates` first, then those of the category's patterns
 * (the closest groups first), so each is named by the pattern of the tasks most like this one,
 * and by a deprecated one only when no other is (when the category has no pattern, every
 * pattern counts as the category's). Then those learned in other categories, in the order of
 * their ids: similar tasks may have run one (a workflow is the same whatever the task) too rarely
 * for it to be mined in their own group, and the evidence decides. One within a step of a
 * workflow already listed would only split that one's runs between two names, so it is left out.
 */
export function workflowsToWeigh(
  candidates: readonly LearnedPattern[],
  patterns: readonly LearnedPattern[],
  category: string,
  groupSim: ReadonlyMap<TaskGroup, number>,
): { workflows: string[][]; standing: LearnedPattern[] } {
  const inCategory = patterns.filter((p) => p.category === category);
  const pool = inCategory.length > 0 ? inCategory : patterns;
  const deprecatedLast = (a: LearnedPattern, b: LearnedPattern): number =>
    Number(a.status === 'deprecated') - Number(b.status === 'deprecated');
  const workflows: string[][] = [];
  const standing: LearnedPattern[] = [];
  const add = (p: LearnedPattern, apart: number): void => {
    if (workflows.some((w) => editDistance(w, p.steps) < apart)) return;
    workflows.push(p.steps);
    standing.push(p);
  };
  for (const p of candidates) add(p, 1);
  const closestFirst = [...pool].sort(
    (a, b) =>
      deprecatedLast(a, b) ||
      (groupSim.get(b.group) ?? 0) - (groupSim.get(a.group) ?? 0) ||
      (a.id < b.id ? -1 : 1),
  );
  for (const p of closestFirst) add(p, 1);
  const others = patterns
    .filter((p) => p.category !== category)
    .sort((a, b) => deprecatedLast(a, b) || (a.id < b.id ? -1 : 1));
  for (const p of others) add(p, 2);
  return { workflows, standing };
}

/** Whether two step lists are the same workflow. */
export function sameSteps(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((step, i) => step === b[i]);
}

/**
 * The default workflow of similar tasks, what the agent does unprompted: every workflow a pattern
 * describes, each labelled execution credited to the one it resembles most (tolerating a missing
 * or stray step; a tie credits none), and the one with the most similarity-weighted runs.
 */
export function defaultWorkflow(
  labelled: readonly { execution: Execution; sim: number }[],
  patterns: readonly LearnedPattern[],
): { workflows: string[][]; owner: (number | undefined)[]; modal: number | undefined } {
  const workflows: string[][] = [];
  for (const pattern of patterns)
    if (!workflows.some((w) => sameSteps(w, pattern.steps))) workflows.push(pattern.steps);
  const owner = labelled.map(({ execution }) => nearestWorkflow(execution.signature, workflows));
  const weightOf = workflows.map(() => 0);
  owner.forEach((index, i) => {
    if (index !== undefined) weightOf[index]! += labelled[i]!.sim;
  });
  let modal: number | undefined;
  weightOf.forEach((weight, index) => {
    if (weight > 0 && (modal === undefined || weight > weightOf[modal]!)) modal = index;
  });
  return { workflows, owner, modal };
}
