import type { ExtractOptions, LearnedPattern } from '../extract.ts';
import { extractPatterns, groupTasks } from '../extract.ts';
import type { Execution } from '../record.ts';
import { labelOf } from '../record.ts';
import type { SuggestOptions } from '../suggest.ts';
import { suggest } from '../suggest.ts';
import { keywords } from '../text.ts';
import type { BoundOptions } from './bound.ts';
import { validationBound } from './bound.ts';
import type { WorldConfig, WorldExecution } from './world.ts';
import { bestP, rng, trueP } from './world.ts';

/** A recommendation for one task: steps, or `undefined` to run the default workflow. */
type Recommender = (task: {
  text: string;
  category: string;
  /** The task's true family: only the oracle may look at it. */
  family: number;
  /** Folder globs the task touches, when known (empty when not). */
  paths: readonly string[];
}) => string[] | undefined;

/** An arm: builds a recommender from a log and reports the patterns it calls validated. */
export interface Arm {
  name: string;
  build: (
    log: WorldExecution[],
    world: WorldConfig,
  ) => { recommend: Recommender; validated: { steps: string[]; family: number }[] | undefined };
}

/** Raw tokens without stop words, synonyms or stemming (the no-normalisation ablation). */
function rawKeywords(text: string): string[] {
  return [
    ...new Set(
      text
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((t) => t.length > 2),
    ),
  ].sort();
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  const set = new Set(a);
  let inter = 0;
  for (const x of new Set(b)) if (set.has(x)) inter++;
  const union = set.size + new Set(b).size - inter;
  return union === 0 ? 0 : inter / union;
}

