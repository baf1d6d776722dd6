import fs from 'node:fs';
import path from 'node:path';
import { foldEvents } from './fold.ts';
import { drainInbox } from './inbox.ts';
import { parseLogLine } from './log.ts';
import type { Execution } from './record.ts';
import type { SpoolEvent } from './spool.ts';
import { listSpoolSessions, readSpoolSession, removeSpoolFiles } from './spool.ts';
import type { StoreLayout } from './store.ts';
import { ensureDataDir, ensureDir, storeHome } from './store.ts';
import { editTools, eventFromPayload } from './hook.ts';
import type { TranscriptCall } from './transcript.ts';
import { readTranscript } from './transcript.ts';
import { sha256 } from './text.ts';
import { ulidFrom } from './ulid.ts';

// Folding moved to fold.ts and transcripts to transcript.ts; exported here too so existing
// imports keep working.
export { foldEvents, signatureOf } from './fold.ts';
export { readTranscript } from './transcript.ts';

/** The log file an execution goes to: `executions/YYYY/MM/<session_id>.jsonl`. */
export function logFileFor(layout: StoreLayout, execution: Execution): string {
  const [year, month] = execution.started_at.split('-');
  return path.join(
    layout.executionsDir,
    year ?? '0000',
    month ?? '00',
    `${execution.session_id}.jsonl`,
  );
}

/** Canonical JSON of a log line (keys sorted, so the same line is always the same bytes). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
      return sorted;
    }
    return v;
  });
}

/**
 * Appends an execution line unless the file already holds that execution id (idempotent), as
 * one `write` on an append-only descriptor. Returns whether it was appended.
 */
