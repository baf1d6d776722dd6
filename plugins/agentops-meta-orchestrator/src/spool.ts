import fs from 'node:fs';
import path from 'node:path';
import type { StoreLayout } from './store.ts';
import type { VerificationKind } from './verification.ts';
import { ensureDir, storeHome, writeFileAtomic } from './store.ts';
import { ulid, ulidRe } from './ulid.ts';

/** One recorded hook or workflow event, as stored in the spool. */
export interface SpoolEvent {
  id: string;
  at: string;
  session_id: string;
  event:
    | 'session_start'
    | 'agent_start'
    | 'agent_stop'
    | 'tool'
    | 'stop'
    | 'session_end'
    | 'workflow_start'
    | 'workflow_end'
    | 'recommendation'
    | 'prompt';
  /**
   * The prompt the event belongs to (Claude Code's `prompt_id`): it files an event recorded in
   * the background under its own task whenever its hook wrote it.
   */
  prompt_id?: string;
  agent?: string;
  agent_id?: string;
  tool?: string;
  /** The tool call's id, whose place in the transcript orders it among the session's calls. */
  tool_use_id?: string;
  ok?: boolean;
  skill?: string;
  path?: string;
  /** The label of a test, build or type-check run. */
  test?: string;
  /** What the run checks (a run recorded without it is a test run). */
  check?: VerificationKind;
  /** Set when the exit status belongs to another command of the line (`npm test | tail`). */
  indecisive?: boolean;
  /** What the runner's output says. */
  output?: 'pass' | 'fail';
  /** A run started in the background: its id, whose task notification gives its result. */
  background?: string;
  /** A slash command that started the task (`implement`). */
  command?: string;
  exit_code?: number;
  command_hash?: string;
  model?: string;
  source?: string;
  reason?: string;
  transcript?: string;
  keywords?: string[];
  category?: string;
  text_hash?: string;
  text?: string;
  claimed?: 'success' | 'failure' | 'unknown';
  verify?: string;
  verify_hash?: string;
  pattern_ids?: string[];
  /** Steps of the first suggested pattern, to tell whether the execution followed it. */
  steps?: string[];
}

/** Session ids become folder names: anything else is mapped to a safe form. */
export function safeSessionId(raw: unknown): string {
  if (typeof raw === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(raw) && !/^\.+$/.test(raw))
    return raw;
  if (typeof raw === 'string' && raw !== '') {
    const cleaned = raw.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100);
    if (/^[A-Za-z0-9]/.test(cleaned)) return cleaned;
  }
  return 'unknown-session';
}

/**
 * Writes one event file `<spool>/<session>/<ulid>.json` (temp + fsync + rename; without the
 * fsync when `durable` is false, as the shell hooks write theirs). The id is new unless given (an
 * event converted from the inbox keeps the id its file's time gives it).
 */
export function writeSpoolEvent(
  layout: StoreLayout,
  event: Omit<SpoolEvent, 'id' | 'at'> & { at?: string; id?: string },
  durable = true,
): SpoolEvent {
  const id = event.id ?? ulid();
  const full: SpoolEvent = { ...event, id, at: event.at ?? new Date().toISOString() };
  const file = path.join(layout.spoolDir, full.session_id, `${id}.json`);
  ensureDir(path.dirname(file), storeHome(layout));
  writeFileAtomic(file, `${JSON.stringify(full)}\n`, durable);
  return full;
}

/** The session folders in the spool, sorted. */
export function listSpoolSessions(layout: StoreLayout): string[] {
  try {
    return fs
      .readdirSync(layout.spoolDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/** Reads a session's events in order, skipping temp files and anything unreadable. */
export function readSpoolSession(
  layout: StoreLayout,
  session: string,
): { events: SpoolEvent[]; files: string[] } {
  const dir = path.join(layout.spoolDir, session);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => /^[0-9A-Z]{26}\.json$/.test(name));
  } catch {
    return { events: [], files: [] };
  }
  names.sort();
  const events: SpoolEvent[] = [];
  const files: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    files.push(file);
    try {
      const stat = fs.lstatSync(file);
      if (!stat.isFile() || stat.size > 256 * 1024) continue;
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      if (typeof data !== 'object' || data === null) continue;
      const event = data as SpoolEvent;
      if (typeof event.id !== 'string' || !ulidRe.test(event.id)) continue;
      if (typeof event.at !== 'string' || typeof event.event !== 'string') continue;
      event.session_id = session;
      events.push(event);
    } catch {
      continue;
    }
  }
  return { events, files };
}

/** Removes spool files (and the session folder once empty). */
export function removeSpoolFiles(layout: StoreLayout, session: string, files: string[]): void {
  for (const file of files) {
    try {
      fs.unlinkSync(file);
    } catch {
      // Already gone: another finaliser got there first.
    }
  }
  try {
    const dir = path.join(layout.spoolDir, session);
    const rest = fs.readdirSync(dir);
    for (const name of rest) {
      // Temp files older than a minute belong to a writer that died mid-write.
      const file = path.join(dir, name);
      if (name.endsWith('.tmp') && Date.now() - fs.statSync(file).mtimeMs > 60_000)
        fs.unlinkSync(file);
    }
    if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  } catch {
    // Best effort.
  }
}

/** The session a `start`/`end`/`suggest` call belongs to: the env, else the latest live spool. */
export function activeSession(layout: StoreLayout, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env.AGENTOPS_SESSION_ID ?? env.CLAUDE_SESSION_ID ?? env.CLAUDE_CODE_SESSION_ID;
  if (fromEnv !== undefined && fromEnv !== '') return safeSessionId(fromEnv);
  let best: { name: string; mtime: number } | undefined;
  for (const name of listSpoolSessions(layout)) {
    try {
      const dir = path.join(layout.spoolDir, name);
      const mtime = fs.statSync(dir).mtimeMs;
      if (best === undefined || mtime > best.mtime) best = { name, mtime };
    } catch {
      continue;
    }
  }
  if (best === undefined) return undefined;
  const { events } = readSpoolSession(layout, best.name);
  if (events.some((event) => event.event === 'session_end')) return undefined;
  return best.name;
}
