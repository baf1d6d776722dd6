import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { Range } from './model.ts';

/** Base URL of the published catalog site; rule and schema pages live under it. */
export const siteUrl = 'https://agentops-marketplace.github.io/agentops-marketplace';

/**
 * `text` as one string. A text built from template literals is a tree of pieces that all stay
 * alive with it: a dozen per message, and a run with a message in every file keeps 47,000.
 */
export const flat = (text: string): string => ` ${text}`.slice(1);

/** Severity of a diagnostic, as configured or as a rule's default. */
export type Severity = 'error' | 'warning';

/**
 * Page addresses made so far, by section and name: every message of a rule or schema shares one
 * string, found without building a key.
 */
const urls = new Map<string, Map<string, string>>();

function pageUrl(section: string, name: string): string {
  let pages = urls.get(section);
  if (pages === undefined) urls.set(section, (pages = new Map<string, string>()));
  let url = pages.get(name);
  if (url === undefined) pages.set(name, (url = flat(`${siteUrl}/${section}/${name}/`)));
  return url;
}

/** The docs page of a lint rule, derived from its id (never typed by hand). */
export function ruleUrl(id: string): string {
  return pageUrl('rules', id);
}

/** The reference page of a schema, by its kind (`plugin`, `marketplace`, …). */
export function schemaUrl(kind: string): string {
  return pageUrl('reference', kind);
}

/** What a loader step or rule reports; the file and message wording rules are in STYLE.md §4. */
export interface DiagnosticInput {
  reason: string;
  ruleId: string;
  severity: Severity;
  /** Where: a 1-based range. When absent the message goes at the start of the file. */
  place?: Range | undefined;
  url?: string | undefined;
  actual?: string | undefined;
  expected?: string[] | undefined;
  note?: string | undefined;
  cause?: VFileMessage | undefined;
}

const fileStart: Range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

/**
 * Attaches a diagnostic to `file` as a `VFileMessage` with our fields set
 * (`source`, `ruleId`, `fatal`, `url`, …) and returns it.
 */
export function report(file: VFile, input: DiagnosticInput): VFileMessage {
  // A VFileMessage is an Error whose constructor captures a stack trace that vfile-message then
  // throws away: without the capture a message costs a fraction of the time and garbage.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let message: VFileMessage;
  try {
    message = file.message(flat(input.reason), {
      place: input.place ?? fileStart,
      ruleId: input.ruleId,
      source: 'agentops-lint',
      ...(input.cause ? { cause: input.cause } : {}),
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  message.name = flat(message.name);
  message.fatal = input.severity === 'error';
  if (input.url !== undefined) message.url = input.url;
  if (input.actual !== undefined) message.actual = flat(input.actual);
  if (input.expected !== undefined) message.expected = input.expected.map(flat);
  if (input.note !== undefined) message.note = flat(input.note);
  return message;
}

/** Formats a value for a message: backticked, shortened when long. */
export function code(value: unknown): string {
  let text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  if (text.length > 60) text = `${text.slice(0, 57)}…`;
  return `\`${text.replaceAll('`', "'")}\``;
}

/** Names a JSON value's type the way messages do (`string`, `array`, `null`, …). */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
