import fs from 'node:fs';
import path from 'node:path';
import { childProcessModule } from '../builtins.ts';
import { finalize } from '../finalize.ts';
import { acquireLock } from '../git.ts';
import type { HookEvent } from '../hook.ts';
import { eventFromPayload, hookEvents } from '../hook.ts';
import { refreshPromptIndex } from '../prompt-gate.ts';
import { listSpoolSessions, readSpoolSession, writeSpoolEvent } from '../spool.ts';
import type { StoreLayout } from '../store.ts';
import { ensureDataDir, logBackground, readConfig, storeLayout } from '../store.ts';
import type { CliIo, EngineCommand } from './registry.ts';

/** Starts `agentops-learn <args>` detached, so the caller returns at once. */
function spawnBackground(args: string[], layout: StoreLayout, io: CliIo): void {
  try {
    const child = childProcessModule().spawn(
      process.execPath,
      [io.self, ...args, '--store', layout.root, '--background'],
      { cwd: layout.repoRoot ?? io.cwd, detached: true, stdio: 'ignore', env: io.env },
    );
    child.on('error', (error) =>
      logBackground(layout, `background ${args.join(' ')}: ${error.message}`),
    );
    child.unref();
  } catch (error) {
    logBackground(layout, `background ${args.join(' ')}: ${(error as Error).message}`);
  }
}

function afterSessionBoundary(
  hook: HookEvent,
  session: string,
  layout: StoreLayout,
  io: CliIo,
): void {
  const config = readConfig(layout);
  if (hook === 'SessionEnd') {
    finalize(layout, {
      repoRoot: layout.repoRoot,
      storeTaskText: config.storeTaskText,
      only: session,
    });
    if (config.autoLearn) spawnBackground(['learn-background'], layout, io);
    return;
  }
  // A finaliser that crashed leaves an ended session behind: redo it in the background.
  const leftover = listSpoolSessions(layout).some(
    (name) =>
      name !== session &&
      readSpoolSession(layout, name).events.some((e) => e.event === 'session_end'),
  );
  if (leftover) spawnBackground(['finalize'], layout, io);
}

function storeFromArgv(argv: string[]): string | undefined {
  const index = argv.indexOf('--store');
  if (index !== -1) return argv[index + 1];
  const inline = argv.find((arg) => arg.startsWith('--store='));
  return inline?.slice('--store='.length);
}

function readPayload(io: CliIo): unknown {
  let raw: string;
  try {
    raw = io.stdin();
  } catch {
    raw = '';
  }
  if (raw.length > 10 * 1024 * 1024) return {};
  try {
    return JSON.parse(raw);
  } catch {
    return {};
  }
}

function runHook(argv: string[], io: CliIo): number {
  const event = argv[0];
  let layout: StoreLayout | undefined;
  try {
    const hook = hookEvents.find((name) => name === event);
    const payload = readPayload(io);
    const payloadCwd =
      typeof payload === 'object' &&
      payload !== null &&
      typeof (payload as { cwd?: unknown }).cwd === 'string'
        ? (payload as { cwd: string }).cwd
        : undefined;
    const cwd =
      payloadCwd !== undefined && path.isAbsolute(payloadCwd) && fs.existsSync(payloadCwd)
        ? payloadCwd
        : io.cwd;
    layout = storeLayout(storeFromArgv(argv), cwd);
    if (hook === undefined) {
      logBackground(
        layout,
        `hook: ignored unknown event ${JSON.stringify(String(event)).slice(0, 60)}`,
      );
      return 0;
    }
    ensureDataDir(layout);
    const spoolEvent = eventFromPayload(hook, payload, layout.repoRoot);
    writeSpoolEvent(layout, spoolEvent);
    if (hook === 'SessionEnd' || hook === 'SessionStart')
      afterSessionBoundary(hook, spoolEvent.session_id, layout, io);
  } catch (error) {
    if (layout !== undefined)
      logBackground(layout, `hook ${String(event)}: ${(error as Error).message}`);
  }
  return 0;
}

/** `hook`: records a Claude Code hook payload from stdin; never fails. */
export const hookCommand: EngineCommand = {
  name: 'hook',
  usage: 'hook <Event>',
  summary: ['record a Claude Code hook payload (stdin); never fails'],
  runRaw: runHook,
};

/**
 * `session-worker`: what `hooks/session.sh` starts in the background at a session boundary:
 * folds the inbox and every finished session into the log, then learns (detached) when
 * anything was added, and rewrites the prompt index.
 */
export const sessionWorkerCommand: EngineCommand = {
  name: 'session-worker',
  usage: 'session-worker <Event>',
  summary: ['fold finished sessions into the log and learn, in the background'],
  hidden: true,
  run({ layout, config, io }) {
    ensureDataDir(layout);
    // One worker at a time: a session's start and the previous one's end can overlap.
    const release = acquireLock(path.join(layout.dataDir, 'lock'), { waitMs: 120_000 });
    try {
      const result = finalize(layout, {
        repoRoot: layout.repoRoot,
        storeTaskText: config.storeTaskText,
      });
      if (config.autoLearn && result.appended > 0)
        spawnBackground(['learn-background'], layout, io);
      refreshPromptIndex(layout);
    } finally {
      release();
    }
    return 0;
  },
};
