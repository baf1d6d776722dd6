import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { foldEvents, readTranscript, signatureOf } from '../src/finalize.ts';
import { eventFromPayload, testRunnerLabel } from '../src/hook.ts';
import { normalizeImport } from '../src/import.ts';
import { parseLogLine } from '../src/log.ts';
import { readSpoolSession, writeSpoolEvent } from '../src/spool.ts';
import { storeLayout } from '../src/store.ts';
import { keywords, redact } from '../src/text.ts';
import { fixtures, logLines, makeRepo, payload, runCli, tempDir } from './helpers.ts';
import { provenTokenRefreshLog } from '../scripts/proven-log.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function fixture(name: string, cwd: string): unknown {
  return JSON.parse(payload(`hooks/${name}.json`, cwd, path.join(fixtures, 'transcript.jsonl')));
}

describe('hook payloads', () => {
  const cwd = '/home/dev/project';
  const session = '6f1c2a9e-4b7d-4e2a-9c55-0d3b8e7f1a20';

  test('SessionStart keeps source, model and the transcript path', () => {
    expect(eventFromPayload('SessionStart', fixture('SessionStart', cwd), cwd)).toEqual({
      session_id: session,
      event: 'session_start',
      source: 'startup',
      model: 'claude-sonnet-4-5-20250929',
      transcript: path.join(fixtures, 'transcript.jsonl'),
    });
  });

  test('SubagentStart and SubagentStop keep the agent without its plugin prefix', () => {
    expect(eventFromPayload('SubagentStart', fixture('SubagentStart', cwd), cwd)).toEqual({
      session_id: session,
      event: 'agent_start',
      agent: 'code-explorer',
      agent_id: 'agent-a41f',
    });
    expect(eventFromPayload('SubagentStop', fixture('SubagentStop', cwd), cwd)).toEqual({
      session_id: session,
      event: 'agent_stop',
      agent: 'code-explorer',
      agent_id: 'agent-a41f',
    });
  });

  test('PostToolUse on Edit stores a repo-relative glob and never the edit itself', () => {
    const event = eventFromPayload('PostToolUse', fixture('PostToolUse', cwd), cwd);
    expect(event).toEqual({
      session_id: session,
      event: 'tool',
      tool: 'Edit',
      ok: true,
      tool_use_id: 'toolu_01ABCdef',
      path: 'src/auth/*.ts',
    });
    expect(JSON.stringify(event)).not.toContain('sk-live');
  });

  test('PostToolUseFailure on a test command records the runner and a failing exit code', () => {
    const event = eventFromPayload('PostToolUseFailure', fixture('PostToolUseFailure', cwd), cwd);
    expect(event).toMatchObject({
      event: 'tool',
      tool: 'Bash',
      ok: false,
      test: 'npm test',
      exit_code: 1,
    });
    expect(JSON.stringify(event)).not.toContain('--run auth');
  });

  test('Stop and SessionEnd', () => {
    expect(eventFromPayload('Stop', fixture('Stop', cwd), cwd)).toEqual({
      session_id: session,
      event: 'stop',
    });
    expect(eventFromPayload('SessionEnd', fixture('SessionEnd', cwd), cwd)).toEqual({
      session_id: session,
      event: 'session_end',
      reason: 'prompt_input_exit',
    });
  });

  test('malformed payloads still give an event with a safe session id', () => {
    expect(eventFromPayload('PostToolUse', 'not an object', cwd)).toEqual({
      session_id: 'unknown-session',
      event: 'tool',
      tool: 'unknown',
      ok: true,
    });
    expect(
      eventFromPayload('SessionStart', { session_id: '../../etc/passwd' }, cwd).session_id,
    ).toBe('unknown-session');
  });

  test('edits outside the repository keep no path', () => {
    const event = eventFromPayload(
      'PostToolUse',
      { session_id: 's', tool_name: 'Write', tool_input: { file_path: '/etc/hosts' } },
      cwd,
    );
    expect(event.path).toBeUndefined();
  });

  test('test runners are recognised by label', () => {
    expect(testRunnerLabel('cd app && pnpm run test -- --watch=false')).toBe('pnpm test');
    expect(testRunnerLabel('python -m pytest -q tests/')).toBe('pytest');
    expect(testRunnerLabel('go test ./...')).toBe('go test');
    expect(testRunnerLabel('git status')).toBeUndefined();
  });
});

describe('transcripts', () => {
  test('reads the first prompt, version, model and token usage, skipping bad lines', () => {
    expect(readTranscript(path.join(fixtures, 'transcript.jsonl'))).toEqual({
      prompt:
        'Fix the token refresh race in the auth middleware; the password=hunter2hunter2 must never be logged',
      version: '2.1.330',
      model: 'claude-sonnet-4-5-20250929',
      inputTokens: 7300,
      outputTokens: 500,
    });
  });

  test('an unknown format yields no facts', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 't.bin');
    fs.writeFileSync(file, Buffer.from([0, 1, 2, 255, 10, 123, 125]));
    expect(readTranscript(file)).toEqual({});
    expect(readTranscript(path.join(dir, 'missing.jsonl'))).toEqual({});
  });
});

