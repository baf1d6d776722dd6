import path from 'node:path/posix';
import { resolveSourceUrl } from './list.ts';

/**
 * A repository's identity for de-duplication: host and path, lower-cased, without scheme,
 * credentials, `.git` or trailing slash (`github.com/owner/repo`). Local `file://` remotes keep
 * their scheme so they never collide with a hosted repository.
 */
export function repoKey(urlOrShorthand: string): string {
  const url = resolveSourceUrl(urlOrShorthand.trim());
  const scp = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(.+)$/.exec(url);
  let key: string;
  if (scp) {
    key = `${scp[1]}/${scp[2]}`;
  } else if (url.startsWith('file://')) {
    return `file://${url
      .slice('file://'.length)
      .replace(/\/+$/, '')
      .replace(/\.git$/, '')}`;
  } else {
    key = url.replace(/^[a-z+]+:\/\//i, '').replace(/^[^@/]*@/, '');
  }
  return key
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/:\d+\//, '/')
    .toLowerCase();
}

/** A plugin path inside a repository, normalized (`./plugins/x/` → `plugins/x`, root → `''`). */
export function normalizeRepoPath(written: string): string {
  const clean = path.normalize(`/${written.replaceAll('\\', '/')}`).replace(/^\/+|\/+$/g, '');
  return clean === '.' ? '' : clean;
}

/** `<repoKey>#<path>`: the same key means the same plugin in the same repository. */
export function sourceKey(repo: string, pluginPath: string): string {
  return `${repoKey(repo)}#${normalizeRepoPath(pluginPath)}`;
}
