import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { VFileMessage } from 'vfile-message';
import { loadCatalog } from '../src/catalog/index.ts';
import { ruleUrl, siteUrl } from '../src/catalog/diagnostic.ts';
import { createDefaultConfig } from '../src/config.ts';
import { lintCatalog, loaderRules } from '../src/engine.ts';
import { formatCompact } from '../src/format.ts';
import { rules } from '../src/rules/index.ts';

const fixtures = path.resolve(import.meta.dirname, 'fixtures');

// Directive rules judge other rules' messages, so their cases run every rule.
const crossRuleIds = new Set(['no-invalid-disable', 'no-unused-disable']);

interface Case {
  kind: 'valid' | 'invalid';
  name: string;
  dir: string;
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => statSync(path.join(dir, name)).isDirectory())
      .sort();
  } catch {
    return [];
  }
}

function casesOf(id: string): Case[] {
  return (['invalid', 'valid'] as const).flatMap((kind) =>
    listDirs(path.join(fixtures, id, kind)).map((name) => ({
      kind,
      name,
      dir: path.join(fixtures, id, kind, name),
    })),
  );
}

function expectStamped(message: VFileMessage, id: string): void {
  expect(message.ruleId).toBe(id);
  expect(message.source).toBe('agentops-lint');
  if (id in loaderRules) expect(message.url?.startsWith(`${siteUrl}/`)).toBe(true);
  else expect(message.url).toBe(ruleUrl(id));
  expect(typeof message.fatal).toBe('boolean');
  if (message.cause) expectStamped(message.cause as VFileMessage, id);
}

const ids = listDirs(fixtures).filter((name) => !name.startsWith('_'));

describe.for(ids)('%s', (id) => {
  const rule = rules.find((candidate) => candidate.id === id);
  const config = createDefaultConfig();
  if (rule) config.rules.set(id, { severity: rule.severity === 'error' ? 'error' : 'warn' });

  test.for(casesOf(id))('$kind: $name', async ({ kind, name, dir }) => {
    const catalog = await loadCatalog(dir);
    const result = lintCatalog(catalog, { config, only: crossRuleIds.has(id) ? undefined : [id] });
    const own = result.files
      .map((file) => {
        const copy = Object.assign(
          Object.create(Object.getPrototypeOf(file) as object) as typeof file,
          file,
        );
        copy.messages = file.messages.filter((message) => message.ruleId === id);
        return copy;
      })
      .filter((file) => file.messages.length > 0);
    for (const file of own) for (const message of file.messages) expectStamped(message, id);
    const compact = formatCompact({ files: own, errorCount: 0, warningCount: 0 });
    if (kind === 'valid') {
      expect(compact).toBe('');
    } else {
      expect(compact, `${name} must report at least one message`).not.toBe('');
      await expect(compact).toMatchFileSnapshot(path.join(dir, 'expected.txt'));
    }
  });
});

test('the valid catalog fixture gets no message from any rule', async () => {
  const config = createDefaultConfig();
  for (const rule of rules) config.rules.set(rule.id, { severity: 'error' });
  const result = lintCatalog(await loadCatalog(path.join(fixtures, '_catalog')), { config });
  expect(formatCompact(result)).toBe('');
});
