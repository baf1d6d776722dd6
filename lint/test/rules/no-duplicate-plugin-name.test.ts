import { expect, test } from 'vitest';
import type { VFileMessage } from 'vfile-message';
import { createMemorySource, parseCatalog } from '../../src/catalog/index.ts';
import { lintCatalog } from '../../src/engine.ts';

test('points each duplicate at the first entry with that name', () => {
  const text = `{
  "name": "acme-tools",
  "owner": { "name": "Acme" },
  "description": "Tools for Acme developers",
  "plugins": [
    { "name": "deploy", "source": { "source": "github", "repo": "acme/deploy" } },
    { "name": "deploy", "source": { "source": "github", "repo": "acme/deploy-next" } }
  ]
}
`;
  const catalog = parseCatalog(createMemorySource({ '.claude-plugin/marketplace.json': text }));
  const [message] = lintCatalog(catalog, { only: ['no-duplicate-plugin-name'] }).files.flatMap(
    (file) => file.messages,
  );
  const cause = message?.cause as VFileMessage | undefined;
  expect([message?.line, cause?.file, cause?.reason, cause?.place]).toEqual([
    7,
    '.claude-plugin/marketplace.json',
    'First defined here',
    { start: { line: 6, column: 15 }, end: { line: 6, column: 23 } },
  ]);
});
