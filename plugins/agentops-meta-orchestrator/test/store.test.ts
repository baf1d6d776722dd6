import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { extractPatterns } from '../src/extract.ts';
import { acquireLock } from '../src/git.ts';
import { writePatternFiles } from '../src/pattern-file.ts';
import { refreshPromptIndex } from '../src/prompt-gate.ts';
import { writeSpoolEvent } from '../src/spool.ts';
import { ensureDataDir, logBackground, storeLayout } from '../src/store.ts';
import { defaultWorld, generateLog } from '../src/bench/world.ts';
import { provenTokenRefreshLog } from '../scripts/proven-log.ts';
import { git, loggedOutcomes, makeRepo, pluginRoot, runCli, tempDir, waitFor } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const record = JSON.stringify({
  session_id: 'store-1',
  started_at: '2026-04-01T10:00:00.000Z',
  task: { text: 'fix login bug' },
  steps: ['agent:code-explorer', 'phase:test'],
  outcome: { status: 'success', source: 'tests' },
});

describe('the store stays out of the user’s way', () => {
  test('nothing of it shows in git status or is swept in by git add -A', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const hook = runCli(
      repo,
      ['hook', 'PostToolUse'],
      JSON.stringify({
        session_id: 's1',
        cwd: repo,
        tool_name: 'Bash',
        tool_input: { command: 'npm test' },
      }),
    );
    expect(hook.status).toBe(0);
    expect(runCli(repo, ['record'], record).status).toBe(0);
    expect(runCli(repo, ['commit']).status).toBe(0);
    expect(fs.readFileSync(path.join(repo, '.agentops', '.gitignore'), 'utf8')).toBe(
      '# agentops-learn commits this store to refs/heads/agentops/memory, never to your branch.\n*\n',
    );
    expect(git(repo, 'status', '--porcelain')).toBe('');
    git(repo, 'add', '-A');
    expect(git(repo, 'diff', '--cached', '--name-only')).toBe('');
  });

  test('a store committed on the branch ignores only its working files', () => {
    const repo = makeRepo();
    dirs.push(repo);
    fs.mkdirSync(path.join(repo, '.agentops'));
    fs.writeFileSync(
      path.join(repo, '.agentops', 'config.json'),
      JSON.stringify({ commitMode: 'on-branch' }),
    );
    expect(runCli(repo, ['record'], record).status).toBe(0);
    expect(fs.readFileSync(path.join(repo, '.agentops', '.gitignore'), 'utf8')).toBe(
      'spool/\nlock/\nlearn.log\n*.tmp\n',
    );
    expect(git(repo, 'status', '--porcelain')).toBe('?? .agentops/');
  });

  test('an ignore file edited by hand is left alone', () => {
    const repo = makeRepo();
    dirs.push(repo);
    fs.mkdirSync(path.join(repo, '.agentops'));
    fs.writeFileSync(path.join(repo, '.agentops', '.gitignore'), 'spool/\n');
    expect(runCli(repo, ['record'], record).status).toBe(0);
    expect(fs.readFileSync(path.join(repo, '.agentops', '.gitignore'), 'utf8')).toBe('spool/\n');
  });
});

