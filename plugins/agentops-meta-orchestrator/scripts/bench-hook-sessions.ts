import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Turn } from './scripted-claude.ts';
import { runClaude, startScriptedApi } from './scripted-claude.ts';

// The parts of `npm run bench:hooks` that run whole sessions in copies of a repository: copying
// and settling those repositories, and with `--claude <rounds>` the real `claude -p` on a
// scripted Messages API, with and without the plugin, side by side.

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Copies a repository with its files' times. `cpSync` keeps a file's time but not a folder's
 * (filling it changes it), and a log folder newer than the prompt index would send every prompt
 * to the engine until the index is rewritten: set the folders' times after the copy.
 */
export function copyRepo(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, preserveTimestamps: true });
  const dirs = fs
    .readdirSync(from, { recursive: true, encoding: 'utf8' })
    .filter((name) => fs.statSync(path.join(from, name)).isDirectory())
    .sort()
    .reverse();
  for (const name of [...dirs, '']) {
    const stat = fs.statSync(path.join(from, name));
    fs.utimesSync(path.join(to, name), stat.atime, stat.mtime);
  }
}

/** Waits for the background workers the session boundaries started, so they do not overlap. */
export function settle(repo: string): void {
  const lock = path.join(repo, '.agentops', 'lock');
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const inbox = path.join(repo, '.agentops', 'spool', '.inbox');
    const waiting = fs.existsSync(inbox) ? fs.readdirSync(inbox).length : 0;
    if (!fs.existsSync(lock) && waiting === 0) return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

/**
 * Real `claude -p` sessions (one prompt, four tool calls) with and without the plugin, each in a
 * fresh copy of its repository, interleaved; prints each kind's median wall time and what the
 * plugin added to the median without it.
 */
export async function realSessions(bench: {
  /** Where the copies, the home folder and the debug log go. */
  base: string;
  pluginRoot: string;
  rounds: number;
  plainTemplate: string;
  learnedTemplate: string;
  /** A prompt unlike past tasks, and one that gets a recommendation. */
  unlike: string;
  like: string;
}): Promise<void> {
  const {
    base,
    pluginRoot,
    rounds: claudeRounds,
    plainTemplate,
    learnedTemplate,
    unlike,
    like,
  } = bench;
  const api = await startScriptedApi();
  const home = path.join(base, 'home');
  fs.mkdirSync(home, { recursive: true });
  const turns: Turn[] = [
    { tool: 'Bash', input: { command: 'ls', description: 'List' } },
    { tool: 'Write', input: { file_path: 'notes.txt', content: 'one\n' } },
    { tool: 'Bash', input: { command: 'cat notes.txt', description: 'Show' } },
    { tool: 'Bash', input: { command: 'true', description: 'Check' } },
    { text: 'Done.' },
  ];
  // The plugin as it was before its per-event hooks ran in the background: every hook blocking.
  const blocking = path.join(base, 'plugin-blocking');
  for (const part of ['.claude-plugin', 'hooks', 'dist'])
    fs.cpSync(path.join(pluginRoot, part), path.join(blocking, part), { recursive: true });
  const json = JSON.parse(fs.readFileSync(path.join(blocking, 'hooks', 'hooks.json'), 'utf8')) as {
    hooks: Record<string, { hooks: { async?: boolean }[] }[]>;
  };
  for (const matchers of Object.values(json.hooks))
    for (const matcher of matchers) for (const spec of matcher.hooks) delete spec.async;
  fs.writeFileSync(path.join(blocking, 'hooks', 'hooks.json'), JSON.stringify(json));
  // The plugin without hooks: what loading its commands and skills costs, apart from the hooks.
  const hookless = path.join(base, 'plugin-hookless');
  fs.cpSync(path.join(pluginRoot, '.claude-plugin'), path.join(hookless, '.claude-plugin'), {
    recursive: true,
  });
  for (const part of ['commands', 'skills'])
    fs.cpSync(path.join(pluginRoot, part), path.join(hookless, part), { recursive: true });
  const kinds: [string, string, boolean, string, string?][] = [
    ['without the plugin', plainTemplate, false, unlike],
    ['with the plugin without its hooks', plainTemplate, true, unlike, hookless],
    ['with the plugin, no patterns learned', plainTemplate, true, unlike],
    [
      'with the plugin, every hook blocking, no patterns learned',
      plainTemplate,
      true,
      unlike,
      blocking,
    ],
    ['with the plugin, patterns learned, prompt unlike past tasks', learnedTemplate, true, unlike],
    [
      'with the plugin, patterns learned, prompt gets a recommendation',
      learnedTemplate,
      true,
      like,
    ],
  ];
  const times = kinds.map((): number[] => []);
  const hookTimes = kinds.map((): number[] => []);
  const debug = path.join(base, 'claude-debug.log');
  try {
    for (let round = 0; round < claudeRounds; round++) {
      for (const [k, [, template, plugin, prompt, pluginDir]] of kinds.entries()) {
        const repo = path.join(base, `claude-${k}-${round}`);
        copyRepo(template, repo);
        const turnsWithPath = turns.map((turn) =>
          'tool' in turn && turn.tool === 'Write'
            ? { ...turn, input: { ...turn.input, file_path: path.join(repo, 'notes.txt') } }
            : turn,
        );
        const env = { api, cwd: repo, home, tmpdir: base, plugin, pluginDir };
        fs.rmSync(debug, { force: true });
        const start = performance.now();
        const result = await runClaude(
          { ...env, pathEnv: process.env.PATH ?? '/usr/bin:/bin' },
          prompt,
          turnsWithPath,
          '--debug-file',
          debug,
        );
        times[k]!.push(performance.now() - start);
        hookTimes[k]!.push(waitedForHooks(fs.readFileSync(debug, 'utf8')));
        if (result.status !== 0) throw new Error(`claude exited with ${String(result.status)}`);
        const injected = api.requests.at(-1)?.includes('agentops-learn: past sessions') === true;
        if (injected !== (plugin && prompt === like))
          throw new Error(`unexpected context in ${kinds[k]![0]}`);
        settle(repo);
        fs.rmSync(repo, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
      }
    }
  } finally {
    await api.close();
  }
  const without = median(times[0]!);
  console.log(
    `Real claude -p sessions (one prompt, four tool calls, scripted API on 127.0.0.1), median of ${claudeRounds} each, interleaved:`,
  );
  // A session's own spread is far larger than the hooks: the difference within each round (the
  // kinds run back to back) is steadier than the difference of the medians.
  kinds.forEach(([name], k) => {
    const ms = median(times[k]!);
    const paired = median(times[k]!.map((t, round) => t - times[0]![round]!));
    const than = (d: number): string =>
      d >= 0 ? `${d.toFixed(0)} ms more` : `${(-d).toFixed(0)} ms less`;
    const added =
      k === 0 ? '' : `, ${than(ms - without)} than without; within a round, median ${than(paired)}`;
    console.log(`${ms.toFixed(0).padStart(8)} ms  ${name}${added}`);
  });
  console.log(
    "What those sessions waited for the plugin's hooks, as Claude Code's debug log times them (a blocking hook to its end, one in the background to its start; SessionEnd, which it does not time, left out), median:",
  );
  kinds.forEach(([name, , plugin], k) => {
    if (plugin) console.log(`${median(hookTimes[k]!).toFixed(0).padStart(8)} ms  ${name}`);
  });
}

/**
 * The milliseconds Claude Code's debug log says its session spent on this plugin's hooks: a
 * blocking hook until it `finished`, one in the background until it was `moved to the background`.
 */
function waitedForHooks(log: string): number {
  const timed =
    /Hooks: \S+ \[.*\] \(plugin agentops-meta-orchestrator@[^)]*\) (?:finished with status -?\d+|moved to the background) \((\d+)ms\)$/gm;
  let ms = 0;
  for (const match of log.matchAll(timed)) ms += Number(match[1]);
  return ms;
}
