import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contextTerms } from './context.ts';
import type { LearnedPattern, TaskGroup } from './extract.ts';
import { extractPatterns } from './extract.ts';
import { readLog } from './log.ts';
import type { Execution } from './record.ts';
import { labelOf } from './record.ts';
import type { StoreLayout } from './store.ts';
import { ensureDir, logBackground } from './store.ts';
import { categoryKeywords, stemRules, stopwords, synonyms } from './text.ts';

/**
 * The prompt gate lets `hooks/prompt.sh` tell, in `awk` and without starting Node, that the
 * recommender cannot be confident about a prompt. Its index holds the keyword tables and, for
 * every past execution that could count as evidence for a pattern (a known outcome, following a
 * pattern's steps), what its similarity to a prompt is computed from. The gate passes a prompt
 * to the engine when any such execution could reach the recommender's pool (similarity 0.4),
 * an upper bound of what `suggest` does, so it never hides a recommendation; see
 * `hooks/prompt-gate.awk`.
 */
const formatLine = 'agentops-prompt-index 1';

/** The index file: `<spool>/.prompt-index`. */
function promptIndexFile(layout: StoreLayout): string {
  return path.join(layout.spoolDir, '.prompt-index');
}

/** A keyword as the index writes it: one that no prompt can yield becomes `-`. */
function word(text: string): string {
  return /^[a-z0-9]{1,40}$/.test(text) ? text : '-';
}

/**
 * The index text for a log and the patterns learned from it under each validation rule (their
 * union, so the index holds whichever rule the store's config names when a prompt comes).
 */
export function promptIndexText(
  executions: readonly Execution[],
  patternSets: readonly (readonly LearnedPattern[])[],
): string {
  const lines = [
    formatLine,
    `stop ${[...stopwords].sort().join(' ')}`,
    ...Object.entries(synonyms)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([from, to]) => `syn ${from} ${to}`),
    ...stemRules.map(([suffix, replacement]) => `stem ${suffix} ${replacement || '-'}`),
    ...categoryKeywords.map(([category, cues]) => `cue ${category} ${cues.join(' ')}`),
  ];
  const groupIds = new Map<TaskGroup, string>();
  const groupsOf = new Map<Execution, string[]>();
  patternSets.forEach((patterns, set) => {
    const usable = patterns.filter((p) => p.status !== 'deprecated');
    for (const pattern of usable) {
      if (!groupIds.has(pattern.group)) {
        const id = `g${set}.${groupIds.size}`;
        groupIds.set(pattern.group, id);
        const counts = [...pattern.group.keywordCounts].map(([w, n]) => `${word(w)} ${n}`);
        const hasContext = pattern.group.contextCounts.size > 0 ? 1 : 0;
        lines.push(`group ${id} ${pattern.group.category} ${hasContext} ${counts.join(' ')}`);
        for (const member of pattern.group.members)
          groupsOf.set(member, [...(groupsOf.get(member) ?? []), id]);
      }
    }
  });
  // Every run with a known outcome: the recommender credits each similar run to its nearest
  // workflow, whether or not it followed one, so any of them can lift a pattern over the cut-off.
  if (groupIds.size === 0) return `${lines.join('\n')}\n`;
  for (const execution of executions) {
    if (labelOf(execution.outcome) === undefined) continue;
    const hasContext = contextTerms(execution.paths).length > 0 ? 1 : 0;
    const groups = groupsOf.get(execution)?.join(',') ?? '-';
    const keywords = execution.task.keywords.map(word);
    lines.push(
      ['run', execution.task.category, hasContext, groups, ...keywords].join(' ').trimEnd(),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Rewrites the store's prompt index from its log when the store has learned patterns (the hook
 * reads it only then) and the index is not fresh; a failure is logged, never thrown. The index's time is the file clock's
 * time before the log was read, less a millisecond, so the hook's `test -nt` sees any later
 * change of the log (even within the same clock tick) and the hook asks the engine until the
 * index is rewritten.
 */
export function refreshPromptIndex(layout: StoreLayout): void {
  try {
    if (fs.existsSync(layout.patternsDir) && !isPromptIndexFresh(layout)) writePromptIndex(layout);
  } catch (error) {
    logBackground(layout, `prompt index: ${(error as Error).message}`);
  }
}

/**
 * Whether the index is newer than everything `hooks/prompt.sh` compares it with: the log's
 * files and folders, and the engine itself (a tie is not newer).
 */
export function isPromptIndexFresh(layout: StoreLayout): boolean {
  let at: bigint;
  try {
    at = fs.statSync(promptIndexFile(layout), { bigint: true }).mtimeNs;
  } catch {
    return false;
  }
  const dir = layout.executionsDir;
  try {
    const entries = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' });
    for (const entry of [dir, ...entries.map((name) => path.join(dir, name))])
      if (fs.statSync(entry, { bigint: true }).mtimeNs >= at) return false;
    return fs.statSync(fileURLToPath(import.meta.url), { bigint: true }).mtimeNs < at;
  } catch {
    return false;
  }
}

function writePromptIndex(layout: StoreLayout): void {
  const file = promptIndexFile(layout);
  ensureDir(path.dirname(file));
  // Let the clock tick of this process's own log writes pass, so they stay older than the index.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o644);
  try {
    const before = fs.fstatSync(fd, { bigint: true }).mtimeNs - 1_000_000n;
    const { executions } = readLog(layout.executionsDir);
    const text = promptIndexText(executions, [
      extractPatterns(executions, { rule: 'bayes' }),
      extractPatterns(executions, { rule: 'legacy' }),
    ]);
    fs.writeSync(fd, text);
    const seconds = Number(before) / 1e9;
    fs.futimesSync(fd, seconds, seconds);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}