describe('a published store named by AGENTOPS_STORE', () => {
  /** Runs a hook script with a payload of session `session`, the store named by `store`. */
  const hook = (repo: string, store: string, event: string, body: object, script = 'record.sh') => {
    const payload = { session_id: 'pub-1', cwd: repo, hook_event_name: event, ...body };
    const result = spawnSync('sh', [path.join(pluginRoot, 'hooks', script), event], {
      cwd: repo,
      input: JSON.stringify(payload),
      encoding: 'utf8',
      env: { ...process.env, AGENTOPS_STORE: store },
    });
    return [result.status, result.stdout, result.stderr];
  };

  test.for(['absolute', 'patterns/'])(
    'the hooks record into its .log/ folder, whose spool the engine folds (%s)',
    (given) => {
      const repo = makeRepo();
      dirs.push(repo);
      const store = path.join(repo, 'patterns');
      const named = given === 'absolute' ? store : given;
      const prompt = { prompt: 'Fix the login crash in the auth middleware' };
      expect(hook(repo, named, 'UserPromptSubmit', prompt, 'prompt.sh')).toEqual([0, '', '']);
      const tests = {
        tool_name: 'Bash',
        tool_input: { command: 'npm test' },
        error: 'Exit code 1',
      };
      expect(hook(repo, named, 'PostToolUseFailure', tests)).toEqual([0, '', '']);
      expect(hook(repo, named, 'SessionEnd', { reason: 'other' })).toEqual([0, '', '']);
      // Made one folder at a time, with the ignore file the engine gives a published store.
      expect(fs.readdirSync(store)).toEqual(['.log']);
      expect(fs.readdirSync(path.join(store, '.log')).sort()).toEqual(['.gitignore', 'spool']);
      expect(fs.readFileSync(path.join(store, '.log', '.gitignore'), 'utf8')).toBe(
        'spool/\nlock/\nlearn.log\n*.tmp\n',
      );
      const inbox = path.join(store, '.log', 'spool', '.inbox');
      expect(fs.readdirSync(inbox)).toHaveLength(3);
      expect(runCli(repo, ['finalize', '--store', store])).toEqual({
        status: 0,
        stdout: 'Finalized 1 session, 1 execution added\n',
        stderr: '',
      });
      expect(fs.readdirSync(inbox)).toEqual([]);
      expect(loggedOutcomes(path.join(store, '.log', 'executions'))).toEqual([
        ['pub-1', ['auth', 'fix', 'middleware'], 'failure'],
      ]);
      // The log shows in git status to be committed; the spool does not.
      expect(git(repo, 'status', '--porcelain', '--untracked-files=all').split('\n')).toEqual([
        '?? patterns/.log/.gitignore',
        expect.stringMatching(/^\?\? patterns\/\.log\/executions\/2\d{3}\/\d{2}\/pub-1\.jsonl$/),
      ]);
    },
  );

  test('the prompt hook finds its pattern files and asks the engine', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const store = path.join(repo, 'patterns');
    const learn = (args: string[], input = '') => runCli(repo, [...args, '--store', store], input);
    expect(learn(['record'], provenTokenRefreshLog()).status).toBe(0);
    expect(learn(['extract']).status).toBe(0);
    fs.writeFileSync(path.join(store, '.log', 'config.json'), '{"autoLearn":false}');
    const [status, stdout, stderr] = hook(
      repo,
      store,
      'UserPromptSubmit',
      { prompt: 'fix a token refresh race in the auth code' },
      'prompt.sh',
    );
    expect([status, stderr]).toEqual([0, '']);
    expect(JSON.parse(stdout as string)).toMatchObject({
      hookSpecificOutput: {
        hookEventName: 'UserPromptSubmit',
        additionalContext: expect.stringContaining(
          'Pattern pat_2026-02-01_fix-race-ab8688 (validated): 6/6 on similar tasks',
        ) as string,
      },
    });
    expect(fs.readdirSync(path.join(store, '.log', 'spool', '.inbox'))).toHaveLength(1);
    expect(fs.existsSync(path.join(store, 'spool'))).toBe(false);
  });
});

describe('a repository removed before its background worker runs', () => {
  test('is not made again: the worker and the hooks write nothing there', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const gone = path.join(repo, 'gone');
    const store = path.join(gone, '.agentops');
    // The session worker and a hook, each started for the store of a repository that is gone.
    const worker = runCli(repo, ['session-worker', 'SessionEnd', '--store', store]);
    const background = runCli(repo, [
      'session-worker',
      'SessionEnd',
      '--store',
      store,
      '--background',
    ]);
    const hook = runCli(
      repo,
      ['hook', 'SessionEnd', '--store', store],
      JSON.stringify({ session_id: 's1', cwd: gone }),
    );
    expect(hook).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(worker).toEqual({
      status: 1,
      stdout: '',
      stderr: `The folder that holds the store, ${gone}, does not exist\n`,
    });
    expect(background).toEqual({ status: 1, stdout: '', stderr: '' });
    expect(fs.existsSync(gone)).toBe(false);
  });
});

