import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

// Wall time of one per-event hook as Claude Code runs it (a fresh process per event, the payload
// on stdin), side by side with `node -e 0` measured in the same run, and the engine's own Node
// hook entry for comparison. Usage: node scripts/bench-hook.ts [runs]
const runs = Number(process.argv[2] ?? 100) || 100;
const pluginRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const record = path.join(pluginRoot, 'hooks', 'record.sh');
const bundle = path.join(pluginRoot, 'dist', 'agentops-learn.mjs');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timed(command: string, args: string[], input: string, cwd: string): number {
  const start = performance.now();
  const result = spawnSync(command, args, { input, cwd });
  const ms = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${String(result.status)}`);
  return ms;
}

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-hook-bench-')));
try {
  fs.mkdirSync(path.join(dir, '.git'));
  // Learning is measured by bench:learn; here only the hooks' own cost counts.
  fs.mkdirSync(path.join(dir, '.agentops'));
  fs.writeFileSync(path.join(dir, '.agentops', 'config.json'), '{"autoLearn":false}');
  const input = JSON.stringify({
    session_id: 'bench-hook',
    hook_event_name: 'PostToolUse',
    cwd: dir,
    tool_name: 'Edit',
    tool_input: { file_path: path.join(dir, 'src', 'auth', 'token.ts') },
    tool_response: { success: true },
  });
  const shell: number[] = [];
  const bare: number[] = [];
  const engine: number[] = [];
  // Interleaved, so load on the machine weighs on all three alike.
  for (let i = 0; i < runs; i++) {
    shell.push(timed('sh', [record, 'PostToolUse'], input, dir));
    bare.push(timed(process.execPath, ['-e', '0'], '', dir));
    engine.push(timed(process.execPath, [bundle, 'hook', 'PostToolUse'], input, dir));
  }
  const recorded = fs.readdirSync(path.join(dir, '.agentops', 'spool', '.inbox')).length;
  // A whole five-turn session as the hooks see it: its start, five prompts each followed by two
  // tool events, and its end; the boundaries start the engine in the background and return.
  const sessionTimes: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(runs / 10)); i++) {
    const id = { session_id: `bench-session-${i}`, cwd: dir };
    const events: [string, string, object][] = [
      ['session.sh', 'SessionStart', { source: 'startup' }],
    ];
    for (let turn = 0; turn < 5; turn++) {
      events.push(['prompt.sh', 'UserPromptSubmit', { prompt: `fix the parser bug ${turn}` }]);
      events.push(['record.sh', 'PostToolUse', { tool_name: 'Edit', tool_input: {} }]);
      events.push([
        'record.sh',
        'PostToolUse',
        { tool_name: 'Bash', tool_input: { command: 'npm test' } },
      ]);
    }
    events.push(['session.sh', 'SessionEnd', { reason: 'other' }]);
    let total = 0;
    for (const [script, event, body] of events)
      total += timed(
        'sh',
        [path.join(pluginRoot, 'hooks', script), event],
        JSON.stringify({ ...id, ...body }),
        dir,
      );
    sessionTimes.push(total);
  }
  const rows: [string, number][] = [
    ['sh hooks/record.sh PostToolUse (the plugin hook)', median(shell)],
    [`node -e 0 (${process.version})`, median(bare)],
    ['node dist/agentops-learn.mjs hook PostToolUse', median(engine)],
  ];
  rows.push([
    'a whole session: 17 hook calls (start, 5 prompts, 10 tool events, end)',
    median(sessionTimes),
  ]);
  for (const [name, ms] of rows) console.log(`${ms.toFixed(1).padStart(7)} ms  ${name}`);
  console.log(
    `median over ${runs} runs each; the plugin hook takes ${((100 * median(shell)) / median(bare)).toFixed(0)} % of node -e 0; ${recorded} events in the inbox`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
