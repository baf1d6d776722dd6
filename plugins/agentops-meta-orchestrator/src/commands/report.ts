import fs from 'node:fs';
import path from 'node:path';
import type { Rule } from '../extract.ts';
import { extractPatterns } from '../extract.ts';
import { memoryRef, readRef } from '../git.ts';
import { readLog } from '../log.ts';
import { labelOf } from '../record.ts';
import { listSpoolSessions } from '../spool.ts';
import type { StoreConfig, StoreLayout } from '../store.ts';
import { engineVersion } from '../version.ts';
import type { EngineCommand } from './registry.ts';

function statusText(layout: StoreLayout, config: StoreConfig, rule: Rule): string {
  const { executions, invalid } = readLog(layout.executionsDir);
  const patterns = extractPatterns(executions, { rule });
  const byStatus = new Map<string, number>();
  for (const p of patterns) byStatus.set(p.status, (byStatus.get(p.status) ?? 0) + 1);
  const labelled = executions.filter((e) => labelOf(e.outcome) !== undefined).length;
  const lines = [
    `agentops-learn ${engineVersion}`,
    `store: ${layout.repoRoot !== undefined ? path.relative(layout.repoRoot, layout.root) || '.' : layout.root}`,
    `executions: ${executions.length} (${labelled} with an objective outcome${invalid > 0 ? `, ${invalid} unreadable lines skipped` : ''})`,
    `pending sessions in the spool: ${listSpoolSessions(layout).length}`,
    `patterns: ${patterns.length} (${['validated', 'provisional', 'candidate', 'deprecated'].map((s) => `${byStatus.get(s) ?? 0} ${s}`).join(', ')}; rule ${rule})`,
    `auto-learn: ${config.autoLearn ? 'on' : 'off'}; commit mode: ${config.commitMode}`,
  ];
  if (layout.repoRoot !== undefined) {
    let head: string | undefined;
    try {
      head = readRef(layout.repoRoot, memoryRef);
    } catch {
      head = undefined;
    }
    lines.push(`${memoryRef}: ${head?.slice(0, 12) ?? 'not created yet'}`);
  }
  let log: string;
  try {
    log = fs.readFileSync(layout.backgroundLog, 'utf8');
  } catch {
    log = '';
  }
  const tail = log
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '')
    .slice(-10);
  lines.push(
    'background log (latest 10):',
    ...(tail.length > 0 ? tail.map((line) => `  ${line}`) : ['  (empty)']),
  );
  return `${lines.join('\n')}\n`;
}

function metricsText(layout: StoreLayout, rule: Rule, category: string | undefined): string {
  const { executions } = readLog(layout.executionsDir);
  const selected = executions.filter((e) => category === undefined || e.task.category === category);
  const table = new Map<string, { s: number; f: number; u: number }>();
  for (const e of selected) {
    const key = `${e.task.category}\t${e.started_at.slice(0, 7)}`;
    const row = table.get(key) ?? { s: 0, f: 0, u: 0 };
    const label = labelOf(e.outcome);
    if (label === true) row.s++;
    else if (label === false) row.f++;
    else row.u++;
    table.set(key, row);
  }
  const lines = ['category\tmonth\tsuccesses\tfailures\tunknown\tsuccess rate'];
  for (const [key, row] of [...table].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const rate = row.s + row.f > 0 ? `${Math.round((100 * row.s) / (row.s + row.f))} %` : '-';
    lines.push(`${key}\t${row.s}\t${row.f}\t${row.u}\t${rate}`);
  }
  lines.push('', 'pattern\tstatus\tsuccesses/labelled\tinterval');
  const patterns = extractPatterns(executions, { rule }).filter(
    (p) => category === undefined || p.category === category,
  );
  for (const p of patterns)
    lines.push(
      `${p.id}\t${p.status}\t${p.counts.successes}/${p.counts.successes + p.counts.failures}\t${p.interval[0].toFixed(2)}–${p.interval[1].toFixed(2)}`,
    );
  return `${lines.join('\n')}\n`;
}

/** `status`: a summary of the store and the background log. */
export const statusCommand: EngineCommand = {
  name: 'status',
  usage: 'status',
  summary: ['store summary and the background log'],
  run({ layout, config, rule, io }) {
    io.stdout(statusText(layout, config, rule));
    return 0;
  },
};

/** `metrics`: success over time per category and pattern. */
export const metricsCommand: EngineCommand = {
  name: 'metrics',
  usage: 'metrics [category]',
  summary: ['success over time per category and pattern'],
  run({ layout, rule, positionals, io }) {
    io.stdout(metricsText(layout, rule, positionals[0]));
    return 0;
  },
};
