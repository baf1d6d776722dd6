import { createHash } from 'node:crypto';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import type { Range } from './catalog/model.ts';
import type { CatalogSource } from './catalog/source.ts';
import type { LintMessage, LintResult } from './engine.ts';
import type { Fix } from './rule.ts';

/**
 * One call the loader made on its source, with a digest of the answer. Replaying every call and
 * getting the same digests proves the loader would build the same catalog, so the stored result
 * still holds (cross-file rules included): this is the content-hash check of `--cache`.
 */
export type SourceCall =
  | ['list', string, string]
  | ['type', string, string]
  | ['link', string, string]
  | ['read', string, number, string];

interface StoredMessage {
  reason: string;
  place: Range | undefined;
  ruleId: string | undefined;
  url: string | undefined;
  fatal: boolean | null | undefined;
  file: string | undefined;
  actual?: string;
  expected?: string[];
  note?: string;
  fix?: Fix;
  cause?: StoredMessage;
}

/** The stored result of one catalog root. */
export interface CacheEntry {
  key: string;
  calls: SourceCall[];
  files: { path: string; messages: StoredMessage[] }[];
  errorCount: number;
  warningCount: number;
  checked: string[];
}

/** The cache file: entries by catalog root (relative to the working directory). */
export interface CacheData {
  version: 1;
  entries: Record<string, CacheEntry>;
}

/** Hashes bytes or text (SHA-1, hex: a change detector, not a security boundary). */
export function digest(data: string | Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

/** The cache key: changes whenever the tool, its schemas, the config or the selected rules change. */
export function cacheKey(parts: {
  version: string;
  schemas: string;
  config: string;
  only: readonly string[] | undefined;
}): string {
  return digest(JSON.stringify([parts.version, parts.schemas, parts.config, parts.only ?? null]));
}

function answerDigest(call: SourceCall[0], answer: unknown): string {
  return answer instanceof Uint8Array
    ? digest(answer)
    : digest(`${call}:${JSON.stringify(answer)}`);
}

/** Wraps a source so that every call and a digest of its answer are recorded. */
export function createRecordingSource(inner: CatalogSource): {
  source: CatalogSource;
  calls: SourceCall[];
} {
  const calls: SourceCall[] = [];
  const source: CatalogSource = {
    root: inner.root,
    list(dir) {
      const answer = inner.list(dir);
      calls.push(['list', dir, answerDigest('list', answer)]);
      return answer;
    },
    type(path) {
      const answer = inner.type(path);
      calls.push(['type', path, answer]);
      return answer;
    },
    link(path) {
      const answer = inner.link(path);
      calls.push(['link', path, answerDigest('link', answer)]);
      return answer;
    },
    read(path, maxBytes) {
      const answer = inner.read(path, maxBytes);
      calls.push(['read', path, maxBytes, answerDigest('read', answer)]);
      return answer;
    },
  };
  return { source, calls };
}

/** True when replaying the recorded calls on `source` gives the same answers. */
export function isFresh(calls: readonly SourceCall[], source: CatalogSource): boolean {
  for (const call of calls) {
    switch (call[0]) {
      case 'list':
        if (answerDigest('list', source.list(call[1])) !== call[2]) return false;
        break;
      case 'type':
        if (source.type(call[1]) !== call[2]) return false;
        break;
      case 'link':
        if (answerDigest('link', source.link(call[1])) !== call[2]) return false;
        break;
      case 'read':
        if (answerDigest('read', source.read(call[1], call[2])) !== call[3]) return false;
        break;
    }
  }
  return true;
}

function storeMessage(message: LintMessage): StoredMessage {
  const range = message.place && 'start' in message.place ? message.place : undefined;
  return {
    reason: message.reason,
    place: range,
    ruleId: message.ruleId,
    url: message.url,
    fatal: message.fatal,
    file: message.file,
    ...(message.actual !== undefined ? { actual: message.actual } : {}),
    ...(message.expected !== undefined ? { expected: message.expected } : {}),
    ...(message.note !== undefined ? { note: message.note } : {}),
    ...(message.fix ? { fix: message.fix } : {}),
    ...(message.cause instanceof VFileMessage ? { cause: storeMessage(message.cause) } : {}),
  };
}

function restoreMessage(stored: StoredMessage): LintMessage {
  const message: LintMessage = new VFileMessage(stored.reason, {
    ...(stored.place ? { place: stored.place } : {}),
    ...(stored.ruleId ? { ruleId: stored.ruleId } : {}),
    source: 'agentops-lint',
    ...(stored.cause ? { cause: restoreMessage(stored.cause) } : {}),
  });
  message.file = stored.file ?? '';
  message.fatal = stored.fatal;
  if (stored.url !== undefined) message.url = stored.url;
  if (stored.actual !== undefined) message.actual = stored.actual;
  if (stored.expected !== undefined) message.expected = stored.expected;
  if (stored.note !== undefined) message.note = stored.note;
  if (stored.fix) message.fix = stored.fix;
  return message;
}

/** Builds the entry stored for one catalog root. */
export function createEntry(key: string, calls: SourceCall[], result: LintResult): CacheEntry {
  return {
    key,
    calls,
    files: result.files.map((file) => ({
      path: file.path,
      messages: file.messages.map(storeMessage),
    })),
    errorCount: result.errorCount,
    warningCount: result.warningCount,
    checked: result.checked ?? [],
  };
}

/** The lint result stored in an entry. */
export function restoreResult(entry: CacheEntry): LintResult {
  return {
    files: entry.files.map((stored) => {
      const file = new VFile({ path: stored.path });
      file.messages = stored.messages.map(restoreMessage);
      return file;
    }),
    errorCount: entry.errorCount,
    warningCount: entry.warningCount,
    checked: entry.checked,
  };
}

/** Reads a cache file's text; anything unreadable or of another version is an empty cache. */
export function parseCache(text: string | undefined): CacheData {
  if (text !== undefined) {
    try {
      const data = JSON.parse(text) as unknown;
      if (
        typeof data === 'object' &&
        data !== null &&
        (data as { version?: unknown }).version === 1 &&
        typeof (data as { entries?: unknown }).entries === 'object'
      ) {
        return data as CacheData;
      }
    } catch {
      // A corrupt cache is rebuilt, never an error.
    }
  }
  return { version: 1, entries: Object.create(null) as Record<string, CacheEntry> };
}

/** The entry of `root` when its key matches, else `undefined`. */
export function findEntry(cache: CacheData, root: string, key: string): CacheEntry | undefined {
  const entry = Object.hasOwn(cache.entries, root) ? cache.entries[root] : undefined;
  return entry?.key === key && Array.isArray(entry.calls) && Array.isArray(entry.checked)
    ? entry
    : undefined;
}
