import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCliArgs } from '../src/cli-options.ts';
import { readWorkTreeState } from '../src/git-files.ts';
import { prefetchGit } from '../src/git-prefetch.ts';
import { runLint } from '../src/run.ts';
import {
  patternFolders,
  rememberedEntryFolders,
  watchedFolders,
  watchedScope,
} from '../src/work-tree-scope.ts';
import { git } from './helpers/git.ts';
import { tempDir, tempTree, writeTree } from './helpers/tree.ts';

// File arguments check only the parts of the work tree that can change their messages: a file in
// a plugin folder its plugin, `.claude-plugin/` and `.claude/`; anything else the whole tree. Runs
// go through the command line's own path (the git reads started by `prefetchGit`) in real git
// repositories, and every result is compared with the same files linted from a copy without git
// (a full load from disk).

const catalogFixture = path.resolve(import.meta.dirname, 'fixtures/_catalog');

const readStdin = (): Promise<string> => Promise.resolve('');

/**
 * Gives every folder but `.git`, and git's own ignore file, a time long past: only later changes
 * look recent (a recent ignore file or folder is listed again in full, as a coarse clock needs).
 */
function settle(dir: string, top = dir): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== '.git') settle(path.join(dir, entry.name), top);
  }
  utimesSync(dir, 1_500_000_000, 1_500_000_000);
  if (dir === top) utimesSync(path.join(dir, '.git/info/exclude'), 1_500_000_000, 1_500_000_000);
}

/** The fixture catalog, with `extra` files, committed in a fresh repository, its folders settled. */
function repository(extra: Record<string, string> = {}): string {
  const dir = tempDir('agentops-lint-scope-');
  cpSync(catalogFixture, dir, { recursive: true });
  writeTree(dir, extra);
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'catalog');
  settle(dir);
  return dir;
}

async function lintFiles(dir: string, files: string[]) {
  const options = parseCliArgs(['-f', 'compact', ...files]);
  const output = await runLint(options, {
    cwd: dir,
    git: prefetchGit(options, dir),
    readStdin,
    color: false,
  });
  return { stdout: output.stdout, exitCode: output.exitCode, loads: output.loads };
}

/** The same files linted in a copy of the work tree without git: a full load from disk. */
async function withoutGit(dir: string, files: string[]) {
  const copy = tempDir('agentops-lint-scope-copy-');
  cpSync(dir, copy, { recursive: true, filter: (file) => !file.includes(`${path.sep}.git`) });
  const { stdout, exitCode } = await lintFiles(copy, files);
  return { stdout, exitCode };
}

/**
 * Lints `files`, with the stored facts unless told a full load is due; the result must equal a
 * full load's. Returns stdout.
 */
async function agreesWithFullLoad(dir: string, files: string[], full = 0): Promise<string> {
  const partial = await lintFiles(dir, files);
  expect(partial.loads).toEqual({ full, partial: 1 - full });
  expect({ stdout: partial.stdout, exitCode: partial.exitCode }).toEqual(
    await withoutGit(dir, files),
  );
  return partial.stdout;
}

const agent = 'plugins/acme-core/agents/code-explorer.md';
const manifest = 'plugins/acme-core/.claude-plugin/plugin.json';
const pattern = 'patterns/api-development/pat_2025-11-07_oauth_api.md';

/** An agent file of the fixture's `acme-core` with a link to `./notes.md` beside it. */
const linkingAgent = [
  '---',
  'name: code-explorer',
  'description: Maps the code relevant to a task. Use before planning a change.',
  '---',
  '',
  'Read [the notes](./notes.md) first.',
  '',
].join('\n');

const agentNamed = (name: string): string =>
  `---\nname: ${name}\ndescription: Writes things. Use when asked.\n---\n\nWrite.\n`;

