import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { evaluate, validationTimes } from '../src/bench/arms.ts';
import { defaultWorld, generateLog } from '../src/bench/world.ts';
import { extractPatterns } from '../src/extract.ts';
import { eventFromPayload } from '../src/hook.ts';
import { writeSpoolEvent } from '../src/spool.ts';
import { storeLayout } from '../src/store.ts';

const sizes = [60, 150, 400, 1000];
const seeds = [11, 12, 13];
const world = defaultWorld();
const best =
  world.families.reduce(
    (sum, f) => sum + f.weight * Math.max(...f.workflows.map((w) => w.pAfterDrift ?? w.p)),
    0,
  ) / world.families.reduce((sum, f) => sum + f.weight, 0);

function fmt(value: number | undefined): string {
  return value === undefined ? '   -' : value.toFixed(2);
}

console.log(
  `agentops-learn benchmark: ${world.families.length} families, seeds ${seeds.join(', ')}, 300 held-out tasks per run`,
);
console.log(`best possible RES (always the best workflow): ${best.toFixed(2)}`);
for (const size of sizes) {
  const runs = seeds.map((seed) => evaluate(world, size, { seed, heldOut: 300 }));
  console.log(`\n${size} logged executions`);
  console.log(`${'arm'.padEnd(30)}  RES   FVR  validated  top-1  coverage`);
  for (let i = 0; i < runs[0]!.length; i++) {
    const rows = runs.map((run) => run[i]!);
    const mean = (pick: (r: (typeof rows)[number]) => number | undefined): number | undefined => {
      const values = rows.map(pick).filter((v): v is number => v !== undefined);
      return values.length === 0 ? undefined : values.reduce((s, v) => s + v, 0) / values.length;
    };
    const validated = mean((r) => r.validated);
    console.log(
      `${rows[0]!.arm.padEnd(30)} ${fmt(mean((r) => r.res))}  ${fmt(mean((r) => r.fvr))}  ${(validated === undefined ? '-' : validated.toFixed(1)).padStart(9)}  ${fmt(mean((r) => r.top1))}  ${fmt(mean((r) => r.coverage))}`,
    );
  }
}

console.log(
  `\ntime to validation: one log of 1,000 replayed in order, the library rebuilt every 25 executions`,
);
console.log(
  `${'arm'.padEnd(30)}  first good validation (per seed)   first false validation (per seed)`,
);
const times = seeds.map((seed) => validationTimes(world, { seed, total: 1000, step: 25 }));
for (let i = 0; i < times[0]!.length; i++) {
  const rows = times.map((run) => run[i]!);
  const cell = (values: (number | undefined)[]): string =>
    values.map((v) => (v === undefined ? '-' : String(v))).join(' / ');
  console.log(
    `${rows[0]!.arm.padEnd(30)}  ${cell(rows.map((r) => r.firstGood)).padEnd(33)}  ${cell(rows.map((r) => r.firstBad))}`,
  );
}

const big = generateLog(world, 10_000, 5).map((entry) => entry.execution);
const t0 = performance.now();
const patterns = extractPatterns(big, { rule: 'bayes' });
const t1 = performance.now();
console.log(
  `\nextract over 10,000 executions: ${((t1 - t0) / 1000).toFixed(2)} s (${patterns.length} patterns)`,
);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-bench-'));
try {
  fs.mkdirSync(path.join(dir, '.git'));
  const layout = storeLayout(undefined, dir);
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    const event = eventFromPayload(
      'PostToolUse',
      {
        session_id: 'bench',
        tool_name: 'Edit',
        tool_input: { file_path: path.join(dir, 'src', `f${i}.ts`) },
      },
      dir,
    );
    writeSpoolEvent(layout, event);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`hook work per event (in process, median of 200): ${times[100]!.toFixed(2)} ms`);
  const bundle = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    'dist',
    'agentops-learn.mjs',
  );
  const input = JSON.stringify({
    session_id: 'bench-proc',
    cwd: dir,
    tool_name: 'Edit',
    tool_input: { file_path: path.join(dir, 'a.ts') },
  });
  const whole: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 15; i++) {
    let start = performance.now();
    spawnSync(process.execPath, [bundle, 'hook', 'PostToolUse'], { input, cwd: dir });
    whole.push(performance.now() - start);
    start = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - start);
  }
  whole.sort((a, b) => a - b);
  bare.sort((a, b) => a - b);
  console.log(
    `hook as a process (median of 15): ${whole[7]!.toFixed(0)} ms, of which Node.js start-up alone (node -e 0) ${bare[7]!.toFixed(0)} ms on this machine`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
