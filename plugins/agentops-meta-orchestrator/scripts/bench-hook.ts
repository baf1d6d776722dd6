import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { readScriptOptions } from '../../../scripts/script-options.ts';
import { copyRepo, median, realSessions, settle } from './bench-hook-sessions.ts';
import { provenTokenRefreshLog } from './proven-log.ts';

// The plugin's hooks as Claude Code runs them (`sh -c` the command of hooks/hooks.json, a fresh
// process per event, the payload on stdin), side by side with `node -e 0` in the same run:
// each per-event hook's median, its share of `node -e 0`, and the wall time the hooks add to
// whole scripted sessions, in a store without patterns and in one with learned patterns. The floor
// is measured alongside: `/bin/true` and `sh -c true` spawned the same way, the least any hook
// (one process, or one shell) can cost, so the hooks' own cost is what they take above it.
// Without the plugin no hook process runs at all, so a session's added wall time is the time its
// hook calls block it: a hook marked `async` in hooks.json runs in the background, and the session
// waits only for Claude Code to start it (measured as the time spawning it takes here), while a
// blocking hook costs its whole wall time. Every hook's own wall and CPU time are still printed.
// With `--claude <rounds>` it also runs the real `claude -p` on a scripted Messages API, with and
// without the plugin, side by side: the honest whole-session number.
const options = readScriptOptions({
  usage: 'Usage: npm run bench:hooks -- [runs] [sessions] [options]',
  summary:
    "Times the plugin's hooks as Claude Code runs them, beside `node -e 0`, and whole sessions.",
  positionals: [
    { name: 'runs', description: 'calls of each per-event hook', shownDefault: '100', min: 1 },
    {
      name: 'sessions',
      description: 'scripted sessions of each kind',
      shownDefault: 'runs / 10, at least 5',
      min: 1,
    },
  ],
  options: {
    claude: {
      type: 'string',
      value: '<rounds>',
      description: 'also run the real `claude -p` on a scripted API, this many rounds',
      shownDefault: '0, not run',
      min: 0,
    },
  },
});
const runs = Number(options?.positionals[0] ?? 100);
const sessions = Number(options?.positionals[1] ?? Math.max(5, Math.floor(runs / 10)));
const claudeRounds = Number(options?.values.claude ?? 0);
const pluginRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(pluginRoot, 'dist', 'agentops-learn.mjs');
const hooks = (
  JSON.parse(fs.readFileSync(path.join(pluginRoot, 'hooks', 'hooks.json'), 'utf8')) as {
    hooks: Record<string, { hooks: { command: string; async?: boolean }[] }[]>;
  }
).hooks;

const ticksPerSecond =
  Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/**
 * CPU milliseconds (user and system) of the finished child processes so far, all their own
 * children included (Linux); steadier than wall time on a shared machine. `undefined` elsewhere.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** Wall and CPU times of calls. */
class Timings {
  wall: number[] = [];
  cpu = 0;
  add(wall: number, cpu: number | undefined): void {
    this.wall.push(wall);
    this.cpu += cpu ?? Number.NaN;
  }
  /** The median wall time and the mean CPU time of a call, in milliseconds. */
  get median(): number {
    return median(this.wall);
  }
  get cpuMean(): number {
    return this.cpu / this.wall.length;
  }
}

function run(command: string, args: string[], input: string, cwd: string): string {
  const result = spawnSync(command, args, {
    input,
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CLAUDE_PLUGIN_ROOT: pluginRoot },
  });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${String(result.status)}`);
  return result.stdout;
}

/** One process run to its end: wall and CPU time, the time spawning it took, what it printed. */
interface Spawned {
  ms: number;
  cpu: number | undefined;
  /** The time `spawn` took to return with the payload handed over: what starting it costs. */
  launched: number;
  stdout: string;
}

/** Spawns a process as Claude Code spawns a hook (the payload on stdin) and waits for its end. */
async function timedSpawn(
  command: string,
  args: string[],
  input: string,
  cwd: string,
): Promise<Spawned> {
  const cpu = childrenCpuMs();
  const start = performance.now();
  const child = spawn(command, args, {
    cwd,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, CLAUDE_PLUGIN_ROOT: pluginRoot },
  });
  // A process that reads no stdin (`/bin/true`) closes the pipe first: as Claude Code, ignore it.
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  const launched = performance.now() - start;
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = performance.now() - start;
  if (status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${String(status)}`);
  const after = childrenCpuMs();
  return {
    ms,
    cpu: cpu === undefined || after === undefined ? undefined : after - cpu,
    launched,
    stdout,
  };
}

/** One hook call, and how long the session waits for it. */
interface HookCall extends Spawned {
  /** The wall time of a blocking hook; for one in the background, the time starting it took. */
  blocked: number;
}

