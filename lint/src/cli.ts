#!/usr/bin/env node
import { helpText, parseCliArgs, readVersion } from './cli-options.ts';
import { renderError } from './errors.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Progress on stderr: only on a TTY, only once the run has taken a while, cleared at the end. */
function createProgress(): { update: (text: string) => void; clear: () => void } {
  const started = Date.now();
  let shown = false;
  const enabled = process.stderr.isTTY && !process.env.CI;
  return {
    update(text) {
      if (!enabled || Date.now() - started < 400) return;
      shown = true;
      process.stderr.write(`\r\u001B[K${text}…`);
    },
    clear() {
      if (shown) process.stderr.write('\r\u001B[K');
    },
  };
}

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(helpText);
    return;
  }
  if (options.version) {
    process.stdout.write(`${readVersion()}\n`);
    return;
  }
  const progress = createProgress();
  const color = process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  try {
    const { runLint } = await import('./run.ts');
    const output = await runLint(options, {
      cwd: process.cwd(),
      readStdin,
      progress: progress.update,
      color: Boolean(color) || Boolean(process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0'),
    });
    progress.clear();
    process.stdout.write(output.stdout);
    process.stderr.write(output.stderr);
    process.exitCode = output.exitCode;
  } finally {
    progress.clear();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(renderError(error));
  process.exitCode = 2;
});
