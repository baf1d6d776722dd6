// The learning benchmark: `npm run bench:learn -- --help` lists its options.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Parsed } from '../../../scripts/script-options.ts';
import { readScriptOptions, reportUsageError } from '../../../scripts/script-options.ts';
import { arms } from '../src/bench/arms.ts';
import type { Arm } from '../src/bench/arms.ts';
import type { ArmScore } from '../src/bench/evaluate.ts';
import { closedLoop, evaluate, scoreLog } from '../src/bench/evaluate.ts';
import { defaultWorld, generateLog } from '../src/bench/world.ts';
import { extractPatterns } from '../src/extract.ts';

const command = {
  usage: 'Usage: npm run bench:learn -- [options]',
  summary:
    'Replays a seeded synthetic world and scores each arm (memory strategy) on held-out tasks.',
  options: {
    sizes: {
      type: 'string',
      default: '60,200,400,1000',
      value: '<n,n,…>',
      description: 'log sizes (executions) to learn from',
    },
    seeds: {
      type: 'string',
      default: '3',
      value: '<count|s1,s2,…>',
      description: 'how many seeds (from 11), or a list of seeds',
    },
    arms: {
      type: 'string',
      value: '<a,b,…>',
      description: 'the arms to run, from src/bench/arms.ts',
      shownDefault: 'every arm',
    },
    'held-out': {
      type: 'string',
      default: '300',
      value: '<n>',
      description: 'held-out tasks each arm is scored on',
    },
    json: {
      type: 'boolean',
      default: false,
      description: 'print one JSON row per arm, size and seed instead of the table',
    },
    'json-file': {
      type: 'string',
      value: '<path>',
      description: 'also write those JSON rows to this file',
    },
    follow: {
      type: 'string',
      value: '<p>',
      description: "closed loop: the log follows the arm's recommendations with probability p",
      shownDefault: 'open loop',
    },
    rebuild: {
      type: 'string',
      default: '25',
      value: '<n>',
      description: 'with --follow: executions between two pattern rebuilds',
    },
    windows: {
      type: 'string',
      default: '10',
      value: '<n>',
      description: 'with --follow: parts of the log whose success rate is printed',
    },
    'no-ttv': {
      type: 'boolean',
      default: false,
      description: 'skip the time-to-validation replay',
    },
  },
} as const;

/** A bad command line: reported with the usage line, exit code 2. */
class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

function numbers(text: string, what: string, integer: boolean): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (
    values.length === 0 ||
    values.some((v) => !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < 0)
  )
    fail(
      `Unexpected --${what} \`${text}\`, expected ${integer ? 'whole numbers' : 'numbers'} separated by commas`,
    );
  return values;
}

/** The benchmark's settings, from the command line. */
interface Config {
  sizes: number[];
  seedList: number[];
  heldOutCount: number;
  chosen: Arm[];
  withTtv: boolean;
  json: boolean;
  /** Where to write the open loop's JSON as well as printing the table (one run, both outputs). */
  jsonFile: string | undefined;
  follow: number | undefined;
  rebuild: number;
  windowCount: number;
}

