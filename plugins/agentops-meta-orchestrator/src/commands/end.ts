import { finalize } from '../finalize.ts';
import { LearnError } from '../git.ts';
import { commandHash } from '../hook.ts';
import { drainInbox } from '../inbox.ts';
import type { StoreLayout } from '../store.ts';
import { activeSession, listSpoolSessions, readSpoolSession, writeSpoolEvent } from '../spool.ts';
import { redact } from '../text.ts';
import type { EngineCommand } from './registry.ts';
import { str } from './registry.ts';

function latestWorkflowSession(layout: StoreLayout): string | undefined {
  let best: { session: string; id: string } | undefined;
  for (const session of listSpoolSessions(layout)) {
    for (const event of readSpoolSession(layout, session).events) {
      if (event.event === 'workflow_start' && (best === undefined || event.id > best.id))
        best = { session, id: event.id };
    }
  }
  return best?.session;
}

/** `end`: ends the explicit workflow and folds it into the log. */
export const endCommand: EngineCommand = {
  name: 'end',
  usage: 'end --outcome <o>',
  summary: ['end it: success | failure | unknown [--verify "<cmd>"]'],
  options: {
    outcome: { type: 'string' },
    verify: { type: 'string' },
    session: { type: 'string' },
  },
  run({ values, positionals, layout, config, io }) {
    const outcome = str(values.outcome) ?? positionals[0];
    if (outcome !== 'success' && outcome !== 'failure' && outcome !== 'unknown')
      throw new LearnError(
        `Unexpected outcome \`${String(outcome)}\`, expected \`success\`, \`failure\` or \`unknown\``,
      );
    drainInbox(layout);
    const session =
      str(values.session) ?? activeSession(layout, io.env) ?? latestWorkflowSession(layout);
    if (session === undefined)
      throw new LearnError('No execution was started; run `start --task "<task>"` first');
    const verify = str(values.verify);
    writeSpoolEvent(layout, {
      session_id: session,
      event: 'workflow_end',
      claimed: outcome,
      ...(verify !== undefined
        ? { verify: redact(verify.slice(0, 200)), verify_hash: commandHash(verify) }
        : {}),
    });
    const result = finalize(layout, {
      repoRoot: layout.repoRoot,
      storeTaskText: config.storeTaskText,
      only: session,
    });
    io.stdout(`Ended the execution (${outcome} claimed); ${result.appended} added to the log\n`);
    return 0;
  },
};
