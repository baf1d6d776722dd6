// Drives the real Claude Code CLI (the devDependency) through whole sessions with this plugin
// loaded, against a scripted Messages API on 127.0.0.1: offline, with a throwaway HOME, and a
// timeout on every session. Asserts what the engine records, what it injects, and that the
// user's repository is left exactly as it was.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ScriptedApi, Turn } from '../scripts/scripted-claude.ts';
import { claudeBin, runClaude, startScriptedApi } from '../scripts/scripted-claude.ts';
import { git, logLines, runCli, tempDir, waitFor, waitForWorker } from './helpers.ts';
import { provenTokenRefreshLog } from '../scripts/proven-log.ts';

let api: ScriptedApi | undefined;

/** The scripted API that `beforeAll` started. */
function scripted(): ScriptedApi {
  if (api === undefined) throw new Error('The scripted API is not running');
  return api;
}
let base = '';
let home = '';
let repo = '';
/** A PATH whose `node` logs its arguments to `nodeCalls` before running the real one. */
let hookPath = '';
let nodeCalls = '';

/** How many times the hooks started the engine to ask for a recommendation. */
function promptEngineCalls(): number {
  if (!fs.existsSync(nodeCalls)) return 0;
  return fs
    .readFileSync(nodeCalls, 'utf8')
    .split('\n')
    .filter((line) => line.includes('/dist/prompt-context.mjs ')).length;
}

/** Waits until no log file or folder is newer than the prompt index (the engine rewrote it). */
async function promptIndexFresh(): Promise<boolean> {
  const store = path.join(repo, '.agentops');
  const index = path.join(store, 'spool', '.prompt-index');
  const fresh = await waitFor(() => {
    if (!fs.existsSync(index)) return undefined;
    const at = fs.statSync(index, { bigint: true }).mtimeNs;
    const executions = path.join(store, 'executions');
    const entries = [
      executions,
      ...fs
        .readdirSync(executions, { recursive: true, encoding: 'utf8' })
        .map((f) => path.join(executions, f)),
    ];
    return entries.every((f) => fs.statSync(f, { bigint: true }).mtimeNs <= at) ? true : undefined;
  }, 60_000);
  return fresh === true;
}

/** Runs one `claude -p` session in the repository and waits for the engine's worker. */
async function session(prompt: string, turns: Turn[], ...flags: string[]): Promise<string> {
  const run = { api: scripted(), cwd: repo, home, tmpdir: base, pathEnv: hookPath, plugin: true };
  const { status, stdout } = await runClaude(run, prompt, turns, ...flags);
  expect(status).toBe(0);
  expect(await waitForWorker(path.join(repo, '.agentops'))).toBe(true);
  return stdout;
}

interface Recorded {
  session_id: string;
  task: { category: string; keywords: string[] };
  trigger: { command: string };
  signature: string[];
  outcome: { status: string; source: string; signals: { label?: string }[] };
  recommendation?: { pattern_ids: string[]; followed: boolean };
}

function recorded(): Recorded[] {
  return logLines(path.join(repo, '.agentops', 'executions'))
    .map((line) => JSON.parse(line) as Recorded & { started_at: string })
    .sort((a, b) => (a.started_at < b.started_at ? -1 : 1));
}

function summary(e: Recorded): object {
  return {
    category: e.task.category,
    keywords: e.task.keywords,
    trigger: e.trigger.command,
    signature: e.signature,
    outcome: e.outcome.status,
    label: e.outcome.signals.at(-1)?.label,
  };
}

/** What the user owns: HEAD, the branch, the index entries and every work tree file's bytes. */
function userState(): string {
  const files = git(repo, 'ls-files', '--others', '--cached', '--exclude-standard')
    .split('\n')
    .filter((f) => f !== '')
    .sort()
    .map(
      (f) =>
        `${f} ${createHash('sha256')
          .update(fs.readFileSync(path.join(repo, f)))
          .digest('hex')}`,
    );
  return [
    git(repo, 'symbolic-ref', 'HEAD'),
    git(repo, 'rev-parse', 'HEAD'),
    git(repo, 'ls-files', '--stage'),
    ...files,
  ].join('\n');
}

