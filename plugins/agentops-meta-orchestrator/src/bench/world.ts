import type { Execution, Step } from '../record.ts';
import { signatureOf } from '../finalize.ts';
import { keywords } from '../text.ts';

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

const familyPaths: Readonly<Record<string, string[]>> = {
  oauth: ['src/auth/*.ts', 'src/api/routes/*.ts'],
  'token-bug': ['src/auth/*.ts', 'src/auth/token/*.ts'],
  'db-migration': ['db/migrations/*.sql', 'src/models/*.ts'],
  'api-docs': ['docs/api/*.md', 'src/api/routes/*.ts'],
  'flaky-tests': ['test/integration/*.ts', 'test/*.ts'],
  'refactor-module': ['src/services/*.ts', 'src/services/billing/*.ts'],
  'perf-cache': ['src/cache/*.go', 'src/server/*.go'],
  'ui-form': ['web/components/*.tsx', 'web/styles/*.css'],
  'deploy-pipeline': ['.github/workflows/*.yml', 'deploy/*.yaml'],
  'login-page': ['web/pages/*.tsx', 'src/auth/*.ts'],
  'search-feature': ['src/search/*.py', 'src/search/index/*.py'],
  'null-crash': ['src/importer/*.py', 'src/parser/*.py'],
};

const w = {
  full: [
    'agent:code-explorer',
    'agent:spec-architect',
    'agent:change-executor',
    'agent:test-generator',
    'phase:test',
  ],
  explore: ['agent:code-explorer', 'agent:change-executor', 'phase:test'],
  direct: ['agent:change-executor', 'phase:test'],
  design: ['agent:spec-architect', 'agent:change-executor', 'agent:reviewer'],
  tdd: ['agent:test-generator', 'agent:change-executor', 'phase:test', 'agent:reviewer'],
  docs: ['agent:code-explorer', 'agent:doc-generator', 'agent:reviewer'],
  docsDirect: ['agent:doc-generator'],
  review: ['agent:code-explorer', 'agent:change-executor', 'agent:reviewer', 'phase:test'],
};

function family(
  id: string,
  category: string,
  slots: string[][],
  workflows: [string[], number, number?][],
  defaultIndex: number,
  weight: number,
): Family {
  return {
    id,
    category,
    slots,
    workflows: workflows.map(([steps, p, pAfterDrift]) =>
      pAfterDrift === undefined ? { steps, p } : { steps, p, pAfterDrift },
    ),
    defaultIndex,
    weight,
    paths: familyPaths[id] ?? [],
  };
}

