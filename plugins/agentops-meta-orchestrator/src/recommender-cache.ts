import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import type { LearnedPattern, Rule } from './extract.ts';
import { isNewerThanLog } from './log-derived.ts';
import type { Execution } from './record.ts';
import type { StoreLayout } from './store.ts';

/**
 * The recommender's inputs, kept so that a prompt need not read the whole log and extract every
 * pattern again: the log's executions and the patterns extracted from them under each rule, as
 * `readLog` and `extractPatterns` returned them when the engine last learned. They are stored in
 * V8's structured serialisation of the values themselves (maps, shared references and all), so
 * what a prompt reads back is what those functions returned, whatever their shape; the header
 * names this format and the Node version whose serialiser wrote it. The file is trusted only
 * while it is newer than the log and the engine ({@link isNewerThanLog}), so a log that grew or
 * an engine that learns differently makes the prompt take the full path again.
 */
const formatLine = 'agentops-recommender 1';

/** The most a cache file may take before it is ignored. */
const maxCacheBytes = 256 * 1024 * 1024;

/** What `suggest` reads: the log's executions and the patterns learned from them. */
export interface RecommenderInputs {
  executions: Execution[];
  patterns: LearnedPattern[];
}

/** The cache file: `<spool>/.recommender`. */
export function recommenderCacheFile(layout: StoreLayout): string {
  return path.join(layout.spoolDir, '.recommender');
}

function header(): Buffer {
  return Buffer.from(`${formatLine} node ${process.version}\n`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The cache's bytes for a log and the patterns extracted from it under each rule. */
export function recommenderCacheBytes(
  executions: readonly Execution[],
  patterns: Readonly<Record<Rule, readonly LearnedPattern[]>>,
): Buffer {
  return Buffer.concat([header(), v8.serialize({ executions, patterns })]);
}

/** The inputs a cache's bytes hold for a rule, or `undefined` when they cannot be read. */
function parseRecommenderCache(bytes: Buffer, rule: Rule): RecommenderInputs | undefined {
  const head = header();
  if (bytes.length <= head.length || !bytes.subarray(0, head.length).equals(head)) return undefined;
  let data: unknown;
  try {
    data = v8.deserialize(bytes.subarray(head.length));
  } catch {
    return undefined;
  }
  if (!isRecord(data) || !Array.isArray(data.executions) || !isRecord(data.patterns))
    return undefined;
  const patterns = data.patterns[rule];
  if (!Array.isArray(patterns)) return undefined;
  return { executions: data.executions as Execution[], patterns: patterns as LearnedPattern[] };
}

function readCapped(file: string): Buffer | undefined {
  try {
    const stat = fs.lstatSync(file);
    if (!stat.isFile() || stat.size > maxCacheBytes) return undefined;
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The cached inputs for a rule when the cache is fresh and readable; `undefined` otherwise. */
export function readRecommenderCache(
  layout: StoreLayout,
  rule: Rule,
): RecommenderInputs | undefined {
  const file = recommenderCacheFile(layout);
  if (!isNewerThanLog(layout, file)) return undefined;
  const bytes = readCapped(file);
  return bytes === undefined ? undefined : parseRecommenderCache(bytes, rule);
}

/**
 * Whether the cache is newer than the log and the engine, and than the other `derived` files
 * (one walk of the log for all), and written by this Node version.
 */
export function isRecommenderCacheFresh(layout: StoreLayout, ...derived: string[]): boolean {
  const file = recommenderCacheFile(layout);
  if (!isNewerThanLog(layout, file, ...derived)) return false;
  const head = header();
  const start = Buffer.alloc(head.length);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      return fs.readSync(fd, start, 0, start.length, 0) === start.length && start.equals(head);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}
