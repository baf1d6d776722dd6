import fs from 'node:fs';

// Standard input and output as the engine's commands use them: read and written synchronously on
// the descriptors, never through `process.stdin`/`process.stdout`, whose streams load the network
// stack for a pipe (a fixed cost on every hook call).

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
export function readStdin(): string {
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
export function writeStdout(text: string): void {
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
