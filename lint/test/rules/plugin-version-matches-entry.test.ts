import { describe, expect, test } from 'vitest';
import type { VFileMessage } from 'vfile-message';
import { createMemorySource, parseCatalog } from '../../src/catalog/index.ts';
import { lintCatalog, type LintMessage } from '../../src/engine.ts';
import { applyFixes } from '../../src/fix.ts';

const marketplacePath = '.claude-plugin/marketplace.json';
const manifest = '{\n  "name": "deploy",\n  "version": "1.0.0"\n}\n';

function marketplace(version: string): string {
  return `{
  "name": "acme-tools",
  "owner": { "name": "Acme" },
  "description": "Tools for Acme developers",
  "plugins": [{ "name": "deploy", "source": "./plugins/deploy", "version": ${version} }]
}
`;
}

function lint(text: string): LintMessage[] {
  const catalog = parseCatalog(
    createMemorySource({
      [marketplacePath]: text,
      'plugins/deploy/.claude-plugin/plugin.json': manifest,
    }),
  );
  const result = lintCatalog(catalog, { only: ['plugin-version-matches-entry'] });
  return result.files.flatMap((file) => file.messages as LintMessage[]);
}

describe('plugin-version-matches-entry', () => {
  test('fixes the entry version to the plugin.json version', () => {
    const text = marketplace('"2.0.0"');
    const fixes = lint(text).flatMap((message) => (message.fix ? [message.fix] : []));
    expect(applyFixes(text, fixes).output).toBe(marketplace('"1.0.0"'));
  });

  test('offers no fix when the version is spelled with escapes', () => {
    const messages = lint(marketplace('"2.0.\\u0030"'));
    expect(messages.map((message) => message.reason)).toEqual([
      'Unexpected entry version `2.0.0`, expected `1.0.0` (the `version` in its `plugin.json`, which wins at install)',
    ]);
    expect(messages[0]?.fix).toBeUndefined();
  });

  test('points its cause at the version in plugin.json', () => {
    const cause = lint(marketplace('"2.0.0"'))[0]?.cause as VFileMessage | undefined;
    expect([cause?.file, cause?.reason, cause?.place]).toEqual([
      'plugins/deploy/.claude-plugin/plugin.json',
      'The plugin declares its version here',
      { start: { line: 3, column: 14 }, end: { line: 3, column: 21 } },
    ]);
  });
});