describe('the folders a file argument watches', () => {
  const catalog = (extra: Record<string, string> = {}): string =>
    tempTree({
      '.claude-plugin/marketplace.json': JSON.stringify({
        name: 'm',
        plugins: [{ name: 'a', source: './plugins/a' }],
      }),
      'plugins/a/agents/x.md': 'x\n',
      'plugins/b/commands/y.md': 'y\n',
      'plugins/README.md': 'r\n',
      'patterns/c/pat_z.md': 'z\n',
      'docs/d.md': 'd\n',
      'README.md': 'r\n',
      ...extra,
    });
  const watched = (root: string, ...files: string[]): string[] | undefined =>
    watchedFolders(files.map((file) => path.join(root, file)))?.map((folder) =>
      path.relative(root, folder).split(path.sep).join('/'),
    );
  const whole = ['.claude', '.claude-plugin', 'patterns', 'plugins'];

  test('are its plugin, .claude-plugin/ and .claude/ for a file in a plugin folder', () => {
    const root = catalog();
    expect(watched(root, 'plugins/a/agents/x.md')).toEqual([
      '.claude',
      '.claude-plugin',
      'plugins/a',
    ]);
    expect(watched(root, 'plugins/a/agents/x.md', 'plugins/b/commands/y.md')).toEqual([
      '.claude',
      '.claude-plugin',
      'plugins/a',
      'plugins/b',
    ]);
  });

  test('are what the loader reads, and the file’s own folder, for any other file', () => {
    const root = catalog();
    for (const file of [
      'patterns/c/pat_z.md',
      '.claude-plugin/marketplace.json',
      'plugins/README.md',
    ])
      expect(watched(root, file)).toEqual(whole);
    expect(watched(root, 'docs/d.md')).toEqual([
      '.claude',
      '.claude-plugin',
      'docs',
      'patterns',
      'plugins',
    ]);
    expect(watched(root, 'README.md')).toEqual(['']);
    // Together with a plugin file, the wider scope holds the narrower.
    expect(watched(root, 'plugins/a/agents/x.md', 'patterns/c/pat_z.md')).toEqual(whole);
  });

  test('of a pattern file come in two steps: those known at once, then its providers', () => {
    const root = catalog();
    const relative = (folders: string[] | undefined) =>
      folders?.map((folder) => path.relative(root, folder).split(path.sep).join('/'));
    const asked: string[] = [];
    const scope = (plugins: string[] | undefined) =>
      watchedScope([path.join(root, 'patterns/c/pat_z.md')], (_, file) => {
        asked.push(path.relative(root, file));
        return plugins;
      });
    const narrow = scope(['plugins/b']);
    expect(relative(narrow.first)).toEqual(['.claude', '.claude-plugin', 'patterns']);
    expect(asked).toEqual([]);
    expect(relative(narrow.all())).toEqual(['.claude', '.claude-plugin', 'patterns', 'plugins/b']);
    expect(asked).toEqual([path.join('patterns', 'c', 'pat_z.md')]);
    // No providers known: everything the loader reads.
    expect(relative(scope(undefined).all())).toEqual(whole);
    // A plugin file's are all known at once.
    const plugin = watchedScope([path.join(root, 'plugins/a/agents/x.md')], () => []);
    expect(relative(plugin.first)).toEqual(['.claude', '.claude-plugin', 'plugins/a']);
    expect(relative(plugin.all())).toEqual(relative(plugin.first));
  });

  test('add the folders marketplace entries name, and widen for an entry holding the plugins', () => {
    const withEntry = (source: string, pluginRoot?: string) =>
      catalog({
        '.claude-plugin/marketplace.json': JSON.stringify({
          name: 'm',
          ...(pluginRoot === undefined ? {} : { metadata: { pluginRoot } }),
          plugins: [
            { name: 'a', source: './plugins/a' },
            { name: 'all', source },
            { name: 'remote', source: { source: 'github', repo: 'o/r' } },
          ],
        }),
      });
    const tools = withEntry('./tools/all/');
    // Every `source` string counts, a remote one's kind too (no such folder: nothing to see).
    expect(watched(tools, 'patterns/c/pat_z.md')).toEqual([
      '.claude',
      '.claude-plugin',
      'github',
      'patterns',
      'plugins',
      'tools/all',
    ]);
    // Each source read both ways, with and without the plugin root before it.
    expect(watched(withEntry('all', './tools'), 'patterns/c/pat_z.md')).toEqual([
      '.claude',
      '.claude-plugin',
      'all',
      'github',
      'patterns',
      'plugins',
      'tools/all',
      'tools/github',
      'tools/plugins/a',
    ]);
    expect(watched(tools, 'plugins/a/agents/x.md')).toEqual([
      '.claude',
      '.claude-plugin',
      'plugins/a',
    ]);
    for (const root of [
      withEntry('./plugins/'),
      withEntry('./plugins/a/../'),
      withEntry('plugins', '.'),
    ])
      expect(watched(root, 'plugins/a/agents/x.md')).toEqual([
        '.claude',
        '.claude-plugin',
        'github',
        'patterns',
        'plugins',
      ]);
  });

  test('are the whole tree for an entry at the root or above, and the whole catalog beside a root plugin', () => {
    const file = 'plugins/a/agents/x.md';
    const withEntry = (source: string, pluginRoot?: string) =>
      catalog({
        '.claude-plugin/marketplace.json': JSON.stringify({
          name: 'm',
          ...(pluginRoot === undefined ? {} : { metadata: { pluginRoot } }),
          plugins: [{ name: 'all', source }],
        }),
      });
    for (const root of [
      withEntry('./'),
      withEntry('.'),
      withEntry('./x/../..'),
      withEntry('x', '..'),
      // A member name may be written with escapes.
      catalog({ '.claude-plugin/marketplace.json': '{"plugins":[{"sourc\\u0065":"./"}]}' }),
    ]) {
      expect(watched(root, file)).toBeUndefined();
      expect(watched(root, 'patterns/c/pat_z.md')).toBeUndefined();
    }
    const rootPlugin = catalog({ '.claude-plugin/plugin.json': '{"name":"root"}' });
    expect([watched(rootPlugin, file), watched(rootPlugin, 'patterns/c/pat_z.md')]).toEqual([
      [''],
      [''],
    ]);
    // A marketplace the loader cannot read names no plugin.
    for (const text of ['{ not json', '[]'])
      expect(watched(catalog({ '.claude-plugin/marketplace.json': text }), file)).toEqual([
        '.claude',
        '.claude-plugin',
        'plugins/a',
      ]);
  });

  test('without a marketplace, are what the loader reads of the catalog the run lints', () => {
    const bare = tempTree({ 'plugins/a/agents/x.md': 'x\n', 'patterns/c/pat_z.md': 'z\n' });
    expect(watched(bare, 'plugins/a/agents/x.md')).toEqual([
      '.claude',
      '.claude-plugin',
      'plugins/a',
    ]);
    expect(
      patternFolders(path.join(bare, 'patterns/c/pat_z.md'))?.map((folder) =>
        path.relative(bare, folder),
      ),
    ).toEqual(['.claude', '.claude-plugin', 'patterns']);
    // A plugin folder with no marketplace above it is a catalog of its own, and all it reads.
    const lone = tempTree({
      'p/.claude-plugin/plugin.json': '{"name":"p"}',
      'p/agents/a.md': 'a\n',
    });
    expect(watched(lone, 'p/agents/a.md')).toEqual(['p']);
    // No folder that looks like a catalog: the file's own folder is the root, as the run takes it.
    const loose = tempTree({ 'notes/n.md': 'n\n' });
    expect(watched(loose, 'notes/n.md')).toEqual(['notes']);
  });
});

