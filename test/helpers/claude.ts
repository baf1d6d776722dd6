import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claudeBin, offlineClaudeEnv } from '../../scripts/claude-env.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Throws unless the pinned CLI is installed, saying how to get it. */
function requireClaude(): void {
  if (!fs.existsSync(claudeBin)) {
    throw new Error(
      `${claudeBin} is missing: run \`npm install\` (@anthropic-ai/claude-code is a devDependency)`,
    );
  }
}

/**
 * A throwaway folder for a test that runs the pinned CLI, with an empty `home/` inside it to run
 * it with: `base` is real (symlinks resolved), as the CLI reports paths. Throws first unless the CLI
 * is installed. The caller removes `base`.
 */
export function claudeWorkspace(prefix: string): { base: string; home: string } {
  requireClaude();
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const home = path.join(base, 'home');
  fs.mkdirSync(home);
  return { base, home };
}

export interface ClaudeRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the pinned CLI in `cwd` with `home` as HOME and `tmp` as TMPDIR, offline, with no stdin
 * and a minute at most.
 */
export function runClaude(
  args: readonly string[],
  where: { cwd: string; home: string; tmp: string },
): ClaudeRun {
  const r = spawnSync(claudeBin, args, {
    cwd: where.cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
    env: offlineClaudeEnv(where.home, where.tmp),
  });
  if (r.error !== undefined) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A verdict of `npm run conformance:mirror`, as far as the tests read it. */
export interface MirrorVerdict {
  path: string;
  kind: 'marketplace' | 'plugin';
  valid: boolean;
  errors: string[];
}

/** What `npm run conformance:mirror` writes for these repositories of the mirror at `mirror`. */
export function mirrorVerdicts(
  mirror: string,
  ids: readonly string[],
): { claudeCode: string; verdicts: MirrorVerdict[] } {
  const stdout = execFileSync(
    process.execPath,
    [
      'scripts/conformance/mirror-verdicts.ts',
      ...['--mirror', mirror],
      ...ids.flatMap((id) => ['--only', id]),
      ...['--out', '-'],
    ],
    { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 300_000 },
  );
  return JSON.parse(stdout) as { claudeCode: string; verdicts: MirrorVerdict[] };
}
