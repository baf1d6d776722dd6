import { readFileSync } from 'node:fs';
import { ruleUrl } from 'agentops-lint/catalog';
import { VFile } from 'vfile';

/** One message of the linter's `json` report (ESLint's formatter shape). */
interface ReportMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One file of the linter's `json` report. */
export interface ReportFile {
  filePath: string;
  messages: ReportMessage[];
}

/** The linter's report of one run over a catalog, with the digest of the inputs it read. */
export interface StoredLintResult {
  /** `inputsDigest(repo)` when the linter ran. */
  digest: string;
  report: ReportFile[];
}

const loaderRuleIds = new Set(['parse', 'schema']);

function isMessage(value: unknown): value is ReportMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  return (
    (message.ruleId === null || typeof message.ruleId === 'string') &&
    typeof message.severity === 'number' &&
    typeof message.message === 'string' &&
    ['line', 'column', 'endLine', 'endColumn'].every((key) => Number.isInteger(message[key]))
  );
}

function isReportFile(value: unknown): value is ReportFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as Record<string, unknown>;
  return (
    typeof file.filePath === 'string' &&
    Array.isArray(file.messages) &&
    file.messages.every((message) => isMessage(message))
  );
}

/**
 * Reads a stored lint result; `undefined` when the file is missing, unreadable or not in the
 * expected shape, so the caller lints again rather than trusting it.
 */
export function readLintResult(file: string): StoredLintResult | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { digest, report } = data as Record<string, unknown>;
  if (typeof digest !== 'string' || !Array.isArray(report) || !report.every(isReportFile))
    return undefined;
  return { digest, report };
}

/**
 * The report's messages as files with `VFileMessage`s, as `lintCatalog` returns them. Rule messages
 * link to their rule page; parse and schema messages take their link from the loader's own message
 * at the same place (`loaderFiles`).
 */
export function reportFiles(report: readonly ReportFile[], loaderFiles: readonly VFile[]): VFile[] {
  const loaderUrls = new Map<string, string>();
  for (const file of loaderFiles) {
    for (const message of file.messages) {
      if (message.url)
        loaderUrls.set(
          `${file.path}:${message.line}:${message.column}:${message.reason}`,
          message.url,
        );
    }
  }
  return report
    .filter((entry) => entry.messages.length > 0)
    .map((entry) => {
      const file = new VFile({ path: entry.filePath });
      for (const item of entry.messages) {
        const id = item.ruleId ?? 'parse';
        const message = file.message(item.message, {
          place: {
            start: { line: item.line, column: item.column },
            end: { line: item.endLine, column: item.endColumn },
          },
          ruleId: id,
          source: 'agentops-lint',
        });
        message.fatal = item.severity === 2;
        message.url = loaderRuleIds.has(id)
          ? loaderUrls.get(`${entry.filePath}:${item.line}:${item.column}:${item.message}`)
          : ruleUrl(id);
      }
      return file;
    });
}
