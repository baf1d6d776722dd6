import { LearnError } from '../git.ts';
import type { OutcomeSignal } from '../outcome.ts';
import { appendOutcomeUpdate, outcomeSignals } from '../outcome.ts';
import type { EngineCommand } from './registry.ts';
import { str } from './registry.ts';

/** `outcome`: later evidence about a logged execution. */
export const outcomeCommand: EngineCommand = {
  name: 'outcome',
  usage: 'outcome <execution_id>',
  summary: [
    'later evidence: --status success|failure',
    '[--signal ci|revert|tests|user] [--note "<text>"]',
  ],
  options: {
    status: { type: 'string' },
    signal: { type: 'string' },
    note: { type: 'string' },
  },
  run({ values, positionals, layout, io }) {
    const id = positionals[0];
    if (id === undefined)
      throw new LearnError('Missing execution id, expected `outcome <execution_id> --status <s>`');
    const status = str(values.status);
    if (status !== 'success' && status !== 'failure')
      throw new LearnError(
        `Unexpected status \`${String(status)}\`, expected \`--status success\` or \`--status failure\``,
      );
    const signalArg = str(values.signal);
    const signal: OutcomeSignal | undefined =
      signalArg === undefined ? undefined : outcomeSignals.find((s) => s === signalArg);
    if (signalArg !== undefined && signal === undefined)
      throw new LearnError(
        `Unexpected signal \`${signalArg}\`, expected ${outcomeSignals.map((s) => `\`${s}\``).join(', ')}`,
      );
    const result = appendOutcomeUpdate(layout, {
      executionId: id,
      status,
      signal,
      note: str(values.note),
      at: new Date().toISOString(),
    });
    const now = result.execution.outcome;
    io.stdout(
      result.counted
        ? `Recorded ${status} from ${signal ?? ''} for ${id}; its outcome is now ${now.status} (${now.source})\n`
        : `Recorded ${status} for ${id} as a self-report, which validation does not count (add \`--signal ci|revert|tests|user\` for objective evidence); its outcome is ${now.status} (${now.source})\n`,
    );
    return 0;
  },
};