describe('privacy', () => {
  test('redacts keys, tokens and passwords', () => {
    expect(
      redact(
        'use ghp_abcdefghijklmnopqrstuvwxyz012345 and password: hunter22 and AKIAABCDEFGHIJKLMNOP',
      ),
    ).toBe('use [REDACTED] and password: [REDACTED] and [REDACTED]');
    expect(redact('postgres://admin:s3cret@db.local/app')).toBe('[REDACTED]db.local/app');
  });

  test('keywords map synonyms and stems', () => {
    expect(keywords('Add OAuth2 login to the endpoints')).toEqual(['api', 'auth']);
    expect(keywords('Fix the failing migrations')).toEqual(['fail', 'fix', 'migration']);
  });
});

describe('signatures', () => {
  test('drop tools, collapse retries and sort parallel groups', () => {
    expect(
      signatureOf([
        { kind: 'agent', name: 'reviewer', parallel_group: 1 },
        { kind: 'agent', name: 'code-explorer', parallel_group: 1 },
        { kind: 'tool', name: 'Read' },
        { kind: 'phase', name: 'implement' },
        { kind: 'phase', name: 'implement' },
        { kind: 'phase', name: 'test' },
      ]),
    ).toEqual(['agent:code-explorer', 'agent:reviewer', 'phase:implement', 'phase:test']);
  });
});

