import { describe, expect, test } from 'vitest';
import type { VFileMessage } from 'vfile-message';
import {
  cacheKey,
  createEntry,
  createRecordingSource,
  findEntry,
  isFresh,
  parseCache,
  restoreResult,
} from '../src/cache.ts';
import { createMemorySource, parseCatalog } from '../src/catalog/index.ts';
import { lintCatalog } from '../src/engine.ts';
import { formatCompact } from '../src/format.ts';

const files = {
  '.claude-plugin/marketplace.json':
    '{\n  "name": "acme-tools",\n  "owner": { "name": "Acme" },\n  "plugins": [{ "name": "deploy", "source": "./plugins/deploy" }]\n}\n',
  'plugins/deploy/.claude-plugin/plugin.json': '{\n  "name": "deploy-tools"\n}\n',
};

function lintRecorded(source = createMemorySource(files)) {
  const recording = createRecordingSource(source);
  const result = lintCatalog(parseCatalog(recording.source));
  return { calls: recording.calls, result };
}

describe('the recording source', () => {
  test('records every call the loader makes, with digests of the answers', () => {
    const { calls } = lintRecorded();
    expect(calls.length).toBeGreaterThan(2);
    expect(
      calls.some(
        (call) => call[0] === 'read' && call[1] === 'plugins/deploy/.claude-plugin/plugin.json',
      ),
    ).toBe(true);
    expect(calls.every((call) => typeof call.at(-1) === 'string')).toBe(true);
  });

  test('is fresh while the files are the same', () => {
    const { calls } = lintRecorded();
    expect(isFresh(calls, createMemorySource({ ...files }))).toBe(true);
  });

  test('is stale when a file changes, appears or disappears', () => {
    const { calls } = lintRecorded();
    expect(
      isFresh(
        calls,
        createMemorySource({
          ...files,
          'plugins/deploy/.claude-plugin/plugin.json': '{ "name": "deploy" }',
        }),
      ),
    ).toBe(false);
    expect(
      isFresh(
        calls,
        createMemorySource({ ...files, 'plugins/other/.claude-plugin/plugin.json': '{}' }),
      ),
    ).toBe(false);
    expect(
      isFresh(
        calls,
        createMemorySource({
          '.claude-plugin/marketplace.json': files['.claude-plugin/marketplace.json'],
        }),
      ),
    ).toBe(false);
  });
});

describe('cache entries', () => {
  test('restore the same report, causes and fixes included', () => {
    const { calls, result } = lintRecorded();
    const stored = JSON.parse(JSON.stringify(createEntry('k', calls, result))) as ReturnType<
      typeof createEntry
    >;
    const restored = restoreResult(stored);
    expect(formatCompact(restored)).toBe(formatCompact(result));
    expect([restored.errorCount, restored.warningCount]).toEqual([
      result.errorCount,
      result.warningCount,
    ]);
    const original = result.files.flatMap((file) => file.messages);
    const copies = restored.files.flatMap((file) => file.messages);
    expect(
      copies.map((message) => [message.ruleId, message.url, message.fatal, message.source]),
    ).toEqual(
      original.map((message) => [message.ruleId, message.url, message.fatal, message.source]),
    );
    expect(copies.map((message) => (message.cause as VFileMessage | undefined)?.reason)).toEqual(
      original.map((message) => (message.cause as VFileMessage | undefined)?.reason),
    );
  });

  test('are found only under the same root and key', () => {
    const { calls, result } = lintRecorded();
    const cache = parseCache(undefined);
    cache.entries['.'] = createEntry('key-1', calls, result);
    expect(findEntry(cache, '.', 'key-1')).toBe(cache.entries['.']);
    expect(findEntry(cache, '.', 'key-2')).toBeUndefined();
    expect(findEntry(cache, 'other', 'key-1')).toBeUndefined();
    expect(findEntry(cache, '__proto__', 'key-1')).toBeUndefined();
  });
});

test('the key changes with the version, the schemas, the config and the rule selection', () => {
  const base = { version: '1.0.0', schemas: 'a', config: '{}', only: undefined };
  const keys = new Set([
    cacheKey(base),
    cacheKey({ ...base, version: '1.0.1' }),
    cacheKey({ ...base, schemas: 'b' }),
    cacheKey({ ...base, config: '{"rules":{}}' }),
    cacheKey({ ...base, only: ['schema'] }),
  ]);
  expect(keys.size).toBe(5);
  expect(cacheKey(base)).toBe(cacheKey({ ...base }));
});

test('a corrupt or foreign cache file reads as an empty cache', () => {
  for (const text of ['', '{', '[]', '{"version":2,"entries":{}}', 'null']) {
    expect(parseCache(text)).toEqual({ version: 1, entries: {} });
  }
});
