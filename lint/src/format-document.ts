import { VFile } from 'vfile';
import { siteUrl } from './catalog/diagnostic.ts';
import type { LintMessage, LintResult } from './engine.ts';
import type { FormatOptions, RuleMeta } from './format.ts';
import { displayPath, label, place } from './format-message.ts';

/**
 * A format that is one JSON document (ESLint JSON, SARIF), fed one file at a time in the order
 * the files are printed, so that a run can write each part as soon as it is done instead of
 * keeping every file, message and text until the end. Its output is the same as the whole
 * document's, byte for byte.
 */
export interface DocumentFormatter {
  /** Formats one file (its path and messages already as printed). */
  add(file: VFile): void;
  /** The start of the output: what was added since the last `take`; `end` gives what follows. */
  take(): string;
  /** The rest of the output (what `take` has not taken), closing the document. */
  end(): string;
}

/** One file in ESLint's JSON shape: its messages, counts and, when it has messages, its text. */
function eslintFile(file: VFile, options: FormatOptions): object {
  const messages = file.messages.map((message: LintMessage) => {
    const at = place(message);
    return {
      ruleId: message.ruleId ?? null,
      severity: message.fatal ? 2 : 1,
      message: message.reason,
      line: at.line,
      column: at.column,
      nodeType: null,
      endLine: at.endLine,
      endColumn: at.endColumn,
      ...(message.fix ? { fix: message.fix } : {}),
    };
  });
  const errors = messages.filter((message) => message.severity === 2);
  const warnings = messages.filter((message) => message.severity === 1);
  const printed = displayPath(file, options);
  return {
    filePath: options.absolutePath?.(printed) ?? printed,
    messages,
    suppressedMessages: [],
    errorCount: errors.length,
    fatalErrorCount: 0,
    warningCount: warnings.length,
    fixableErrorCount: errors.filter((message) => 'fix' in message).length,
    fixableWarningCount: warnings.filter((message) => 'fix' in message).length,
    // As ESLint: the text when there are messages, which `fix` ranges are offsets into.
    ...(messages.length > 0 && typeof file.value === 'string' ? { source: file.value } : {}),
    usedDeprecatedRules: [],
  };
}

/**
 * ESLint's JSON format one file at a time: each file checked, in path order, those with no
 * message included (as `new VFile({ path })` or with an empty message list).
 */
export function createJsonFormatter(options: FormatOptions = {}): DocumentFormatter {
  let parts: string[] = [];
  let started = false;
  return {
    add(file) {
      parts.push(started ? ',' : '[', JSON.stringify(eslintFile(file, options)));
      started = true;
    },
    take() {
      const text = parts.join('');
      parts = [];
      return text;
    },
    end() {
      return `${this.take()}${started ? ']' : '[]'}\n`;
    },
  };
}

/** ESLint's JSON formatter shape: one object per file with messages and counts. */
export function formatJson(result: LintResult, options: FormatOptions = {}): string {
  // Like ESLint, every file checked is listed, the clean ones with no messages.
  const withMessages = new Set(result.files.map((file) => file.path));
  const clean = (result.checked ?? []).filter((path) => !withMessages.has(path));
  const all =
    clean.length === 0
      ? result.files
      : [...result.files, ...clean.map((path) => new VFile({ path }))].sort((a, b) =>
          a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
        );
  const formatter = createJsonFormatter(options);
  for (const file of all) formatter.add(file);
  return formatter.end();
}

/** A relative path as a URI reference: each segment percent-encoded, `#`, `?` and `%` included. */
function relativeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Results sit this deep in the SARIF log, which is indented by two spaces a level. */
const resultIndent = ' '.repeat(8);

/**
 * SARIF 2.1.0 one file at a time. `options.rules` must list every rule the messages name: the
 * rules come before the results. A message of a rule not listed has no `ruleIndex`.
 */
export function createSarifFormatter(options: FormatOptions = {}): DocumentFormatter {
  const byId = new Map((options.rules ?? []).map((rule) => [rule.id, rule]));
  const ruleList = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(ruleList.map((rule, position) => [rule.id, position]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'agentops-lint',
            ...(options.version
              ? { version: options.version, semanticVersion: options.version }
              : {}),
            informationUri: `${siteUrl}/rules/`,
            rules: ruleList.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.description },
              helpUri: rule.url,
              defaultConfiguration: { level: rule.severity },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: [],
      },
    ],
  };
  // The log with no results, cut inside the empty results array (the last value it holds).
  const empty = JSON.stringify(log, null, 2);
  const cut = empty.lastIndexOf('[]') + 1;
  let parts: string[] = [empty.slice(0, cut)];
  let started = false;
  return {
    add(file) {
      const uri = relativeUri(displayPath(file, options));
      for (const message of file.messages) {
        const at = place(message);
        const id = message.ruleId ?? 'parse';
        const position = index.get(id);
        const result = {
          ruleId: id,
          ...(position === undefined ? {} : { ruleIndex: position }),
          level: label(message),
          message: { text: message.reason },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: at.line,
                  startColumn: at.column,
                  endLine: at.endLine,
                  endColumn: at.endColumn,
                },
              },
            },
          ],
        };
        // JSON strings hold no raw line break, so every line break is between values.
        const text = JSON.stringify(result, null, 2).replaceAll('\n', `\n${resultIndent}`);
        parts.push(`${started ? ',' : ''}\n${resultIndent}${text}`);
        started = true;
      }
    },
    take() {
      const text = parts.join('');
      parts = [];
      return text;
    },
    end() {
      const close = `${started ? `\n${resultIndent.slice(2)}` : ''}${empty.slice(cut)}\n`;
      return `${this.take()}${close}`;
    },
  };
}

/** SARIF 2.1.0 for code scanning, with rule metadata and `helpUri`. */
export function formatSarif(result: LintResult, options: FormatOptions = {}): string {
  const known = new Map((options.rules ?? []).map((rule): [string, RuleMeta] => [rule.id, rule]));
  for (const file of result.files) {
    for (const message of file.messages) {
      const id = message.ruleId ?? 'parse';
      if (!known.has(id)) {
        known.set(id, {
          id,
          description: id,
          url: message.url ?? `${siteUrl}/rules/`,
          severity: label(message),
        });
      }
    }
  }
  const formatter = createSarifFormatter({ ...options, rules: [...known.values()] });
  for (const file of result.files) formatter.add(file);
  return formatter.end();
}