describe('finalising', () => {
  test('folds a replayed session into one execution with an objective outcome', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const layout = storeLayout(undefined, repo);
    const transcript = path.join(fixtures, 'transcript.jsonl');
    for (const name of [
      'SessionStart',
      'SubagentStart',
      'SubagentStop',
      'PostToolUse',
      'PostToolUseFailure',
      'SessionEnd',
    ]) {
      writeSpoolEvent(
        layout,
        eventFromPayload(
          name as 'Stop',
          JSON.parse(payload(`hooks/${name}.json`, repo, transcript)),
          repo,
        ),
      );
    }
    const { events } = readSpoolSession(layout, '6f1c2a9e-4b7d-4e2a-9c55-0d3b8e7f1a20');
    const execution = foldEvents(events, { repoRoot: repo, storeTaskText: false })!;
    expect(execution.signature).toEqual(['agent:code-explorer', 'phase:implement', 'phase:test']);
    expect(execution.outcome).toEqual({
      status: 'failure',
      source: 'tests',
      signals: [{ kind: 'tests', label: 'npm test', exit_code: 1 }],
    });
    expect(execution.task.category).toBe('bug-fix');
    expect(execution.task.keywords).toEqual([
      'auth',
      'fix',
      'logg',
      'middleware',
      'never',
      'password',
      'race',
      'redact',
      'refresh',
      'token',
    ]);
    expect(execution.task.text_hash).toMatch(/^[0-9a-f]{16}$/);
    expect(execution.task.text).toBeUndefined();
    expect(execution.paths).toEqual(['src/auth/*.ts']);
    expect(execution.cost).toEqual({ input_tokens: 7300, output_tokens: 500 });
    expect(execution.environment).toEqual({
      engine_version: '0.1.0',
      model: 'claude-sonnet-4-5-20250929',
      claude_code_version: '2.1.330',
    });
    expect(JSON.stringify(execution)).not.toContain('hunter2');
    expect(parseLogLine(JSON.stringify(execution))).toEqual(execution);
  });

  test('start and end bound an explicit workflow and the declared verify command decides', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const env = { AGENTOPS_SESSION_ID: 'sess-explicit' };
    expect(
      runCli(
        repo,
        ['start', '--task', 'Add OAuth login to the API', '--category', 'api-development'],
        '',
        env,
      ).status,
    ).toBe(0);
    const hook = (body: object): void => {
      expect(
        runCli(
          repo,
          ['hook', 'PostToolUse'],
          JSON.stringify({ session_id: 'sess-explicit', cwd: repo, ...body }),
        ).status,
      ).toBe(0);
    };
    hook({
      tool_name: 'Task',
      tool_input: { subagent_type: 'agentops-core:spec-architect', prompt: 'secret plan' },
    });
    hook({
      tool_name: 'Bash',
      tool_input: { command: 'npm run verify' },
      tool_response: { stdout: '' },
    });
    const end = runCli(
      repo,
      ['end', '--outcome', 'success', '--verify', 'npm run verify'],
      '',
      env,
    );
    expect(end.stdout).toBe('Ended the execution (success claimed); 1 added to the log\n');
    const [line] = logLines(path.join(repo, '.agentops', 'executions'));
    const execution = JSON.parse(line!) as Record<string, unknown>;
    expect(execution.signature).toEqual(['agent:spec-architect']);
    expect(execution.outcome).toEqual({
      status: 'success',
      source: 'verify',
      signals: [
        { kind: 'verify', exit_code: 0 },
        { kind: 'self_report', claimed: 'success' },
      ],
    });
    expect(execution.verify).toBe('npm run verify');
    expect(line).not.toContain('secret plan');
  });

  test('records the recommendation shown and whether the execution followed it', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const lines = provenTokenRefreshLog();
    runCli(repo, ['record'], lines);
    const env = { AGENTOPS_SESSION_ID: 'sess-rec' };
    const suggestion = JSON.parse(
      runCli(repo, ['suggest', 'fix a token refresh race', '--json'], '', env).stdout,
    ) as {
      suggestions: { pattern_id: string }[];
    };
    expect(suggestion.suggestions).toHaveLength(1);
    runCli(repo, ['start', '--task', 'fix a token refresh race'], '', env);
    for (const agent of ['code-explorer', 'change-executor']) {
      runCli(
        repo,
        ['hook', 'PostToolUse'],
        JSON.stringify({
          session_id: 'sess-rec',
          cwd: repo,
          tool_name: 'Task',
          tool_input: { subagent_type: agent },
        }),
      );
    }
    runCli(
      repo,
      ['hook', 'PostToolUse'],
      JSON.stringify({
        session_id: 'sess-rec',
        cwd: repo,
        tool_name: 'Bash',
        tool_input: { command: 'npm test' },
      }),
    );
    runCli(repo, ['end', '--outcome', 'success'], '', env);
    const recorded = logLines(path.join(repo, '.agentops', 'executions'))
      .map((line) => JSON.parse(line) as { session_id: string; recommendation?: unknown })
      .find((e) => e.session_id === 'sess-rec');
    expect(recorded?.recommendation).toEqual({
      pattern_ids: [suggestion.suggestions[0]!.pattern_id],
      followed: true,
    });
  });

  test('two explicit workflows in one session become two executions', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const env = { AGENTOPS_SESSION_ID: 'sess-two' };
    runCli(
      repo,
      ['hook', 'SessionStart'],
      JSON.stringify({ session_id: 'sess-two', cwd: repo, source: 'startup' }),
    );
    for (const task of ['Document the API', 'Fix the login crash']) {
      runCli(repo, ['start', '--task', task], '', env);
      runCli(repo, ['end', '--outcome', 'failure'], '', env);
    }
    const executions = logLines(path.join(repo, '.agentops', 'executions')).map(
      (line) => JSON.parse(line) as { execution_id: string; task: { category: string } },
    );
    expect(executions.map((e) => e.task.category)).toEqual(['documentation', 'bug-fix']);
    expect(new Set(executions.map((e) => e.execution_id)).size).toBe(2);
  });

  test('a claimed outcome without a verify run is recorded as self-reported', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const env = { AGENTOPS_SESSION_ID: 'sess-claim' };
    runCli(repo, ['start', '--task', 'Document the API'], '', env);
    runCli(repo, ['end', '--outcome', 'success'], '', env);
    const execution = JSON.parse(logLines(path.join(repo, '.agentops', 'executions'))[0]!) as {
      outcome: unknown;
    };
    expect(execution.outcome).toEqual({
      status: 'success',
      source: 'self_report',
      signals: [{ kind: 'self_report', claimed: 'success' }],
    });
  });

  test('finalising twice appends once', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const record = JSON.stringify({
      started_at: '2026-04-01T10:00:00.000Z',
      task: { text: 'fix login bug' },
      steps: ['agent:code-explorer', 'phase:test'],
      outcome: { status: 'success', source: 'tests' },
    });
    expect(runCli(repo, ['record'], record).stdout).toBe('Recorded 1 execution\n');
    expect(runCli(repo, ['record'], record).stdout).toBe('Recorded 0 executions\n');
    expect(logLines(path.join(repo, '.agentops', 'executions'))).toHaveLength(1);
  });

  test('imports drop task text unless opted in and reject junk', () => {
    const execution = normalizeImport(
      {
        task: { text: 'fix token=abcd1234efgh bug' },
        steps: ['agent:reviewer'],
        started_at: '2026-01-02T03:04:05Z',
      },
      { storeTaskText: false, now: '2026-01-01T00:00:00.000Z' },
    )!;
    expect(execution.task.text).toBeUndefined();
    expect(execution.started_at).toBe('2026-01-02T03:04:05.000Z');
    expect(
      normalizeImport([1, 2], { storeTaskText: false, now: '2026-01-01T00:00:00.000Z' }),
    ).toBeUndefined();
    const kept = normalizeImport(
      { task: { text: 'fix token=abcd1234efgh bug' } },
      { storeTaskText: true, now: '2026-01-01T00:00:00.000Z' },
    )!;
    expect(kept.task.text).toBe('fix token=[REDACTED] bug');
  });
});
