import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from './cli.ts';

const pause = new Int32Array(new SharedArrayBuffer(4));

function errorCode(error: unknown): unknown {
  return error instanceof Error && 'code' in error ? error.code : undefined;
}

/** Whether standard input is a terminal (or another device, which has no end to read to). */
function isStdinDevice(): boolean {
  try {
    // `process.stdin` would build a stream (and load the network stack for a pipe) only to ask.
    return fs.fstatSync(0).isCharacterDevice();
  } catch {
    return true;
  }
}

/**
 * Reads all of standard input synchronously. A pipe can be non-blocking (the parent's choice), so
 * `EAGAIN` means "not yet": wait a moment and read again, until end of file.
 */
function readStdin(): string {
  if (isStdinDevice()) return '';
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(1 << 16);
  for (;;) {
    let count: number;
    try {
      count = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 2);
        continue;
      }
      if (code === 'EOF') break;
      throw error;
    }
    if (count === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, count)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Writes to standard output synchronously, as `process.stdout` does for files and pipes, without
 * building that stream (which loads the network stack for a pipe): waits while a non-blocking
 * pipe is full, and stops quietly once its reader is gone.
 */
function writeStdout(text: string): void {
  const bytes = Buffer.from(text);
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(1, bytes, offset);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 2);
      else if (code === 'EPIPE') return;
      else throw error;
    }
  }
}

const hookMode = process.argv[2] === 'hook';
try {
  process.exitCode = main(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdin: readStdin,
    stdout: writeStdout,
    stderr: (text) => process.stderr.write(text),
    self: fileURLToPath(import.meta.url),
  });
} catch (error) {
  // A hook never fails the session; any other command reports an internal error.
  if (hookMode) process.exitCode = 0;
  else {
    process.stderr.write(
      `agentops-learn: internal error: ${(error as Error).stack ?? String(error)}\n`,
    );
    process.exitCode = 2;
  }
}
