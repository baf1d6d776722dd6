import type {
  Execution as ExecutionLine,
  ExecutionRecord,
  ExecutionRecordOutcome,
  OutcomeUpdate as OutcomeUpdateLine,
} from '../../../lint/src/generated/schema-types.ts';

/** One execution line (generated from `schemas/execution.schema.json`). */
export type Execution = ExecutionLine;

/** Later evidence about an execution. */
export type OutcomeUpdate = OutcomeUpdateLine;

/** Any log line. */
export type LogLine = ExecutionRecord;

/** How an execution ended. */
export type Outcome = ExecutionRecordOutcome;

/** One step of an execution. */
export type Step = Execution['steps'][number];

/** Where an outcome comes from. */
export type OutcomeSource = Outcome['source'];

/** One signal about an outcome. */
export type Signal = NonNullable<Outcome['signals']>[number];

/** Outcome sources that count in validation: objective signals and people, never the agent. */
export const objectiveSources: ReadonlySet<OutcomeSource> = new Set([
  'verify',
  'tests',
  'ci',
  'revert',
  'user',
]);

/** The label validation uses: `true` success, `false` failure, `undefined` not countable. */
export function labelOf(outcome: Outcome): boolean | undefined {
  if (!objectiveSources.has(outcome.source)) return undefined;
  if (outcome.status === 'success') return true;
  if (outcome.status === 'failure') return false;
  return undefined;
}