export function appendExecution(layout: StoreLayout, execution: Execution): boolean {
  ensureDataDir(layout);
  const file = logFileFor(layout, execution);
  ensureDir(path.dirname(file), storeHome(layout));
  try {
    const existing = fs.readFileSync(file, 'utf8');
    if (existing.includes(`"execution_id":"${execution.execution_id}"`)) {
      for (const line of existing.split('\n')) {
        const parsed = line === '' ? undefined : parseLogLine(line);
        if (parsed?.execution_id === execution.execution_id && parsed.kind === 'execution')
          return false;
      }
    }
  } catch {
    // No file yet.
  }
  const fd = fs.openSync(file, 'a', 0o644);
  try {
    fs.writeSync(fd, `${canonicalJson(execution)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/**
 * Splits an ended session into one segment per task: each prompt (or slash command) starts a
 * task that runs until the next one. What happened before the first prompt belongs to the
 * first task; the session's start is shared by all. A session without prompts is one task.
 * An event that names a prompt of the session (`prompt_id`) belongs to that prompt's task
 * wherever its time put it: a hook run in the background may write after the next prompt's.
 */
function promptSegments(events: SpoolEvent[]): { events: SpoolEvent[]; consumed: SpoolEvent[] }[] {
  const sessionStart = events.find((event) => event.event === 'session_start');
  const taskOfPrompt = new Map<string, number>();
  let task = 0;
  let prompted = false;
  const byTime = events.map((event) => {
    if (event.event === 'prompt') {
      if (prompted) task++;
      prompted = true;
      if (event.prompt_id !== undefined && !taskOfPrompt.has(event.prompt_id))
        taskOfPrompt.set(event.prompt_id, task);
    }
    return task;
  });
  const parts = Array.from({ length: task + 1 }, (): SpoolEvent[] => []);
  events.forEach((event, i) => {
    if (event === sessionStart) return;
    const named =
      event.event === 'prompt' || event.prompt_id === undefined
        ? undefined
        : taskOfPrompt.get(event.prompt_id);
    parts[named ?? byTime[i]!]!.push(event);
  });
  return parts.map((part) => ({
    events: sessionStart !== undefined ? [sessionStart, ...part] : part,
    consumed: sessionStart !== undefined ? [sessionStart, ...part] : part,
  }));
}

/** Splits a session's events into finished segments: explicit workflows, or one per task. */
function segments(
  events: SpoolEvent[],
  ended: boolean,
): { events: SpoolEvent[]; consumed: SpoolEvent[] }[] {
  const explicit = events.some((event) => event.event === 'workflow_start');
  if (!explicit) return ended ? promptSegments(events) : [];
  const out: { events: SpoolEvent[]; consumed: SpoolEvent[] }[] = [];
  const sessionStart = events.find((event) => event.event === 'session_start');
  let current: SpoolEvent[] | undefined;
  let pendingRecommendation: SpoolEvent | undefined;
  const ambient: SpoolEvent[] = [];
  for (const event of events) {
    if (event.event === 'workflow_start') {
      if (current !== undefined) ambient.push(...current);
      // A suggestion shown just before `start` belongs to the workflow it started.
      current = pendingRecommendation !== undefined ? [event, pendingRecommendation] : [event];
      pendingRecommendation = undefined;
    } else if (current === undefined && event.event === 'recommendation') {
      if (pendingRecommendation !== undefined) ambient.push(pendingRecommendation);
      pendingRecommendation = event;
    } else if (current !== undefined) {
      current.push(event);
      if (event.event === 'workflow_end') {
        const withStart = sessionStart !== undefined ? [sessionStart, ...current] : current;
        out.push({
          events: withStart.filter((e, i, all) => all.indexOf(e) === i),
          consumed: current,
        });
        current = undefined;
      }
    } else if (event.event !== 'session_start' || ended) ambient.push(event);
  }
  // Subagent/tool events outside explicit workflows are dropped once the session has ended.
  if (ended)
    out.push({
      events: [],
      consumed: [
        ...ambient,
        ...(current ?? []),
        ...(pendingRecommendation ? [pendingRecommendation] : []),
        ...(sessionStart ? [sessionStart] : []),
      ],
    });
  return out;
}

/**
 * The session's events with its tool calls in the order the transcript made them: a hook run in
 * the background may write a call's event after the next call's. The calls the transcript names
 * take the places (and times) the calls held, in its order; every other event keeps its own.
 */
function inCallOrder(events: SpoolEvent[], toolUses: readonly string[]): SpoolEvent[] {
  const rank = new Map<string, number>();
  toolUses.forEach((id, i) => {
    if (!rank.has(id)) rank.set(id, i);
  });
  const ranked = (e: SpoolEvent): boolean => e.tool_use_id !== undefined && rank.has(e.tool_use_id);
  const calls = events.filter(ranked);
  const places = calls.map((e) => e.at);
  const ordered = [...calls].sort((a, b) => rank.get(a.tool_use_id!)! - rank.get(b.tool_use_id!)!);
  let next = 0;
  return events.map((event) => {
    if (!ranked(event)) return event;
    const call = ordered[next]!;
    const at = places[next++]!;
    return call.at === at ? call : { ...call, at };
  });
}

/**
 * The tools whose calls `hooks/hooks.json` records (its PostToolUse matcher; a test keeps the two
 * equal).
 */
export const recordedTools = new Set(['Task', 'Agent', 'Skill', 'Bash', ...editTools]);

/**
 * The session's events with the calls the transcript shows finished for one of the session's
 * own prompts but no hook recorded (its background hook stopped before it copied the payload),
 * each read from the transcript as from its hook's payload and placed at its result's time.
 */
function withMissedCalls(
  events: SpoolEvent[],
  calls: readonly TranscriptCall[],
  repoRoot: string | undefined,
): SpoolEvent[] {
  const prompts = new Set(
    events.flatMap((e) => (e.event === 'prompt' && e.prompt_id !== undefined ? [e.prompt_id] : [])),
  );
  const recorded = new Set(events.map((e) => e.tool_use_id));
  const session_id = events[0]?.session_id;
  const missed: SpoolEvent[] = [];
  for (const call of calls) {
    const ms = Date.parse(call.at ?? '');
    if (call.promptId === undefined || !prompts.has(call.promptId)) continue;
    if (recorded.has(call.id) || Number.isNaN(ms)) continue;
    if (!recordedTools.has(call.name) || session_id === undefined) continue;
    const payload = {
      session_id,
      prompt_id: call.promptId,
      tool_name: call.name,
      tool_input: call.input,
      tool_response: call.response,
      error: call.error,
      tool_use_id: call.id,
    };
    const hook = call.failed ? 'PostToolUseFailure' : 'PostToolUse';
    missed.push({
      ...eventFromPayload(hook, payload, repoRoot),
      id: ulidFrom(ms, `${session_id} ${call.id}`, sha256),
      at: new Date(ms).toISOString(),
    });
  }
  if (missed.length === 0) return events;
  // Stable: events of the same millisecond keep their order.
  return [...events, ...missed].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Result of finalising. */
export interface FinalizeResult {
  appended: number;
  sessions: number;
}

/**
 * Folds finished work in the spool into the log: explicit workflows that ended, and sessions
 * that ended (or whose last event is older than `staleMs`). Safe to rerun after a crash.
 */
export function finalize(
  layout: StoreLayout,
  options: {
    repoRoot: string | undefined;
    storeTaskText: boolean;
    only?: string;
    staleMs?: number;
    now?: number;
  },
): FinalizeResult {
  drainInbox(layout);
  let appended = 0;
  let sessions = 0;
  const staleMs = options.staleMs ?? 12 * 60 * 60 * 1000;
  const now = options.now ?? Date.now();
  for (const session of listSpoolSessions(layout)) {
    if (options.only !== undefined && session !== options.only) continue;
    const { events, files } = readSpoolSession(layout, session);
    if (events.length === 0) {
      removeSpoolFiles(
        layout,
        session,
        files.filter((file) => isOld(file, now)),
      );
      continue;
    }
    const lastAt = Date.parse(events[events.length - 1]!.at);
    const ended = events.some((e) => e.event === 'session_end') || now - lastAt > staleMs;
    if (segments(events, ended).length === 0) continue;
    sessions++;
    const consumedIds = new Set<string>();
    const sessionStart = events.find((e) => e.event === 'session_start');
    const transcript = readTranscript(sessionStart?.transcript);
    const complete = ended
      ? withMissedCalls(events, transcript.calls ?? [], options.repoRoot)
      : events;
    const parts = segments(inCallOrder(complete, transcript.toolUses ?? []), ended);
    for (const part of parts) {
      const execution =
        part.events.length > 0 ? foldEvents(part.events, { ...options, transcript }) : undefined;
      if (execution !== undefined && appendExecution(layout, execution)) appended++;
      for (const event of part.consumed) consumedIds.add(event.id);
    }
    const consumedFiles = files.filter((file) => {
      const id = path.basename(file, '.json');
      return consumedIds.has(id) || (ended && !events.some((e) => e.id === id));
    });
    removeSpoolFiles(layout, session, ended ? files : consumedFiles);
  }
  return { appended, sessions };
}

function isOld(file: string, now: number): boolean {
  try {
    return now - fs.statSync(file).mtimeMs > 60_000;
  } catch {
    return false;
  }
}
