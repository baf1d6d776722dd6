import fs from 'node:fs';
import path from 'node:path';
import type { Execution, LogLine, Outcome, Step } from './record.ts';
import { objectiveSources } from './record.ts';
import { ulidRe } from './ulid.ts';

const timestampRe = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const sessionRe = /^[A-Za-z0-9._-]{1,128}$/;
const tokenRe = /^(agent|skill|command|phase):[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;
const categoryRe = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown, max = 200): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out = value.filter(
    (item): item is string => typeof item === 'string' && item.length <= max,
  );
  return out.length === value.length ? out : undefined;
}

/** Parses an outcome object, or `undefined` when it is malformed. */
export function parseOutcome(value: unknown): Outcome | undefined {
  if (!isRecord(value)) return undefined;
  const { status, source } = value;
  if (status !== 'success' && status !== 'failure' && status !== 'unknown') return undefined;
  const sources = ['verify', 'tests', 'ci', 'revert', 'user', 'self_report', 'none'] as const;
  const found = sources.find((s) => s === source);
  if (found === undefined) return undefined;
  const outcome: Outcome = { status, source: found };
  if (Array.isArray(value.signals)) {
    outcome.signals = [];
    for (const raw of value.signals) {
      if (!isRecord(raw)) continue;
      const kind = sources.find((s) => s === raw.kind && s !== 'none');
      if (kind === undefined || kind === 'none') continue;
      const signal: NonNullable<Outcome['signals']>[number] = { kind };
      if (typeof raw.label === 'string') signal.label = raw.label.slice(0, 80);
      if (Number.isInteger(raw.exit_code)) signal.exit_code = raw.exit_code as number;
      if (raw.claimed === 'success' || raw.claimed === 'failure' || raw.claimed === 'unknown')
        signal.claimed = raw.claimed;
      outcome.signals.push(signal);
    }
  }
  if (typeof value.rollback === 'boolean') outcome.rollback = value.rollback;
  return outcome;
}

function parseSteps(value: unknown): Step[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const steps: Step[] = [];
  for (const raw of value) {
    if (!isRecord(raw)) return undefined;
    const kinds = ['agent', 'skill', 'tool', 'command', 'phase'] as const;
    const kind = kinds.find((k) => k === raw.kind);
    if (kind === undefined || typeof raw.name !== 'string' || raw.name === '') return undefined;
    const step: Step = { kind, name: raw.name.slice(0, 100) };
    if (typeof raw.phase === 'string') step.phase = raw.phase;
    if (raw.status === 'ok' || raw.status === 'failed') step.status = raw.status;
    if (Number.isInteger(raw.retries) && (raw.retries as number) >= 0)
      step.retries = raw.retries as number;
    if (Number.isInteger(raw.parallel_group) && (raw.parallel_group as number) >= 0)
      step.parallel_group = raw.parallel_group as number;
    steps.push(step);
  }
  return steps;
}

