import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

// Wall time of `agentops-learn hook PostToolUse` as Claude Code runs it: a fresh process per
// event, the payload on stdin. Usage: node scripts/bench-hook.ts [runs] [node binary ...]
const runs = Number(process.argv[2] ?? 50) || 50;
const nodes =
  process.argv.length > 3
    ? process.argv.slice(3).map((node) => (node.includes('/') ? path.resolve(node) : node))
    : [process.execPath];
const bundle = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'dist',
  'agentops-learn.mjs',
);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-hook-bench-')));
try {
  fs.mkdirSync(path.join(dir, '.git'));
  const input = JSON.stringify({
    session_id: 'bench-hook',
    hook_event_name: 'PostToolUse',
    cwd: dir,
    tool_name: 'Edit',
    tool_input: { file_path: path.join(dir, 'src', 'auth', 'token.ts') },
    tool_response: { success: true },
  });
  for (const node of nodes) {
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const hook: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      let start = performance.now();
      const result = spawnSync(node, [bundle, 'hook', 'PostToolUse'], { input, cwd: dir });
      hook.push(performance.now() - start);
      if (result.status !== 0)
        throw new Error(
          `hook exited with ${String(result.status)} (${String(result.signal ?? result.error)})`,
        );
      start = performance.now();
      spawnSync(node, ['-e', '0']);
      bare.push(performance.now() - start);
    }
    const events = fs.readdirSync(path.join(dir, '.agentops', 'spool', 'bench-hook')).length;
    console.log(
      `${node} (${version}): hook PostToolUse median ${median(hook).toFixed(1)} ms over ${runs} runs; node -e 0 alone ${median(bare).toFixed(1)} ms; ${events} events in the spool`,
    );
    fs.rmSync(path.join(dir, '.agentops', 'spool'), { recursive: true, force: true });
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