function majorityFamily(members: readonly Execution[], familyOf: Map<string, number>): number {
  const counts = new Map<number, number>();
  for (const e of members) {
    const f = familyOf.get(e.execution_id);
    if (f !== undefined) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
}

function withoutPaths(execution: Execution): Execution {
  const copy = { ...execution };
  delete copy.paths;
  return copy;
}

function oursArm(
  name: string,
  extract: Partial<ExtractOptions>,
  options: {
    neverAbstain?: boolean;
    normalise?: (t: string) => string[];
    paths?: boolean;
    suggest?: Pick<SuggestOptions, 'credit' | 'defaultBy' | 'empiricalPrior'>;
  } = {},
): Arm {
  const usePaths = options.paths ?? true;
  return {
    name,
    build: (log) => {
      const normalise = options.normalise ?? keywords;
      const executions = log.map((entry) => {
        const execution = usePaths ? entry.execution : withoutPaths(entry.execution);
        return options.normalise === undefined
          ? execution
          : { ...execution, task: { ...execution.task, keywords: normalise(entry.text) } };
      });
      const familyOf = new Map(log.map((entry) => [entry.execution.execution_id, entry.family]));
      const patterns: LearnedPattern[] = extractPatterns(executions, {
        rule: 'bayes',
        ...extract,
      });
      const validated = patterns
        .filter((p) => p.status === 'validated')
        .map((p) => ({ steps: p.steps, family: majorityFamily(p.group.members, familyOf) }));
      return {
        validated,
        recommend: (task) => {
          const result = suggest(task.text, patterns, executions, {
            category: task.category,
            ...(usePaths && task.paths.length > 0 ? { paths: task.paths } : {}),
            ...(options.neverAbstain === true ? { neverAbstain: true } : {}),
            ...(options.normalise !== undefined ? { normalise: options.normalise } : {}),
            ...options.suggest,
          });
          return result.suggestions[0]?.steps;
        },
      };
    },
  };
}

/** Finds the logged group a task belongs to (as our grouping would). */
function nearestGroup<T extends { category: string; keywords: string[] }>(
  groups: T[],
  task: { category: string; words: string[] },
): T | undefined {
  let best: T | undefined;
  let bestScore = 0;
  for (const group of groups) {
    if (group.category !== task.category) continue;
    const score = jaccard(group.keywords, task.words);
    if (score > bestScore) {
      best = group;
      bestScore = score;
    }
  }
  return best;
}

/**
 * A reference arm, not a method: validates what `validationBound` allows from the log's labels
 * (true crediting, the true prior) and recommends the family's validated workflow, if any.
 */
function boundArm(name: string, options: BoundOptions): Arm {
  return {
    name,
    build: (log, world) => {
      const bound = validationBound(world, log, options);
      const validated = bound.validated.map((i) => {
        const tally = bound.tallies[i]!;
        return {
          steps: world.families[tally.family]!.workflows[tally.workflow]!.steps,
          family: tally.family,
          lfdr: bound.lfdr[i]!,
        };
      });
      return {
        validated: validated.map(({ steps, family }) => ({ steps, family })),
        recommend: (task) =>
          validated.filter((v) => v.family === task.family).sort((a, b) => a.lfdr - b.lfdr)[0]
            ?.steps,
      };
    },
  };
}

/** The arms of the benchmark: baselines, ours and its ablations. */
export function arms(): Arm[] {
  return [
    { name: 'no-memory', build: () => ({ recommend: () => undefined, validated: undefined }) },
    {
      name: 'original-agentops',
      build: (log) => {
        // Ids from the first five words; success is what the agent claims; the last one wins.
        const library = new Map<string, { steps: string[]; claimed: boolean }>();
        for (const entry of log) {
          const id = entry.text.toLowerCase().split(/\s+/).slice(0, 5).join('_');
          library.set(id, { steps: entry.execution.signature, claimed: entry.claimed });
        }
        return {
          validated: undefined,
          recommend: (task) => {
            const hit = library.get(task.text.toLowerCase().split(/\s+/).slice(0, 5).join('_'));
            return hit?.claimed === true ? hit.steps : undefined;
          },
        };
      },
    },
    {
      name: 'seed-rule',
      build: (log) => {
        // Our grouping; exact signatures; validated once >= 3 and > 70 % after any run (latched).
        const executions = log.map((entry) => entry.execution);
        const familyOf = new Map(log.map((entry) => [entry.execution.execution_id, entry.family]));
        const groups = groupTasks(executions).map((g) => {
          const bySig = new Map<
            string,
            { s: number; n: number; latched: boolean; steps: string[] }
          >();
          for (const e of g.members) {
            const label = labelOf(e.outcome);
            if (label === undefined || e.signature.length === 0) continue;
            const key = e.signature.join(' ');
            const row = bySig.get(key) ?? { s: 0, n: 0, latched: false, steps: e.signature };
            row.n++;
            if (label) row.s++;
            if (row.n >= 3 && row.s / row.n > 0.7) row.latched = true;
            bySig.set(key, row);
          }
          return {
            category: g.category,
            keywords: [...g.keywordCounts.keys()],
            members: g.members,
            bySig,
          };
        });
        const validated = groups.flatMap((g) =>
          [...g.bySig.values()]
            .filter((r) => r.latched)
            .map((r) => ({ steps: r.steps, family: majorityFamily(g.members, familyOf) })),
        );
        return {
          validated,
          recommend: (task) => {
            const group = nearestGroup(groups, {
              category: task.category,
              words: keywords(task.text),
            });
            if (group === undefined) return undefined;
            const best = [...group.bySig.values()]
              .filter((r) => r.latched)
              .sort((a, b) => b.s / b.n - a.s / a.n || b.n - a.n)[0];
            return best?.steps;
          },
        };
      },
    },
    {
      name: 'success-only',
      build: (log) => {
        const random = rng(99);
        const executions = log.map((entry) => entry.execution);
        const judged = new Map(
          log.map((entry) => [entry.execution.execution_id, entry.claimed || random() < 0.1]),
        );
        const groups = groupTasks(executions).map((g) => ({
          category: g.category,
          keywords: [...g.keywordCounts.keys()],
          members: g.members,
        }));
        return {
          validated: undefined,
          recommend: (task) => {
            const group = nearestGroup(groups, {
              category: task.category,
              words: keywords(task.text),
            });
            if (group === undefined) return undefined;
            const counts = new Map<string, number>();
            for (const e of group.members)
              if (judged.get(e.execution_id) === true && e.signature.length > 0)
                counts.set(e.signature.join(' '), (counts.get(e.signature.join(' ')) ?? 0) + 1);
            const top = [...counts.entries()].sort(
              (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
            )[0];
            return top?.[0].split(' ');
          },
        };
      },
    },
    {
      name: 'nearest-neighbour',
      build: (log) => ({
        validated: undefined,
        recommend: (task) => {
          const words = keywords(task.text);
          let best: WorldExecution | undefined;
          let bestScore = 0;
          for (const entry of log) {
            if (entry.execution.task.category !== task.category) continue;
            const score = jaccard(entry.execution.task.keywords, words);
            if (score > bestScore) {
              best = entry;
              bestScore = score;
            }
          }
          return best !== undefined && best.claimed && best.execution.signature.length > 0
            ? best.execution.signature
            : undefined;
        },
      }),
    },
    oursArm('ours', {}),
    oursArm('ours-sequential', { sequential: true }),
    // Validation by the rule table alone (recency-weighted counts, beats the rest of the group).
    oursArm('ours-no-fdr', { fdr: 0 }),
    // The recommender that credits every run following a pattern and compares with the rest.
    oursArm('ours-vs-rest', {}, { suggest: { credit: 'follows' } }),
    oursArm('ours-empirical-prior', {}, { suggest: { credit: 'follows', empiricalPrior: true } }),
    oursArm('ours-vs-default-workflow', {}, { suggest: { credit: 'follows', defaultBy: 'both' } }),
    oursArm('ours-no-abstention', {}, { neverAbstain: true }),
    oursArm('ours-no-contrast', { contrast: false }),
    oursArm('ours-no-recency', { halfLifeDays: 1e9 }),
    oursArm('ours-no-normalisation', {}, { normalise: rawKeywords }),
    oursArm('ours-explains-counting', { counting: 'explains' }),
    oursArm('ours-paths-in-grouping', { groupByContext: true }),
    oursArm('ours-no-paths', {}, { paths: false }),
    // The most any honest method could validate at FVR ≤ 0.1 from these labels (reads truth).
    boundArm('validation-bound', {}),
    // The same, also holding each file to P(p > 0.7) ≥ 0.9 from its own counts (the linter's rule).
    boundArm('validation-bound-file-rule', { uniformFloor: true }),
    {
      // The upper bound: the truly best workflow of the task's family, known from the world.
      name: 'oracle',
      build: (_log, world) => ({
        validated: undefined,
        recommend: (task) => {
          const family = world.families[task.family]!;
          const best = bestP(world, task.family);
          return family.workflows.find((_wf, i) => trueP(world, task.family, i, true) === best)!
            .steps;
        },
      }),
    },
  ];
}
