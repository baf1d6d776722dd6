import type { Arm } from './arms.ts';
import { arms } from './arms.ts';
import type { WorldConfig, WorldExecution } from './world.ts';
import {
  bestP,
  executionOf,
  generateLog,
  heldOut,
  nearestWorkflows,
  pickFamily,
  describe as describeTask,
  rng,
  runWorkflow,
  touchedPaths,
  trueP,
  valueOf,
} from './world.ts';

/** Scores of one arm on one log (one size, one seed). */
export interface ArmScore {
  arm: string;
  size: number;
  seed: number;
  /** Mean true success probability of what the arm recommended (the default's when it abstained). */
  res: number;
  /** Share of the arm's validated patterns whose true rate is below 0.7. */
  fvr: number | undefined;
  /** How many patterns the arm calls validated. */
  validated: number | undefined;
  /** Share of held-out tasks given the family's best workflow. */
  top1: number;
  /** Share of held-out tasks given a recommendation at all. */
  coverage: number;
  /**
   * Time to validation: the fewest logged executions (replaying this log in order, rebuilt at
   * each twentieth of it) after which the arm validates a truly good pattern; `undefined` when
   * it never does within the log or has no notion of validation.
   */
  ttv: number | undefined;
}

/** Whether a validated pattern is truly good (≥ 0.7 after drift, as FVR judges it). */
function isGood(world: WorldConfig, v: { steps: string[]; family: number }): boolean {
  return valueOf(world, v.family, v.steps) >= 0.7;
}

/** Replays a log in `checkpoints` equal steps; the first prefix with a truly good validation. */
function timeToValidation(
  world: WorldConfig,
  arm: Arm,
  log: WorldExecution[],
  checkpoints: number,
): number | undefined {
  for (let k = 1; k <= checkpoints; k++) {
    const n = Math.round((k * log.length) / checkpoints);
    const validated = arm.build(log.slice(0, n), world).validated;
    if (validated === undefined) return undefined;
    if (validated.some((v) => isGood(world, v))) return n;
  }
  return undefined;
}

/** Scores arms on one log on held-out tasks. */
export function evaluate(
  world: WorldConfig,
  size: number,
  options: { seed: number; heldOut: number; arms?: Arm[]; ttv?: boolean },
): ArmScore[] {
  const log = generateLog(world, size, options.seed);
  return scoreLog(world, log, options);
}

/** Scores arms on a given log (open or closed loop) on held-out tasks. */
export function scoreLog(
  world: WorldConfig,
  log: WorldExecution[],
  options: { seed: number; heldOut: number; arms?: Arm[]; ttv?: boolean },
): ArmScore[] {
  const size = log.length;
  const tasks = heldOut(world, options.heldOut, options.seed + size);
  const out: ArmScore[] = [];
  for (const arm of options.arms ?? arms()) {
    const built = arm.build(log, world);
    let res = 0;
    let top1 = 0;
    let covered = 0;
    for (const task of tasks) {
      const category = world.families[task.family]!.category;
      const steps = built.recommend({
        text: task.text,
        category,
        paths: task.paths,
        family: task.family,
      });
      const value = valueOf(world, task.family, steps);
      res += value;
      if (Math.abs(value - bestP(world, task.family)) < 1e-9) top1++;
      if (steps !== undefined) covered++;
    }
    let fvr: number | undefined;
    if (built.validated !== undefined) {
      const bad = built.validated.filter((v) => !isGood(world, v)).length;
      fvr = built.validated.length === 0 ? 0 : bad / built.validated.length;
    }
    out.push({
      arm: arm.name,
      size,
      seed: options.seed,
      res: res / tasks.length,
      fvr,
      validated: built.validated?.length,
      top1: top1 / tasks.length,
      coverage: covered / tasks.length,
      ttv:
        options.ttv === false || built.validated === undefined
          ? undefined
          : timeToValidation(world, arm, log, 20),
    });
  }
  return out;
}

/** When an arm first validates a pattern, replaying one log in order. */
export interface ValidationTimes {
  arm: string;
  /** Logged executions before the first validated pattern that is truly good (≥ 0.7). */
  firstGood: number | undefined;
  /** Logged executions before the first validated pattern that is truly bad (< 0.7). */
  firstBad: number | undefined;
}

