import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The pinned Claude Code CLI (the `@anthropic-ai/claude-code` devDependency). */
const claudeBin = path.resolve(import.meta.dirname, '../../node_modules/.bin/claude');

/** Throws unless the pinned CLI is installed, saying how to get it. */
export function requireClaude(): void {
  if (!fs.existsSync(claudeBin)) {
    throw new Error(
      `${claudeBin} is missing: run \`npm install\` (@anthropic-ai/claude-code is a devDependency)`,
    );
  }
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
    // A fresh environment: nothing of the developer's configuration or credentials leaks in.
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: where.home,
      TMPDIR: where.tmp,
      NO_COLOR: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
    },
  });
  if (r.error !== undefined) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
