// The validation bound: how many patterns any honest method could validate from a log's labels
// while keeping the false validation rate within the level. It reads the world's truth (which
// family and workflow each execution ran, and the true rates of all workflows), so it is a
// reference, never a method.
import { selectByFdr } from '../fdr.ts';
import { labelOf } from '../record.ts';
import { posteriorMean, probAbove } from '../stats.ts';
import type { WorldConfig, WorldExecution } from './world.ts';
import { trueP } from './world.ts';

/** The labelled outcomes of one family's workflow, with the part of the log each fell in. */
export interface TrueTally {
  family: number;
  workflow: number;
  /** Labels (true for success) of the early (before drift) and the late executions. */
  early: { s: number; f: number };
  late: { s: number; f: number };
}

/** What the bound validates on one log. */
export interface BoundResult {
  tallies: TrueTally[];
  /** Local false discovery rate of every tally (posterior probability that it is not good). */
  lfdr: number[];
  /** Indexes into `tallies` of the validated workflows. */
  validated: number[];
}

/** Options of the bound. */
export interface BoundOptions {
  /** Level of the Bayesian false discovery rate (0.1). */
  alpha?: number;
  /** The true rate a good workflow reaches after drift (0.7). */
  threshold?: number;
  /**
   * Also demand what a pattern file under the Bayesian rule must show from its own counts
   * (P(p > 0.7 | Beta(1 + s, 1 + f)) ≥ 0.9, which the linter recomputes), not only the seed floor
   * (false).
   */
  uniformFloor?: boolean;
}

/**
 * Credits every labelled execution of the log to its true family and workflow. An execution is
 * late when it falls at or after the world's drift point of this log (`driftAt` of its length),
 * as `generateLog` draws it.
 */
export function trueTallies(world: WorldConfig, log: readonly WorldExecution[]): TrueTally[] {
  const byKey = new Map<string, TrueTally>();
  log.forEach((entry, i) => {
    const label = labelOf(entry.execution.outcome);
    if (label === undefined) return;
    const key = `${entry.family}/${entry.workflow}`;
    let tally = byKey.get(key);
    if (tally === undefined) {
      tally = {
        family: entry.family,
        workflow: entry.workflow,
        early: { s: 0, f: 0 },
        late: { s: 0, f: 0 },
      };
      byKey.set(key, tally);
    }
    const part = i >= world.driftAt * log.length ? tally.late : tally.early;
    if (label) part.s++;
    else part.f++;
  });
  return [...byKey.values()].sort((a, b) => a.family - b.family || a.workflow - b.workflow);
}

/** The probability of a success label from a true rate, through the world's flipped labels. */
function labelRate(world: WorldConfig, p: number): number {
  return p * (1 - world.noise.flipped) + (1 - p) * world.noise.flipped;
}

/**
 * The posterior probability that a workflow is not good (true rate after drift below the
 * threshold) given its labels, under the true prior: every workflow of the world in the same
 * role (a family's default, or not: the log shows which one an agent runs most), equally likely,
 * with its early and late rates. Unknown labels are drawn independently of the outcome, so
 * leaving them out loses nothing but their count.
 */
export function trueLfdr(world: WorldConfig, tally: TrueTally, threshold = 0.7): number {
  const logs: { log: number; bad: boolean }[] = [];
  const isDefault = world.families[tally.family]!.defaultIndex === tally.workflow;
  world.families.forEach((family, f) =>
    family.workflows.forEach((_wf, w) => {
      if ((family.defaultIndex === w) !== isDefault) return;
      const early = labelRate(world, trueP(world, f, w, false));
      const late = labelRate(world, trueP(world, f, w, true));
      logs.push({
        log:
          tally.early.s * Math.log(early) +
          tally.early.f * Math.log(1 - early) +
          tally.late.s * Math.log(late) +
          tally.late.f * Math.log(1 - late),
        bad: trueP(world, f, w, true) < threshold,
      });
    }),
  );
  const top = Math.max(...logs.map((l) => l.log));
  let all = 0;
  let bad = 0;
  for (const l of logs) {
    const mass = Math.exp(l.log - top);
    all += mass;
    if (l.bad) bad += mass;
  }
  return bad / all;
}

/**
 * The Bayes-optimal validation of a log: true crediting, the true prior, and the largest set
 * with mean local false discovery rate at most alpha among the workflows a pattern file may call
 * validated (at least 3 labelled executions and a posterior mean rate above 0.7, the seed floor;
 * with `uniformFloor`, also the file's own P(p > 0.7) ≥ 0.9).
 */
export function validationBound(
  world: WorldConfig,
  log: readonly WorldExecution[],
  options: BoundOptions = {},
): BoundResult {
  const alpha = options.alpha ?? 0.1;
  const threshold = options.threshold ?? 0.7;
  const tallies = trueTallies(world, log);
  const lfdr = tallies.map((t) => trueLfdr(world, t, threshold));
  const eligible = tallies.flatMap((t, i) => {
    const s = t.early.s + t.late.s;
    const f = t.early.f + t.late.f;
    if (s + f < 3 || posteriorMean(s, f) <= 0.7) return [];
    if (options.uniformFloor === true && probAbove(0.7, s, f) < 0.9) return [];
    return [i];
  });
  const kept = selectByFdr(
    eligible.map((i) => lfdr[i]!),
    alpha,
  );
  const validated = [...kept].map((j) => eligible[j]!).sort((a, b) => a - b);
  return { tallies, lfdr, validated };
}
