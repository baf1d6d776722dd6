import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readVersion } from './cli-options.ts';

/**
 * What stored staged facts are valid for: the version, the compiled schemas (in `src/` and `dist/`)
 * and the folder of the running code, which a rebuild of the bundled command replaces. This module
 * sits beside `run.ts` (in the bundle, in the same folder of chunks), so both name the same folder.
 */
export function storeKey(version = readVersion()): string {
  const stamp = (url: URL): string => {
    try {
      const stat = statSync(fileURLToPath(url));
      return `${stat.size}:${stat.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  return `${version} ${stamp(new URL('./generated/validators.js', import.meta.url))} ${stamp(new URL('.', import.meta.url))}`;
}
