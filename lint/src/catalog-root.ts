import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** Whether `file` is a folder (through symlinks). */
export function isDir(file: string): boolean {
  try {
    // No error made for a missing path, the common answer while looking for a catalog root.
    return statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** Whether `dir` looks like a catalog: it holds a plugin, `patterns/` or `plugins/`. */
export function looksLikeRoot(dir: string): boolean {
  return ['.claude-plugin', 'patterns', 'plugins'].some((name) => isDir(path.join(dir, name)));
}

/**
 * The catalog root for a path inside it, `start` a folder: the nearest folder upward with a
 * marketplace, else the nearest that looks like a catalog, else `start` itself. The search ends at
 * the top of a git work tree. A run lints the catalog there, and a file argument watches the parts
 * of the work tree its loader reads (`work-tree-scope.ts`).
 */
export function findCatalogRoot(start: string): string {
  let candidate: string | undefined;
  for (let dir = start; ;) {
    if (existsSync(path.join(dir, '.claude-plugin', 'marketplace.json'))) return dir;
    if (candidate === undefined && looksLikeRoot(dir)) candidate = dir;
    const up = path.dirname(dir);
    if (up === dir || existsSync(path.join(dir, '.git'))) return candidate ?? start;
    dir = up;
  }
}
