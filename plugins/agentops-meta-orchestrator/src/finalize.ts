import fs from 'node:fs';
import path from 'node:path';
import { explains } from './match.ts';
import { parseLogLine } from './log.ts';
import type { Execution, Outcome, Signal, Step } from './record.ts';
import type { SpoolEvent } from './spool.ts';
import { listSpoolSessions, readSpoolSession, removeSpoolFiles } from './spool.ts';
import type { StoreLayout } from './store.ts';
import { ensureDataDir, ensureDir } from './store.ts';
import { inferCategory, keywords, redact, sha256 } from './text.ts';
import { engineVersion } from './version.ts';

/** What the transcript adds, when its format is one we know. */
export interface TranscriptFacts {
  prompt?: string;
  version?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
}

const maxTranscriptBytes = 16 * 1024 * 1024;

function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    for (const part of content) {
      if (typeof part === 'object' && part !== null) {
        const item = part as Record<string, unknown>;
        if (item.type === 'text' && typeof item.text === 'string') return item.text;
      }
    }
  }
  return undefined;
}

/**
 * Reads a Claude Code transcript (JSONL) defensively: the first real user prompt, the Claude
 * Code version, the model and token usage. Anything unrecognised is skipped; a file that is not
 * a transcript yields no facts, and the execution is recorded from hook data alone.
 */
export function readTranscript(file: string | undefined): TranscriptFacts {
  const facts: TranscriptFacts = {};
  if (file === undefined) return facts;
  let text: string;
  try {
    const stat = fs.lstatSync(file);
    if (!stat.isFile()) return facts;
    const fd = fs.openSync(file, 'r');
    try {
      const size = Math.min(stat.size, maxTranscriptBytes);
      const buffer = Buffer.alloc(size);
      fs.readSync(fd, buffer, 0, size, 0);
      text = buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return facts;
  }
  let input = 0;
  let output = 0;
  let sawUsage = false;
  for (const line of text.split('\n')) {
    if (line === '' || line[0] !== '{') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof entry !== 'object' || entry === null) continue;
    const record = entry as Record<string, unknown>;
    if (facts.version === undefined && typeof record.version === 'string')
      facts.version = record.version.slice(0, 40);
    const message =
      typeof record.message === 'object' && record.message !== null
        ? (record.message as Record<string, unknown>)
        : undefined;
    if (message === undefined) continue;
    if (record.type === 'user' && facts.prompt === undefined && record.isMeta !== true) {
      const prompt = textOf(message.content);
      if (prompt !== undefined && !prompt.trimStart().startsWith('<') && prompt.trim() !== '')
        facts.prompt = prompt.slice(0, 4000);
    }
    if (record.type === 'assistant') {
      if (typeof message.model === 'string') facts.model = message.model.slice(0, 100);
      const usage = message.usage;
      if (typeof usage === 'object' && usage !== null) {
        const u = usage as Record<string, unknown>;
        for (const key of [
          'input_tokens',
          'cache_creation_input_tokens',
          'cache_read_input_tokens',
        ])
          if (typeof u[key] === 'number') input += u[key];
        if (typeof u.output_tokens === 'number') output += u.output_tokens;
        sawUsage = true;
      }
    }
  }
  if (sawUsage) {
    facts.inputTokens = Math.round(input);
    facts.outputTokens = Math.round(output);
  }
  return facts;
}

/** Collapses consecutive repeats of a step into one step with `retries`. */
function collapseRetries(steps: Step[]): Step[] {
  const out: Step[] = [];
  for (const step of steps) {
    const last = out[out.length - 1];
    if (last !== undefined && last.kind === step.kind && last.name === step.name) {
      last.retries = (last.retries ?? 0) + 1;
      if (step.status !== undefined) last.status = step.status;
      continue;
    }
    out.push({ ...step, retries: step.retries ?? 0 });
  }
  return out;
}