/** Runs one hook as Claude Code does (`sh -c` its command, the payload on stdin) to its end. */
async function hook(event: string, body: object, repo: string): Promise<HookCall> {
  const spec = hooks[event]?.[0]?.hooks[0];
  if (spec === undefined) throw new Error(`hooks.json has no ${event} hook`);
  const input = JSON.stringify({ hook_event_name: event, cwd: repo, ...body });
  const call = await timedSpawn('/bin/sh', ['-c', spec.command], input, repo);
  return { ...call, blocked: spec.async === true ? call.launched : call.ms };
}

/** Whether hooks.json runs an event's hook in the background. */
const inBackground = (event: string): boolean => hooks[event]?.[0]?.hooks[0]?.async === true;

// Made only when the benchmark runs (not for `--help` or a bad command line).
const base =
  options === undefined
    ? ''
    : fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-hook-bench-')));

/** A repository whose store holds a proven workflow for token-refresh fixes, or nothing. */
function makeRepo(name: string, learned: boolean): string {
  const repo = path.join(base, name);
  fs.mkdirSync(repo);
  run('git', ['init', '-q'], '', repo);
  fs.mkdirSync(path.join(repo, '.agentops'));
  // Learning is measured by bench:learn; here only what the hooks cost the session counts.
  fs.writeFileSync(path.join(repo, '.agentops', 'config.json'), '{"autoLearn":false}');
  if (!learned) return repo;
  const past = provenTokenRefreshLog(['src/auth/*.ts']);
  run(process.execPath, [bundle, 'record'], past, repo);
  run(process.execPath, [bundle, 'extract'], '', repo);
  return repo;
}

const unlike = 'rename the helpers in the report module';
const like = 'fix a token refresh race in the auth code';

/**
 * A five-turn session: its start, five prompts each followed by an edit and a test run, its end.
 * Returns the wall and CPU time its hook calls took, and how long the session waited for them.
 */
async function session(
  repo: string,
  id: string,
  prompts: string[],
): Promise<{ ms: number; cpu: number; blocked: number }> {
  const ids = { session_id: id };
  const calls = [await hook('SessionStart', { ...ids, source: 'startup' }, repo)];
  for (const prompt of prompts) {
    const answer = await hook('UserPromptSubmit', { ...ids, prompt }, repo);
    calls.push(answer);
    if (prompt === like && !answer.stdout.includes('additionalContext'))
      throw new Error('the prompt like past tasks got no recommendation');
    if (prompt !== like && answer.stdout !== '')
      throw new Error(`unexpected output for ${JSON.stringify(prompt)}`);
    calls.push(
      await hook(
        'PostToolUse',
        {
          ...ids,
          tool_name: 'Edit',
          tool_input: { file_path: path.join(repo, 'src', 'report', 'names.ts') },
          tool_response: {},
        },
        repo,
      ),
      await hook(
        'PostToolUse',
        { ...ids, tool_name: 'Bash', tool_input: { command: 'npm test' }, tool_response: {} },
        repo,
      ),
    );
  }
  calls.push(await hook('SessionEnd', { ...ids, reason: 'other' }, repo));
  return {
    ms: calls.reduce((sum, c) => sum + c.ms, 0),
    cpu: calls.reduce((sum, c) => sum + (c.cpu ?? Number.NaN), 0),
    blocked: calls.reduce((sum, c) => sum + c.blocked, 0),
  };
}

