import fs from 'node:fs';
import path from 'node:path';
import { contextTerms } from './context.ts';
import type { LearnedPattern, TaskGroup } from './extract.ts';
import { extractPatterns } from './extract.ts';
import { isNewerThanLog } from './log-derived.ts';
import { readLog } from './log.ts';
import type { Execution } from './record.ts';
import { labelOf } from './record.ts';
import {
  isRecommenderCacheFresh,
  recommenderCacheBytes,
  recommenderCacheFile,
} from './recommender-cache.ts';
import type { StoreLayout } from './store.ts';
import { ensureDir, logBackground, storeHome } from './store.ts';
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
 * Rewrites the store's prompt index and the recommender's cache from its log when the store has
 * learned patterns (the prompt hook reads them only then) and either is not fresh; a failure is
 * logged, never thrown. Their time is the file clock's time before the log was read, less a
 * millisecond, so the hook's `test -nt` (and the engine's same test) sees any later change of
 * the log, even within the same clock tick, and the full path is taken until they are rewritten.
 */
export function refreshPromptIndex(layout: StoreLayout): void {
  try {
    if (
      fs.existsSync(layout.patternsDir) &&
      !isRecommenderCacheFresh(layout, promptIndexFile(layout))
    )
      writePromptIndex(layout);
  } catch (error) {
    logBackground(layout, `prompt index: ${(error as Error).message}`);
  }
}

/**
 * Whether the index is newer than everything `hooks/prompt.sh` compares it with: the log's
 * files and folders, and the engine itself (a tie is not newer).
 */
export function isPromptIndexFresh(layout: StoreLayout): boolean {
  return isNewerThanLog(layout, promptIndexFile(layout));
}

function writePromptIndex(layout: StoreLayout): void {
  const file = promptIndexFile(layout);
  ensureDir(path.dirname(file), storeHome(layout));
  // Let the clock tick of this process's own log writes pass, so they stay older than the index.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  const temp = `${file}.${process.pid}.tmp`;
  const cache = recommenderCacheFile(layout);
  const cacheTemp = `${cache}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o644);
  try {
    const before = fs.fstatSync(fd, { bigint: true }).mtimeNs - 1_000_000n;
    const { executions } = readLog(layout.executionsDir);
    const patterns = {
      bayes: extractPatterns(executions, { rule: 'bayes' }),
      legacy: extractPatterns(executions, { rule: 'legacy' }),
    };
    const seconds = Number(before) / 1e9;
    // The cache first: an index newer than the log lets the hook pass prompts to the engine,
    // which then finds its inputs ready.
    fs.writeFileSync(cacheTemp, recommenderCacheBytes(executions, patterns), { mode: 0o644 });
    fs.utimesSync(cacheTemp, seconds, seconds);
    fs.renameSync(cacheTemp, cache);
    fs.writeSync(fd, promptIndexText(executions, [patterns.bayes, patterns.legacy]));
    fs.futimesSync(fd, seconds, seconds);
  } catch (error) {
    fs.closeSync(fd);
    // A failed rewrite leaves no temporary file behind.
    for (const left of [temp, cacheTemp]) fs.rmSync(left, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  fs.renameSync(temp, file);
}
