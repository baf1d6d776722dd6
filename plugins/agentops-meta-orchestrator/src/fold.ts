import path from 'node:path';
import { explains } from './match.ts';
import type { Execution, Outcome, Signal, Step } from './record.ts';
import type { SpoolEvent } from './spool.ts';
import type { TaskNotification, TranscriptFacts } from './transcript.ts';
import { readTranscript } from './transcript.ts';
import { inferCategory, keywords, redact, sha256 } from './text.ts';
import { engineVersion } from './version.ts';

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

/** The result of a run as the evidence shows it, and when that evidence arrived. */
function resultOf(
  event: SpoolEvent,
  notifications: readonly TaskNotification[],
): { exit: number; at: string } | undefined {
  if (event.background !== undefined) {
    // Launching a background command says nothing; its task notification does.
    const done = notifications.find((n) => n.task === event.background);
    if (done === undefined || (done.status !== 'completed' && done.status !== 'failed'))
      return undefined;
    const exit = done.exitCode ?? (done.status === 'failed' ? 1 : 0);
    return { exit: done.status === 'failed' && exit === 0 ? 1 : exit, at: done.at ?? event.at };
  }
  if (event.indecisive === true) {
    if (event.output === undefined) return undefined;
    return { exit: event.output === 'pass' ? 0 : 1, at: event.at };
  }
  return { exit: event.exit_code ?? (event.ok === false ? 1 : 0), at: event.at };
}

/**
 * The outcome from evidence only: the last run of the declared verify command when there is
 * one, else the last test, build or type-check run of the task (by when its result arrived).
 * What the agent claimed is kept as a signal and decides only when nothing ran.
 */
function outcomeOf(
  events: SpoolEvent[],
  verifyHash: string | undefined,
  claimed: SpoolEvent['claimed'],
  notifications: readonly TaskNotification[],
): Outcome {
  const runs: { signal: Signal; at: string }[] = [];
  for (const event of events) {
    if (event.event !== 'tool' || event.command_hash === undefined) continue;
    const isVerify = verifyHash !== undefined && event.command_hash === verifyHash;
    if (!isVerify && event.test === undefined) continue;
    const result = resultOf(event, isVerify ? [] : notifications);
    if (result === undefined) continue;
    const signal: Signal = isVerify
      ? { kind: 'verify', exit_code: result.exit }
      : { kind: 'tests', label: event.test!, exit_code: result.exit };
    if (isVerify && event.test !== undefined) signal.label = event.test;
    runs.push({ signal, at: result.at });
  }
  // Stable: runs whose results arrived at the same time keep their order.
  runs.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const signals = runs.map((run) => run.signal);
  if (claimed !== undefined) signals.push({ kind: 'self_report', claimed });
  const decided =
    signals.findLast((s) => s.kind === 'verify') ?? signals.findLast((s) => s.kind === 'tests');
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
  context: {
    repoRoot: string | undefined;
    storeTaskText: boolean;
    /** The session's transcript, when the caller has read it already. */
    transcript?: TranscriptFacts;
  },
): Execution | undefined {
  const start = events.find((event) => event.event === 'workflow_start');
  const prompt = start === undefined ? events.find((event) => event.event === 'prompt') : undefined;
  // A task is identified by what started it, so several in one session stay distinct.
  const first = start ?? prompt ?? events[0];
  const last = events[events.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const end = [...events].reverse().find((event) => event.event === 'workflow_end');
  const sessionStart = events.find((event) => event.event === 'session_start');
  const steps: Step[] = [];
  const paths = new Set<string>();
  const open = new Map<string, Step>();
  const hasSubagentEvents = events.some((event) => event.event === 'agent_start');
  const transcript = context.transcript ?? readTranscript(sessionStart?.transcript);
  const notifications = transcript.notifications ?? [];
  let group = 0;
  let groupOpen = false;
  if (prompt?.command !== undefined)
    steps.push({ kind: 'command', name: prompt.command, status: 'ok' });
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
        const result = resultOf(event, notifications);
        steps.push({
          kind: 'phase',
          name: event.check ?? 'test',
          status: result !== undefined && result.exit !== 0 ? 'failed' : 'ok',
        });
      }
    }
  }
  const collapsed = collapseRetries(steps);
  const signature = signatureOf(collapsed);
  const outcome = outcomeOf(events, end?.verify_hash, end?.claimed, notifications);
  if (collapsed.length === 0 && start === undefined && outcome.status === 'unknown')
    return undefined;
  const task = start ?? prompt;
  let words = task?.keywords ?? [];
  let textHash = task?.text_hash;
  const text = task?.text;
  if (task === undefined && transcript.prompt !== undefined) {
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
    task: { category: task?.category ?? inferCategory(words), keywords: words },
    trigger: {
      command:
        start !== undefined
          ? 'start'
          : prompt?.command !== undefined
            ? `/${prompt.command}`
            : 'hook',
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