/** Parses one log line defensively; `undefined` for anything that is not a valid line. */
export function parseLogLine(text: string): LogLine | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(data) || data.schema_version !== 1) return undefined;
  if (typeof data.execution_id !== 'string' || !ulidRe.test(data.execution_id)) return undefined;
  if (data.kind === 'outcome_update') {
    const outcome = parseOutcome(data.outcome);
    if (outcome === undefined || typeof data.at !== 'string' || !timestampRe.test(data.at))
      return undefined;
    return {
      schema_version: 1,
      kind: 'outcome_update',
      execution_id: data.execution_id,
      at: data.at,
      outcome,
    };
  }
  if (data.kind !== 'execution') return undefined;
  const { session_id, started_at, ended_at, task } = data;
  if (typeof session_id !== 'string' || !sessionRe.test(session_id)) return undefined;
  if (typeof started_at !== 'string' || !timestampRe.test(started_at)) return undefined;
  if (typeof ended_at !== 'string' || !timestampRe.test(ended_at)) return undefined;
  if (!isRecord(task) || typeof task.category !== 'string' || !categoryRe.test(task.category))
    return undefined;
  const keywords = strings(task.keywords, 40);
  const steps = parseSteps(data.steps);
  const signature = strings(data.signature);
  const outcome = parseOutcome(data.outcome);
  if (keywords === undefined || steps === undefined || signature === undefined) return undefined;
  if (outcome === undefined || !signature.every((token) => tokenRe.test(token))) return undefined;
  // Unknown extra fields are dropped: a newer writer's additions never break an older reader.
  const execution: Execution = {
    schema_version: 1,
    kind: 'execution',
    execution_id: data.execution_id,
    session_id,
    started_at,
    ended_at,
    task: { category: task.category, keywords },
    steps,
    signature,
    outcome,
  };
  if (typeof task.text_hash === 'string') execution.task.text_hash = task.text_hash;
  if (typeof task.text === 'string') execution.task.text = task.text;
  if (Number.isInteger(data.duration_ms)) execution.duration_ms = data.duration_ms as number;
  if (isRecord(data.repo) && typeof data.repo.fingerprint === 'string')
    execution.repo = { fingerprint: data.repo.fingerprint };
  const paths = strings(data.paths, 300);
  if (paths !== undefined) execution.paths = paths;
  if (typeof data.verify === 'string') execution.verify = data.verify;
  if (isRecord(data.recommendation)) {
    const ids = strings(data.recommendation.pattern_ids);
    if (ids !== undefined && typeof data.recommendation.followed === 'boolean')
      execution.recommendation = { pattern_ids: ids, followed: data.recommendation.followed };
  }
  if (isRecord(data.trigger)) {
    const trigger: NonNullable<Execution['trigger']> = {};
    for (const key of ['command', 'plugin', 'version'] as const) {
      const value = data.trigger[key];
      if (typeof value === 'string') trigger[key] = value;
    }
    execution.trigger = trigger;
  }
  if (isRecord(data.cost)) {
    const cost: NonNullable<Execution['cost']> = {};
    if (Number.isInteger(data.cost.input_tokens))
      cost.input_tokens = data.cost.input_tokens as number;
    if (Number.isInteger(data.cost.output_tokens))
      cost.output_tokens = data.cost.output_tokens as number;
    execution.cost = cost;
  }
  if (isRecord(data.environment)) {
    const environment: NonNullable<Execution['environment']> = {};
    for (const key of ['claude_code_version', 'model', 'engine_version'] as const) {
      const value = data.environment[key];
      if (typeof value === 'string') environment[key] = value;
    }
    execution.environment = environment;
  }
  return execution;
}

/** Lists the log files under an executions folder, sorted. */
export function listLogFiles(executionsDir: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(executionsDir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.endsWith('.jsonl'))
    .map((entry) => path.join(executionsDir, entry))
    .sort();
}

/**
 * Log lines from texts: executions deduplicated by id, the latest outcome update applied (an
 * update from a source that does not count never replaces an outcome from one that does).
 */
export function foldLog(texts: Iterable<string>): { executions: Execution[]; invalid: number } {
  const executions = new Map<string, Execution>();
  const updates: OutcomeUpdateLike[] = [];
  let invalid = 0;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const parsed = line.length > 1_000_000 ? undefined : parseLogLine(line);
      if (parsed === undefined) invalid++;
      else if (parsed.kind === 'outcome_update') updates.push(parsed);
      else if (!executions.has(parsed.execution_id)) executions.set(parsed.execution_id, parsed);
    }
  }
  updates.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  for (const update of updates) {
    const execution = executions.get(update.execution_id);
    // Evidence that does not count (a self-report) never overrides evidence that does.
    if (
      execution !== undefined &&
      (objectiveSources.has(update.outcome.source) ||
        !objectiveSources.has(execution.outcome.source))
    )
      execution.outcome = update.outcome;
  }
  const sorted = [...executions.values()].sort((a, b) =>
    a.started_at < b.started_at
      ? -1
      : a.started_at > b.started_at
        ? 1
        : a.execution_id < b.execution_id
          ? -1
          : a.execution_id > b.execution_id
            ? 1
            : 0,
  );
  return { executions: sorted, invalid };
}

interface OutcomeUpdateLike {
  execution_id: string;
  at: string;
  outcome: Outcome;
}

/** Reads every execution in a store's log. */
export function readLog(executionsDir: string): { executions: Execution[]; invalid: number } {
  const texts: string[] = [];
  for (const file of listLogFiles(executionsDir)) {
    try {
      const stat = fs.lstatSync(file);
      if (!stat.isFile() || stat.size > 64 * 1024 * 1024) continue;
      texts.push(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
  }
  return foldLog(texts);
}