/** The benchmark's settings from parsed options; a bad value throws a {@link UsageError}. */
function parseConfig(values: Parsed<typeof command.options>['values']): Config {
  const sizes = numbers(values.sizes, 'sizes', true).filter((n) => n > 0);
  const seedList = values.seeds.includes(',')
    ? numbers(values.seeds, 'seeds', true)
    : Array.from({ length: numbers(values.seeds, 'seeds', true)[0]! }, (_v, i) => 11 + i);
  const heldOutCount = numbers(values['held-out'], 'held-out', true)[0]!;
  if (heldOutCount < 1) fail('Unexpected --held-out `0`, expected at least 1 task');
  const allArms = arms();
  const chosen =
    values.arms === undefined
      ? allArms
      : values.arms.split(',').map((name) => {
          const arm = allArms.find((a) => a.name === name.trim());
          if (arm === undefined)
            fail(
              `Unexpected arm \`${name}\`, expected one of ${allArms.map((a) => a.name).join(', ')}`,
            );
          return arm;
        });
  if (sizes.length === 0 || seedList.length === 0) fail('Expected at least one size and one seed');
  let follow: number | undefined;
  if (values.follow !== undefined) {
    follow = numbers(values.follow, 'follow', false)[0]!;
    if (follow > 1)
      fail(`Unexpected --follow \`${values.follow}\`, expected a probability from 0 to 1`);
  }
  const jsonFile = values['json-file'];
  if (jsonFile !== undefined) {
    // Fail before the run, not after it: the file is created (emptied) now.
    try {
      writeFileSync(jsonFile, '');
    } catch (error) {
      fail(
        `Unexpected --json-file \`${jsonFile}\`, expected a writable file (${error instanceof Error && 'code' in error ? String(error.code) : 'not writable'})`,
      );
    }
  }
  return {
    sizes,
    seedList,
    heldOutCount,
    chosen,
    withTtv: !values['no-ttv'],
    json: values.json,
    jsonFile,
    follow,
    rebuild: Math.max(1, numbers(values.rebuild, 'rebuild', true)[0]!),
    windowCount: Math.max(1, numbers(values.windows, 'windows', true)[0]!),
  };
}

const world = defaultWorld();

function mean(list: readonly (number | undefined)[]): number | undefined {
  const known = list.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : known.reduce((s, v) => s + v, 0) / known.length;
}

function fmt(value: number | undefined, digits = 2, width = 5): string {
  return (value === undefined ? '-' : value.toFixed(digits)).padStart(width);
}

function runClosedLoop(config: Config, follow: number): void {
  const { sizes, seedList, chosen, heldOutCount, withTtv, rebuild, windowCount } = config;
  const width = Math.max(24, ...chosen.map((arm) => arm.name.length + 1));
  const runs: (ArmScore & { windows: number[]; followed: number[] })[] = [];
  for (const size of sizes)
    for (const seed of seedList)
      for (const arm of chosen) {
        const loop = closedLoop(world, arm, {
          seed,
          total: size,
          follow,
          rebuild,
          windows: windowCount,
        });
        const [score] = scoreLog(world, loop.log, {
          seed,
          heldOut: heldOutCount,
          arms: [arm],
          ttv: withTtv,
        });
        runs.push({ ...score!, windows: loop.windows, followed: loop.followed });
      }
  const json = JSON.stringify({ follow, rebuild, runs });
  if (config.jsonFile !== undefined) writeFileSync(config.jsonFile, `${json}\n`);
  if (config.json) console.log(json);
  else {
    console.log(
      `closed loop: recommendations followed with probability ${follow}, arms rebuilt every ${rebuild} executions; seeds ${seedList.join(', ')}`,
    );
    for (const size of sizes) {
      console.log(
        `\n${size} executions: mean true success probability of the workflows run, per ${windowCount === 10 ? 'tenth' : `1/${windowCount}`} of the log (share following a recommendation in brackets), then RES/FVR/validated on held-out tasks`,
      );
      for (const arm of chosen) {
        const rows = runs.filter((r) => r.size === size && r.arm === arm.name);
        const cells = Array.from(
          { length: windowCount },
          (_v, k) =>
            `${fmt(mean(rows.map((r) => r.windows[k])))} (${fmt(mean(rows.map((r) => r.followed[k])), 2, 4)})`,
        );
        console.log(
          `${arm.name.padEnd(width)} ${cells.join(' ')}  RES ${fmt(mean(rows.map((r) => r.res)))} FVR ${fmt(mean(rows.map((r) => r.fvr)))} validated ${fmt(mean(rows.map((r) => r.validated)), 1)}`,
        );
      }
    }
  }
}

function runOpenLoop(config: Config): void {
  const { sizes, seedList, chosen, heldOutCount, withTtv } = config;
  const runs: ArmScore[] = [];
  for (const size of sizes)
    for (const seed of seedList)
      runs.push(
        ...evaluate(world, size, { seed, heldOut: heldOutCount, arms: chosen, ttv: withTtv }),
      );
  const json = JSON.stringify({
    runs: runs.map((r) => ({
      arm: r.arm,
      size: r.size,
      seed: r.seed,
      res: r.res,
      fvr: r.fvr ?? null,
      validated: r.validated ?? null,
      top1: r.top1,
      ttv: r.ttv ?? null,
    })),
  });
  if (config.jsonFile !== undefined) writeFileSync(config.jsonFile, `${json}\n`);
  if (config.json) {
    console.log(json);
  } else printTable(config, runs);
}

