import fs from 'node:fs';
import path from 'node:path';
import type { ExtractOptions } from './extract.ts';
import { extractPatterns } from './extract.ts';
import { foldLog, listLogFiles } from './log.ts';
import { patternPath, plannedFiles, writePatternFiles } from './pattern-file.ts';
import type { Execution } from './record.ts';
import type { StoreLayout } from './store.ts';
import { ensureDataDir, ensureDir, repoRelative, storeHome, writeFileAtomic } from './store.ts';
import { sha256 } from './text.ts';
import { engineVersion } from './version.ts';
import {
  LearnError,
  acquireLock,
  buildCommit,
  compareAndSwap,
  git,
  listTree,
  memoryRef,
  operationInProgress,
  readBlob,
  readRef,
  sleep,
} from './git.ts';

/** A digest of the log's facts (ids and outcomes), for the `Learn-Log-Digest` trailer. */
function logDigest(executions: readonly Execution[]): string {
  const lines = executions
    .map((e) => `${e.execution_id} ${e.outcome.status} ${e.outcome.source}`)
    .sort();
  return `sha256:${sha256(lines.join('\n')).slice(0, 32)}`;
}

/** Unions two log texts line by line (local order first, then lines only the other has). */
function unionLines(local: string, other: string): string {
  const seen = new Set(local.split('\n').filter((line) => line !== ''));
  const extra = other.split('\n').filter((line) => line !== '' && !seen.has(line));
  const base = local === '' || local.endsWith('\n') ? local : `${local}\n`;
  return extra.length === 0 ? base : `${base}${extra.join('\n')}\n`;
}

/** Result of a commit. */
export interface CommitResult {
  ref: string;
  commit: string | undefined;
  changed: boolean;
  attempts: number;
  executions: number;
  patterns: number;
}

function storeRel(layout: StoreLayout, repoRoot: string, dir: string): string {
  const rel = repoRelative(dir, repoRoot);
  if (rel === undefined)
    throw new LearnError('The store must be inside the git repository to commit it');
  return rel;
}

function readLocalLogs(layout: StoreLayout): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of listLogFiles(layout.executionsDir)) {
    try {
      out.set(
        path.relative(layout.executionsDir, file).split(path.sep).join('/'),
        fs.readFileSync(file, 'utf8'),
      );
    } catch {
      continue;
    }
  }
  return out;
}

function message(executions: readonly Execution[], patterns: number): string {
  return [
    `agentops-learn: ${executions.length} executions, ${patterns} patterns`,
    '',
    `Learn-Log-Digest: ${logDigest(executions)}`,
    `Learn-Engine: agentops-learn ${engineVersion}`,
    '',
  ].join('\n');
}

/**
 * Commits the store. Default: to `refs/heads/agentops/memory` through a temporary index and a
 * compare-and-swap `update-ref`; on a lost race the logs are re-read and unioned, the patterns
 * rebuilt and the swap retried with jittered backoff. `onBranch`: `git commit --only` on the
 * current branch. Refuses during merge, rebase, cherry-pick, revert or bisect.
 */
export function commitStore(
  layout: StoreLayout,
  options: ExtractOptions & { onBranch: boolean; maxAttempts?: number },
): CommitResult {
  const repoRoot = layout.repoRoot;
  if (repoRoot === undefined)
    throw new LearnError('Not inside a git repository; nothing to commit to');
  const operation = operationInProgress(repoRoot);
  if (operation !== undefined)
    throw new LearnError(
      `Refusing to commit learned memory while a ${operation} is in progress; finish or abort the ${operation} and run commit again (nothing was lost: the log is kept in the store)`,
    );
  ensureDataDir(layout);
  const commonDir = path.resolve(repoRoot, git(repoRoot, ['rev-parse', '--git-common-dir']));
  const release = acquireLock(path.join(commonDir, 'agentops-learn.lock'));
  try {
    return options.onBranch
      ? commitOnBranch(layout, repoRoot, options)
      : commitSideRef(layout, repoRoot, options);
  } finally {
    release();
  }
}

