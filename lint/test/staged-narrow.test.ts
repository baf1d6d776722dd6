import { describe, expect, test } from 'vitest';
import { readStagedState } from '../src/git-files.ts';
import { loadStagedCatalog } from '../src/staged.ts';
import { storeKey } from '../src/store-key.ts';
import { git } from './helpers/git.ts';
import {
  lintFiles,
  lintStaged,
  partialAndFull,
  pattern,
  primed,
  withoutGit,
} from './helpers/staged.ts';
import { writeTree } from './helpers/tree.ts';

// A partial load whose reported files all lie in plugin folders reads those plugins and the
// marketplace only, even when patterns and other plugins changed too; the messages stay those of
// a full load.

const manifest = 'plugins/acme-review/.claude-plugin/plugin.json';
const clash = 'patterns/release/pat_2025-12-01_copy.md';

/** A primed repository with a pattern, another plugin and the given plugin's manifest staged. */
async function changedEverywhere(): Promise<string> {
  const dir = await primed();
  writeTree(dir, {
    // Same id as a committed pattern: an error for whoever reports on this file.
    [clash]: pattern('pat_2025-11-07_oauth_api', 'release', '1. Review (Reviewr)'),
    'plugins/acme-core/agents/doc-generator.md':
      '---\nname: doc-writer\ndescription: Writes docs\n---\n\nWrite.\n',
    [manifest]: `${JSON.stringify({ name: 'acme-reviews', version: '1.2.0', description: 'Code review', author: { name: 'Acme' } }, null, 2)}\n`,
  });
  git(dir, 'add', '.');
  return dir;
}

const manifestMessages = [
  `${manifest}:2:11-2:25 warning plugin-name-matches-dir Unexpected plugin name \`acme-reviews\`, expected \`acme-review\` (its folder name)`,
  `${manifest}:2:11-2:25 warning plugin-name-matches-entry Unexpected plugin name \`acme-reviews\`, expected \`acme-review\` (the \`name\` of its marketplace entry)`,
  '',
].join('\n');

describe('a partial load reporting on plugin files only', () => {
  test('loads their plugin and the marketplace, not the patterns or plugins that changed beside them', async () => {
    const dir = await changedEverywhere();
    const state = await readStagedState(dir);
    const input = {
      root: dir,
      top: state.top,
      privateDir: state.privateDir,
      index: state.index,
      staged: [clash, 'plugins/acme-core/agents/doc-generator.md', manifest],
      key: storeKey(),
    };
    const narrow = await loadStagedCatalog({ ...input, reported: [manifest] });
    expect(narrow.partial).toBe(true);
    expect(narrow.catalog.patterns.map((entry) => entry.path)).toEqual([]);
    expect(narrow.catalog.plugins.map((plugin) => plugin.dir)).toEqual(['plugins/acme-review']);
    // The changed pattern and plugin are no outside facts either.
    expect(narrow.catalog.outside?.withId('pat_2025-11-07_oauth_api').map((p) => p.path)).toEqual([
      'patterns/api-development/pat_2025-11-07_oauth_api.md',
    ]);
    expect(narrow.catalog.outside?.plugins.map((plugin) => plugin.dir).sort()).toEqual([
      'plugins/acme-core',
      'plugins/acme-release',
    ]);

    // A pattern among the reported files needs everything that changed, and the pattern whose id
    // it takes.
    const wide = await loadStagedCatalog({ ...input, reported: [manifest, clash] });
    expect(wide.catalog.patterns.map((entry) => entry.path)).toEqual([
      'patterns/api-development/pat_2025-11-07_oauth_api.md',
      clash,
    ]);
    expect(wide.catalog.plugins.map((plugin) => plugin.dir).sort()).toEqual([
      'plugins/acme-core',
      'plugins/acme-review',
    ]);
  });

  test('gives a plugin file argument the messages of a full load, and --staged all of them', async () => {
    const dir = await changedEverywhere();
    const partial = await lintFiles(dir, [manifest]);
    expect(partial).toEqual({
      stdout: manifestMessages,
      exitCode: 0,
      loads: { full: 0, partial: 1 },
    });
    expect(await withoutGit(dir, [manifest])).toEqual({
      stdout: manifestMessages,
      exitCode: 0,
    });

    // `--staged` reports on the pattern too: the whole plan, checked against a full load.
    const staged = await lintStaged(dir);
    expect(staged.loads).toEqual({ full: 0, partial: 1 });
    expect(staged.stdout).toContain(`${clash}:2:13-2:37 error no-duplicate-pattern-id`);
    expect(staged.stdout).toContain(manifestMessages);
    await partialAndFull(dir);
  });
});