/**
 * Time to validation: replays one log of `total` executions and rebuilds each arm after every
 * `step` executions, as an engine run after each session would; `undefined` when it never
 * happens within the log. Arms without a notion of validation are left out. Good and bad are
 * judged by the true rates at the end of the log, as FVR is.
 */
export function validationTimes(
  world: WorldConfig,
  options: { seed: number; total: number; step: number; arms?: Arm[] },
): ValidationTimes[] {
  const log = generateLog(world, options.total, options.seed);
  const out: ValidationTimes[] = [];
  for (const arm of options.arms ?? arms()) {
    const times: ValidationTimes = { arm: arm.name, firstGood: undefined, firstBad: undefined };
    let validates = true;
    for (let n = options.step; n <= options.total; n += options.step) {
      const validated = arm.build(log.slice(0, n), world).validated;
      if (validated === undefined) {
        validates = false;
        break;
      }
      for (const v of validated) {
        if (isGood(world, v)) times.firstGood ??= n;
        else times.firstBad ??= n;
      }
      if (times.firstGood !== undefined && times.firstBad !== undefined) break;
    }
    if (validates) out.push(times);
  }
  return out;
}

/** A closed-loop run: the log it produced and the success rate in each window of it. */
export interface ClosedLoopRun {
  arm: string;
  seed: number;
  log: WorldExecution[];
  /** Mean true success probability of the workflows run, per window of the log. */
  windows: number[];
  /** Share of executions that followed a recommendation, per window. */
  followed: number[];
}

/**
 * Closed loop: each new task first asks the arm (rebuilt from the log so far every `rebuild`
 * executions, as after each batch of sessions) for a recommendation; with probability `follow`
 * the agent runs the family workflow the recommended steps resemble most, otherwise it behaves
 * as in the open-loop log (the default workflow 40 % of the time, any one uniformly the rest).
 * Outcomes, step noise and label noise are drawn as in the open loop.
 */
export function closedLoop(
  world: WorldConfig,
  arm: Arm,
  options: { seed: number; total: number; follow: number; rebuild: number; windows: number },
): ClosedLoopRun {
  const random = rng(options.seed);
  const taskRandom = rng(options.seed ^ 0x3c6ef372);
  const pathRandom = rng(options.seed ^ 0x2545f491);
  const log: WorldExecution[] = [];
  const truth: number[] = [];
  const followedAt: boolean[] = [];
  let built = arm.build([], world);
  for (let i = 0; i < options.total; i++) {
    if (i > 0 && i % options.rebuild === 0) built = arm.build(log, world);
    const familyIndex = pickFamily(world, taskRandom);
    const fam = world.families[familyIndex]!;
    const text = describeTask(world, familyIndex, taskRandom);
    const paths = touchedPaths(world, familyIndex, pathRandom);
    const late = i >= world.driftAt * options.total;
    const steps = built.recommend({ text, category: fam.category, paths, family: familyIndex });
    let workflow: number;
    const follows = steps !== undefined && random() < options.follow;
    if (follows) {
      const nearest = nearestWorkflows(world, familyIndex, steps);
      workflow = nearest[Math.floor(random() * nearest.length)]!;
    } else
      workflow =
        random() < world.defaultShare
          ? fam.defaultIndex
          : Math.floor(random() * fam.workflows.length);
    truth.push(trueP(world, familyIndex, workflow, late));
    followedAt.push(follows);
    const run = runWorkflow(world, familyIndex, workflow, late, random, text);
    const execution = executionOf(world, familyIndex, run, { index: i, seed: options.seed, paths });
    log.push({ execution, family: familyIndex, workflow, text, claimed: run.claimed });
  }
  const windows: number[] = [];
  const followed: number[] = [];
  for (let k = 0; k < options.windows; k++) {
    const from = Math.round((k * options.total) / options.windows);
    const to = Math.round(((k + 1) * options.total) / options.windows);
    const span = Math.max(1, to - from);
    windows.push(truth.slice(from, to).reduce((s, v) => s + v, 0) / span);
    followed.push(followedAt.slice(from, to).filter(Boolean).length / span);
  }
  return { arm: arm.name, seed: options.seed, log, windows, followed };
}
