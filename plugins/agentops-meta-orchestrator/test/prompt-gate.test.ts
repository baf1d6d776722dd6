import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultWorld, generateLog, heldOut } from '../src/bench/world.ts';
import { extractPatterns } from '../src/extract.ts';
import { isPromptIndexFresh, promptIndexText, refreshPromptIndex } from '../src/prompt-gate.ts';
import { storeLayout } from '../src/store.ts';
import type { Execution } from '../src/record.ts';
import { suggest } from '../src/suggest.ts';
import { inferCategory, keywords } from '../src/text.ts';
import { makeRepo, pluginRoot, removeRepo, runCli, runPluginHook, tempDir } from './helpers.ts';
import { provenTokenRefreshLog } from '../scripts/proven-log.ts';

const gateScript = path.join(pluginRoot, 'hooks', 'prompt-gate.awk');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeRepo(dir);
});

function writeIndex(text: string): string {
  const dir = tempDir('agentops-gate-');
  dirs.push(dir);
  const file = path.join(dir, '.prompt-index');
  fs.writeFileSync(file, text);
  return file;
}

/** Runs the gate as prompt.sh does, on a raw payload, with the log files newer than the index. */
function gate(index: string, payload: string, show = false, newer = ''): string {
  const file = path.join(path.dirname(index), 'payload.json');
  fs.writeFileSync(file, payload);
  const result = spawnSync(
    'awk',
    [...(show ? ['-v', 'show=1'] : []), '-f', gateScript, index, file, '-'],
    { input: newer, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
  );
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.trimEnd();
}

const promptPayload = (prompt: string, session = 'gate-1'): string =>
  JSON.stringify({ session_id: session, hook_event_name: 'UserPromptSubmit', prompt });

describe('the prompt gate reads a prompt as the engine does', () => {
  const prompts = [
    'Fix the login crash in the auth middleware',
    'Refactoring the caching layer: simplify ALL the handlers!',
    'add OAuth2 sign-in to the REST endpoints (see #123 and v2.0)',
    'migrations, migrating, migrated; documentation & documenting',
    'optimise slow queries\nin the Postgres schema\tnow',
    'the constructor of the valueOf toString class',
    'quoted "words" and back\\slashes and a/path/to/file.ts',
    'processes classes glasses status analysis buses',
    'ations ation ment ments ness ings ing ies ied sses ed es ers',
    `${'x'.repeat(40)} ${'y'.repeat(41)} 12345 a1 7b`,
    'the and of to',
    '   ',
    'control\u0001characters\u001fand\u007fdelete',
  ];

  test.for(prompts)('keywords and category of %j', (prompt) => {
    const index = writeIndex(promptIndexText([], []));
    const words = keywords(prompt);
    expect(gate(index, promptPayload(prompt), true)).toBe(
      `${words.join(' ')}|${inferCategory(words)}`,
    );
  });

  test('anything it cannot read exactly goes to the engine', () => {
    const index = writeIndex(promptIndexText([], []));
    for (const payload of [
      promptPayload('réparer le bug'),
      promptPayload('/agentops-core:implement add oauth'),
      promptPayload('  /review'),
      promptPayload('<command-name>/metrics</command-name>'),
      '{"session_id":"s","prompt":"fix \\u0041uth"}',
      '{"session_id":"s","prompt":"one","prompt":"two"}',
      '{"session_id":"s"}',
      '{"session_id":"s","prompt":"never closed',
    ])
      expect(gate(index, payload)).toBe('node');
    expect(gate(writeIndex('something else\n'), promptPayload('fix it'))).toBe('node');
    // A log file newer than the index: the index is not trusted.
    expect(gate(index, promptPayload('write a haiku'))).toBe('skip');
    expect(
      gate(index, promptPayload('write a haiku'), false, '/s/executions/2026/02/x.jsonl\n'),
    ).toBe('node');
  });
});

describe('the prompt gate never hides a recommendation', () => {
  const world = defaultWorld(7);
  const log = generateLog(world, 400, 11).map((w) => w.execution);
  const patterns = extractPatterns(log, { rule: 'bayes' });
  const text = promptIndexText(log, [patterns, extractPatterns(log, { rule: 'legacy' })]);

  test('on held-out tasks of a benchmark world, with and without touched paths', () => {
    const index = writeIndex(text);
    let confident = 0;
    let skipped = 0;
    for (const task of heldOut(world, 80, 11)) {
      const verdict = gate(index, promptPayload(task.text, 'held-out'));
      const bare = suggest(task.text, patterns, log);
      if (!bare.abstained) {
        confident++;
        expect({ task: task.text, verdict }).toEqual({ task: task.text, verdict: 'node' });
      }
      if (task.paths.length > 0 && !suggest(task.text, patterns, log, task).abstained)
        expect(['node', 'paths held-out']).toContain(verdict);
      if (verdict === 'skip') skipped++;
    }
    // The world's tasks resemble its log: most need the engine, and it is often confident.
    expect(confident).toBeGreaterThan(15);
    expect(skipped).toBeLessThan(80);
  });

  test('prompts unlike any past task skip the engine, and the recommender agrees', () => {
    const index = writeIndex(text);
    for (const prompt of [
      'write a haiku about autumn',
      'what does this repository do',
      'rename the variable foo to bar',
      'explain the licence terms',
    ]) {
      expect(suggest(prompt, patterns, log).abstained).toBe(true);
      expect(gate(index, promptPayload(prompt))).toBe('skip');
    }
  });

  test('folders alone can lift a past task into the pool, so the session is asked about', () => {
    // Ten labelled runs of one workflow in `general`, with no keyword in common with the prompt:
    // a prompt in the same category whose session touched the same folder reaches the pool at
    // exactly 0.4.
    const runs: Execution[] = Array.from({ length: 10 }, (_u, i) => ({
      schema_version: 1,
      kind: 'execution',
      execution_id: `01J0000000000000000000000${String(i).padStart(1, '0')}`,
      session_id: `past-${i}`,
      started_at: `2026-02-0${1 + (i % 9)}T10:00:00.000Z`,
      ended_at: `2026-02-0${1 + (i % 9)}T10:10:00.000Z`,
      task: { category: 'general', keywords: ['alpha', 'beta'] },
      steps: [],
      signature: i % 2 === 0 ? ['agent:code-explorer', 'phase:implement'] : ['phase:implement'],
      outcome: { status: i % 2 === 0 ? 'success' : 'failure', source: 'tests' },
      paths: ['src/widgets/*.ts'],
    }));
    const found = extractPatterns(runs, { rule: 'bayes' });
    const index = writeIndex(promptIndexText(runs, [found]));
    expect(gate(index, promptPayload('gamma delta', 'sess-7'))).toBe('paths sess-7');
    expect(gate(index, promptPayload('gamma delta', '../escape'))).toBe('node');
    expect(suggest('gamma delta', found, runs).abstained).toBe(true);
  });

  test('every run with a known outcome is indexed, also one that follows no learned workflow', () => {
    // The recommender credits a similar run to its nearest workflow even when it followed none.
    const run = (
      i: number,
      signature: string[],
      status: Execution['outcome']['status'],
      words: string[],
    ): Execution => ({
      schema_version: 1,
      kind: 'execution',
      execution_id: `01J1000000000000000000000${i}`,
      session_id: `past-${i}`,
      started_at: `2026-03-0${1 + (i % 9)}T10:00:00.000Z`,
      ended_at: `2026-03-0${1 + (i % 9)}T10:10:00.000Z`,
      task: { category: 'general', keywords: words },
      steps: [],
      signature,
      outcome: { status, source: 'tests' },
      paths: [],
    });
    const runs = [
      ...Array.from({ length: 8 }, (_u, i) =>
        run(i, ['agent:code-explorer', 'phase:implement'], 'success', ['alpha', 'beta']),
      ),
      run(8, ['phase:docs'], 'failure', ['omega', 'beta']),
      run(9, ['phase:docs'], 'unknown', ['sigma']),
    ];
    const found = extractPatterns(runs, { rule: 'bayes' });
    expect(found.length).toBeGreaterThan(0);
    const lines = promptIndexText(runs, [found])
      .split('\n')
      .filter((line) => line.startsWith('run '));
    expect(lines).toHaveLength(9);
    expect(lines.filter((line) => line.endsWith(' omega beta'))).toHaveLength(1);
    expect(lines.some((line) => line.includes('sigma'))).toBe(false);
  });
});

/** A PATH whose `node` logs its arguments to `calls` and runs the real one. */
function loggingNode(calls: string): string {
  const bin = tempDir('agentops-node-');
  dirs.push(bin);
  fs.writeFileSync(
    path.join(bin, 'node'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >>'${calls}'\nexec '${process.execPath}' "$@"\n`,
    { mode: 0o755 },
  );
  return `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
}

describe('prompt.sh starts the engine only for prompts that could get a recommendation', () => {
  test('the same context as the engine gives, without Node for prompts unlike past tasks', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const past = provenTokenRefreshLog(['src/auth/*.ts']);
    expect(runCli(repo, ['record'], past).status).toBe(0);
    expect(runCli(repo, ['extract']).status).toBe(0);
    fs.writeFileSync(path.join(repo, '.agentops', 'config.json'), '{"autoLearn":false}');
    const index = path.join(repo, '.agentops', 'spool', '.prompt-index');
    expect(fs.readFileSync(index, 'utf8').split('\n')[0]).toBe('agentops-prompt-index 1');

    const calls = path.join(repo, 'node-calls.txt');
    const env = { ...process.env, PATH: loggingNode(calls) };
    const engineCalls = (): number =>
      fs.existsSync(calls)
        ? fs
            .readFileSync(calls, 'utf8')
            .split('\n')
            .filter((l) => l.includes('prompt-context')).length
        : 0;
    const ask = (session: string, prompt: string): string => {
      const body = JSON.stringify({
        session_id: session,
        cwd: repo,
        hook_event_name: 'UserPromptSubmit',
        prompt,
      });
      const hook = runPluginHook(repo, 'UserPromptSubmit', body, env);
      expect(hook.stderr).toBe('');
      expect(hook.status).toBe(0);
      // What the engine itself says for the same prompt in the same session.
      const direct = runCli(repo, ['prompt-context'], body);
      expect(hook.stdout).toBe(direct.stdout);
      return hook.stdout;
    };

    expect(ask('gate-a', 'write a haiku about autumn')).toBe('');
    expect(engineCalls()).toBe(0);
    expect(ask('gate-a', 'fix a token refresh race in the auth code')).toContain(
      '"additionalContext":"agentops-learn: past sessions in this repository found a workflow',
    );
    expect(engineCalls()).toBe(1);
    // A slash command is left to the engine.
    expect(ask('gate-a', '/agentops-meta-orchestrator:metrics')).toBe('');
    expect(engineCalls()).toBe(2);

    // A prompt sharing too little with past tasks gets nothing without Node, until the session
    // touches the folder they touched: then the engine is asked. It still abstains: the past tasks'
    // workflow is their default, suggested only to a prompt close to one of them in wording.
    expect(ask('gate-b', 'fix the page layout')).toBe('');
    expect(engineCalls()).toBe(2);
    const edit = JSON.stringify({
      session_id: 'gate-b',
      cwd: repo,
      hook_event_name: 'PostToolUse',
      tool_name: 'Edit',
      tool_input: { file_path: path.join(repo, 'src', 'auth', 'token.ts') },
      tool_response: {},
    });
    expect(runPluginHook(repo, 'PostToolUse', edit, env).status).toBe(0);
    expect(ask('gate-b', 'fix the page layout')).toBe('');
    expect(engineCalls()).toBe(3);

    // A log newer than the index is not trusted until the engine rewrites the index.
    const now = new Date();
    const logFile = fs
      .readdirSync(path.join(repo, '.agentops', 'executions'), { recursive: true })
      .map(String)
      .find((f) => f.endsWith('.jsonl'))!;
    fs.utimesSync(path.join(repo, '.agentops', 'executions', logFile), now, now);
    expect(ask('gate-c', 'write a haiku about autumn')).toBe('');
    expect(engineCalls()).toBe(4);
    const layout = storeLayout(undefined, repo);
    expect(isPromptIndexFresh(layout)).toBe(false);
    refreshPromptIndex(layout);
    expect(isPromptIndexFresh(layout)).toBe(true);
    expect(ask('gate-c', 'write a haiku about autumn')).toBe('');
    expect(engineCalls()).toBe(4);
  });
});

describe('the prompt index', () => {
  test('a rewrite that fails keeps the last index, leaves no temporary file and is logged', () => {
    const repo = makeRepo();
    dirs.push(repo);
    expect(runCli(repo, ['record'], provenTokenRefreshLog(['src/auth/*.ts'])).status).toBe(0);
    expect(runCli(repo, ['extract']).status).toBe(0);
    const spool = path.join(repo, '.agentops', 'spool');
    const index = fs.readFileSync(path.join(spool, '.prompt-index'));
    // The recommender's cache cannot be replaced by a file: the rewrite fails after it began.
    fs.rmSync(path.join(spool, '.recommender'));
    fs.mkdirSync(path.join(spool, '.recommender', 'in-the-way'), { recursive: true });
    const layout = storeLayout(undefined, repo);
    refreshPromptIndex(layout);
    expect(fs.readdirSync(spool).sort()).toEqual(['.prompt-index', '.recommender']);
    expect(fs.readFileSync(path.join(spool, '.prompt-index'))).toEqual(index);
    expect(fs.readFileSync(layout.backgroundLog, 'utf8')).toMatch(
      /^\S+ prompt index: EISDIR: illegal operation on a directory, rename '.+\.recommender\.\d+\.tmp' -> '.+\.recommender'\n$/,
    );
  });
});

describe('prompt.sh without the engine', () => {
  test('a prompt unlike past tasks is recorded byte for byte and judged by awk alone', () => {
    const repo = makeRepo();
    dirs.push(repo);
    expect(runCli(repo, ['record'], provenTokenRefreshLog(['src/auth/*.ts'])).status).toBe(0);
    expect(runCli(repo, ['extract']).status).toBe(0);
    // Only the shell, awk and a `node` that must not run: no cat, date, mv or grep (nor mkdir:
    // the inbox is there, as after a session's first event).
    const inbox = path.join(repo, '.agentops', 'spool', '.inbox');
    fs.mkdirSync(inbox);
    const bin = tempDir('agentops-bin-');
    dirs.push(bin);
    const ran = path.join(bin, 'node-ran');
    for (const tool of ['sh', 'awk']) {
      const found = spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
      fs.symlinkSync(found.stdout.trim(), path.join(bin, tool));
    }
    fs.writeFileSync(path.join(bin, 'node'), `#!/bin/sh\n: >'${ran}'\n`, { mode: 0o755 });
    // A payload that ends in a newline and holds escapes: copied exactly.
    const body = `${JSON.stringify({
      session_id: 'awk-only',
      cwd: repo,
      hook_event_name: 'UserPromptSubmit',
      prompt: 'write a "haiku" about autumn\\\nleaves',
    })}\n`;
    expect(runPluginHook(repo, 'UserPromptSubmit', body, { PATH: bin })).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
    expect(fs.existsSync(ran)).toBe(false);
    const names = fs.readdirSync(inbox);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^\d+-0-UserPromptSubmit\.json$/);
    expect(fs.readFileSync(path.join(inbox, names[0]!), 'utf8')).toBe(body);
    // A prompt only touched paths could lift (the gate's `paths`): awk reads the session's
    // events itself, finds none that names a path, and the engine is not asked.
    const paths = JSON.stringify({
      session_id: 'awk-only',
      cwd: repo,
      hook_event_name: 'UserPromptSubmit',
      prompt: 'fix the page layout',
    });
    expect(runPluginHook(repo, 'UserPromptSubmit', paths, { PATH: bin })).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
    expect(fs.existsSync(ran)).toBe(false);
    expect(
      fs
        .readdirSync(inbox)
        .map((name) => fs.readFileSync(path.join(inbox, name), 'utf8'))
        .sort(),
    ).toEqual([body, paths].sort());
  });
});
