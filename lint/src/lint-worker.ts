import { parentPort, workerData } from 'node:worker_threads';
import type { CliOptions } from './cli-options.ts';
import { renderError } from './errors.ts';
import { runLint } from './run.ts';

/** What the CLI hands the worker: parsed options and the host facts a run needs. */
export interface WorkerInput {
  options: CliOptions;
  cwd: string;
  color: boolean;
}

/** Messages the worker sends back: progress lines, then the run's output or a failure. */
export type WorkerMessage =
  | { kind: 'progress'; text: string }
  | { kind: 'done'; output: Awaited<ReturnType<typeof runLint>> }
  | { kind: 'failed'; rendered: string };

const input = workerData as WorkerInput;

const post = (message: WorkerMessage): void => parentPort?.postMessage(message);
runLint(input.options, {
  cwd: input.cwd,
  readStdin: () => Promise.resolve(''),
  progress: (text) => post({ kind: 'progress', text }),
  color: input.color,
}).then(
  (output) => post({ kind: 'done', output }),
  // Errors are rendered here: their classes do not survive the trip between threads.
  (error: unknown) => post({ kind: 'failed', rendered: renderError(error) }),
);
