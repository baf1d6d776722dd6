import type { Execution, Step } from '../record.ts';
import { signatureOf } from '../finalize.ts';
import { keywords } from '../text.ts';

export { defaultWorld } from './default-world.ts';

/** A small seeded PRNG (sfc32): the same seed gives the same world on every machine. */
export function rng(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ (seed * 31);
  let c = 0xb7e15162 ^ (seed * 131);
  let d = seed | 1;
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** A task family: similar tasks, described with synonyms, and four candidate workflows. */
export interface Family {
  id: string;
  category: string;
  /** Word slots; each description picks one synonym per slot. */
  slots: string[][];
  /** Canonical workflows (signatures) and their true success probabilities. */
  workflows: { steps: string[]; p: number; pAfterDrift?: number }[];
  /** Index of the workflow an agent with no memory runs. */
  defaultIndex: number;
  weight: number;
  /** Folder globs the family's tasks touch (near-duplicate families share some). */
  paths: string[];
}

/** The world's configuration (committed with the benchmark). */
export interface WorldConfig {
  seed: number;
  families: Family[];
  noise: {
    stray: number;
    missing: number;
    retry: number;
    unknown: number;
    flipped: number;
    selfReportOptimism: number;
  };
  /** Share of logged executions that run the default workflow (the rest pick uniformly). */
  defaultShare: number;
  /** Fraction of the log after which drifting families change their rates. */
  driftAt: number;
  /** Share of edits to a folder outside the family's own (shared helpers, tests, config). */
  strayPath: number;
  /** Share of held-out tasks whose touched paths are known when a suggestion is asked for. */
  heldOutPaths: number;
}

/** Folders any task may touch besides its family's own. */
const sharedPaths = ['src/utils/*.ts', 'test/*.ts', 'package.json', 'docs/*.md', 'src/config/*.ts'];

/** An execution the world produced, with the ground truth beside it. */
export interface WorldExecution {
  execution: Execution;
  family: number;
  workflow: number;
  text: string;
  /** What the agent claimed (optimistic) and what an LLM judge would say. */
  claimed: boolean;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Picks a family by weight. */
export function pickFamily(world: WorldConfig, random: () => number): number {
  const total = world.families.reduce((sum, f) => sum + f.weight, 0);
  let x = random() * total;
  for (let i = 0; i < world.families.length; i++) {
    x -= world.families[i]!.weight;
    if (x < 0) return i;
  }
  return world.families.length - 1;
}

/** A task description for a family, with synonyms and filler words. */
export function describe(world: WorldConfig, familyIndex: number, random: () => number): string {
  const fam = world.families[familyIndex]!;
  const fillers = ['in the', 'for the', 'of our', 'across the', 'on the'];
  const words = fam.slots.map((slot) => pick(random, slot));
  const extra = pick(random, [
    '',
    'quickly',
    'properly',
    'for customers',
    'before release',
    'in production',
  ]);
  return `${words[0]!} ${words.slice(1, 2).join(' ')} ${pick(random, fillers)} ${words.slice(2).join(' ')} ${extra}`
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Folders a family's task touches: one or both of its own, and now and then a shared one. Drawn
 * from a separate stream, so adding paths changes no other draw of the world.
 */
export function touchedPaths(
  world: WorldConfig,
  familyIndex: number,
  random: () => number,
): string[] {
  const own = world.families[familyIndex]!.paths;
  const out = new Set<string>();
  if (own.length > 0) out.add(pick(random, own));
  if (own.length > 1 && random() < 0.5) out.add(pick(random, own));
  if (random() < world.strayPath) out.add(pick(random, sharedPaths));
  return [...out].sort();
}

/** The true success probability of a workflow at a position in the log. */
export function trueP(
  world: WorldConfig,
  familyIndex: number,
  workflow: number,
  late: boolean,
): number {
  const wf = world.families[familyIndex]!.workflows[workflow]!;
  return late && wf.pAfterDrift !== undefined ? wf.pAfterDrift : wf.p;
}

function ulidLike(index: number, seed: number, ms: number): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let time = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    time = alphabet[rest % 32]! + time;
    rest = Math.floor(rest / 32);
  }
  let tail = '';
  let x = index * 7919 + seed * 104729 + 1;
  for (let i = 0; i < 16; i++) {
    tail += alphabet[x % 32]!;
    x = Math.floor(x / 32) + (i + 1) * 37 * (seed + 3);
  }
  return time + tail;
}

/** One run of a workflow on a task: the true result, the noisy steps and the recorded label. */
export interface WorkflowRun {
  success: boolean;
  steps: Step[];
  text: string;
  outcome: Execution['outcome'];
  claimed: boolean;
}

/**
 * Runs a family's workflow once: the outcome from its true rate, then step noise, the task's
 * description (drawn here unless given), label noise and the agent's claim, in that order.
 */
export function runWorkflow(
  world: WorldConfig,
  familyIndex: number,
  workflow: number,
  late: boolean,
  random: () => number,
  text?: string,
): WorkflowRun {
  const fam = world.families[familyIndex]!;
  const success = random() < trueP(world, familyIndex, workflow, late);
  const steps: Step[] = [];
  for (const token of fam.workflows[workflow]!.steps) {
    if (random() < world.noise.missing) continue;
    const [kind, name] = token.split(':') as ['agent' | 'phase', string];
    steps.push({ kind, name, status: 'ok', retries: 0 });
    if (random() < world.noise.retry) steps.push({ kind, name, status: 'ok', retries: 0 });
    if (random() < world.noise.stray)
      steps.push({
        kind: 'agent',
        name: pick(random, ['code-explorer', 'reviewer', 'doc-generator']),
        status: 'ok',
        retries: 0,
      });
  }
  const description = text ?? describe(world, familyIndex, random);
  const roll = random();
  let outcome: Execution['outcome'];
  if (roll < world.noise.unknown) outcome = { status: 'unknown', source: 'none' };
  else {
    const flipped = random() < world.noise.flipped;
    const label = flipped ? !success : success;
    outcome = {
      status: label ? 'success' : 'failure',
      source: 'tests',
      signals: [{ kind: 'tests', label: 'npm test', exit_code: label ? 0 : 1 }],
    };
  }
  const claimed = success || random() < world.noise.selfReportOptimism;
  return { success, steps, text: description, outcome, claimed };
}

/** The execution line of a run, as the engine would record it. */
export function executionOf(
  world: WorldConfig,
  familyIndex: number,
  run: WorkflowRun,
  at: { index: number; seed: number; paths: string[] },
  normalise: (text: string) => string[] = keywords,
): Execution {
  const start = Date.parse('2026-01-05T09:00:00.000Z');
  // An active repository: about twelve recorded executions a day.
  const ms = start + Math.round(at.index * (86_400_000 / 12));
  return {
    schema_version: 1,
    kind: 'execution',
    execution_id: ulidLike(at.index, at.seed, ms),
    session_id: `bench-${at.seed}-${at.index}`,
    started_at: new Date(ms).toISOString(),
    ended_at: new Date(ms + 600_000).toISOString(),
    task: { category: world.families[familyIndex]!.category, keywords: normalise(run.text) },
    steps: run.steps,
    signature: signatureOf(run.steps),
    outcome: run.outcome,
    verify: 'npm test',
    paths: at.paths,
  };
}

/**
 * Generates a log of `n` executions: tasks drawn by family weight, workflows by the behaviour
 * policy, outcomes from the true rates, then step noise and label noise.
 */
export function generateLog(
  world: WorldConfig,
  n: number,
  seed: number,
  normalise: (text: string) => string[] = keywords,
): WorldExecution[] {
  const random = rng(seed);
  const pathRandom = rng(seed ^ 0x2545f491);
  const out: WorldExecution[] = [];
  for (let i = 0; i < n; i++) {
    const familyIndex = pickFamily(world, random);
    const fam = world.families[familyIndex]!;
    const workflow =
      random() < world.defaultShare
        ? fam.defaultIndex
        : Math.floor(random() * fam.workflows.length);
    const run = runWorkflow(world, familyIndex, workflow, i >= world.driftAt * n, random);
    const paths = touchedPaths(world, familyIndex, pathRandom);
    const execution = executionOf(world, familyIndex, run, { index: i, seed, paths }, normalise);
    out.push({ execution, family: familyIndex, workflow, text: run.text, claimed: run.claimed });
  }
  return out;
}

/** Held-out tasks: fresh descriptions drawn like the log's. */
export function heldOut(
  world: WorldConfig,
  n: number,
  seed: number,
): { family: number; text: string; paths: string[] }[] {
  const random = rng(seed ^ 0x5bd1e995);
  const pathRandom = rng(seed ^ 0x68e31da4);
  const out: { family: number; text: string; paths: string[] }[] = [];
  for (let i = 0; i < n; i++) {
    const familyIndex = pickFamily(world, random);
    const text = describe(world, familyIndex, random);
    const paths =
      pathRandom() < world.heldOutPaths ? touchedPaths(world, familyIndex, pathRandom) : [];
    out.push({ family: familyIndex, text, paths });
  }
  return out;
}

function lcs(a: readonly string[], b: readonly string[]): number {
  const dp: number[] = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let prev = 0;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = x === b[j - 1] ? prev + 1 : Math.max(dp[j]!, dp[j - 1]!);
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/**
 * The family workflows `steps` resemble most: longest common subsequence over the longer
 * length, all of those tied for the best score.
 */
export function nearestWorkflows(
  world: WorldConfig,
  familyIndex: number,
  steps: readonly string[],
): number[] {
  let best = -1;
  let out: number[] = [];
  world.families[familyIndex]!.workflows.forEach((wf, i) => {
    const score = lcs(steps, wf.steps) / Math.max(steps.length, wf.steps.length);
    if (score > best + 1e-9) {
      best = score;
      out = [i];
    } else if (Math.abs(score - best) <= 1e-9) out.push(i);
  });
  return out;
}

/**
 * The true success probability of following `steps` on a family's task (after drift): that of
 * the family workflow the steps resemble most (see `nearestWorkflows`); ties are averaged.
 * `undefined` steps mean the default workflow.
 */
export function valueOf(
  world: WorldConfig,
  familyIndex: number,
  steps: readonly string[] | undefined,
): number {
  const fam = world.families[familyIndex]!;
  if (steps === undefined) return trueP(world, familyIndex, fam.defaultIndex, true);
  const values = nearestWorkflows(world, familyIndex, steps).map((i) =>
    trueP(world, familyIndex, i, true),
  );
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** The best achievable success probability for a family. */
export function bestP(world: WorldConfig, familyIndex: number): number {
  return Math.max(
    ...world.families[familyIndex]!.workflows.map((_wf, i) => trueP(world, familyIndex, i, true)),
  );
}