describe('file arguments in a plugin folder', () => {
  test('see changes in their plugin and the marketplace, in the work tree or untracked', async () => {
    const dir = repository({ [agent]: linkingAgent });
    const first = await lintFiles(dir, [agent]);
    expect(first.loads).toEqual({ full: 1, partial: 0 });
    expect(first.stdout).toContain('link-targets-exist');

    // An untracked file in the plugin: the link leads somewhere now.
    writeTree(dir, { 'plugins/acme-core/agents/notes.md': '# Notes\n' });
    expect(await agreesWithFullLoad(dir, [agent])).toBe('');

    // A plugin name only the official marketplaces may use, then the marketplace renamed to one.
    writeTree(dir, {
      [manifest]: JSON.stringify({ name: 'claude-core', version: '1.2.0', description: 'Core' }),
    });
    const reserved = await agreesWithFullLoad(dir, [manifest]);
    expect(reserved).toContain('no-reserved-plugin-name');
    writeTree(dir, {
      '.claude-plugin/marketplace.json': git(
        dir,
        'show',
        'HEAD:.claude-plugin/marketplace.json',
      ).replace('"acme-marketplace"', '"claude-plugins-official"'),
    });
    // A changed marketplace is a full load: everything may change with it.
    const waived = await agreesWithFullLoad(dir, [manifest], 1);
    expect(waived).not.toContain('no-reserved-plugin-name');
    expect(waived).not.toBe('');
    // Without stored facts too, where unchanged files are read from the index.
    rmSync(path.join(dir, '.git/agentops-lint'), { recursive: true });
    expect(await agreesWithFullLoad(dir, [manifest], 1)).toBe(waived);
  });

  test('find a new plugin folder through the folder above it', async () => {
    const dir = repository();
    await lintFiles(dir, [agent]);
    const added = 'plugins/acme-new/agents/new.md';
    writeTree(dir, { [added]: agentNamed('new') });
    const state = await readWorkTreeState(dir, [path.join(dir, added)]);
    expect(state?.untracked).toEqual([added]);
    // A new plugin changes the set of plugins: a full load.
    expect(await agreesWithFullLoad(dir, [added], 1)).toBe('');
  });

  test('read a file of their plugin deleted from the work tree as gone, in a full load too', async () => {
    const dir = repository({ [agent]: linkingAgent, 'plugins/acme-core/agents/notes.md': '# N\n' });
    expect(await lintFiles(dir, [agent])).toEqual({
      stdout: '',
      exitCode: 0,
      loads: { full: 1, partial: 0 },
    });
    rmSync(path.join(dir, 'plugins/acme-core/agents/notes.md'));
    expect(await agreesWithFullLoad(dir, [agent])).toContain('link-targets-exist');
    // Without stored facts the load is whole, reading the index for files the work tree does not
    // change: the deletion must count as a change.
    rmSync(path.join(dir, '.git/agentops-lint'), { recursive: true });
    const full = await lintFiles(dir, [agent]);
    expect(full.loads).toEqual({ full: 1, partial: 0 });
    expect({ stdout: full.stdout, exitCode: full.exitCode }).toEqual(
      await withoutGit(dir, [agent]),
    );
    expect(full.stdout).toContain('link-targets-exist');
  });

  test('skip changes in other plugins and patterns, which a pattern argument sees', async () => {
    const dir = repository();
    await lintFiles(dir, [agent]);
    writeTree(dir, {
      'plugins/acme-review/agents/reviewer.md': agentNamed('critic'),
      'plugins/acme-release/commands/new.md': '# New\n',
      [pattern]: git(dir, 'show', `HEAD:${pattern}`).replace('(Code Explorer)', '(Nobody Here)'),
      'plugins/acme-core/agents/helper.md': agentNamed('helper'),
    });
    const scoped = await readWorkTreeState(dir, [path.join(dir, agent)]);
    expect(scoped?.changed).toEqual([path.join(dir, 'plugins/acme-core/agents/helper.md')]);
    const whole = await readWorkTreeState(dir, [path.join(dir, pattern)]);
    expect(whole?.changed).toEqual(
      [
        pattern,
        'plugins/acme-core/agents/helper.md',
        'plugins/acme-release/commands/new.md',
        'plugins/acme-review/agents/reviewer.md',
      ].map((file) => path.join(dir, file)),
    );
    expect(await agreesWithFullLoad(dir, [agent])).toBe('');
    expect(await agreesWithFullLoad(dir, [pattern])).toContain('Nobody Here');
  });

  test('leave changes elsewhere for a later argument that needs them to find', async () => {
    const dir = repository();
    expect((await lintFiles(dir, [pattern])).loads).toEqual({ full: 1, partial: 0 });
    const outputs: string[] = [];
    const steps: Record<string, string>[] = [
      // An agent the pattern names is renamed, in the work tree only.
      { 'plugins/acme-core/agents/doc-generator.md': agentNamed('doc-writer') },
      // An untracked agent brings the name back.
      { 'plugins/acme-core/agents/docs.md': agentNamed('doc-generator') },
    ];
    for (const [step, files] of steps.entries()) {
      // Each time a file in `acme-review` changes too: the run for its agent lists that folder
      // again and stores the listing, `acme-core` unchecked.
      writeTree(dir, { ...files, [`plugins/acme-review/agents/new-${step}.md`]: agentNamed('x') });
      expect(await agreesWithFullLoad(dir, ['plugins/acme-review/agents/reviewer.md'])).toBe('');
      outputs.push(await agreesWithFullLoad(dir, [pattern]));
    }
    expect(outputs[0]).toContain('Doc Generator');
    expect(outputs[1]).not.toContain('Doc Generator');
  });
});