beforeAll(async () => {
  if (!fs.existsSync(claudeBin))
    throw new Error(
      `${claudeBin} is missing: run \`npm install\` (@anthropic-ai/claude-code is a devDependency)`,
    );
  base = fs.realpathSync(tempDir('agentops-session-'));
  home = path.join(base, 'home');
  repo = path.join(base, 'repo');
  fs.mkdirSync(home);
  fs.mkdirSync(repo);
  const bin = path.join(base, 'bin');
  fs.mkdirSync(bin);
  nodeCalls = path.join(base, 'node-calls.txt');
  fs.writeFileSync(
    path.join(bin, 'node'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >>'${nodeCalls}'\nexec '${process.execPath}' "$@"\n`,
    { mode: 0o755 },
  );
  hookPath = `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  userRepo(repo);
  api = await startScriptedApi();
});

/** A user's repository at `dir`: one commit of a package whose `npm test` fails. */
function userRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'demo', private: true, scripts: { test: 'node -e "process.exit(1)"' } })}\n`,
  );
  git(dir, 'add', 'package.json');
  git(dir, 'commit', '-q', '-m', 'init');
}

afterAll(async () => {
  await api?.close();
  // Claude Code's own background shells and temp files (its TMPDIR is inside `base`) may still be
  // settling when the last session returns: retry while the folder keeps changing under us.
  if (base !== '')
    fs.rmSync(base, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
});

describe('real Claude Code sessions with the plugin', () => {
  test('record one execution per task with true outcomes, inject a confident pattern, and leave the repository untouched', async () => {
    const before = userState();
    const bash = (command: string, extra: object = {}): Turn => ({
      tool: 'Bash',
      input: { command, description: 'Run it', ...extra },
    });

    // A failing test run followed by other commands.
    await session('Fix the login crash in the auth middleware', [
      bash('npm test'),
      bash('echo "npm test failed, will fix later"'),
      { text: 'The tests fail; I will fix them later.' },
    ]);
    // A failing test run in the background, whose notification arrives during the next command.
    await session('Fix the date parser crash in the billing report', [
      bash('npm test', { run_in_background: true }),
      bash('sleep 3'),
      { text: 'Waiting for the tests.' },
    ]);
    // A session started by a slash command, then resumed with a new task that uses a subagent
    // and a skill.
    await session('/agentops-meta-orchestrator:metrics bug-fix', [
      { text: 'Here are the metrics.' },
    ]);
    await session(
      'add a retry to the api client',
      [
        {
          tool: 'Agent',
          input: {
            subagent_type: 'general-purpose',
            description: 'Explore',
            prompt: 'Find the client',
          },
        },
        { text: 'The client is in src/client.js.' },
        { tool: 'Skill', input: { skill: 'agentops-meta-orchestrator:using-patterns' } },
        bash('npm test'),
        { text: 'Added; the tests still fail.' },
      ],
      '--continue',
    );

    const executions = recorded();
    expect(executions.map(summary)).toEqual([
      {
        category: 'bug-fix',
        keywords: ['auth', 'fix', 'middleware'],
        trigger: 'hook',
        signature: ['phase:test'],
        outcome: 'failure',
        label: 'npm test',
      },
      {
        category: 'bug-fix',
        keywords: ['bill', 'date', 'fix', 'parser', 'report'],
        trigger: 'hook',
        signature: ['phase:test'],
        outcome: 'failure',
        label: 'npm test',
      },
      {
        category: 'bug-fix',
        keywords: ['fix', 'metric'],
        trigger: '/metrics',
        signature: ['command:metrics'],
        outcome: 'unknown',
        label: undefined,
      },
      {
        category: 'api-development',
        keywords: ['api', 'client', 'retry'],
        trigger: 'hook',
        signature: ['agent:general-purpose', 'skill:using-patterns', 'phase:test'],
        outcome: 'failure',
        label: 'npm test',
      },
    ]);
    // The resumed session is the same session, with its own execution for its new task.
    expect(executions[3]!.session_id).toBe(executions[2]!.session_id);

    // A proven workflow in the store is injected on the next prompt that matches it.
    const proven = provenTokenRefreshLog();
    expect(runCli(repo, ['record'], proven).status).toBe(0);
    expect(runCli(repo, ['extract']).status).toBe(0);
    // What the engine says for the prompt, asked on a copy of the store so nothing is recorded.
    const like = 'fix a token refresh race in the auth code';
    const copy = path.join(base, 'store-copy');
    fs.cpSync(path.join(repo, '.agentops'), copy, { recursive: true });
    const expected = runCli(
      repo,
      ['prompt-context', '--store', copy],
      JSON.stringify({ session_id: 'expected', prompt: like }),
    );
    const block = (
      JSON.parse(expected.stdout) as { hookSpecificOutput: { additionalContext: string } }
    ).hookSpecificOutput.additionalContext;
    expect(block).toContain(
      '1. Research the affected code (Code Explorer) (`agent:code-explorer`)',
    );
    const callsBefore = promptEngineCalls();
    scripted().requests = [];
    await session(like, [bash('npm test'), { text: 'The tests fail.' }]);
    const first = scripted().requests[0] ?? '';
    // The model got the engine's block, word for word.
    expect(first).toContain(JSON.stringify(block).slice(1, -1));
    expect(promptEngineCalls()).toBe(callsBefore + 1);
    // Shown and recorded with the execution, which did not follow it (it only ran the tests).
    const injected = recorded().find(
      (e) => !e.session_id.startsWith('past-') && e.task.keywords.includes('token'),
    );
    expect(injected?.signature).toEqual(['phase:test']);
    expect(injected?.recommendation?.followed).toBe(false);
    expect(injected?.recommendation?.pattern_ids).toEqual([
      first.match(/Pattern (pat_[\w-]+) \(/)?.[1],
    ]);

    // A prompt unlike any past task gets nothing, and the hook decides it without Node.
    expect(await promptIndexFresh()).toBe(true);
    scripted().requests = [];
    await session('write a haiku about autumn', [{ text: 'Leaves fall.' }]);
    expect(scripted().requests).toHaveLength(1);
    expect(scripted().requests[0]).not.toContain('agentops-learn');
    expect(promptEngineCalls()).toBe(callsBefore + 1);

    // Nothing of the engine in git status; the user's branch, index and work tree unchanged.
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(userState()).toBe(before);
    expect(git(repo, 'rev-parse', '--verify', '--quiet', 'refs/heads/agentops/memory')).toMatch(
      /^[0-9a-f]{40}$/,
    );
  }, 600_000);

  test('a tool event whose background hook still runs when the session exits is recorded whole', async () => {
    const dir = path.join(base, 'exits-at-once');
    fs.mkdirSync(dir);
    userRepo(dir);
    // A `cat` that takes half a second: the hook of the last tool call is still copying its
    // payload when `claude -p` ends, a few milliseconds after that call.
    const bin = path.join(base, 'slow-bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'cat'), '#!/bin/sh\nsleep 0.5\nexec /bin/cat "$@"\n', {
      mode: 0o755,
    });
    const debug = path.join(base, 'exits-at-once.log');
    const run = {
      api: scripted(),
      cwd: dir,
      home,
      tmpdir: base,
      pathEnv: `${bin}:${hookPath}`,
      plugin: true,
    };
    const { status } = await runClaude(
      run,
      'Fix the login crash in the auth middleware',
      [{ tool: 'Bash', input: { command: 'npm test', description: 'Test' } }, { text: 'Fails.' }],
      '--debug-file',
      debug,
    );
    expect(status).toBe(0);
    expect(await waitForWorker(path.join(dir, '.agentops'))).toBe(true);
    // Claude Code stopped the hook as the session ended, and it finished its copy anyway.
    const stopped = fs
      .readFileSync(debug, 'utf8')
      .split('\n')
      .filter((line) => line.includes(') cancelled'))
      .map((line) => line.replace(/^\S+ /, ''));
    expect(stopped).toEqual([
      '[DEBUG] Hook PostToolUseFailure:Bash (PostToolUseFailure) cancelled:',
    ]);
    const executions = logLines(path.join(dir, '.agentops', 'executions')).map(
      (line) => JSON.parse(line) as Recorded,
    );
    expect(executions.map(summary)).toEqual([
      {
        category: 'bug-fix',
        keywords: ['auth', 'fix', 'middleware'],
        trigger: 'hook',
        signature: ['phase:test'],
        outcome: 'failure',
        label: 'npm test',
      },
    ]);
  }, 300_000);

  test('a tool event whose background hook is stopped before it writes anything is read from the transcript', async () => {
    const dir = path.join(base, 'hook-stopped');
    fs.mkdirSync(dir);
    userRepo(dir);
    // An `sh` under which the failing test run's hook never gets to record: it waits until
    // Claude Code stops it as the session ends (SIGTERM), then dies without a file.
    const bin = path.join(base, 'stopped-bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, 'sh'),
      '#!/bin/sh\ncase "$1 $2" in */record.sh\\ PostToolUseFailure) exec sleep 30 ;; esac\nexec /bin/sh "$@"\n',
      { mode: 0o755 },
    );
    const run = {
      api: scripted(),
      cwd: dir,
      home,
      tmpdir: base,
      pathEnv: `${bin}:${hookPath}`,
      plugin: true,
    };
    const { status } = await runClaude(run, 'Fix the login crash in the auth middleware', [
      { tool: 'Skill', input: { skill: 'agentops-meta-orchestrator:using-patterns' } },
      { tool: 'Bash', input: { command: 'npm test', description: 'Test' } },
      { text: 'Fails.' },
    ]);
    expect(status).toBe(0);
    expect(await waitForWorker(path.join(dir, '.agentops'))).toBe(true);
    const executions = logLines(path.join(dir, '.agentops', 'executions')).map(
      (line) => JSON.parse(line) as Recorded,
    );
    expect(executions.map(summary)).toEqual([
      {
        category: 'bug-fix',
        keywords: ['auth', 'fix', 'middleware'],
        trigger: 'hook',
        signature: ['skill:using-patterns', 'phase:test'],
        outcome: 'failure',
        label: 'npm test',
      },
    ]);
  }, 300_000);
});
