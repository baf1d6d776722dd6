import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { recordedTools } from '../src/finalize.ts';
import {
  hookCommand,
  logLines,
  loggedOutcomes,
  makeRepo,
  pluginRoot,
  removeRepo,
  runCli,
  runPluginHook,
  tempDir,
  waitFor,
  waitForWorker,
} from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeRepo(dir);
});

/** A PATH with the shell and the two utilities the recording hooks use, and no `node`. */
function pathWithoutNode(): string {
  const bin = tempDir('agentops-bin-');
  dirs.push(bin);
  for (const tool of ['sh', 'cat', 'mkdir']) {
    const found = execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    fs.symlinkSync(found.trim(), path.join(bin, tool));
  }
  return bin;
}

function inbox(repo: string): string[] {
  const dir = path.join(repo, '.agentops', 'spool', '.inbox');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

const session = (id: string, repo: string, events: [string, object][]) =>
  events.map(
    ([event, body]) =>
      [
        event,
        JSON.stringify({ session_id: id, cwd: repo, hook_event_name: event, ...body }),
      ] as const,
  );

describe('per-event hooks', () => {
  test('every event runs a shell script in the shell Claude Code starts; only session boundaries may start the engine', () => {
    expect(
      [
        'SessionStart',
        'UserPromptSubmit',
        'SubagentStart',
        'SubagentStop',
        'PostToolUse',
        'PostToolUseFailure',
        'SessionEnd',
      ].map((event) => hookCommand(event)),
    ).toEqual([
      'exec sh "${CLAUDE_PLUGIN_ROOT}/hooks/session.sh" SessionStart',
      'exec sh "${CLAUDE_PLUGIN_ROOT}/hooks/prompt.sh" UserPromptSubmit',
      'exec sh "${CLAUDE_PLUGIN_ROOT}/hooks/record.sh" SubagentStart',
      'exec sh "${CLAUDE_PLUGIN_ROOT}/hooks/record.sh" SubagentStop',
      'exec sh "${CLAUDE_PLUGIN_ROOT}/hooks/record.sh" PostToolUse',
      'exec sh "${CLAUDE_PLUGIN_ROOT}/hooks/record.sh" PostToolUseFailure',
      'exec sh "${CLAUDE_PLUGIN_ROOT}/hooks/session.sh" SessionEnd',
    ]);
  });

  test('the session waits only for its start and its prompts: every other hook runs in the background', () => {
    const hooks = (
      JSON.parse(fs.readFileSync(path.join(pluginRoot, 'hooks', 'hooks.json'), 'utf8')) as {
        hooks: Record<string, { hooks: { async?: boolean }[] }[]>;
      }
    ).hooks;
    const background = Object.entries(hooks).map(([event, matchers]) => [
      event,
      matchers.flatMap((m) => m.hooks.map((h) => h.async === true)),
    ]);
    expect(background).toEqual([
      ['SessionStart', [false]],
      ['UserPromptSubmit', [false]],
      ['SubagentStart', [true]],
      ['SubagentStop', [true]],
      ['PostToolUse', [true]],
      ['PostToolUseFailure', [true]],
      ['SessionEnd', [true]],
    ]);
  });

  test('the tools whose missed calls a session end reads from the transcript are exactly those the tool hooks match', () => {
    const hooks = (
      JSON.parse(fs.readFileSync(path.join(pluginRoot, 'hooks', 'hooks.json'), 'utf8')) as {
        hooks: Record<string, { matcher?: string }[]>;
      }
    ).hooks;
    const matchers = ['PostToolUse', 'PostToolUseFailure'].map((event) =>
      hooks[event]?.map((m) => m.matcher),
    );
    const recorded = [...recordedTools].join('|');
    expect(recorded).toBe('Task|Agent|Skill|Bash|Edit|Write|MultiEdit|NotebookEdit');
    expect(matchers).toEqual([[recorded], [recorded]]);
  });

  test('a recording hook sent SIGTERM (how Claude Code stops background hooks as a session ends) still writes the whole payload', async () => {
    const repo = makeRepo();
    dirs.push(repo);
    const payload = JSON.stringify({ session_id: 'term-1', cwd: repo, tool_name: 'Bash' });
    const child = spawn('/bin/sh', ['-c', hookCommand('PostToolUse')], {
      cwd: repo,
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { ...process.env, CLAUDE_PLUGIN_ROOT: pluginRoot },
    });
    const ended = new Promise((resolve) =>
      child.on('close', (code, signal) => resolve([code, signal])),
    );
    // Its file is claimed (after the signal is ignored); `cat` now waits for the payload.
    expect(await waitFor(() => (inbox(repo).length === 1 ? true : undefined), 10_000)).toBe(true);
    // As Claude Code does: the whole process group.
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.stdin.end(payload);
    expect(await ended).toEqual([0, null]);
    const names = inbox(repo);
    expect(names).toHaveLength(1);
    expect(
      fs.readFileSync(path.join(repo, '.agentops', 'spool', '.inbox', names[0]!), 'utf8'),
    ).toBe(payload);
  });

  test('record the payload byte for byte in one new file, without node on PATH', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const payload = JSON.stringify({
      session_id: 'raw-1',
      cwd: repo,
      tool_name: 'Bash',
      tool_input: { command: 'echo "a\nb" && npm test' },
    });
    const result = runPluginHook(repo, 'PostToolUse', payload, { PATH: pathWithoutNode() });
    expect(result).toEqual({ status: 0, stdout: '', stderr: '' });
    const names = inbox(repo);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^\d+-0-PostToolUse\.json$/);
    expect(
      fs.readFileSync(path.join(repo, '.agentops', 'spool', '.inbox', names[0]!), 'utf8'),
    ).toBe(payload);
    expect(fs.readFileSync(path.join(repo, '.agentops', '.gitignore'), 'utf8')).toBe(
      '# agentops-learn commits this store to refs/heads/agentops/memory, never to your branch.\n*\n',
    );
  });

  test('never fail: an odd event name writes nothing, a garbage payload waits a minute then is skipped', () => {
    const dir = tempDir();
    dirs.push(dir);
    expect(runPluginHook(dir, 'PostToolUse', '{not json')).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
    expect(inbox(dir)).toHaveLength(1);
    const record = path.join(pluginRoot, 'hooks', 'record.sh');
    for (const event of ['../../x', '', 'Post Tool']) {
      const result = spawnSync('/bin/sh', [record, event], { cwd: dir, input: '{}' });
      expect(result.status).toBe(0);
    }
    expect(inbox(dir)).toHaveLength(1);
    // It may be a payload still being written: left alone until it is a minute old.
    expect(runCli(dir, ['finalize']).stdout).toBe('Finalized 0 sessions, 0 executions added\n');
    expect(inbox(dir)).toHaveLength(1);
    const old = new Date(Date.now() - 2 * 60_000);
    fs.utimesSync(path.join(dir, '.agentops', 'spool', '.inbox', inbox(dir)[0]!), old, old);
    expect(runCli(dir, ['finalize']).stdout).toBe('Finalized 0 sessions, 0 executions added\n');
    expect(inbox(dir)).toEqual([]);
  });
});

