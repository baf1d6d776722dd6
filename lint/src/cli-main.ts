import { fstatSync, writeSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import type * as NodeV8 from 'node:v8';
import type * as NodeVm from 'node:vm';
import { helpText, parseCliArgs, readVersion } from './cli-options.ts';
import { renderError } from './errors.ts';
import { prefetchGit } from './git-prefetch.ts';

// The command line after `cli.ts` has turned on the compile cache: argv, the run, the output.

/** Node's `v8` module, loaded on first use: short runs never tune the heap and skip its 5 ms. */
let v8Module: typeof NodeV8 | undefined;
const v8 = (): typeof NodeV8 =>
  (v8Module ??= createRequire(import.meta.url)('node:v8') as typeof NodeV8);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Whether standard output (1) or error (2) is a terminal. Only a character device can be one: for a
 * pipe or a file this takes one `fstat`, and Node never builds its stream (a few milliseconds, a
 * tenth of a short run).
 */
function isTerminal(fd: 1 | 2): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return (fd === 1 ? process.stdout : process.stderr).isTTY;
}

/** Progress on stderr: only on a TTY, only once the run has taken a while, cleared at the end. */
function createProgress(): { update: (text: string) => void; clear: () => void } {
  const started = Date.now();
  let shown = false;
  let enabled: boolean | undefined;
  return {
    update(text) {
      if (Date.now() - started < 400) return;
      enabled ??= !process.env.CI && isTerminal(2);
      if (!enabled) return;
      shown = true;
      writeOut(`\r\u001B[K${text}…`, 2);
    },
    clear() {
      if (shown) writeOut('\r\u001B[K', 2);
    },
  };
}

/** Size of V8's young generation (`new_space`) at which a full run stops its growth. */
const youngGenerationCap = 8 * 1024 * 1024;

/**
 * Garbage collection for a full run (the flags are process-wide; this process only lints). It
 * holds the plugins, one batch of patterns and the messages, yet allocates about a hundred bytes
 * per byte it reads. V8's young generation starts at 1 MiB and doubles up to 128 MiB while objects
 * survive: kept at 1 MiB, a run spends a third of its time in thousands of scavenges; left to
 * grow, the young generation alone takes most of the 150 MiB budget. Its size can be set only
 * when the process starts, so the returned hook, called as files are read, stops the growth at
 * 8 MiB (16 MiB does a tenth less work on the clean bench catalog, but half its runs peaked at
 * 152–155 MiB against 131–135); and
 * the old generation may grow by half before V8 collects it, instead of several times the live
 * data. Runs that take the stored facts (`--staged`, file arguments) read no file through the
 * hook: they are short and keep V8's defaults, which measured quickest for them.
 */
function tuneGarbageCollection(): () => void {
  let reads = 0;
  let capped = false;
  return () => {
    if (reads === 0) v8().setFlagsFromString('--heap-growing-percent=50');
    // Checked every few files: their garbage cannot double an 8 MiB space twice.
    if (capped || ++reads % 8 !== 0) return;
    const young = v8()
      .getHeapSpaceStatistics()
      .find((space) => space.space_name === 'new_space');
    if (!young || young.space_size < youngGenerationCap) return;
    v8().setFlagsFromString('--semi-space-growth-factor=1');
    capped = true;
  };
}

/**
 * A full garbage collection, now. V8 hands `gc` only to contexts made after `--expose-gc` is set,
 * so a fresh context fetches it. A full run calls it once the plugins it loaded are garbage: left
 * to V8, they are collected only after the first pattern batches have piled up on top of them
 * (about 9 MiB more peak memory on the 22,000-file bench catalog).
 */
function collectGarbage(): void {
  try {
    v8().setFlagsFromString('--expose-gc');
    // Node's `vm`, loaded here only: a run that never collects never loads it.
    const vm = createRequire(import.meta.url)('node:vm') as typeof NodeVm;
    const gc: unknown = vm.runInNewContext('gc');
    if (typeof gc === 'function') (gc as () => void)();
  } catch {
    // Only memory is at stake.
  }
}

/** Standard streams whose reader has gone (`EPIPE`): what is left for them is dropped. */
const gone = new Set<number>();

/**
 * Writes text to standard output (1) or error (2). A pipe or a file takes the bytes directly, a
 * terminal (or a descriptor that would block) through Node's stream. Text goes in pieces: Node
 * encodes a string for a write in one buffer that can be three times its length, which for the
 * report of a message-heavy run is tens of MiB at once. A reader that stops reading
 * (`agentops-lint . | head`) ends the output quietly: the run's exit code stays.
 */
function writeOut(text: string, fd: 1 | 2 = 1): void {
  let start = 0;
  while (start < text.length && !gone.has(fd)) {
    let end = Math.min(start + (1 << 20), text.length);
    // Never between the two halves of a surrogate pair, which would be encoded as two U+FFFD.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    writePiece(fd, text.slice(start, end));
    start = end;
  }
}

/** Descriptors written through Node's stream from now on. */
const streamed = new Set<number>();

function writePiece(fd: 1 | 2, text: string | Buffer): void {
  if (!streamed.has(fd) && (process.platform === 'win32' || isTerminal(fd))) streamed.add(fd);
  if (streamed.has(fd)) {
    const stream = fd === 1 ? process.stdout : process.stderr;
    if (stream.listenerCount('error') === 0)
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        gone.add(fd);
      });
    stream.write(text);
    return;
  }
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(fd, bytes, written);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') gone.add(fd);
    else if (code === 'EAGAIN') {
      // Left non-blocking by whoever shares it: Node's stream waits for it to take more.
      streamed.add(fd);
      writePiece(fd, bytes.subarray(written));
    } else throw error;
  }
}

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  if (options.help) {
    writeOut(helpText);
    return;
  }
  if (options.version) {
    writeOut(`${readVersion()}\n`);
    return;
  }
  const progress = createProgress();
  const color = !process.env.NO_COLOR && process.env.TERM !== 'dumb' && isTerminal(1);
  const wantsColor =
    Boolean(color) || Boolean(process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0');
  const onRead = tuneGarbageCollection();
  try {
    const git = prefetchGit(options, process.cwd());
    await git.started;
    const { runLint } = await import('./run.ts');
    const output = await runLint(options, {
      cwd: process.cwd(),
      git,
      readStdin,
      progress: progress.update,
      color: wantsColor,
      onRead,
      collect: collectGarbage,
      write: (text) => {
        progress.clear();
        writeOut(text);
      },
    });
    progress.clear();
    writeOut(output.stdout);
    writeOut(output.stderr, 2);
    process.exitCode = output.exitCode;
  } finally {
    progress.clear();
  }
}

/**
 * Ends the process once the run is over, instead of letting Node free its heap page by page first:
 * the shell sees the exit about 10 ms sooner after a one-file run, 60 ms after a full one. Only
 * when every byte went out through `writeSync` (a stream may still hold some), and with the compile
 * cache written first: Node 22.1–22.9 keep one but cannot write it on demand, so there the process
 * exits by itself. Every file a run writes is written synchronously; a git it started and never
 * awaited (a prefetch the run turned out not to need) finishes on its own.
 */
function exitNow(): void {
  if (streamed.size > 0) return;
  const compileCache = module as {
    enableCompileCache?: unknown;
    flushCompileCache?: () => void;
  };
  if (compileCache.enableCompileCache !== undefined) {
    if (compileCache.flushCompileCache === undefined) return;
    compileCache.flushCompileCache();
  }
  process.exit();
}

void main()
  .catch((error: unknown) => {
    writeOut(renderError(error), 2);
    process.exitCode = 2;
  })
  .then(exitNow);