describe('file arguments in a catalog without a marketplace', () => {
  test('skip changes in other plugins, and agree with a full load', async () => {
    const dir = repository();
    git(dir, 'rm', '-q', '.claude-plugin/marketplace.json');
    git(dir, 'commit', '-q', '-m', 'no marketplace');
    settle(dir);
    expect((await lintFiles(dir, [agent])).loads).toEqual({ full: 1, partial: 0 });
    expect((await lintFiles(dir, [pattern])).loads).toEqual({ full: 1, partial: 0 });
    writeTree(dir, {
      'plugins/acme-review/agents/reviewer.md': agentNamed('critic'),
      [pattern]: git(dir, 'show', `HEAD:${pattern}`).replace('(Code Explorer)', '(Nobody Here)'),
      'plugins/acme-core/agents/helper.md': agentNamed('helper'),
    });
    // The plugin folder is a catalog of its own now: all of it and nothing else is watched.
    const scoped = await readWorkTreeState(dir, [path.join(dir, agent)]);
    expect(scoped?.changed).toEqual([path.join(dir, 'plugins/acme-core/agents/helper.md')]);
    // A plugin at its catalog's root is loaded whole: a small load.
    expect(await agreesWithFullLoad(dir, [agent], 1)).toBe('');
    expect(await agreesWithFullLoad(dir, [pattern])).toContain('Nobody Here');
    // Another pattern takes the id of the one given, in the work tree only.
    const other = 'patterns/a-first/pat_2025-10-01_other.md';
    writeTree(dir, { [other]: git(dir, 'show', `HEAD:${pattern}`) });
    expect(await agreesWithFullLoad(dir, [pattern])).toContain('no-duplicate-pattern-id');
  });
});

