import { fileURLToPath } from 'node:url';
import { main } from './cli.ts';
import { readStdin, writeStdout } from './stdio.ts';

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
