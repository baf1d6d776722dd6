// A marketplace entry the linter reports as uninstallable, tried with the pinned Claude Code CLI
// before and after `agentops-lint --fix`: the install fails as the rule's note says, and succeeds
// once the fix is committed. Offline, with a throwaway HOME.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { claudeWorkspace, runClaude, type ClaudeRun } from './helpers/claude.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const fixture = path.join(
  repoRoot,
  'lint/test/fixtures/no-missing-plugin-source/invalid/dot-source-under-plugin-root',
);
const linter = path.join(repoRoot, 'lint/bin/agentops-lint.js');

let base = '';
let market = '';
let home = '';

const claude = (...args: string[]): ClaudeRun => runClaude(args, { cwd: market, home, tmp: base });

function commit(message: string): void {
  execFileSync('git', ['add', '-A'], { cwd: market });
  execFileSync(
    'git',
    [
      ...['-c', 'user.name=AgentOps Test', '-c', 'user.email=test@agentops.invalid'],
      ...['-c', 'commit.gpgsign=false'],
      ...['commit', '-q', '-m', message],
    ],
    { cwd: market, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } },
  );
}

beforeAll(() => {
  ({ base, home } = claudeWorkspace('agentops-install-fix-'));
  market = path.join(base, 'acme-tools');
  fs.cpSync(fixture, market, {
    recursive: true,
    filter: (src) => !['expected.txt', 'fixed'].includes(path.relative(fixture, src)),
  });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: market });
  commit('acme-tools');
});

afterAll(() => {
  if (base !== '') fs.rmSync(base, { recursive: true, force: true });
});

test('a ./ source meant under metadata.pluginRoot installs once agentops-lint --fix names its folder (runs the real claude binary)', () => {
  expect(claude('plugin', 'marketplace', 'add', market).status).toBe(0);
  // A bare name is read under pluginRoot; the `./` source is not.
  expect(claude('plugin', 'install', 'lint@acme-tools').status).toBe(0);
  const before = claude('plugin', 'install', 'deploy@acme-tools');
  expect(before.status).not.toBe(0);
  expect(before.stdout + before.stderr).toContain(
    `Source path does not exist: ${path.join(market, 'deploy')}`,
  );

  const fix = spawnSync(process.execPath, [linter, '--fix', '-f', 'compact'], {
    cwd: market,
    encoding: 'utf8',
  });
  // `review` exists nowhere: it stays, and nothing else is left.
  expect({ status: fix.status, stdout: fix.stdout, stderr: fix.stderr }).toEqual({
    status: 1,
    stdout:
      '.claude-plugin/marketplace.json:21:17-21:27 error no-missing-plugin-source Missing plugin folder `review`, expected an existing folder (relative sources resolve from the repository root)\n',
    stderr: '',
  });
  expect(fs.readFileSync(path.join(market, '.claude-plugin/marketplace.json'), 'utf8')).toBe(
    fs.readFileSync(path.join(fixture, 'fixed/.claude-plugin/marketplace.json'), 'utf8'),
  );
  commit('fix');

  expect(claude('plugin', 'marketplace', 'update', 'acme-tools').status).toBe(0);
  const after = claude('plugin', 'install', 'deploy@acme-tools');
  expect({ status: after.status, stderr: after.stderr }).toEqual({ status: 0, stderr: '' });
  expect(after.stdout).toContain('Successfully installed plugin: deploy@acme-tools');
});
