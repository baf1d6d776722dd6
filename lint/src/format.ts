import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { LintResult } from './engine.ts';
import { formatJson, formatSarif } from './format-document.ts';
import { displayPath, label, place } from './format-message.ts';
import { printable, unsafeCharRe } from './printable.ts';

export {
  createJsonFormatter,
  createSarifFormatter,
  formatJson,
  formatSarif,
} from './format-document.ts';

/** The output formats of the CLI. */
export const formatNames = ['stylish', 'compact', 'json', 'sarif', 'github'] as const;

/** One output format. */
export type FormatName = (typeof formatNames)[number];

/** Rule metadata that SARIF output lists. */
export interface RuleMeta {
  id: string;
  description: string;
  url: string;
  severity: 'error' | 'warning';
}

/** Options of `formatResult`. */
export interface FormatOptions {
  /** Prepended to every file path (paths are relative to the linted directory, never absolute). */
  prefix?: string;
  /** ANSI colours for `stylish`. */
  color?: boolean;
  /** Every rule and loader id, for SARIF's `tool.driver.rules`. */
  rules?: readonly RuleMeta[];
  /** The agentops-lint version, for SARIF. */
  version?: string;
  /**
   * The absolute path of a file as printed, for JSON (ESLint's `filePath` is absolute); without
   * it JSON keeps the printed path.
   */
  absolutePath?: (printed: string) => string;
}

/**
 * The reason on one line, safe for a terminal: the line-based formats never break a message
 * across lines, and no format passes on a control character from a linted file.
 */
function oneLine(text: string): string {
  if (!unsafeCharRe.test(text)) return text;
  return printable(text.replace(/\s*(?:\r\n|\r|\n)\s*/g, ' '));
}

/** Lines a line-based formatter collects before it joins them into one flat piece of its output. */
const linesPerPiece = 1024;

/**
 * Output text built line by line. Each line is a tree of the pieces it was made of until it is
 * joined: holding every line of a message-heavy report at once, as trees, costs several times the
 * text itself, so lines are joined into flat pieces a thousand at a time.
 */
class TextBuilder {
  #lines: string[] = [];
  #pieces: string[] = [];

  /** Appends one line (with its line break, if it has one). */
  add(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length < linesPerPiece) return;
    this.#pieces.push(this.#lines.join(''));
    this.#lines = [];
  }

  /** The text of the pieces joined so far, which the builder then forgets. */
  take(): string {
    const text = this.#pieces.join('');
    this.#pieces = [];
    return text;
  }

  /** The whole text (what `take` has not taken). */
  toString(): string {
    this.#pieces.push(this.#lines.join(''));
    this.#lines = [];
    const text = this.#pieces.join('');
    this.#pieces = [];
    return text;
  }
}

/** One line per message: `path:line:col-line:col severity rule-id reason`. */
function addCompact(text: TextBuilder, file: VFile, options: FormatOptions): void {
  const path = printable(displayPath(file, options));
  for (const message of file.messages) {
    const at = place(message);
    text.add(
      `${path}:${at.line}:${at.column}-${at.endLine}:${at.endColumn} ${label(message)} ${message.ruleId ?? ''} ${oneLine(message.reason)}\n`,
    );
  }
}

