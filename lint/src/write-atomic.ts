import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Temporary files made by this process, for a name no other write of it takes. */
let made = 0;

/**
 * Writes a file whole or not at all: into a temporary file beside it, renamed over it once
 * written, and removed when writing fails. `mode` gives the file's permission bits (a fixed file
 * keeps its own). Throws what the file system throws.
 */
export function writeAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  // The process id keeps other processes' names apart, the count this one's; the random part
  // only guards against a name left behind by an earlier process with the same id. Created
  // exclusively: a name taken all the same fails the write rather than sharing a file.
  const unique = `${process.pid}-${++made}-${Math.random().toString(36).slice(2, 8)}`;
  const temporary = `${file}.agentops-lint-${unique}.tmp`;
  try {
    writeFileSync(temporary, data, { flag: 'wx', ...(mode === undefined ? {} : { mode }) });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * `writeAtomic` for a file that only saves time later (a memo or listing in the git folder): its
 * folder made when missing, and nothing thrown when it cannot be written (the next run does the
 * work again).
 */
export function writeQuietly(file: string, data: string | Uint8Array): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeAtomic(file, data);
  } catch {
    // Unwritable (a read-only git folder, say): only speed is lost.
  }
}
