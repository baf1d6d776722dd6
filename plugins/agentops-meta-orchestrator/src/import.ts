import { signatureOf } from './finalize.ts';
import { parseLogLine, parseOutcome } from './log.ts';
import type { Execution, Step } from './record.ts';
import { inferCategory, kebab, keywords, redact, sha256 } from './text.ts';
import { ulidFrom, ulidRe } from './ulid.ts';
import { engineVersion } from './version.ts';

const timestampRe = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toTimestamp(value: unknown, fallback: string): string {
  if (typeof value === 'string') {
    if (timestampRe.test(value)) return value;
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  return fallback;
}

function toSteps(value: unknown): Step[] {
  if (!Array.isArray(value)) return [];
  const steps: Step[] = [];
  for (const raw of value.slice(0, 500)) {
    if (typeof raw === 'string') {
      const [kind, ...rest] = raw.split(':');
      const name = kebab(rest.join(':'));
      if (
        (kind === 'agent' || kind === 'skill' || kind === 'command' || kind === 'phase') &&
        name !== ''
      )
        steps.push({ kind, name, status: 'ok', retries: 0 });
      continue;
    }
    if (!isRecord(raw) || typeof raw.name !== 'string') continue;
    const kind = (['agent', 'skill', 'tool', 'command', 'phase'] as const).find(
      (k) => k === raw.kind,
    );
    const name = kind === 'tool' ? raw.name.slice(0, 100) : kebab(raw.name);
    if (kind === undefined || name === '') continue;
    const step: Step = {
      kind,
      name,
      status: raw.status === 'failed' ? 'failed' : 'ok',
      retries: 0,
    };
    if (Number.isInteger(raw.retries) && (raw.retries as number) > 0)
      step.retries = Math.min(raw.retries as number, 1000);
    if (Number.isInteger(raw.parallel_group) && (raw.parallel_group as number) >= 0)
      step.parallel_group = raw.parallel_group as number;
    if (typeof raw.phase === 'string') step.phase = kebab(raw.phase);
    steps.push(step);
  }
  return steps;
}

/**
 * Turns an imported execution (a full log line, or a partial one with `task.text`, `steps` and
 * `outcome`) into a log line. Ids are derived from the content when absent, so importing the
 * same record twice is idempotent. Task text is redacted and kept only when `storeTaskText`.
 */
export function normalizeImport(
  input: unknown,
  options: { storeTaskText: boolean; now: string },
): Execution | undefined {
  if (!isRecord(input)) return undefined;
  if (input.kind === 'execution') {
    const exact = parseLogLine(JSON.stringify(input));
    if (exact?.kind === 'execution') return exact;
  }
  const steps = toSteps(input.steps ?? input.signature);
  const task = isRecord(input.task) ? input.task : {};
  const text = typeof task.text === 'string' ? redact(task.text.slice(0, 4000)) : undefined;
  const words = Array.isArray(task.keywords)
    ? [
        ...new Set(
          task.keywords
            .filter((w): w is string => typeof w === 'string')
            .flatMap((w) => keywords(w)),
        ),
      ].sort()
    : text !== undefined
      ? keywords(text)
      : [];
  const category =
    typeof task.category === 'string' && kebab(task.category) !== ''
      ? kebab(task.category)
      : inferCategory(words);
  const started = toTimestamp(input.started_at, options.now);
  const ended = toTimestamp(input.ended_at, started);
  const outcome = parseOutcome(input.outcome) ?? {
    status: 'unknown' as const,
    source: 'none' as const,
  };
  const digest = sha256(
    JSON.stringify([
      started,
      category,
      words,
      steps,
      outcome,
      input.session_id ?? null,
      input.seq ?? null,
    ]),
  );
  const id =
    typeof input.execution_id === 'string' && ulidRe.test(input.execution_id)
      ? input.execution_id
      : ulidFrom(Date.parse(started), digest, sha256);
  const session =
    typeof input.session_id === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(input.session_id)
      ? input.session_id
      : `import-${digest.slice(0, 12)}`;
  const execution: Execution = {
    schema_version: 1,
    kind: 'execution',
    execution_id: id,
    session_id: session,
    started_at: started,
    ended_at: ended < started ? started : ended,
    duration_ms: Math.max(0, Date.parse(ended) - Date.parse(started)),
    task: { category, keywords: words },
    trigger: { command: 'record', plugin: 'agentops-meta-orchestrator', version: engineVersion },
    steps,
    signature: signatureOf(steps),
    outcome,
    environment: { engine_version: engineVersion },
  };
  if (text !== undefined) {
    execution.task.text_hash = sha256(text).slice(0, 16);
    if (options.storeTaskText) execution.task.text = text;
  }
  if (Array.isArray(input.paths))
    execution.paths = [
      ...new Set(
        input.paths.filter(
          (p): p is string =>
            typeof p === 'string' && !p.startsWith('/') && !p.split('/').includes('..'),
        ),
      ),
    ].sort();
  if (typeof input.verify === 'string') execution.verify = redact(input.verify.slice(0, 200));
  return execution;
}
