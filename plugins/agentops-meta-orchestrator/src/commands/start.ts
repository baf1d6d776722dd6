import { LearnError } from '../git.ts';
import { drainInbox } from '../inbox.ts';
import { activeSession, writeSpoolEvent } from '../spool.ts';
import { ensureDataDir } from '../store.ts';
import { inferCategory, kebab, keywords, redact, sha256 } from '../text.ts';
import { ulid } from '../ulid.ts';
import type { EngineCommand } from './registry.ts';
import { str } from './registry.ts';

/** `start`: starts an explicit workflow in the current session. */
export const startCommand: EngineCommand = {
  name: 'start',
  usage: 'start --task "<text>"',
  summary: ['start an explicit workflow [--category <c>]'],
  options: {
    task: { type: 'string' },
    category: { type: 'string' },
    session: { type: 'string' },
  },
  run({ values, positionals, layout, config, io }) {
    const task = str(values.task) ?? positionals.join(' ');
    if (task.trim() === '') throw new LearnError('Missing `--task`, expected the task description');
    ensureDataDir(layout);
    drainInbox(layout);
    const session = str(values.session) ?? activeSession(layout, io.env) ?? `manual-${ulid()}`;
    const text = redact(task.slice(0, 4000));
    const words = keywords(text);
    const category = str(values.category);
    const event = writeSpoolEvent(layout, {
      session_id: session,
      event: 'workflow_start',
      keywords: words,
      category:
        category !== undefined && kebab(category) !== '' ? kebab(category) : inferCategory(words),
      text_hash: sha256(text).slice(0, 16),
      ...(config.storeTaskText ? { text } : {}),
    });
    io.stdout(
      `Started execution ${event.id} (session ${session}, category ${event.category ?? ''})\n`,
    );
    return 0;
  },
};
