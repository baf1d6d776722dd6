import path from 'node:path';

/** The pinned Claude Code CLI (the `@anthropic-ai/claude-code` devDependency). */
export const claudeBin = path.resolve(import.meta.dirname, '../node_modules/.bin/claude');

/**
 * An environment for the pinned CLI that reaches no network beyond what a command needs and reads
 * nothing of the developer's configuration or credentials: `home` as HOME, `tmp` as TMPDIR.
 */
export function offlineClaudeEnv(home: string, tmp: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    TMPDIR: tmp,
    NO_COLOR: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
  };
}
