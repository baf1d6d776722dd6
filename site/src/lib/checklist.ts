import type { VFile } from 'vfile';

/** What the site needs to know about one lint rule. */
export interface RuleInfo {
  id: string;
  description: string;
  appliesTo: string;
  url: string | undefined;
}

/** One message of a check, with its place in the file. */
interface CheckMessage {
  path: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  reason: string;
}

/** The verdict of one check (a lint rule, schema validation or parsing) for one entry. */
export interface Check {
  id: string;
  label: string;
  status: 'pass' | 'warning' | 'error';
  url: string | undefined;
  messages: CheckMessage[];
}

const loaderChecks: Record<string, string> = {
  parse: 'Every file reads and parses',
  schema: 'Every file matches its JSON Schema',
};

/**
 * Groups the messages of the files an entry owns (`files`) into checks, one per rule id. The loader's
 * `parse` and `schema` checks are always listed; with `rules`, every rule that applies to the
 * entry's kind is listed too, passed or not.
 */
export function checksFor(
  files: readonly VFile[],
  kind: 'plugin' | 'pattern',
  rules: readonly RuleInfo[] | undefined,
): Check[] {
  const checks = new Map<string, Check>();
  const ensure = (id: string, label: string, url: string | undefined): Check => {
    const known = checks.get(id);
    if (known) return known;
    const check: Check = { id, label, status: 'pass', url, messages: [] };
    checks.set(id, check);
    return check;
  };
  for (const [id, label] of Object.entries(loaderChecks)) ensure(id, label, undefined);
  for (const rule of rules ?? []) {
    if (rule.appliesTo === kind) ensure(rule.id, rule.description, rule.url);
  }
  for (const file of files) {
    for (const message of file.messages) {
      const id = message.ruleId ?? 'parse';
      const rule = rules?.find((item) => item.id === id);
      const check = ensure(id, rule?.description ?? id, rule?.url ?? message.url ?? undefined);
      const severity = message.fatal === true ? 'error' : 'warning';
      check.messages.push({
        path: file.path,
        line: message.line ?? 1,
        column: message.column ?? 1,
        severity,
        reason: message.reason,
      });
      if (severity === 'error') check.status = 'error';
      else if (check.status === 'pass') check.status = 'warning';
    }
  }
  return [...checks.values()];
}

/** Formats error-level messages as the `compact` report: `path:line:col-line:col severity rule reason`. */
export function compactErrors(files: readonly VFile[]): string {
  const lines: string[] = [];
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal !== true) continue;
      const start = message.place && 'start' in message.place ? message.place.start : message.place;
      const end = message.place && 'end' in message.place ? message.place.end : start;
      const place = `${start?.line ?? 1}:${start?.column ?? 1}-${end?.line ?? 1}:${end?.column ?? 1}`;
      lines.push(`${file.path}:${place} error ${message.ruleId ?? 'parse'} ${message.reason}`);
    }
  }
  return lines.join('\n');
}