describe('file arguments elsewhere in a catalog', () => {
  test('see the folders marketplace entries name and skip what the loader never reads', async () => {
    const marketplace = JSON.parse(
      readFileSync(path.join(catalogFixture, '.claude-plugin/marketplace.json'), 'utf8'),
    ) as { plugins: unknown[] };
    marketplace.plugins.push({
      name: 'acme-tools',
      source: './tools/acme-tools',
      version: '1.0.0',
    });
    const dir = repository({
      '.claude-plugin/marketplace.json': JSON.stringify(marketplace, null, 2),
      // The agent the pattern names lives in a plugin outside `plugins/`.
      'plugins/acme-core/agents/doc-generator.md': agentNamed('doc-writer'),
      'tools/acme-tools/.claude-plugin/plugin.json': '{"name":"acme-tools","version":"1.0.0"}\n',
      'tools/acme-tools/agents/docs.md': agentNamed('doc-generator'),
      'docs/guide.md': '# Guide\n',
    });
    const first = await lintFiles(dir, [pattern]);
    expect(first.loads).toEqual({ full: 1, partial: 0 });
    expect(first.stdout).not.toContain('Doc Generator');

    writeTree(dir, {
      'tools/acme-tools/agents/docs.md': agentNamed('docs'),
      'docs/guide.md': '# Changed\n',
      'docs/new.md': '# New\n',
    });
    const state = await readWorkTreeState(dir, [path.join(dir, pattern)]);
    expect(state?.changed).toEqual([path.join(dir, 'tools/acme-tools/agents/docs.md')]);
    expect(state?.untracked).toEqual([]);
    expect(await agreesWithFullLoad(dir, [pattern])).toContain('Doc Generator');
  });
  test('given through a symlink to the work tree, are checked as a load without git would', async () => {
    const dir = repository({ [agent]: linkingAgent });
    await lintFiles(dir, [agent]);
    writeTree(dir, { 'plugins/acme-core/agents/notes.md': '# Notes\n' });
    const alias = path.join(tempDir('agentops-lint-scope-alias-'), 'alias');
    symlinkSync(dir, alias);
    const through = await lintFiles(dir, [path.join(alias, agent)]);
    // Git refuses paths through the symlink: a whole load, which sees the untracked file.
    expect(through).toEqual({ stdout: '', exitCode: 0, loads: { full: 1, partial: 0 } });
  });
});

