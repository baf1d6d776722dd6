import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { arms } from '../src/bench/arms.ts';
import type { ArmScore } from '../src/bench/evaluate.ts';
import { closedLoop, evaluate } from '../src/bench/evaluate.ts';
import { defaultWorld } from '../src/bench/world.ts';
import fs from 'node:fs';
import { pluginRoot, tempDir } from './helpers.ts';

const world = defaultWorld();
const seeds = [11, 12, 13, 14];

function pick(names: string[]) {
  return arms().filter((arm) => names.includes(arm.name));
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

describe('benchmark gate (fixed seeds, small sizes)', () => {
  test('ours beats the seed rule at 400, validates nothing false and never loses to no memory on any seed', () => {
    const chosen = pick(['no-memory', 'seed-rule', 'ours']);
    const runs: ArmScore[] = [];
    for (const size of [60, 200, 400])
      for (const seed of seeds)
        runs.push(...evaluate(world, size, { seed, heldOut: 200, arms: chosen, ttv: false }));
    const res = (size: number, arm: string): number[] =>
      runs.filter((r) => r.size === size && r.arm === arm).map((r) => r.res);
    for (const size of [60, 200, 400]) {
      const ours = res(size, 'ours');
      const none = res(size, 'no-memory');
      expect(mean(ours)).toBeGreaterThanOrEqual(mean(none));
      // Per seed, never below no memory (measured: equal at 60, +0.053 at worst at 200).
      ours.forEach((value, i) => expect(value).toBeGreaterThanOrEqual(none[i]!));
    }
    // Measured: +0.090 over no memory at 200; +0.133 over no memory and +0.070 over the seed
    // rule at 400 (0.705 against 0.572 and 0.635).
    expect(mean(res(200, 'ours'))).toBeGreaterThanOrEqual(mean(res(200, 'no-memory')) + 0.03);
    expect(mean(res(400, 'ours'))).toBeGreaterThanOrEqual(mean(res(400, 'no-memory')) + 0.1);
    expect(mean(res(400, 'ours'))).toBeGreaterThanOrEqual(mean(res(400, 'seed-rule')) + 0.05);
    const ours = runs.filter((r) => r.arm === 'ours');
    expect(ours.every((r) => r.fvr === 0)).toBe(true);
    // The seed rule, checked after every run, validates false patterns half the time.
    const seedRule = runs.filter((r) => r.arm === 'seed-rule' && r.size === 400);
    expect(mean(seedRule.map((r) => r.fvr!))).toBeGreaterThan(0.4);
  });

  test('at 1,000 ours validates patterns, and few of those it validates are false (20 seeds)', () => {
    // Pooled over the seeds, so the false share is measured on real validations, never on none.
    // Measured on seeds 11–30: 25 validated, 1 of them false.
    let validated = 0;
    let falseOnes = 0;
    for (let seed = 11; seed <= 30; seed++) {
      const score = evaluate(world, 1000, {
        seed,
        heldOut: 20,
        arms: pick(['ours']),
        ttv: false,
      })[0]!;
      validated += score.validated ?? 0;
      falseOnes += Math.round((score.fvr ?? 0) * (score.validated ?? 0));
    }
    expect(validated).toBeGreaterThanOrEqual(20);
    expect(falseOnes / validated).toBeLessThanOrEqual(0.1);
  });
});

describe('validation bound', () => {
  test('from the labels of 400 executions no method validates 3 patterns at FVR ≤ 0.1; at 1,000 it can', () => {
    const [bound] = pick(['validation-bound']);
    const at = (size: number) =>
      seeds.map(
        (seed) => evaluate(world, size, { seed, heldOut: 20, arms: [bound!], ttv: false })[0]!,
      );
    // Measured on seeds 11–14: 0.5 validated per run at 400 (20 seeds: 1.6), 7.25 at 1,000.
    const small = at(400);
    expect(mean(small.map((r) => r.validated!))).toBeLessThan(1);
    const large = at(1000);
    expect(mean(large.map((r) => r.validated!))).toBeGreaterThan(6);
    expect(mean([...small, ...large].map((r) => r.fvr!))).toBeLessThanOrEqual(0.1);
  });
});

describe('closed loop', () => {
  test('following recommendations raises the success rate over the log; without memory it stays flat', () => {
    const options = { total: 600, follow: 0.7, rebuild: 50, windows: 3 };
    const [ours] = pick(['ours']);
    const [none] = pick(['no-memory']);
    const loops = [11, 12, 13].map((seed) => closedLoop(world, ours!, { ...options, seed }));
    const first = mean(loops.map((l) => l.windows[0]!));
    const last = mean(loops.map((l) => l.windows[2]!));
    expect(last).toBeGreaterThan(first + 0.025);
    expect(mean(loops.map((l) => l.followed[2]!))).toBeGreaterThan(
      mean(loops.map((l) => l.followed[0]!)),
    );
    const flat = closedLoop(world, none!, { ...options, seed: 11 });
    expect(flat.followed).toEqual([0, 0, 0]);
    expect(flat.log).toHaveLength(600);
  });
});

describe('bench-learn command line', () => {
  const script = path.join(pluginRoot, 'scripts', 'bench-learn.ts');
  const run = (args: string[]) =>
    spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', cwd: pluginRoot });

  test('--json prints one row per arm, size and seed with the documented fields', () => {
    const result = run([
      '--sizes',
      '60',
      '--seeds',
      '2',
      '--arms',
      'no-memory,ours,oracle',
      '--held-out',
      '20',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const { runs } = JSON.parse(result.stdout) as { runs: Record<string, unknown>[] };
    expect(runs.map((r) => `${String(r.arm)} ${String(r.size)} ${String(r.seed)}`)).toEqual([
      'no-memory 60 11',
      'ours 60 11',
      'oracle 60 11',
      'no-memory 60 12',
      'ours 60 12',
      'oracle 60 12',
    ]);
    for (const row of runs)
      expect(Object.keys(row)).toEqual([
        'arm',
        'size',
        'seed',
        'res',
        'fvr',
        'validated',
        'top1',
        'ttv',
      ]);
    expect(runs[0]).toMatchObject({ fvr: null, validated: null, ttv: null });
    expect(runs.every((r) => typeof r.res === 'number' && typeof r.top1 === 'number')).toBe(true);
    expect(runs.filter((r) => r.arm === 'oracle').map((r) => r.top1)).toEqual([1, 1]);
  });

  test('--json-file writes the JSON --json prints while the table goes to the output', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'runs.json');
      const args = [
        '--sizes',
        '60',
        '--seeds',
        '1',
        '--arms',
        'no-memory,ours',
        '--held-out',
        '20',
      ];
      const json = run([...args, '--no-ttv', '--json']);
      const table = run([...args, '--no-ttv', '--json-file', file]);
      expect(table.status).toBe(0);
      expect(table.stdout.split('\n')[0]).toBe(
        'agentops-learn benchmark: 12 families, seeds 11, 20 held-out tasks per run; means over seeds',
      );
      expect(fs.readFileSync(file, 'utf8')).toBe(json.stdout);
      const bad = run([...args, '--json-file', path.join(dir, 'missing', 'runs.json')]);
      expect(bad.status).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr.split('\n')[0]).toBe(
        `Unexpected --json-file \`${path.join(dir, 'missing', 'runs.json')}\`, expected a writable file (ENOENT)`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unknown arm or an impossible probability is a usage error', () => {
    const unknown = run(['--arms', 'ours,nope', '--json']);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr.split('\n')[0]).toBe(
      `Unexpected arm \`nope\`, expected one of ${arms()
        .map((a) => a.name)
        .join(', ')}`,
    );
    const follow = run(['--follow', '1.5']);
    expect(follow.status).toBe(2);
    expect(follow.stderr.split('\n')[0]).toBe(
      'Unexpected --follow `1.5`, expected a probability from 0 to 1',
    );
  });
});