function printTable(config: Config, runs: ArmScore[]): void {
  const { sizes, seedList, chosen, heldOutCount } = config;
  const width = Math.max(24, ...chosen.map((arm) => arm.name.length + 1));
  const best =
    world.families.reduce(
      (sum, f) => sum + f.weight * Math.max(...f.workflows.map((w) => w.pAfterDrift ?? w.p)),
      0,
    ) / world.families.reduce((sum, f) => sum + f.weight, 0);
  console.log(
    `agentops-learn benchmark: ${world.families.length} families, seeds ${seedList.join(', ')}, ${heldOutCount} held-out tasks per run; means over seeds`,
  );
  console.log(`best possible RES (always the best workflow): ${best.toFixed(2)}`);
  for (const size of sizes) {
    console.log(`\n${size} logged executions`);
    console.log(
      `${'arm'.padEnd(width)}   RES  worst Δ vs no-memory    FVR  validated  top-1  coverage  ttv (runs)`,
    );
    const base = new Map(
      runs.filter((r) => r.size === size && r.arm === 'no-memory').map((r) => [r.seed, r.res]),
    );
    for (const arm of chosen) {
      const rows = runs.filter((r) => r.size === size && r.arm === arm.name);
      const deltas = rows.flatMap((r) => {
        const b = base.get(r.seed);
        return b === undefined ? [] : [r.res - b];
      });
      const ttvs = rows.map((r) => r.ttv).filter((v): v is number => v !== undefined);
      console.log(
        `${arm.name.padEnd(width)} ${fmt(mean(rows.map((r) => r.res)))}  ${fmt(deltas.length === 0 ? undefined : Math.min(...deltas), 3, 19)}  ${fmt(mean(rows.map((r) => r.fvr)))}  ${fmt(mean(rows.map((r) => r.validated)), 1, 9)}  ${fmt(mean(rows.map((r) => r.top1)))}  ${fmt(mean(rows.map((r) => r.coverage)), 2, 8)}  ${ttvs.length === 0 ? '-' : `${Math.round(mean(ttvs)!)} (${ttvs.length}/${rows.length})`}`,
      );
    }
    const losses = runs
      .filter((r) => r.size === size && r.arm === 'ours')
      .filter((r) => base.has(r.seed) && r.res < base.get(r.seed)! - 1e-12)
      .map((r) => r.seed);
    if (base.size > 0 && chosen.some((a) => a.name === 'ours'))
      console.log(
        `ours below no-memory on seeds: ${losses.length === 0 ? 'none' : losses.join(', ')}`,
      );
    const validatedBy = (name: string): number | undefined =>
      mean(runs.filter((r) => r.size === size && r.arm === name).map((r) => r.validated));
    const ours = validatedBy('ours');
    const bound = validatedBy('validation-bound');
    if (ours !== undefined && bound !== undefined)
      console.log(
        `validated per run: ours ${ours.toFixed(2)}; the most any method could at FVR ≤ 0.1 from these labels (validation-bound) ${bound.toFixed(2)}`,
      );
  }
  timings();
}

function timings(): void {
  const big = generateLog(world, 10_000, 5).map((entry) => entry.execution);
  const t0 = performance.now();
  const patterns = extractPatterns(big, { rule: 'bayes' });
  const t1 = performance.now();
  console.log(
    `\nextract over 10,000 executions: ${((t1 - t0) / 1000).toFixed(2)} s (${patterns.length} patterns)`,
  );
  console.log("the hook's own cost: node scripts/bench-hook.ts");
}

const options = readScriptOptions(command);
try {
  if (options !== undefined) {
    const config = parseConfig(options.values);
    if (config.follow === undefined) runOpenLoop(config);
    else runClosedLoop(config, config.follow);
  }
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  reportUsageError(command, error.message);
}
