import path from 'node:path';
import { extractPatterns } from '../extract.ts';
import type { FederatedResult } from '../federated.ts';
import {
  federatedText,
  federationIndexFile,
  readFederatedIndex,
  suggestFederated,
} from '../federated.ts';
import { LearnError } from '../git.ts';
import { drainInbox } from '../inbox.ts';
import { readLog } from '../log.ts';
import { activeSession, readSpoolSession, writeSpoolEvent } from '../spool.ts';
import { findRepoRoot } from '../store.ts';
import { suggest } from '../suggest.ts';
import { kebab } from '../text.ts';
import type { EngineCommand } from './registry.ts';
import { str } from './registry.ts';

/**
 * External plugins for a task from the federated index: `--federation <file>` (relative to the
 * working directory), else `federation/index.json` of the enclosing repository when it exists.
 */
function federatedFor(
  task: string,
  fileArg: string | undefined,
  cwd: string,
): FederatedResult | undefined {
  if (fileArg !== undefined) {
    const plugins = readFederatedIndex(path.resolve(cwd, fileArg));
    if (plugins === undefined)
      throw new LearnError(`Missing federated index \`${fileArg}\`, expected a file`);
    return suggestFederated(task, plugins);
  }
  const root = findRepoRoot(cwd);
  const plugins =
    root === undefined ? undefined : readFederatedIndex(path.join(root, federationIndexFile));
  return plugins === undefined ? undefined : suggestFederated(task, plugins);
}

/** `suggest`: recommends a proven pattern for a task, or abstains. */
export const suggestCommand: EngineCommand = {
  name: 'suggest',
  usage: 'suggest "<task>"',
  summary: [
    'recommend a proven pattern or abstain [--json] [--category <c>];',
    'also external plugins from federation/index.json [--federation <file>]',
    "[--path <glob>]... (the session's edited paths are added)",
  ],
  options: {
    category: { type: 'string' },
    path: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    federation: { type: 'string' },
  },
  run({ values, positionals, layout, rule, io }) {
    const task = positionals.join(' ');
    if (task.trim() === '') throw new LearnError('Missing task, expected `suggest "<task>"`');
    const { executions } = readLog(layout.executionsDir);
    drainInbox(layout);
    const patterns = extractPatterns(executions, { rule });
    const category = str(values.category);
    const session = activeSession(layout, io.env);
    const paths = new Set(
      Array.isArray(values.path) ? values.path.filter((p) => typeof p === 'string') : [],
    );
    if (session !== undefined)
      for (const event of readSpoolSession(layout, session).events)
        if (typeof event.path === 'string') paths.add(event.path);
    const result = suggest(task, patterns, executions, {
      ...(category !== undefined ? { category: kebab(category) } : {}),
      ...(paths.size > 0 ? { paths: [...paths].sort() } : {}),
    });
    if (session !== undefined) {
      try {
        writeSpoolEvent(layout, {
          session_id: session,
          event: 'recommendation',
          pattern_ids: result.suggestions.map((s) => s.pattern_id),
          ...(result.suggestions[0] !== undefined ? { steps: result.suggestions[0].steps } : {}),
        });
      } catch {
        // Logging the recommendation is an aid; suggesting still works without it.
      }
    }
    const federated = federatedFor(task, str(values.federation), io.cwd);
    if (values.json === true) {
      const output = federated === undefined ? result : { ...result, federated };
      io.stdout(`${JSON.stringify(output, null, 2)}\n`);
      return 0;
    }
    if (result.abstained) io.stdout(`No suggestion: ${result.reason}. Use the default workflow.\n`);
    for (const s of result.suggestions) {
      io.stdout(
        `${s.pattern_id} (${s.status}): ${s.evidence}\n  steps: ${s.steps.join(' → ')}\n${s.verify !== null ? `  verify: ${s.verify}\n` : ''}`,
      );
    }
    if (federated !== undefined) io.stdout(federatedText(federated));
    return 0;
  },
};
