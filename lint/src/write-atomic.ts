import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { nodeCrypto } from './node-crypto.ts';

/**
 * Writes a file whole or not at all: into a temporary file beside it, renamed over it once
 * written, and removed when writing fails. `mode` gives the file's permission bits (a fixed file
 * keeps its own). Throws what the file system throws.
 */
export function writeAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  const temporary = `${file}.agentops-lint-${nodeCrypto().randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, data, mode === undefined ? undefined : { mode });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
