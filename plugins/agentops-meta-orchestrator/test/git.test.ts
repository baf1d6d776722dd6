import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { bundle, git, logLines, makeRepo, runCli, tempDir } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function records(n: number, offset = 0, session = 'imp'): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      JSON.stringify({
        session_id: `${session}-${(i + offset) % 7}`,
        started_at: new Date(
          Date.UTC(2026, 2, 1, 9, 0, 0) + (i + offset) * 3_600_000,
        ).toISOString(),
        task: { category: 'bug-fix', text: 'fix the token refresh race' },
        steps:
          i % 3 === 0
            ? ['agent:change-executor', 'phase:test']
            : ['agent:code-explorer', 'agent:change-executor', 'phase:test'],
        outcome: { status: i % 3 === 0 ? 'failure' : 'success', source: 'tests' },
        seq: i + offset,
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

function repoWithLog(n = 12): string {
  const repo = makeRepo();
  dirs.push(repo);
  expect(runCli(repo, ['record'], records(n)).status).toBe(0);
  return repo;
}

function runAsync(
  cwd: string,
  args: string[],
  input = '',
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle, ...args], {
      cwd,
      env: { ...process.env, AGENTOPS_SESSION_ID: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('commit to the side ref', () => {
  test('leaves the user staged changes staged and out of the commit', () => {
    const repo = repoWithLog();
    fs.writeFileSync(path.join(repo, 'app.ts'), 'export const x = 1;\n');
    fs.appendFileSync(path.join(repo, 'README.md'), 'more\n');
    git(repo, 'add', 'app.ts', 'README.md');
    const indexBefore = git(repo, 'diff', '--cached', '--name-status');
    const result = runCli(repo, ['commit']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /^Committed 12 executions and \d+ patterns to refs\/heads\/agentops\/memory \([0-9a-f]{12}\)\n$/,
    );
    expect(git(repo, 'diff', '--cached', '--name-status')).toBe(indexBefore);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(git(repo, 'rev-parse', 'main'));
    const files = git(repo, 'ls-tree', '-r', '--name-only', 'agentops/memory').split('\n');
    expect(files).not.toContain('app.ts');
    expect(files).not.toContain('README.md');
    expect(files.filter((f) => f.startsWith('.agentops/executions/'))).toHaveLength(7);
    expect(files.some((f) => f.startsWith('.agentops/patterns/bug-fix/pat_'))).toBe(true);
    const body = git(repo, 'log', '-1', '--format=%B', 'agentops/memory');
    expect(body).toMatch(
      /\nLearn-Log-Digest: sha256:[0-9a-f]{32}\nLearn-Engine: agentops-learn 0\.1\.0$/,
    );
    expect(runCli(repo, ['commit']).stdout).toMatch(/^Nothing new to commit/);
  });

  test('two concurrent commits both land on the side ref', async () => {
    const repo = repoWithLog(6);
    const clone = fs.realpathSync(tempDir('agentops-clone-'));
    dirs.push(clone);
    // A second work tree of the same repository with its own log.
    git(repo, 'worktree', 'add', '-q', '--detach', path.join(clone, 'wt'));
    const other = path.join(clone, 'wt');
    expect(runCli(other, ['record'], records(5, 100, 'other')).status).toBe(0);
    const [a, b] = await Promise.all([runAsync(repo, ['commit']), runAsync(other, ['commit'])]);
    expect([a, b].map((r) => r.stderr)).toEqual(['', '']);
    expect([a.status, b.status]).toEqual([0, 0]);
    const count = git(repo, 'rev-list', '--count', 'agentops/memory');
    expect(Number(count)).toBeGreaterThanOrEqual(1);
    const files = git(repo, 'ls-tree', '-r', '--name-only', 'agentops/memory').split('\n');
    const logs = files.filter((f) => f.startsWith('.agentops/executions/'));
    const text = logs.map((f) => git(repo, 'show', `agentops/memory:${f}`)).join('\n');
    const ids = new Set(
      text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => (JSON.parse(l) as { execution_id: string }).execution_id),
    );
    expect(ids.size).toBe(11);
  });

  test('refuses during a rebase and loses nothing', () => {
    const repo = repoWithLog(4);
    git(repo, 'checkout', '-q', '-b', 'feature');
    fs.writeFileSync(path.join(repo, 'README.md'), '# feature\n');
    git(repo, 'commit', '-q', '-am', 'feature');
    git(repo, 'checkout', '-q', 'main');
    fs.writeFileSync(path.join(repo, 'README.md'), '# main\n');
    git(repo, 'commit', '-q', '-am', 'main');
    git(repo, 'checkout', '-q', 'feature');
    const rebase = spawn('git', ['rebase', 'main'], { cwd: repo });
    return new Promise<void>((resolve) => {
      rebase.on('close', () => {
        const result = runCli(repo, ['commit']);
        expect(result.status).toBe(1);
        expect(result.stderr).toBe(
          'Refusing to commit learned memory while a rebase is in progress; finish or abort the rebase and run commit again (nothing was lost: the log is kept in the store)\n',
        );
        expect(logLines(path.join(repo, '.agentops', 'executions'))).toHaveLength(4);
        expect(() => git(repo, 'rev-parse', '--verify', '--quiet', 'agentops/memory')).toThrow();
        git(repo, 'rebase', '--abort');
        expect(runCli(repo, ['commit']).status).toBe(0);
        resolve();
      });
    });
  });

  test('on-branch commits only the store paths with git commit --only', () => {
    const repo = repoWithLog(5);
    fs.writeFileSync(path.join(repo, 'staged.txt'), 'mine\n');
    git(repo, 'add', 'staged.txt');
    const result = runCli(repo, ['commit', '--on-branch']);
    expect(result.status).toBe(0);
    const committed = git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n');
    expect(committed.every((f) => f.startsWith('.agentops/'))).toBe(true);
    expect(git(repo, 'diff', '--cached', '--name-only')).toBe('staged.txt');
  });

  test('a stale lock of a dead process is broken', () => {
    const repo = repoWithLog(3);
    const lock = path.join(repo, '.git', 'agentops-learn.lock');
    fs.mkdirSync(lock);
    fs.writeFileSync(
      path.join(lock, 'owner.json'),
      JSON.stringify({ pid: 999_999_999, host: 'x', at: 0 }),
    );
    const old = new Date(Date.now() - 11 * 60 * 1000);
    fs.utimesSync(lock, old, old);
    expect(runCli(repo, ['commit']).status).toBe(0);
    expect(fs.existsSync(lock)).toBe(false);
  });
});