/** One line per message: `path:line:col-line:col severity rule-id reason`. */
export function formatCompact(result: LintResult, options: FormatOptions = {}): string {
  return formatLines(result, 'compact', options);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function paint(options: FormatOptions, code: string, text: string): string {
  return options.color ? `\u001B[${code}m${text}\u001B[39m` : text;
}

/** One file of the stylish format: its path, then its messages in aligned columns. */
function addStylish(text: TextBuilder, file: VFile, options: FormatOptions, first: boolean): void {
  const underline = (text: string): string => (options.color ? `\u001B[4m${text}\u001B[24m` : text);
  if (!first) text.add('\n');
  const hasError = file.messages.some((message) => message.fatal);
  text.add(
    `${underline(paint(options, hasError ? '31' : '33', printable(displayPath(file, options))))}\n`,
  );
  const cells = file.messages.map((message) => {
    const at = place(message);
    return {
      at: `${at.line}:${at.column}-${at.endLine}:${at.endColumn}`,
      label: label(message),
      reason: oneLine(message.reason),
      message,
    };
  });
  const atWidth = Math.max(...cells.map((cell) => cell.at.length));
  const labelWidth = Math.max(...cells.map((cell) => cell.label.length));
  const reasonWidth = Math.max(...cells.map((cell) => cell.reason.length));
  for (const cell of cells) {
    const coloured = paint(options, cell.label === 'error' ? '31' : '33', cell.label);
    text.add(
      `${`  ${cell.at.padEnd(atWidth)}  ${coloured}${' '.repeat(labelWidth - cell.label.length)}  ${cell.reason.padEnd(reasonWidth)}  ${cell.message.ruleId ?? ''}`.trimEnd()}\n`,
    );
    const cause = cell.message.cause;
    if (cause && typeof cause === 'object' && 'reason' in cause) {
      const related = cause as VFileMessage;
      const at = place(related);
      const where =
        related.file && related.file !== file.path
          ? `${printable(`${options.prefix ?? ''}${related.file}`)}:`
          : '';
      text.add(
        `    [cause]: ${where}${at.line}:${at.column}-${at.endLine}:${at.endColumn}  ${oneLine(related.reason)}\n`,
      );
    }
  }
}

/** The summary line of the stylish format. */
function stylishSummary(errorCount: number, warningCount: number, options: FormatOptions): string {
  const parts: string[] = [];
  if (errorCount > 0) parts.push(`${paint(options, '31', '✖')} ${plural(errorCount, 'error')}`);
  if (warningCount > 0)
    parts.push(`${paint(options, '33', '⚠')} ${plural(warningCount, 'warning')}`);
  return parts.length > 1
    ? `${plural(errorCount + warningCount, 'message')} (${parts.join(', ')})`
    : parts.join('');
}

/** Messages grouped per file with aligned columns and a summary line, like vfile-reporter. */
export function formatStylish(result: LintResult, options: FormatOptions = {}): string {
  return formatLines(result, 'stylish', options);
}

function escapeData(text: string): string {
  return printable(text, true)
    .replaceAll('%', '%25')
    .replaceAll('\r', '%0D')
    .replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/** GitHub Actions workflow commands: one `::error`/`::warning` annotation per message. */
function addGithub(text: TextBuilder, file: VFile, options: FormatOptions): void {
  const path = escapeProperty(displayPath(file, options));
  for (const message of file.messages) {
    const at = place(message);
    const properties = [
      `file=${path}`,
      `line=${at.line}`,
      `col=${at.column}`,
      `endLine=${at.endLine}`,
      `endColumn=${at.endColumn}`,
      `title=${escapeProperty(message.ruleId ?? '')}`,
    ].join(',');
    text.add(`::${label(message)} ${properties}::${escapeData(message.reason)}\n`);
  }
}

/** GitHub Actions workflow commands: one `::error`/`::warning` annotation per message. */
export function formatGithub(result: LintResult, options: FormatOptions = {}): string {
  return formatLines(result, 'github', options);
}

/** The formats that print each file on lines of its own, so that a run can format file by file. */
export type LineFormatName = 'stylish' | 'compact' | 'github';

/** A line-based format fed one file at a time, in the order the files are printed. */
export interface LineFormatter {
  /** Formats one file with messages (its path and messages' files already as printed). */
  add(file: VFile): void;
  /**
   * The start of the output, some of what was added so far (never all of the stylish output:
   * without messages it is empty); `end` gives only what follows.
   */
  take(): string;
  /** The whole output (what `take` has not taken), given the counts of every message added. */
  end(errorCount: number, warningCount: number): string;
}

/**
 * A line-based format that takes files one at a time, so that a run can format each file as soon
 * as it is done instead of keeping every message until the end.
 */
export function createLineFormatter(
  name: LineFormatName,
  options: FormatOptions = {},
): LineFormatter {
  const text = new TextBuilder();
  let first = true;
  const fixable = { errors: 0, warnings: 0 };
  return {
    add(file) {
      if (name === 'compact') addCompact(text, file, options);
      else if (name === 'github') addGithub(text, file, options);
      else {
        addStylish(text, file, options, first);
        for (const message of file.messages)
          if ('fix' in message) fixable[message.fatal ? 'errors' : 'warnings']++;
      }
      first = false;
    },
    take: () => text.take(),
    end(errorCount, warningCount) {
      const output = text.toString();
      if (name !== 'stylish') return output;
      if (errorCount + warningCount === 0) return '';
      // As ESLint says it, when any message has a fix.
      const fixes =
        fixable.errors + fixable.warnings > 0
          ? `  ${plural(fixable.errors, 'error')} and ${plural(fixable.warnings, 'warning')} potentially fixable with the \`--fix\` option.\n`
          : '';
      return `${output}\n${stylishSummary(errorCount, warningCount, options)}\n${fixes}`;
    },
  };
}

function formatLines(result: LintResult, name: LineFormatName, options: FormatOptions): string {
  const formatter = createLineFormatter(name, options);
  for (const file of result.files) formatter.add(file);
  return formatter.end(result.errorCount, result.warningCount);
}

/** Renders a lint result in one of the output formats; returns the text, never prints. */
export function formatResult(
  result: LintResult,
  name: FormatName,
  options: FormatOptions = {},
): string {
  switch (name) {
    case 'stylish':
      return formatStylish(result, options);
    case 'compact':
      return formatCompact(result, options);
    case 'json':
      return formatJson(result, options);
    case 'sarif':
      return formatSarif(result, options);
    case 'github':
      return formatGithub(result, options);
  }
}