/** The default benchmark world: 12 families with synonyms, drift, near duplicates, imbalance. */
export function defaultWorld(seed = 7): WorldConfig {
  return {
    seed,
    defaultShare: 0.4,
    driftAt: 0.6,
    strayPath: 0.25,
    heldOutPaths: 0.5,
    noise: {
      stray: 0.12,
      missing: 0.08,
      retry: 0.15,
      unknown: 0.2,
      flipped: 0.05,
      selfReportOptimism: 0.6,
    },
    families: [
      family(
        'oauth',
        'api-development',
        [
          ['add', 'implement', 'build'],
          ['oauth', 'login', 'authentication', 'sso'],
          ['endpoint', 'api', 'route'],
        ],
        [
          [w.full, 0.85],
          [w.explore, 0.6],
          [w.direct, 0.45],
          [w.design, 0.3],
        ],
        1,
        3,
      ),
      family(
        'token-bug',
        'bug-fix',
        [
          ['fix', 'repair', 'debug'],
          ['token', 'jwt'],
          ['refresh', 'expiry'],
          ['bug', 'crash', 'regression'],
        ],
        [
          [w.explore, 0.85],
          [w.full, 0.6],
          [w.direct, 0.45],
          [w.tdd, 0.3],
        ],
        2,
        3,
      ),
      family(
        'db-migration',
        'database',
        [
          ['migrate', 'upgrade', 'move'],
          ['database', 'postgres', 'sql', 'orm'],
          ['schema', 'tables', 'columns'],
        ],
        [
          [w.design, 0.85],
          [w.full, 0.6],
          [w.explore, 0.45],
          [w.direct, 0.3],
        ],
        2,
        2,
      ),
      family(
        'api-docs',
        'documentation',
        [
          ['document', 'write', 'update'],
          ['api', 'endpoints', 'routes'],
          ['docs', 'readme', 'documentation'],
        ],
        [
          [w.docs, 0.85],
          [w.docsDirect, 0.6],
          [w.review, 0.45],
          [w.direct, 0.3],
        ],
        1,
        2,
      ),
      family(
        'flaky-tests',
        'testing',
        [
          ['stabilize', 'fix', 'repair'],
          ['flaky', 'intermittent', 'unstable'],
          ['tests', 'specs', 'testing'],
        ],
        [
          [w.tdd, 0.85],
          [w.explore, 0.6],
          [w.direct, 0.45],
          [w.full, 0.3],
        ],
        1,
        2,
      ),
      family(
        'refactor-module',
        'refactoring',
        [
          ['refactor', 'restructure', 'simplify', 'cleanup'],
          ['module', 'service', 'package'],
          ['structure', 'layout'],
        ],
        [
          [w.review, 0.85],
          [w.explore, 0.6],
          [w.full, 0.45],
          [w.direct, 0.3],
        ],
        1,
        2,
      ),
      family(
        'perf-cache',
        'performance',
        [
          ['speed', 'optimize', 'improve'],
          ['cache', 'caching'],
          ['latency', 'performance', 'slow'],
        ],
        [
          [w.full, 0.8],
          [w.explore, 0.6, 0.85],
          [w.direct, 0.45],
          [w.design, 0.3],
        ],
        1,
        1,
      ),
      family(
        'ui-form',
        'frontend',
        [
          ['build', 'create', 'add'],
          ['form', 'dialog'],
          ['component', 'page', 'ui'],
        ],
        [
          [w.explore, 0.85],
          [w.design, 0.6],
          [w.full, 0.45, 0.85],
          [w.direct, 0.3],
        ],
        0,
        1,
      ),
      family(
        'deploy-pipeline',
        'devops',
        [
          ['fix', 'update', 'configure'],
          ['deploy', 'deployment', 'release'],
          ['pipeline', 'ci', 'workflow'],
        ],
        [
          [w.direct, 0.8],
          [w.explore, 0.6],
          [w.design, 0.45],
          [w.full, 0.3],
        ],
        1,
        1,
      ),
      family(
        'login-page',
        'api-development',
        [
          ['add', 'build', 'create'],
          ['login', 'authentication', 'signin'],
          ['page', 'form', 'screen'],
        ],
        [
          [w.design, 0.85],
          [w.full, 0.6],
          [w.explore, 0.45],
          [w.direct, 0.3],
        ],
        1,
        1,
      ),
      family(
        'search-feature',
        'feature-development',
        [
          ['implement', 'add', 'build'],
          ['search', 'filter', 'lookup'],
          ['results', 'listing', 'index'],
        ],
        [
          [w.full, 0.85],
          [w.review, 0.6],
          [w.explore, 0.45],
          [w.direct, 0.3],
        ],
        1,
        1,
      ),
      family(
        'null-crash',
        'bug-fix',
        [
          ['fix', 'repair', 'debug'],
          ['null', 'undefined', 'missing'],
          ['crash', 'error', 'exception'],
          ['parser', 'importer', 'loader'],
        ],
        [
          [w.tdd, 0.85],
          [w.explore, 0.6],
          [w.direct, 0.45],
          [w.design, 0.3],
        ],
        2,
        2,
      ),
    ],
  };
}

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
  const start = Date.parse('2026-01-05T09:00:00.000Z');
  // An active repository: about twelve recorded executions a day.
  const spacing = 86_400_000 / 12;
  for (let i = 0; i < n; i++) {
    const familyIndex = pickFamily(world, random);
    const fam = world.families[familyIndex]!;
    const workflow =
      random() < world.defaultShare
        ? fam.defaultIndex
        : Math.floor(random() * fam.workflows.length);
    const late = i >= world.driftAt * n;
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
    const text = describe(world, familyIndex, random);
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
    const at = start + Math.round(i * spacing);
    const steps2 = steps;
    const execution: Execution = {
      schema_version: 1,
      kind: 'execution',
      execution_id: ulidLike(i, seed, at),
      session_id: `bench-${seed}-${i}`,
      started_at: new Date(at).toISOString(),
      ended_at: new Date(at + 600_000).toISOString(),
      task: { category: fam.category, keywords: normalise(text) },
      steps: steps2,
      signature: signatureOf(steps2),
      outcome,
      verify: 'npm test',
      paths: touchedPaths(world, familyIndex, pathRandom),
    };
    out.push({ execution, family: familyIndex, workflow, text, claimed });
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
 * The true success probability of following `steps` on a family's task (after drift): that of
 * the family workflow the steps resemble most (longest common subsequence over the longer
 * length); ties are averaged. `undefined` steps mean the default workflow.
 */
export function valueOf(
  world: WorldConfig,
  familyIndex: number,
  steps: readonly string[] | undefined,
): number {
  const fam = world.families[familyIndex]!;
  if (steps === undefined) return trueP(world, familyIndex, fam.defaultIndex, true);
  let best = -1;
  let values: number[] = [];
  fam.workflows.forEach((wf, i) => {
    const score = lcs(steps, wf.steps) / Math.max(steps.length, wf.steps.length);
    if (score > best + 1e-9) {
      best = score;
      values = [trueP(world, familyIndex, i, true)];
    } else if (Math.abs(score - best) <= 1e-9) values.push(trueP(world, familyIndex, i, true));
  });
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** The best achievable success probability for a family. */
export function bestP(world: WorldConfig, familyIndex: number): number {
  return Math.max(
    ...world.families[familyIndex]!.workflows.map((_wf, i) => trueP(world, familyIndex, i, true)),
  );
}