describe('a repository removed while its background worker runs', () => {
  test('is not made again by any writer, each of which fails or does nothing', () => {
    const repo = makeRepo();
    dirs.push(repo);
    const layout = storeLayout(undefined, repo);
    ensureDataDir(layout);
    fs.rmSync(repo, { recursive: true });
    const patterns = extractPatterns(
      generateLog(defaultWorld(), 200, 3).map((entry) => entry.execution),
      { rule: 'bayes' },
    );
    expect(patterns.length).toBeGreaterThan(0);
    const gone = `The folder ${repo} does not exist`;
    expect(() => writeSpoolEvent(layout, { session_id: 's1', event: 'session_start' })).toThrow(
      gone,
    );
    expect(() => writePatternFiles(patterns, layout.patternsDir)).toThrow(
      `The folder ${layout.root} does not exist`,
    );
    expect(() => acquireLock(path.join(repo, '.git', 'agentops-learn.lock'))).toThrow(
      `The folder ${path.join(repo, '.git')} does not exist`,
    );
    // These two never throw.
    refreshPromptIndex(layout);
    logBackground(layout, 'a line for the background log');
    expect(fs.existsSync(repo)).toBe(false);
  });

  test.for(['.agentops', 'patterns'])(
    'the recording hook makes nothing when the folder that holds the store (%s) is gone',
    (name) => {
      const dir = tempDir();
      dirs.push(dir);
      const store = path.join(dir, 'gone', name);
      const hook = spawnSync('sh', [path.join(pluginRoot, 'hooks', 'record.sh'), 'PostToolUse'], {
        cwd: dir,
        input: JSON.stringify({ session_id: 's1', cwd: dir }),
        encoding: 'utf8',
        env: { ...process.env, AGENTOPS_STORE: store },
      });
      expect([hook.status, hook.stdout, hook.stderr]).toEqual([0, '', '']);
      expect(fs.readdirSync(dir)).toEqual([]);
    },
  );
});

/** Starts a process that takes the lock and holds it; resolves once it holds it. */
async function holdLock(lock: string): Promise<ChildProcess> {
  const worker = path.join(path.dirname(lock), 'hold-lock.mjs');
  const gitModule = pathToFileURL(path.join(pluginRoot, 'src', 'git.ts')).href;
  fs.writeFileSync(
    worker,
    `import { acquireLock } from ${JSON.stringify(gitModule)};
     acquireLock(${JSON.stringify(lock)});
     process.stdout.write('locked\\n');
     setInterval(() => {}, 1 << 30);
    `,
  );
  const holder = spawn(process.execPath, [worker], { stdio: ['ignore', 'pipe', 'inherit'] });
  let said = '';
  holder.stdout.on('data', (d: Buffer) => (said += d.toString()));
  expect(await waitFor(() => (said === 'locked\n' ? true : undefined), 30_000)).toBe(true);
  return holder;
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('the commit lock', () => {
  test('a lock whose owner was killed with kill -9 is taken over at once', async () => {
    const repo = makeRepo();
    dirs.push(repo);
    const lock = path.join(repo, '.git', 'agentops-learn.lock');
    const holder = await holdLock(lock);
    const owner = JSON.parse(fs.readFileSync(path.join(lock, 'owner.json'), 'utf8')) as {
      pid: number;
    };
    expect(owner.pid).toBe(holder.pid);
    // While its owner lives the lock holds: allowed no wait, taking it fails.
    expect(() => acquireLock(lock, { waitMs: 0 })).toThrow(
      'Another agentops-learn commit holds the store lock; try again later',
    );
    await killHard(holder);
    expect(fs.existsSync(lock)).toBe(true);
    // Its owner dead, the lock is taken over without waiting (waitMs 0 would throw otherwise).
    acquireLock(lock, { waitMs: 0 })();
    expect(fs.existsSync(lock)).toBe(false);
  });

  test('the next commit after a holder killed with kill -9 succeeds', async () => {
    const repo = makeRepo();
    dirs.push(repo);
    expect(runCli(repo, ['record'], record).status).toBe(0);
    const lock = path.join(repo, '.git', 'agentops-learn.lock');
    await killHard(await holdLock(lock));
    expect(fs.existsSync(lock)).toBe(true);
    const commit = runCli(repo, ['commit']);
    expect(commit.stderr).toBe('');
    expect(commit.stdout).toMatch(
      /^Committed 1 executions and 0 patterns to refs\/heads\/agentops\/memory \([0-9a-f]{12}\)\n$/,
    );
    expect(fs.existsSync(lock)).toBe(false);
  });
});
