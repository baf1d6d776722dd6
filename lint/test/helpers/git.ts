import { spawnSync } from 'node:child_process';

/**
 * Runs git in `dir` with a fixed author and unquoted paths, and returns its stdout; throws with
 * git's stderr when it fails.
 */
export function git(dir: string, ...args: string[]): string {
  const result = spawnSync(
    'git',
    [
      '-c',
      'user.name=Test',
      '-c',
      'user.email=test@example.org',
      '-c',
      'core.quotepath=off',
      ...args,
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}
