import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { parseLogLine } from '../src/log.ts';
import {
  bundle,
  fixtures,
  git,
  logLines,
  makeRepo,
  payload,
  pluginRoot,
  runCli,
  tempDir,
  waitFor,
} from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], cwd: string, input: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle, ...args], {
      cwd,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve(`${String(status)}${stderr}`));
    child.stdin.end(input);
  });
}

describe('recording under concurrency', () => {
  test('8 processes recording 200 executions each give exactly 1,600 intact executions', async () => {
    const repo = makeRepo();
    dirs.push(repo);
    const jobs = Array.from({ length: 8 }, (_unused, p) => {
      const lines = Array.from({ length: 200 }, (_u, i) =>
        JSON.stringify({
          // Sessions shared across processes, so several writers append to the same files.
          session_id: `shared-${i % 5}`,
          started_at: new Date(Date.UTC(2026, 0, 1) + (p * 200 + i) * 60_000).toISOString(),
          task: { category: 'testing', text: `stabilise flaky test ${p} ${i}` },
          steps: ['agent:test-generator', 'phase:test'],
          outcome: { status: 'success', source: 'tests' },
          seq: p * 1000 + i,
        }),
      );
      return run(['record'], repo, `${lines.join('\n')}\n`);
    });
    expect(await Promise.all(jobs)).toEqual(Array.from({ length: 8 }, () => '0'));
    const lines = logLines(path.join(repo, '.agentops', 'executions'));
    expect(lines).toHaveLength(1600);
    const parsed = lines.map((line) => parseLogLine(line));
    expect(parsed.every((line) => line?.kind === 'execution')).toBe(true);
    expect(new Set(parsed.map((line) => line?.execution_id)).size).toBe(1600);
  });

  test('a recorder killed mid-write leaves no partial event file', async () => {
    const repo = makeRepo();
    dirs.push(repo);
    const worker = path.join(repo, 'worker.mjs');
    const src = (name: string): string =>
      JSON.stringify(pathToFileURL(path.join(pluginRoot, 'src', name)).href);
    fs.writeFileSync(
      worker,
      `import { writeSpoolEvent } from ${src('spool.ts')};
       import { storeLayout } from ${src('store.ts')};
       const layout = storeLayout(undefined, ${JSON.stringify(repo)});
       const pad = 'x'.repeat(150000);
       for (;;) writeSpoolEvent(layout, { session_id: 'killed', event: 'tool', tool: 'Edit', path: 'src/*.ts', text: pad });
      `,
    );
    const loop = spawn(process.execPath, [worker], { stdio: 'ignore' });
    const spool = path.join(repo, '.agentops', 'spool', 'killed');
    await waitFor(
      () =>
        fs.existsSync(spool) &&
        fs.readdirSync(spool).filter((n) => n.endsWith('.json')).length >= 20
          ? true
          : undefined,
      30_000,
    );
    // Kill the writer hard, in the middle of whatever write it was doing.
    loop.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const names = fs.readdirSync(spool);
    const events = names.filter((n) => n.endsWith('.json'));
    expect(events.length).toBeGreaterThanOrEqual(20);
    for (const name of events) {
      const data = JSON.parse(fs.readFileSync(path.join(spool, name), 'utf8')) as {
        event: string;
        path: string;
      };
      expect(data).toMatchObject({ event: 'tool', path: 'src/*.ts' });
    }
    expect(names.every((n) => n.endsWith('.json') || n.endsWith('.tmp'))).toBe(true);
  });
});

describe('end to end through the real hook entry point', () => {
  test('replaying a recorded session ends with the execution in the log and a commit on the side ref', async () => {
    const repo = makeRepo();
    dirs.push(repo);
    const transcript = path.join(fixtures, 'transcript.jsonl');
    const steps = JSON.parse(
      fs.readFileSync(path.join(fixtures, 'session-replay.json'), 'utf8'),
    ) as [string, string | object][];
    for (const [event, source] of steps) {
      const body =
        typeof source === 'string'
          ? payload(source, repo, transcript)
          : JSON.stringify({
              session_id: '6f1c2a9e-4b7d-4e2a-9c55-0d3b8e7f1a20',
              transcript_path: transcript,
              cwd: repo,
              hook_event_name: event,
              ...source,
            });
      const result = runCli(path.join(repo), ['hook', event], body);
      expect(result).toEqual({ status: 0, stdout: '', stderr: '' });
    }
    const lines = logLines(path.join(repo, '.agentops', 'executions'));
    expect(lines).toHaveLength(1);
    const execution = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(execution.signature).toEqual(['agent:code-explorer', 'phase:implement', 'phase:test']);
    expect(execution.outcome).toMatchObject({ status: 'success', source: 'tests' });
    const head = await waitFor(() => {
      try {
        return git(repo, 'rev-parse', '--verify', '--quiet', 'refs/heads/agentops/memory');
      } catch {
        return undefined;
      }
    }, 30_000);
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    const files = git(repo, 'ls-tree', '-r', '--name-only', 'agentops/memory');
    expect(files).toContain('.agentops/executions/');
    expect(git(repo, 'status', '--porcelain', '--ignored=no')).toBe('');
    expect(
      fs.existsSync(path.join(repo, '.agentops', 'spool', '6f1c2a9e-4b7d-4e2a-9c55-0d3b8e7f1a20')),
    ).toBe(false);
    const status = runCli(repo, ['status']);
    expect(status.stdout).toContain('executions: 1 (1 with an objective outcome)');
    expect(status.stdout).toMatch(
      /learned: 1 executions, 0 patterns, committed [0-9a-f]{12} to refs\/heads\/agentops\/memory/,
    );
  });

  test('a hook never fails: garbage input, unknown events and an unwritable store all exit 0', () => {
    const dir = tempDir();
    dirs.push(dir);
    expect(runCli(dir, ['hook', 'PostToolUse'], '{not json')).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
    expect(runCli(dir, ['hook', 'Bogus'], '{}')).toEqual({ status: 0, stdout: '', stderr: '' });
    fs.writeFileSync(path.join(dir, 'file'), '');
    expect(runCli(dir, ['hook', 'Stop', '--store', path.join(dir, 'file', 'sub')], '{}')).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
  });
});
