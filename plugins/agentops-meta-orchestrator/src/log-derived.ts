import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoreLayout } from './store.ts';

/**
 * Whether every one of `files` is newer than the log and the engine. Files the engine derives
 * from its log (the prompt gate's index, the recommender's inputs) are trusted only while they
 * are newer than every file and folder of the log, which the engine keeps at
 * `executions/YYYY/MM/`, and than the engine itself (every file of its folder: both bundles, or
 * the sources): any later write to the log, or a new engine, makes them stale. A tie is not
 * newer. `hooks/prompt.sh` applies the same test to the index with `test -nt`.
 */
export function isNewerThanLog(layout: StoreLayout, ...files: string[]): boolean {
  let at: bigint | undefined;
  try {
    for (const file of files) {
      const mtime = fs.statSync(file, { bigint: true }).mtimeNs;
      if (at === undefined || mtime < at) at = mtime;
    }
  } catch {
    return false;
  }
  if (at === undefined) return false;
  const dir = layout.executionsDir;
  try {
    const entries = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' });
    for (const entry of [dir, ...entries.map((name) => path.join(dir, name))])
      if (fs.statSync(entry, { bigint: true }).mtimeNs >= at) return false;
    // The engine is every file of its folder: the CLI's bundle and the prompt hook's beside it.
    const engineDir = path.dirname(fileURLToPath(import.meta.url));
    for (const name of fs.readdirSync(engineDir))
      if (fs.statSync(path.join(engineDir, name), { bigint: true }).mtimeNs >= at) return false;
    return true;
  } catch {
    return false;
  }
}
