import {
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { git } from './helpers/git.ts';
import { forgetFacts, lintStaged, partialAndFull, primed, repository } from './helpers/staged.ts';
import { tempDir, writeTree } from './helpers/tree.ts';

// What a partial `--staged` load reads besides the staged files (the marketplace, the rest of a
// staged file's plugin) must be what the commit holds, and the marketplace's stored verdict must
// stand for exactly the bytes it was taken from. Each partial run is compared with a full load.

const marketplace = '.claude-plugin/marketplace.json';
const manifest = 'plugins/acme-review/.claude-plugin/plugin.json';

/** The fixture's acme-review manifest, named `name`. */
const manifestText = (name: string): string =>
  `${JSON.stringify({ name, version: '1.2.0', description: 'Code review', author: { name: 'Acme' } }, null, 2)}\n`;

/** The marketplace of `dir` with the acme-review entry changed by `edit`. */
function editEntry(dir: string, edit: (entry: Record<string, unknown>) => void): string {
  const data = JSON.parse(readFileSync(path.join(dir, marketplace), 'utf8')) as {
    plugins: Record<string, unknown>[];
  };
  const entry = data.plugins.find((plugin) => plugin.name === 'acme-review');
  if (!entry) throw new Error('the fixture has no acme-review entry');
  edit(entry);
  return `${JSON.stringify(data, null, 2)}\n`;
}

const nameMessages = (name: string): string[] => [
  `${manifest}:2:11-2:${11 + name.length + 2} warning plugin-name-matches-dir Unexpected plugin name \`${name}\`, expected \`acme-review\` (its folder name)`,
  `${manifest}:2:11-2:${11 + name.length + 2} warning plugin-name-matches-entry Unexpected plugin name \`${name}\`, expected \`acme-review\` (the \`name\` of its marketplace entry)`,
];

describe('a partial --staged load of a plugin', () => {
  test('reads the marketplace as the index holds it when its work tree differs and is not staged', async () => {
    const dir = await primed();
    writeTree(dir, { [manifest]: manifestText('acme-reviews') });
    git(dir, 'add', manifest);
    // Unstaged: the commit keeps the entry named `acme-review`.
    writeTree(dir, { [marketplace]: editEntry(dir, (entry) => (entry.name = 'acme-reviews')) });
    const result = await partialAndFull(dir);
    expect(result).toEqual({
      stdout: [...nameMessages('acme-reviews'), ''].join('\n'),
      exitCode: 0,
      loads: { full: 0, partial: 1 },
    });
  });

  test('reads the rest of the plugin as the index holds it, a file deleted in the work tree included', async () => {
    const dir = await primed();
    const command = 'plugins/acme-review/commands/review.md';
    writeTree(dir, {
      [manifest]: `${JSON.stringify({ name: 'acme-review', version: '1.2.0', description: 'Code review', author: { name: 'Acme' }, commands: ['./commands/review.md'] }, null, 2)}\n`,
    });
    git(dir, 'add', manifest);
    // Unstaged: the commit still holds the command the manifest names.
    rmSync(path.join(dir, command));
    const result = await partialAndFull(dir);
    expect(result).toEqual({ stdout: '', exitCode: 0, loads: { full: 0, partial: 1 } });
  });

  test('takes the stored marketplace verdict for the same bytes, touched or not, invalid entry included', async () => {
    const dir = await primed();
    // An entry that fails its schema: its plugin is not checked, in a full load or a partial one.
    writeTree(dir, { [marketplace]: editEntry(dir, (entry) => (entry.version = 12)) });
    git(dir, 'commit', '-q', '-m', 'invalid entry', '--', marketplace);
    writeTree(dir, { [manifest]: manifestText('acme-reviews') });
    git(dir, 'add', manifest);
    forgetFacts(dir);
    expect((await lintStaged(dir)).loads).toEqual({ full: 1, partial: 0 });
    const store = path.join(dir, '.git/agentops-lint');
    expect(readdirSync(store).filter((name) => name.endsWith('.marketplace'))).toHaveLength(1);

    // The same bytes, written again and newer: the index's stat of it no longer matches.
    const file = path.join(dir, marketplace);
    writeFileSync(file, readFileSync(file));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await partialAndFull(dir)).toEqual({
      stdout: '',
      exitCode: 0,
      loads: { full: 0, partial: 1 },
    });

    // With a valid entry again (committed), the plugin is checked: the verdict follows the bytes.
    writeTree(dir, { [marketplace]: editEntry(dir, (entry) => (entry.version = '1.2.0')) });
    git(dir, 'commit', '-q', '-m', 'valid entry', '--', marketplace);
    expect((await lintStaged(dir)).loads).toEqual({ full: 1, partial: 0 });
    expect(await partialAndFull(dir)).toEqual({
      stdout: [...nameMessages('acme-reviews'), ''].join('\n'),
      exitCode: 0,
      loads: { full: 0, partial: 1 },
    });
  });

  test('works in a linked work tree, whose .git file names its own git folder', async () => {
    const main = realpathSync(repository());
    const linked = realpathSync(tempDir('agentops-lint-linked-'));
    const own = path.join(main, '.git/worktrees/linked');
    mkdirSync(own, { recursive: true });
    writeFileSync(path.join(own, 'HEAD'), `${git(main, 'rev-parse', 'HEAD').trim()}\n`);
    writeFileSync(path.join(own, 'commondir'), '../..\n');
    writeFileSync(path.join(own, 'gitdir'), `${path.join(linked, '.git')}\n`);
    writeFileSync(path.join(linked, '.git'), `gitdir: ${own}\n`);
    git(linked, 'reset', '-q', '--hard');
    expect((await lintStaged(linked)).loads).toEqual({ full: 0, partial: 0 });
    writeTree(linked, { [manifest]: manifestText('acme-reviews') });
    git(linked, 'add', manifest);
    expect((await lintStaged(linked)).loads).toEqual({ full: 1, partial: 0 });
    // The facts are the linked work tree's own, beside its index.
    expect(readdirSync(path.join(own, 'agentops-lint')).sort()).toEqual([
      expect.stringMatching(/\.facts$/),
      expect.stringMatching(/\.index$/),
      expect.stringMatching(/\.marketplace$/),
    ]);
    const partial = await lintStaged(linked);
    rmSync(path.join(own, 'agentops-lint'), { recursive: true });
    const full = await lintStaged(linked);
    expect(partial).toEqual({
      stdout: [...nameMessages('acme-reviews'), ''].join('\n'),
      exitCode: 0,
      loads: { full: 0, partial: 1 },
    });
    expect(full).toEqual({ ...partial, loads: { full: 1, partial: 0 } });
  });
});
