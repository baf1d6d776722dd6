import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCliArgs } from '../src/cli-options.ts';
import { readWorkTreeState } from '../src/git-files.ts';
import { prefetchGit } from '../src/git-prefetch.ts';
import { git } from './helpers/git.ts';
import { lintFiles, pattern, repository, withoutGit } from './helpers/staged.ts';
import { writeTree } from './helpers/tree.ts';

// A single pattern file argument in a large repository starts `git diff` of `.claude`,
// `.claude-plugin` and `patterns` before the modules that decide its scope have loaded; the run
// takes it only when the scope turns out to be exactly those folders. The size from which it
// starts is lowered to 0 here, so the small fixture takes the path a large catalog takes.

const given = 'patterns/release/pat_2025-10-02_release_notes.md';
const other = 'patterns/api-development/pat_2025-11-07_oauth_api.md';

/** The early git reads of a run on `given`, started whatever the size of the index. */
function startedEarly(dir: string) {
  return prefetchGit(parseCliArgs(['-f', 'compact', given]), dir, 0);
}

describe('the early git diff of a pattern file argument', () => {
  test('starts for one pattern file from the index size given, with the folders its check needs first', () => {
    const dir = repository();
    const at = (file: string, from?: number) =>
      prefetchGit(parseCliArgs([file]), dir, from).diff?.folders;
    expect(at(given, 0)).toEqual(
      ['.claude', '.claude-plugin', 'patterns'].map((name) => path.join(dir, name)),
    );
    // The fixture's index is far below the default size, where stat settles the few entries.
    expect(at(given)).toBeUndefined();
    expect(at('plugins/acme-core/agents/code-explorer.md', 0)).toBeUndefined();
    expect(prefetchGit(parseCliArgs([given, other]), dir, 0).diff).toBeUndefined();
  });

  test('is taken for exactly its folders, and ignored for others', async () => {
    const dir = repository();
    const folders = ['.claude', '.claude-plugin', 'patterns'].map((name) => path.join(dir, name));
    const diff = { folders, names: Promise.resolve([other]) };
    const taken = await readWorkTreeState(dir, [path.join(dir, given)], { diff });
    expect(taken?.changed).toEqual([path.join(dir, other)]);
    // Not the folders the scope starts with: git answers, and nothing changed.
    const ignored = await readWorkTreeState(dir, [path.join(dir, given)], {
      diff: { folders: folders.slice(1), names: Promise.resolve([other]) },
    });
    expect(ignored?.changed).toEqual([]);
  });

  test('gives the messages of a full load, with other patterns changed in the work tree only', async () => {
    const dir = repository();
    expect((await lintFiles(dir, [given], startedEarly(dir))).loads).toEqual({
      full: 1,
      partial: 0,
    });
    // Another pattern takes the given file's id in the work tree: a duplicate now.
    writeTree(dir, {
      [other]: pattern('pat_2025-10-02_release_notes', 'api-development', '1. Review (Reviewer)'),
    });
    const partial = await lintFiles(dir, [given], startedEarly(dir));
    expect(partial.loads).toEqual({ full: 0, partial: 1 });
    expect(partial.stdout).toContain('no-duplicate-pattern-id');
    expect({ stdout: partial.stdout, exitCode: partial.exitCode }).toEqual(
      await withoutGit(dir, [given]),
    );
  });

  test('is left aside when a plugin at the root makes the scope the whole tree', async () => {
    const dir = repository();
    writeTree(dir, {
      '.claude-plugin/plugin.json': '{ "name": "root-plugin", "version": "1.0.0" }\n',
    });
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'root plugin');
    await lintFiles(dir, [given], startedEarly(dir));
    writeTree(dir, {
      [other]: pattern('pat_2025-10-02_release_notes', 'api-development', '1. Review (Reviewer)'),
    });
    const result = await lintFiles(dir, [given], startedEarly(dir));
    expect(result.stdout).toContain('no-duplicate-pattern-id');
    expect({ stdout: result.stdout, exitCode: result.exitCode }).toEqual(
      await withoutGit(dir, [given]),
    );
  });
});
