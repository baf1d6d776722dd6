import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson, logFileFor } from './finalize.ts';
import { LearnError } from './git.ts';
import { readLog } from './log.ts';
import type { Execution, Outcome, OutcomeSource, OutcomeUpdate } from './record.ts';
import { objectiveSources } from './record.ts';
import type { StoreLayout } from './store.ts';
import { ensureDataDir, ensureDir, storeHome } from './store.ts';
import { redact } from './text.ts';
import { ulidRe } from './ulid.ts';

/** Signals a person or CI can attach to later evidence. */
export const outcomeSignals = ['ci', 'revert', 'tests', 'user'] as const;

/** One of {@link outcomeSignals}. */
export type OutcomeSignal = (typeof outcomeSignals)[number];

/** What the `outcome` command was asked to record. */
export interface OutcomeRequest {
  executionId: string;
  status: 'success' | 'failure';
  /** The objective signal behind the evidence; without one the evidence is not counted. */
  signal: OutcomeSignal | undefined;
  note: string | undefined;
  /** ISO timestamp of the evidence. */
  at: string;
}

/**
 * Builds the `outcome_update` line for later evidence. Without a signal the evidence is recorded
 * as `self_report`: kept in the log, never counted in validation, and never allowed to replace
 * an objective outcome (see `foldLog`). A revert is always a failure with `rollback: true`.
 */
export function outcomeUpdate(request: OutcomeRequest): OutcomeUpdate {
  if (!ulidRe.test(request.executionId))
    throw new LearnError(
      `Unexpected execution id \`${request.executionId.slice(0, 40)}\`, expected a ULID such as \`01JD3V4Q9Z8X7W6V5T4S3R2Q1P\``,
    );
  if (request.signal === 'revert' && request.status !== 'failure')
    throw new LearnError(
      'Unexpected `--status success` with `--signal revert`, expected `failure`',
    );
  const source: OutcomeSource = request.signal ?? 'self_report';
  const signal: NonNullable<Outcome['signals']>[number] = { kind: source };
  const note = request.note === undefined ? '' : redact(request.note).replace(/\s+/g, ' ').trim();
  if (note !== '') signal.label = note.slice(0, 80);
  if (source === 'user' || source === 'self_report') signal.claimed = request.status;
  const outcome: Outcome = { status: request.status, source, signals: [signal] };
  if (request.signal === 'revert') outcome.rollback = true;
  return {
    schema_version: 1,
    kind: 'outcome_update',
    execution_id: request.executionId,
    at: request.at,
    outcome,
  };
}

/** Whether an outcome counts in validation. */
function isObjective(outcome: Outcome): boolean {
  return objectiveSources.has(outcome.source);
}

/**
 * Appends later evidence about a logged execution to that execution's log file (its session has
 * ended, so the file has no other writer) and returns the execution as it now reads.
 */
export function appendOutcomeUpdate(
  layout: StoreLayout,
  request: OutcomeRequest,
): { execution: Execution; file: string; counted: boolean } {
  const update = outcomeUpdate(request);
  const { executions } = readLog(layout.executionsDir);
  const execution = executions.find((e) => e.execution_id === request.executionId);
  if (execution === undefined)
    throw new LearnError(
      `Unknown execution \`${request.executionId}\`, expected the id of an execution in the log`,
    );
  ensureDataDir(layout);
  const file = logFileFor(layout, execution);
  ensureDir(path.dirname(file), storeHome(layout));
  const fd = fs.openSync(file, 'a', 0o644);
  try {
    fs.writeSync(fd, `${canonicalJson(update)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const after = readLog(layout.executionsDir).executions.find(
    (e) => e.execution_id === request.executionId,
  );
  return {
    execution: after ?? execution,
    file,
    counted: isObjective(update.outcome),
  };
}