/** The canonical signature of steps: tools dropped, retries collapsed, parallel groups sorted. */
export function signatureOf(steps: readonly Step[]): string[] {
  const tokens: { token: string; group: number | undefined }[] = [];
  for (const step of steps) {
    if (step.kind === 'tool') continue;
    const name = step.name
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^-+|-+$/g, '');
    if (name === '') continue;
    tokens.push({ token: `${step.kind}:${name}`, group: step.parallel_group });
  }
  const out: string[] = [];
  for (let i = 0; i < tokens.length;) {
    const group = tokens[i]!.group;
    let j = i + 1;
    if (group !== undefined) while (j < tokens.length && tokens[j]!.group === group) j++;
    const block = tokens.slice(i, j).map((t) => t.token);
    if (group !== undefined) block.sort();
    for (const token of block) if (out[out.length - 1] !== token) out.push(token);
    i = j;
  }
  return out;
}

function outcomeOf(
  events: SpoolEvent[],
  verifyHash: string | undefined,
  claimed: SpoolEvent['claimed'],
): Outcome {
  const signals: Signal[] = [];
  let verify: Signal | undefined;
  let tests: Signal | undefined;
  for (const event of events) {
    if (event.event !== 'tool' || event.command_hash === undefined) continue;
    const exit = event.exit_code ?? (event.ok === false ? 1 : 0);
    if (verifyHash !== undefined && event.command_hash === verifyHash) {
      verify = { kind: 'verify', exit_code: exit };
      if (event.test !== undefined) verify.label = event.test;
      signals.push(verify);
    } else if (event.test !== undefined) {
      tests = { kind: 'tests', label: event.test, exit_code: exit };
      signals.push(tests);
    }
  }
  if (claimed !== undefined) signals.push({ kind: 'self_report', claimed });
  const decided = verify ?? tests;
  if (decided !== undefined) {
    return {
      status: decided.exit_code === 0 ? 'success' : 'failure',
      source: decided.kind,
      signals,
    };
  }
  if (claimed !== undefined) return { status: claimed, source: 'self_report', signals };
  return { status: 'unknown', source: 'none', signals };
}