if (options !== undefined) {
  try {
    const plain = makeRepo('plain', false);
    const learned = makeRepo('learned', true);
    const plainTemplate = makeRepo('plain-template', false);
    const learnedTemplate = makeRepo('learned-template', true);
    const record = new Timings();
    const promptSkip = new Timings();
    const promptEngine = new Timings();
    const bare = new Timings();
    const launches = new Timings();
    const floorTrue = new Timings();
    const floorShell = new Timings();
    const edit = { tool_name: 'Edit', tool_input: { file_path: path.join(plain, 'src', 'a.ts') } };
    const editPayload = JSON.stringify({ hook_event_name: 'PostToolUse', cwd: plain, ...edit });
    // Interleaved, so load on the machine weighs on all of them alike.
    for (let i = 0; i < runs; i++) {
      const recorded = await hook('PostToolUse', { session_id: 'bench-hook', ...edit }, plain);
      record.add(recorded.ms, recorded.cpu);
      launches.add(recorded.launched, Number.NaN);
      const skip = await hook(
        'UserPromptSubmit',
        { session_id: `gate-${i}`, prompt: unlike },
        learned,
      );
      if (skip.stdout !== '') throw new Error('the prompt unlike past tasks got output');
      promptSkip.add(skip.ms, skip.cpu);
      const asked = await hook(
        'UserPromptSubmit',
        { session_id: `gate-${i}`, prompt: like },
        learned,
      );
      promptEngine.add(asked.ms, asked.cpu);
      const node = await timedSpawn(process.execPath, ['-e', '0'], '', plain);
      bare.add(node.ms, node.cpu);
      const lone = await timedSpawn('/bin/true', [], editPayload, plain);
      floorTrue.add(lone.ms, lone.cpu);
      const shell = await timedSpawn('/bin/sh', ['-c', 'true'], editPayload, plain);
      floorShell.add(shell.ms, shell.cpu);
    }
    const scenarios: [string, string, string[]][] = [
      ['no patterns learned', plainTemplate, Array.from({ length: 5 }, () => unlike)],
      [
        'patterns learned, no prompt like a past task',
        learnedTemplate,
        Array.from({ length: 5 }, () => unlike),
      ],
      [
        'patterns learned, one prompt gets a recommendation',
        learnedTemplate,
        [like, ...Array.from({ length: 4 }, () => unlike)],
      ],
    ];
    const totals = scenarios.map(() => new Timings());
    const waited = scenarios.map(() => new Timings());
    const nodeInSessions = new Timings();
    // Each session runs in a fresh copy of its store, so what earlier sessions taught it does not
    // change what later ones measure.
    for (let i = 0; i < sessions; i++) {
      for (const [s, [, template, prompts]] of scenarios.entries()) {
        const repo = path.join(base, `session-${s}-${i}`);
        copyRepo(template, repo);
        const took = await session(repo, `bench-session-${s}-${i}`, prompts);
        totals[s]!.add(took.ms, took.cpu);
        waited[s]!.add(took.blocked, Number.NaN);
        settle(repo);
        fs.rmSync(repo, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      }
      const node = await timedSpawn(process.execPath, ['-e', '0'], '', plain);
      nodeInSessions.add(node.ms, node.cpu);
    }
    const share = (t: Timings): string =>
      `${((100 * t.median) / bare.median).toFixed(0)} % of node -e 0 in wall time, ${((100 * t.cpuMean) / bare.cpuMean).toFixed(0)} % in CPU time; ${(t.median - floorTrue.median).toFixed(1)} ms above /bin/true`;
    const line = (t: Timings, what: string): void =>
      console.log(
        `${t.median.toFixed(1).padStart(8)} ms wall ${t.cpuMean.toFixed(1).padStart(7)} ms CPU  ${what}`,
      );
    console.log(
      `Per-event hooks as Claude Code runs them (sh -c the hooks.json command), ${runs} calls each: median wall time, mean CPU time (user and system, every process of the call)`,
    );
    const where = (event: string): string =>
      inBackground(event)
        ? 'in the background: the session does not wait for it'
        : 'blocking: the session waits for it';
    line(record, `PostToolUse: hooks/record.sh, ${where('PostToolUse')} (${share(record)})`);
    console.log(
      `${launches.median.toFixed(1).padStart(8)} ms wall             starting it: what spawning a hook costs the process that spawns it, the session's share of a hook in the background`,
    );
    line(
      promptSkip,
      `UserPromptSubmit, patterns learned, prompt unlike past tasks: hooks/prompt.sh without Node (${share(promptSkip)})`,
    );
    line(
      promptEngine,
      `UserPromptSubmit, patterns learned, prompt like past tasks: hooks/prompt.sh and the engine (${share(promptEngine)})`,
    );
    line(bare, `node -e 0 (${process.version}), in the same run`);
    line(floorTrue, 'the floor: /bin/true spawned the same way (any process costs this)');
    line(
      floorShell,
      'the floor: /bin/sh -c true spawned the same way (any shell script costs this)',
    );
    const events = ['SessionStart', 'UserPromptSubmit', 'PostToolUse', 'SessionEnd'];
    const background = events.filter(inBackground);
    console.log(
      `Whole sessions, ${sessions} each (start, 5 prompts, 10 tool events, end: 17 hook calls; no hook runs without the plugin; the boundaries' background work not counted). What the session waits for: the blocking hooks' wall time${background.length > 0 ? ` and the start of those in the background (${background.join(', ')})` : ''}:`,
    );
    scenarios.forEach(([name], s) =>
      console.log(`${waited[s]!.median.toFixed(1).padStart(8)} ms wall             ${name}`),
    );
    console.log(
      "The same sessions' 17 hook calls run to their end (each one's own time, waited for or not):",
    );
    scenarios.forEach(([name], s) => line(totals[s]!, name));
    line(nodeInSessions, 'node -e 0, between those sessions');
    console.log(
      `${(17 * floorShell.median).toFixed(1).padStart(8)} ms wall ${(17 * floorShell.cpuMean).toFixed(1).padStart(7)} ms CPU  the floor: 17 times /bin/sh -c true (the least 17 hook calls can add)`,
    );
    console.log(
      'Targets: per-event hook <= 5 ms median on an idle machine and < 50 % of node -e 0; a session <= 150 ms (what it waits for).',
    );
    console.log(
      `Load average while measuring: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    if (claudeRounds > 0)
      await realSessions({
        base,
        pluginRoot,
        rounds: claudeRounds,
        plainTemplate,
        learnedTemplate,
        unlike,
        like,
      });
  } finally {
    fs.rmSync(base, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
