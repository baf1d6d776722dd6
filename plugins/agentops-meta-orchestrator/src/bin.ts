import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from './cli.ts';

/**
 * Reads all of standard input synchronously. A pipe can be non-blocking (the parent's choice), so
 * `EAGAIN` means "not yet": wait a moment and read again, until end of file.
 */
function readStdin(): string {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(1 << 16);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let count: number;
    try {
      count = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
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

const hookMode = process.argv[2] === 'hook';
try {
  process.exitCode = main(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdin: readStdin,
    stdout: (text) => process.stdout.write(text),
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