describe('without node', () => {
  test('recording still works, says so once, and learning resumes in a session with node', async () => {
    const repo = makeRepo();
    dirs.push(repo);
    const noNode = { PATH: pathWithoutNode() };
    const first = session('no-node-1', repo, [
      ['SessionStart', { source: 'startup' }],
      ['UserPromptSubmit', { prompt: 'Fix the login crash in the auth middleware' }],
      [
        'PostToolUseFailure',
        { tool_name: 'Bash', tool_input: { command: 'npm test' }, error: 'Exit code 1' },
      ],
      ['SessionEnd', { reason: 'other' }],
    ]);
    const outputs = first.map(([event, body]) => runPluginHook(repo, event, body, noNode));
    expect(outputs.map((o) => o.status)).toEqual([0, 0, 0, 0]);
    expect(outputs.map((o) => o.stderr)).toEqual(['', '', '', '']);
    expect(outputs.map((o) => o.stdout)).toEqual([
      '{"systemMessage":"agentops-learn: node is not on PATH, so this session is recorded but not learned from yet; learning resumes in the first session where Node.js 20 or later is available."}\n',
      '',
      '',
      '',
    ]);
    // Said once: the next session without node is silent.
    expect(
      runPluginHook(
        repo,
        'SessionStart',
        JSON.stringify({ session_id: 'no-node-2', cwd: repo }),
        noNode,
      ).stdout,
    ).toBe('');
    expect(inbox(repo)).toHaveLength(5);
    expect(logLines(path.join(repo, '.agentops', 'executions'))).toEqual([]);
    fs.writeFileSync(path.join(repo, '.agentops', 'config.json'), '{"autoLearn":false}');
    // A session with node folds what waited.
    expect(
      runPluginHook(repo, 'SessionStart', JSON.stringify({ session_id: 'with-node', cwd: repo })),
    ).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(await waitForWorker(path.join(repo, '.agentops'), ['no-node-2', 'with-node'])).toBe(
      true,
    );
    expect(loggedOutcomes(path.join(repo, '.agentops', 'executions'))).toEqual([
      ['no-node-1', ['auth', 'fix', 'middleware'], 'failure'],
    ]);
  });

  test('with learned patterns, a prompt is recorded as it came and nothing is printed', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const past = Array.from({ length: 12 }, (_u, i) =>
      JSON.stringify({
        session_id: `past-${i}`,
        started_at: new Date(Date.UTC(2026, 1, 1 + i)).toISOString(),
        task: { category: 'bug-fix', text: 'fix the token refresh race' },
        steps: i % 2 === 0 ? ['agent:code-explorer', 'phase:test'] : ['phase:test'],
        outcome: { status: i % 2 === 0 ? 'success' : 'failure', source: 'tests' },
      }),
    );
    expect(runCli(repo, ['record'], past.join('\n')).status).toBe(0);
    expect(runCli(repo, ['extract']).status).toBe(0);
    const body = JSON.stringify({
      session_id: 'no-node-3',
      cwd: repo,
      hook_event_name: 'UserPromptSubmit',
      prompt: 'fix a token refresh race in the auth code',
    });
    expect(runPluginHook(repo, 'UserPromptSubmit', body, { PATH: pathWithoutNode() })).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
    const names = inbox(repo);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^\d+-0-UserPromptSubmit\.json$/);
    expect(
      fs.readFileSync(path.join(repo, '.agentops', 'spool', '.inbox', names[0]!), 'utf8'),
    ).toBe(body);
  });
});
