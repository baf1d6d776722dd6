import type { Rule } from '../extract.ts';
import { extractPatterns } from '../extract.ts';
import { parsePrompt } from '../hook.ts';
import { inboxPaths } from '../inbox.ts';
import { readLog } from '../log.ts';
import { describeStep } from '../pattern-file.ts';
import type { RecommenderInputs } from '../recommender-cache.ts';
import { readRecommenderCache } from '../recommender-cache.ts';
import { readSpoolSession, safeSessionId, writeSpoolEvent } from '../spool.ts';
import type { Suggestion } from '../suggest.ts';
import { suggest } from '../suggest.ts';
import type { StoreLayout } from '../store.ts';
import { logBackground, readConfig, storeLayout } from '../store.ts';
import type { CliIo, EngineCommand } from './registry.ts';

/** The most a context block may take: 600 tokens at about four characters a token. */
const maxContextChars = 2400;

/** P(pattern beats the default) a prompt's unasked context needs. */
const promptThreshold = 0.7;

// eslint-disable-next-line no-control-regex -- matching control characters is the point: the verify command is shown on one line
const controlRe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * The context block for a confident recommendation: the pattern, its steps, its verify command
 * and its evidence, in at most {@link maxContextChars} characters.
 */
function contextBlock(s: Suggestion): string {
  const steps = s.steps.map((token, i) => `${i + 1}. ${describeStep(token)} (\`${token}\`)`);
  const lines = [
    'agentops-learn: past sessions in this repository found a workflow that works for tasks like this one.',
    `Pattern ${s.pattern_id} (${s.status}): ${s.evidence}.`,
    'Steps:',
    ...steps,
    ...(s.verify !== null ? [`Verify with: ${s.verify.replace(controlRe, ' ')}`] : []),
    'Follow it when it fits the task; it is a suggestion, not an instruction.',
  ];
  const text = lines.join('\n');
  return text.length <= maxContextChars ? text : `${text.slice(0, maxContextChars - 1)}…`;
}

function readPayload(io: CliIo): Record<string, unknown> {
  try {
    const raw = io.stdin();
    if (raw.length > 10 * 1024 * 1024) return {};
    const data = JSON.parse(raw) as unknown;
    return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function storeArg(argv: string[]): string | undefined {
  const index = argv.indexOf('--store');
  return index === -1 ? undefined : argv[index + 1];
}

/** The inputs `suggest` reads, from the log and the patterns extracted from it now. */
function inputsFromLog(layout: StoreLayout, rule: Rule): RecommenderInputs {
  const { executions } = readLog(layout.executionsDir);
  return { executions, patterns: extractPatterns(executions, { rule }) };
}

/** The first suggestion when the recommender is confident enough to speak unasked. */
function confidentSuggestion(
  prompt: string,
  paths: readonly string[],
  inputs: RecommenderInputs,
): Suggestion | undefined {
  const result = suggest(prompt, inputs.patterns, inputs.executions, {
    // Context added unasked to every session needs more than an even chance of beating the
    // default workflow: the bar the recommender sets for suggesting the default itself.
    threshold: promptThreshold,
    ...(paths.length > 0 ? { paths: [...paths] } : {}),
  });
  return result.abstained ? undefined : result.suggestions[0];
}

/**
 * What the prompt context recommends for a prompt in a store: from the recommender's cache when
 * it is fresh and readable ({@link readRecommenderCache}), else from the log as it stands, which
 * gives the same. `fromLog` forces the second way.
 */
export function recommendForPrompt(
  layout: StoreLayout,
  prompt: string,
  paths: readonly string[],
  fromLog = false,
): Suggestion | undefined {
  const rule = readConfig(layout).rule;
  const cached = fromLog ? undefined : readRecommenderCache(layout, rule);
  if (cached !== undefined) {
    try {
      return confidentSuggestion(prompt, paths, cached);
    } catch {
      // A cache that reads back but is not what the recommender expects: the log decides.
    }
  }
  return confidentSuggestion(prompt, paths, inputsFromLog(layout, rule));
}

/**
 * Runs `prompt-context` on its raw arguments (`--store <dir>`): prints the context block for the
 * prompt in the hook payload on standard input when the recommender is confident; never fails.
 */
export function runPromptContext(argv: string[], io: CliIo): number {
  const layout = storeLayout(storeArg(argv), io.cwd);
  try {
    const payload = readPayload(io);
    const prompt = typeof payload.prompt === 'string' ? parsePrompt(payload.prompt) : undefined;
    if (prompt === undefined) return 0;
    const session = safeSessionId(payload.session_id);
    // The inbox before the spool: an event a concurrent drain moves is in the spool before it
    // leaves the inbox.
    const paths = new Set(inboxPaths(layout, session));
    for (const event of readSpoolSession(layout, session).events)
      if (typeof event.path === 'string') paths.add(event.path);
    const best = recommendForPrompt(layout, prompt.text, [...paths].sort());
    if (best === undefined) return 0;
    // Shown, so logged: the execution records whether the session then followed it. Not synced
    // to disk, as no event the shell hooks record is: the session waits for this hook.
    writeSpoolEvent(
      layout,
      {
        session_id: session,
        event: 'recommendation',
        pattern_ids: [best.pattern_id],
        steps: best.steps,
      },
      false,
    );
    io.stdout(
      `${JSON.stringify({
        hookSpecificOutput: {
          hookEventName: 'UserPromptSubmit',
          additionalContext: contextBlock(best),
        },
      })}\n`,
    );
  } catch (error) {
    logBackground(layout, `prompt-context: ${(error as Error).message}`);
  }
  return 0;
}

/** `prompt-context`: the context a prompt hook adds when the recommender is confident. */
export const promptContextCommand: EngineCommand = {
  name: 'prompt-context',
  usage: 'prompt-context',
  summary: ['print a recommendation as prompt context (hook payload on stdin); never fails'],
  hidden: true,
  runRaw: runPromptContext,
};