describe('the folders marketplace entries name, kept between runs', () => {
  test('are scanned once for a settled marketplace, and again once it changes', () => {
    const root = tempTree({
      '.claude-plugin/marketplace.json': JSON.stringify({
        plugins: [{ name: 'a', source: './tools/a' }],
      }),
    });
    const marketplace = path.join(root, '.claude-plugin/marketplace.json');
    const memo = path.join(root, 'entries.json');
    const changedAt = statSync(marketplace).ctimeMs;
    // Changed within the clock's margin: scanned, and nothing kept.
    expect(rememberedEntryFolders(marketplace, memo, changedAt + 100)).toEqual(['tools/a']);
    expect(existsSync(memo)).toBe(false);
    expect(rememberedEntryFolders(marketplace, memo, changedAt + 3000)).toEqual(['tools/a']);
    // Kept: what the memo says is the answer while the marketplace's stat is the same.
    const kept = JSON.parse(readFileSync(memo, 'utf8')) as { folders: string[] };
    writeFileSync(memo, JSON.stringify({ ...kept, folders: ['kept/here'] }));
    expect(rememberedEntryFolders(marketplace, memo, changedAt + 3000)).toEqual(['kept/here']);
    // Past 8 MiB a memo is not read: scanned.
    writeFileSync(
      memo,
      JSON.stringify({ ...kept, folders: ['kept/here'], pad: 'x'.repeat(8 * 1024 * 1024) }),
    );
    expect(rememberedEntryFolders(marketplace, memo, changedAt + 3000)).toEqual(['tools/a']);
    // Rewritten: scanned again.
    writeFileSync(marketplace, JSON.stringify({ plugins: [{ name: 'b', source: './tools/bb' }] }));
    expect(rememberedEntryFolders(marketplace, memo, Date.now() + 3000)).toEqual(['tools/bb']);
    // A memo that is not one: scanned.
    writeFileSync(memo, '{"stamp": 1');
    expect(rememberedEntryFolders(marketplace, memo, Date.now() + 3000)).toEqual(['tools/bb']);
  });
});
