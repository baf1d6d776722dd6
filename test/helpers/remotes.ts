import { execFileSync } from 'node:child_process';

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    stdio: 'ignore',
  });
}

/**
 * Turns a folder into a git repository that federation sync can clone like a GitHub remote
 * (`file://` URL, branch `main`, partial clones allowed), with everything in one commit.
 */
export function commitAll(repo: string): void {
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'uploadpack.allowFilter', 'true');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Marketplace');
}