/** Folds one segment of spool events into an execution (`undefined` when nothing ran). */
export function foldEvents(
  events: SpoolEvent[],
  context: { repoRoot: string | undefined; storeTaskText: boolean },
): Execution | undefined {
  const start = events.find((event) => event.event === 'workflow_start');
  // An explicit workflow is identified by its start, so several in one session stay distinct.
  const first = start ?? events[0];
  const last = events[events.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const end = [...events].reverse().find((event) => event.event === 'workflow_end');
  const sessionStart = events.find((event) => event.event === 'session_start');
  const steps: Step[] = [];
  const paths = new Set<string>();
  const open = new Map<string, Step>();
  const hasSubagentEvents = events.some((event) => event.event === 'agent_start');
  let group = 0;
  let groupOpen = false;
  for (const event of events) {
    if (event.event === 'agent_start' && event.agent !== undefined) {
      const step: Step = { kind: 'agent', name: event.agent, status: 'ok' };
      if (open.size > 0) {
        // Started while another subagent runs: the two ran in parallel.
        if (!groupOpen) {
          group++;
          groupOpen = true;
          for (const running of open.values()) running.parallel_group = group;
        }
        step.parallel_group = group;
      }
      steps.push(step);
      open.set(event.agent_id ?? `${event.agent}:${steps.length}`, step);
    } else if (event.event === 'agent_stop') {
      const key = event.agent_id ?? [...open.keys()].find((k) => open.get(k)?.name === event.agent);
      if (key !== undefined) open.delete(key);
      if (open.size === 0) groupOpen = false;
    } else if (event.event === 'tool') {
      if (event.agent !== undefined) {
        if (!hasSubagentEvents)
          steps.push({
            kind: 'agent',
            name: event.agent,
            status: event.ok === false ? 'failed' : 'ok',
          });
        else if (event.ok === false) {
          const match = [...steps]
            .reverse()
            .find((s) => s.kind === 'agent' && s.name === event.agent);
          if (match !== undefined) match.status = 'failed';
        }
      } else if (event.skill !== undefined) {
        steps.push({
          kind: 'skill',
          name: event.skill,
          status: event.ok === false ? 'failed' : 'ok',
        });
      } else if (event.path !== undefined) {
        paths.add(event.path);
        steps.push({
          kind: 'phase',
          name: 'implement',
          status: event.ok === false ? 'failed' : 'ok',
        });
      } else if (event.test !== undefined) {
        steps.push({
          kind: 'phase',
          name: 'test',
          status: event.exit_code === 0 ? 'ok' : 'failed',
        });
      }
    }
  }
  const collapsed = collapseRetries(steps);
  const signature = signatureOf(collapsed);
  const outcome = outcomeOf(events, end?.verify_hash, end?.claimed);
  if (collapsed.length === 0 && start === undefined && outcome.status === 'unknown')
    return undefined;
  const transcript = readTranscript(sessionStart?.transcript);
  let words = start?.keywords ?? [];
  let textHash = start?.text_hash;
  const text = start?.text;
  if (start === undefined && transcript.prompt !== undefined) {
    const prompt = redact(transcript.prompt);
    words = keywords(prompt);
    textHash = sha256(prompt).slice(0, 16);
  }
  const execution: Execution = {
    schema_version: 1,
    kind: 'execution',
    execution_id: first.id,
    session_id: first.session_id,
    started_at: first.at,
    ended_at: last.at,
    duration_ms: Math.max(0, Date.parse(last.at) - Date.parse(first.at)) || 0,
    task: { category: start?.category ?? inferCategory(words), keywords: words },
    trigger: {
      command: start !== undefined ? 'start' : 'hook',
      plugin: 'agentops-meta-orchestrator',
      version: engineVersion,
    },
    steps: collapsed,
    signature,
    paths: [...paths].sort(),
    outcome,
    environment: { engine_version: engineVersion },
  };
  if (textHash !== undefined) execution.task.text_hash = textHash;
  if (text !== undefined && context.storeTaskText) execution.task.text = text;
  if (context.repoRoot !== undefined)
    execution.repo = { fingerprint: sha256(path.basename(context.repoRoot)).slice(0, 12) };
  if (end?.verify !== undefined) execution.verify = end.verify;
  const recommendation = [...events].reverse().find((e) => e.event === 'recommendation');
  if (recommendation?.pattern_ids !== undefined)
    execution.recommendation = {
      pattern_ids: recommendation.pattern_ids,
      followed: recommendation.steps !== undefined && explains(signature, recommendation.steps),
    };
  if (transcript.inputTokens !== undefined && transcript.outputTokens !== undefined)
    execution.cost = {
      input_tokens: transcript.inputTokens,
      output_tokens: transcript.outputTokens,
    };
  const model = sessionStart?.model ?? transcript.model;
  if (model !== undefined) execution.environment!.model = model;
  if (transcript.version !== undefined)
    execution.environment!.claude_code_version = transcript.version;
  return execution;
}

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
  ensureDir(path.dirname(file));
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

/** Splits a session's events into finished segments: explicit workflows, or the whole session. */
function segments(
  events: SpoolEvent[],
  ended: boolean,
): { events: SpoolEvent[]; consumed: SpoolEvent[] }[] {
  const explicit = events.some((event) => event.event === 'workflow_start');
  if (!explicit) return ended ? [{ events, consumed: events }] : [];
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
    const parts = segments(events, ended);
    if (parts.length === 0) continue;
    sessions++;
    const consumedIds = new Set<string>();
    for (const part of parts) {
      const execution = part.events.length > 0 ? foldEvents(part.events, options) : undefined;
      if (execution !== undefined && appendExecution(layout, execution)) appended++;
      for (const event of part.consumed) consumedIds.add(event.id);
    }
    const dir = path.join(layout.spoolDir, session);
    const consumedFiles = files.filter((file) => {
      const id = path.basename(file, '.json');
      return consumedIds.has(id) || (ended && !events.some((e) => e.id === id));
    });
    removeSpoolFiles(layout, session, ended ? files : consumedFiles);
    void dir;
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