function commitSideRef(
  layout: StoreLayout,
  repoRoot: string,
  options: ExtractOptions & { maxAttempts?: number },
): CommitResult {
  const executionsRel = storeRel(layout, repoRoot, layout.executionsDir);
  const patternsRel = storeRel(layout, repoRoot, layout.patternsDir);
  const maxAttempts = options.maxAttempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    const old = readRef(repoRoot, memoryRef);
    const logs = readLocalLogs(layout);
    if (old !== undefined) {
      for (const [file, blob] of listTree(repoRoot, old, executionsRel)) {
        const relative = file.slice(executionsRel.length + 1);
        if (!relative.endsWith('.jsonl') || relative.includes('..')) continue;
        logs.set(relative, unionLines(logs.get(relative) ?? '', readBlob(repoRoot, blob)));
      }
    }
    // The union becomes the local log too, so the next extraction sees what others learned.
    for (const [relative, text] of logs) {
      const file = path.join(layout.executionsDir, relative);
      let current: string | undefined;
      try {
        current = fs.readFileSync(file, 'utf8');
      } catch {
        current = undefined;
      }
      if (current === text) continue;
      ensureDir(path.dirname(file), storeHome(layout));
      writeFileAtomic(file, text);
    }
    const { executions } = foldLog(logs.values());
    const patterns = extractPatterns(executions, options);
    writePatternFiles(patterns, layout.patternsDir);
    const files = new Map<string, string>();
    for (const [relative, text] of logs) files.set(`${executionsRel}/${relative}`, text);
    for (const [relative, text] of plannedFiles(patterns, layout.patternsDir))
      files.set(`${patternsRel}/${relative}`, text);
    for (const extra of [layout.configFile, path.join(layout.dataDir, '.gitignore')]) {
      try {
        files.set(storeRel(layout, repoRoot, extra), fs.readFileSync(extra, 'utf8'));
      } catch {
        continue;
      }
    }
    const replace =
      patternsRel === executionsRel || executionsRel.startsWith(`${patternsRel}/`)
        ? [patternsRel]
        : [executionsRel, patternsRel];
    const commit = buildCommit(repoRoot, {
      parent: old,
      replace,
      files,
      message: message(executions, patterns.length),
    });
    const base = {
      ref: memoryRef,
      attempts: attempt,
      executions: executions.length,
      patterns: patterns.length,
    };
    if (commit === old) return { ...base, commit: old, changed: false };
    if (compareAndSwap(repoRoot, memoryRef, commit, old)) return { ...base, commit, changed: true };
    if (attempt >= maxAttempts)
      throw new LearnError(
        `Could not update ${memoryRef} after ${attempt} attempts; run commit again`,
      );
    sleep(Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random()));
  }
}

function commitOnBranch(
  layout: StoreLayout,
  repoRoot: string,
  options: ExtractOptions,
): CommitResult {
  const { executions } = foldLog(readLocalLogs(layout).values());
  const patterns = extractPatterns(executions, options);
  writePatternFiles(patterns, layout.patternsDir);
  const paths = [
    layout.executionsDir,
    ...patterns.map((p) => path.join(layout.patternsDir, patternPath(p))),
  ]
    .filter((p) => fs.existsSync(p))
    .map((p) => storeRel(layout, repoRoot, p));
  if (fs.existsSync(layout.configFile)) paths.push(storeRel(layout, repoRoot, layout.configFile));
  const base = {
    ref: 'HEAD',
    attempts: 1,
    executions: executions.length,
    patterns: patterns.length,
  };
  if (paths.length === 0) return { ...base, commit: undefined, changed: false };
  // Store paths only: staging them (new files need it) never sweeps in the user's staged work;
  // forced, since a store that was committed to its own ref ignores itself.
  git(repoRoot, ['add', '--force', '--', ...paths]);
  const changed = git(repoRoot, ['diff', '--cached', '--name-only', '--', ...paths]) !== '';
  if (!changed) return { ...base, commit: readRef(repoRoot, 'HEAD'), changed: false };
  git(repoRoot, ['commit', '--only', '--no-verify', '-q', '-F', '-', '--', ...paths], {
    input: message(executions, patterns.length),
  });
  return { ...base, commit: readRef(repoRoot, 'HEAD'), changed: true };
}
