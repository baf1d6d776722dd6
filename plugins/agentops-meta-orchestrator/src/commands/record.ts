import { appendExecution } from '../finalize.ts';
import { normalizeImport } from '../import.ts';
import type { EngineCommand } from './registry.ts';

function parseStdinJson(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const data = JSON.parse(trimmed) as unknown;
    return Array.isArray(data) ? data : [data];
  } catch {
    return trimmed.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as unknown];
      } catch {
        return [];
      }
    });
  }
}

/** `record`: appends executions given as JSON or JSON lines on stdin. */
export const recordCommand: EngineCommand = {
  name: 'record',
  usage: 'record',
  summary: ['append executions given as JSON or JSON lines on stdin'],
  run({ layout, config, io }) {
    const now = new Date().toISOString();
    let appended = 0;
    let skipped = 0;
    for (const item of parseStdinJson(io.stdin())) {
      const execution = normalizeImport(item, { storeTaskText: config.storeTaskText, now });
      if (execution === undefined) skipped++;
      else if (appendExecution(layout, execution)) appended++;
    }
    io.stdout(
      `Recorded ${appended} execution${appended === 1 ? '' : 's'}${skipped > 0 ? ` (${skipped} invalid skipped)` : ''}\n`,
    );
    return skipped > 0 && appended === 0 ? 1 : 0;
  },
};
