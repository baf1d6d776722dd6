import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { tempDir } from './helpers/tree.ts';

// The real pre-commit (Debian's `pre-commit` package; `.ci/run` installs it) installs the hooks
// of `.pre-commit-hooks.yaml` from a git repository holding what a clone of this one holds for
// them (the hook file and `lint/bin/`, from the working tree), and runs them in a consumer's repo.
const repoRoot = path.resolve(import.meta.dirname, '../..');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

function write(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

/** A hook's status line, padded with dots to 79 columns as pre-commit prints it. */
const status = (name: string, result: string): string =>
  `${name}${'.'.repeat(79 - name.length - result.length)}${result}`;

const manifest = (version: string): string =>
  `{\n  "name": "deploy",\n  "version": ${version},\n  "description": "Deploy helpers",\n  "author": { "name": "Acme" }\n}\n`;

test('pre-commit installs both hooks from the repository and runs them', () => {
  const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  expect(version.status, 'pre-commit is not installed: apt-get install pre-commit').toBe(0);

  const hooks = tempDir('agentops-lint-hooks-');
  for (const file of ['.pre-commit-hooks.yaml', 'lint/bin', 'lint/package.json'])
    cpSync(path.join(repoRoot, file), path.join(hooks, file), { recursive: true });
  git(hooks, 'init', '-q');
  git(hooks, 'add', '-A');
  git(hooks, 'commit', '-q', '-m', 'hooks');
  const rev = git(hooks, 'rev-parse', 'HEAD');

  const project = tempDir('agentops-lint-precommit-');
  const home = tempDir('agentops-lint-precommit-home-');
  git(project, 'init', '-q');
  write(project, {
    '.pre-commit-config.yaml': `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: agentops-lint\n        args: [-f, compact]\n      - id: agentops-lint-staged\n        args: [-f, compact]\n`,
    'plugins/deploy/.claude-plugin/plugin.json': manifest('1'),
  });
  git(project, 'add', '-A');
  const env = { ...process.env, PRE_COMMIT_HOME: home, NO_COLOR: '1', SKIP: '' };
  const run = (...args: string[]) =>
    spawnSync('pre-commit', ['run', '--color', 'never', ...args], {
      cwd: project,
      encoding: 'utf8',
      env,
    });

  const failed = run('--all-files');
  const problem =
    'plugins/deploy/.claude-plugin/plugin.json:3:14-3:15 error schema Unexpected type `integer` for `/version`, expected a string';
  expect([failed.status, failed.stderr]).toEqual([1, '']);
  expect(failed.stdout.split('\n').filter((line) => !line.startsWith('[INFO]'))).toEqual([
    status('agentops-lint', 'Failed'),
    '- hook id: agentops-lint',
    '- exit code: 1',
    '',
    problem,
    '',
    status('agentops-lint (staged)', 'Failed'),
    '- hook id: agentops-lint-staged',
    '- exit code: 1',
    '',
    problem,
    '',
    '',
  ]);

  write(project, { 'plugins/deploy/.claude-plugin/plugin.json': manifest('"1.0.0"') });
  git(project, 'add', '-A');
  const passed = run('--all-files');
  expect([passed.status, passed.stderr]).toEqual([0, '']);
  expect(passed.stdout).toBe(
    [status('agentops-lint', 'Passed'), status('agentops-lint (staged)', 'Passed'), ''].join('\n'),
  );
}, 120_000);
