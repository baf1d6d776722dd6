import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { hashPluginFiles } from '../scripts/federation/content-hash.ts';
import { buildIndex, marketplaceAddCommand } from '../scripts/federation/dedupe.ts';
import { toJsonText } from '../scripts/federation/files.ts';
import { classifyCloneFailure, extraPluginDirs } from '../scripts/federation/git.ts';
import { parseMarketplaceList, resolveSourceUrl } from '../scripts/federation/list.ts';
import { createMemorySource, parseCatalog } from '../lint/src/catalog/index.ts';
import { buildSnapshotContent, describeSource } from '../scripts/federation/snapshot.ts';
import { normalizeRepoPath, repoKey } from '../scripts/federation/source-key.ts';
import { createTreeSource, type TreeFile } from '../scripts/federation/tree-source.ts';
import type { Snapshot, SnapshotPlugin } from '../scripts/federation/types.ts';

const encoder = new TextEncoder();

function file(text: string, executable = false): TreeFile {
  return { kind: 'file', executable, oid: '0'.repeat(40), bytes: encoder.encode(text) };
}

function link(target: string): TreeFile {
  return { kind: 'symlink', executable: false, oid: '1'.repeat(40), bytes: encoder.encode(target) };
}

describe('marketplace list', () => {
  test('accepts owner/repo and git URLs with an optional ref', () => {
    const list = parseMarketplaceList(
      JSON.stringify([
        { id: 'anthropics__claude-code', source: 'anthropics/claude-code' },
        { id: 'acme__tools', source: 'https://gitlab.com/acme/tools.git', ref: 'v1.2.0' },
      ]),
    );
    expect(list).toEqual({
      entries: [
        { id: 'anthropics__claude-code', source: 'anthropics/claude-code' },
        { id: 'acme__tools', source: 'https://gitlab.com/acme/tools.git', ref: 'v1.2.0' },
      ],
      errors: [],
    });
    expect(resolveSourceUrl('anthropics/claude-code')).toBe(
      'https://github.com/anthropics/claude-code.git',
    );
  });

  test('reports bad lines and keeps the good ones', () => {
    const list = parseMarketplaceList(
      JSON.stringify([
        { id: '../escape', source: 'a/b' },
        { id: 'opt__injection', source: '--upload-pack=touch /tmp/x' },
        { id: 'bad__ref', source: 'a/b', ref: '--force' },
        'a/b',
        { id: 'ok__one', source: 'a/b' },
        { id: 'OK__one', source: 'c/d' },
        { id: 'extra__field', source: 'a/b', branch: 'main' },
      ]),
    );
    expect(list.entries).toEqual([{ id: 'ok__one', source: 'a/b' }]);
    expect(list.errors).toEqual([
      'Unexpected `/0`/id, expected a file-name-safe id such as `owner__repo`',
      'Unexpected `/1`/source, expected `owner/repo` or a git URL',
      'Unexpected `/2`/ref, expected a branch or tag name',
      'Unexpected `/3`, expected an object',
      'Unexpected duplicate id `OK__one` at `/5`, expected unique ids',
      'Unexpected field `branch` at `/6`, expected `id`, `source`, `ref`',
    ]);
  });

  test('accepts file:// remotes only when asked', () => {
    const text = JSON.stringify([{ id: 'local__repo', source: 'file:///srv/git/repo' }]);
    expect(parseMarketplaceList(text).errors).toEqual([
      'Unexpected `/0`/source, expected `owner/repo` or a git URL',
    ]);
    expect(parseMarketplaceList(text, true).entries).toEqual([
      { id: 'local__repo', source: 'file:///srv/git/repo' },
    ]);
  });

  test('reports a list that is not JSON without throwing', () => {
    expect(parseMarketplaceList('[{"id": ')).toMatchObject({ entries: [] });
    expect(parseMarketplaceList('{}').errors).toEqual([
      'Unexpected top-level value, expected an array',
    ]);
  });
});

describe('source keys', () => {
  test('normalizes the ways of naming one GitHub repository', () => {
    const keys = [
      'Owner/Repo',
      'https://github.com/Owner/Repo.git',
      'https://github.com/owner/repo/',
      'git@github.com:Owner/Repo.git',
      'ssh://git@github.com/owner/repo.git',
      'https://user:token@github.com/owner/repo',
    ].map(repoKey);
    expect(new Set(keys)).toEqual(new Set(['github.com/owner/repo']));
  });

  test('keeps plugin paths inside the repository', () => {
    expect(normalizeRepoPath('./plugins/x/')).toBe('plugins/x');
    expect(normalizeRepoPath('./')).toBe('');
    expect(normalizeRepoPath('./../../etc')).toBe('etc');
  });

  test('describes each source form and resolves bare names against pluginRoot', () => {
    expect(describeSource('tool', 'plugins')).toEqual({ kind: 'local', path: 'plugins/tool' });
    expect(
      describeSource({ source: 'github', repo: 'o/r', sha: 'a'.repeat(40) }, undefined),
    ).toEqual({
      kind: 'github',
      repo: 'o/r',
      ref: null,
      sha: 'a'.repeat(40),
    });
    expect(describeSource({ source: 'archive', url: 'https://x/y.zip' }, undefined)).toEqual({
      kind: 'other',
      type: 'archive',
    });
    expect(describeSource(42, undefined)).toEqual({ kind: 'other', type: 'number' });
  });
});

describe('git fetch helpers', () => {
  test('classifies clone failures', () => {
    expect(classifyCloneFailure("fatal: '/x' does not appear to be a git repository")).toBe('dead');
    expect(
      classifyCloneFailure(
        "remote: Repository not found.\nfatal: repository 'https://github.com/a/b.git/' not found",
      ),
    ).toBe('dead');
    expect(
      classifyCloneFailure(
        "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
      ),
    ).toBe('dead');
    expect(
      classifyCloneFailure(
        'warning: Could not find remote branch v9 to clone.\nfatal: Remote branch v9 not found in upstream origin',
      ),
    ).toBe('bad-ref');
    expect(
      classifyCloneFailure(
        "fatal: unable to access 'https://github.com/a/b.git/': Could not resolve host: github.com",
      ),
    ).toBe('unreachable');
  });

  test('lists local plugin folders outside plugins/ for the sparse read', () => {
    const json = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));
    expect(
      extraPluginDirs(
        json({
          plugins: [
            { source: './plugins/a' },
            { source: './tools/b/' },
            { source: { source: 'github' } },
          ],
        }),
      ),
    ).toEqual(['tools/b']);
    expect(
      extraPluginDirs(json({ metadata: { pluginRoot: './src' }, plugins: [{ source: 'c' }] })),
    ).toEqual(['src/c']);
    // A `./` source is read from the root; under `pluginRoot` too, for the linter's hint.
    expect(
      extraPluginDirs(
        json({
          metadata: { pluginRoot: './skills' },
          plugins: [{ source: './d' }, { source: './' }],
        }),
      ),
    ).toBeUndefined();
    expect(
      extraPluginDirs(json({ metadata: { pluginRoot: './skills' }, plugins: [{ source: './d' }] })),
    ).toEqual(['d', 'skills/d']);
    expect(extraPluginDirs(json({ plugins: [{ source: './' }] }))).toBeUndefined();
    expect(extraPluginDirs(encoder.encode('{ nope'))).toEqual([]);
    expect(extraPluginDirs(undefined)).toEqual([]);
  });
});

describe('tree source', () => {
  const files = new Map<string, TreeFile>([
    ['plugins/a/commands/run.md', file('# Run\n')],
    ['plugins/a/commands/alias.md', link('run.md')],
    ['plugins/a/commands/escape.md', link('../../../../etc/passwd')],
    ['plugins/a/commands/loop.md', link('loop.md')],
    ['plugins/b', link('a')],
  ]);
  const source = createTreeSource('/repo', files);

  test('follows symlinks inside the tree, including through linked folders', () => {
    expect(source.type('plugins/a/commands/alias.md')).toBe('file');
    expect(source.read('plugins/b/commands/run.md', 100)).toEqual(encoder.encode('# Run\n'));
    expect(source.list('plugins/b').map((e) => e.name)).toEqual(['commands']);
  });

  test('never leads out of the tree and stops on loops', () => {
    expect(source.link('plugins/a/commands/escape.md')).toMatchObject({ problem: 'outside-root' });
    expect(source.read('plugins/a/commands/escape.md', 100)).toEqual({ problem: 'outside-root' });
    expect(source.link('plugins/a/commands/loop.md')).toMatchObject({ problem: 'loop' });
  });

  test('reads a blob the fetch filtered out as too large', () => {
    const filtered = createTreeSource(
      '/repo',
      new Map([
        ['big.json', { kind: 'file', executable: false, oid: 'f'.repeat(40), bytes: undefined }],
      ]),
    );
    expect(filtered.read('big.json', 1024)).toEqual({ problem: 'too-large', size: 1025 });
  });
});

describe('snapshot footprints', () => {
  test('every entry gets one: its plugin, the plugin at the same folder, or its source elsewhere', () => {
    const catalog = parseCatalog(
      createMemorySource({
        '.claude-plugin/marketplace.json': JSON.stringify({
          name: 'm',
          owner: { name: 'M' },
          plugins: [
            { name: 'a', source: './plugins/a' },
            { name: 'a-again', source: './plugins/a' },
            { name: 'out', source: '../outside' },
            { name: 'pkg', source: { source: 'npm', package: '@acme/pkg' } },
          ],
        }),
        'plugins/a/.claude-plugin/plugin.json': JSON.stringify({ name: 'a' }),
        'plugins/a/hooks/hooks.json': JSON.stringify({
          hooks: { Stop: [{ hooks: [{ type: 'command', command: 'curl https://x.test/ping' }] }] },
        }),
      }),
    );
    const { plugins } = buildSnapshotContent(catalog, [], 'https://github.com/o/m.git', () => {
      return undefined;
    });
    const reached = {
      label: 'network',
      folderMissing: false,
      hosts: ['x.test'],
      scripts: [],
      writes: [],
      reasons: [
        { kind: 'network-host', path: 'plugins/a/hooks/hooks.json', text: 'Reaches `x.test`' },
        {
          kind: 'network-command',
          path: 'plugins/a/hooks/hooks.json',
          text: 'Runs `curl`, which reaches the network',
        },
      ],
      moreReasons: 0,
    };
    const elsewhere = (where: string) => ({
      label: 'unknown',
      folderMissing: false,
      hosts: [],
      scripts: [],
      writes: [],
      reasons: [
        {
          kind: 'external-source',
          path: null,
          text: `Comes from ${where}, whose files are not read here, so what it runs is not known`,
        },
      ],
      moreReasons: 0,
    });
    expect(plugins.map((plugin) => [plugin.name, plugin.footprint])).toEqual([
      ['a', reached],
      ['a-again', reached],
      ['out', elsewhere('`../outside`')],
      ['pkg', elsewhere('`@acme/pkg`')],
    ]);
  });
});

describe('content hash', () => {
  test('is the same for copies that differ only in line ends, BOM or location', () => {
    const a = new Map([['plugins/a/x.md', file('one\ntwo\n')]]);
    const b = new Map([['tools/other/x.md', file('\uFEFFone\r\ntwo\r\n')]]);
    expect(hashPluginFiles(a, 'plugins/a')).toEqual(hashPluginFiles(b, 'tools/other'));
  });

  test('changes with a file name, the executable bit or the bytes', () => {
    const base = hashPluginFiles(new Map([['p/run', file('echo hi\n')]]), 'p').hash;
    expect(hashPluginFiles(new Map([['p/run2', file('echo hi\n')]]), 'p').hash).not.toBe(base);
    expect(hashPluginFiles(new Map([['p/run', file('echo hi\n', true)]]), 'p').hash).not.toBe(base);
    expect(hashPluginFiles(new Map([['p/run', file('echo ho\n')]]), 'p').hash).not.toBe(base);
  });

  test('leaves out the marketplace file of a root plugin and files of sibling folders', () => {
    const tree = new Map([
      ['.claude-plugin/marketplace.json', file('{}')],
      ['.claude-plugin/plugin.json', file('{"name":"x"}')],
      ['plugins/ab/y.md', file('y')],
    ]);
    expect(hashPluginFiles(tree, '.').files).toBe(2);
    expect(hashPluginFiles(tree, 'plugins/a').files).toBe(0);
  });
});

function plugin(name: string, overrides: Partial<SnapshotPlugin> = {}): SnapshotPlugin {
  return {
    name,
    manifestName: null,
    version: '1.0.0',
    description: null,
    author: null,
    license: null,
    homepage: null,
    category: null,
    keywords: [],
    source: { kind: 'local', path: `plugins/${name}` },
    sourceKey: null,
    pinned: true,
    components: { commands: [], agents: [], skills: [], outputStyles: [] },
    capabilities: { hooks: [], mcp: [], lsp: [], bin: [] },
    footprint: {
      label: 'prompt-only',
      folderMissing: false,
      hosts: [],
      scripts: [],
      writes: [],
      reasons: [],
      moreReasons: 0,
    },
    contextCost: { session: 0, activation: 0 },
    lint: { errors: 0, warnings: 0, messages: [] },
    contentHash: 'sha256:same',
    ...overrides,
  };
}

function snapshot(
  id: string,
  plugins: SnapshotPlugin[],
  renames: Record<string, string | null> = {},
): Snapshot {
  return {
    id,
    source: `o/${id}`,
    url: `https://github.com/o/${id}.git`,
    ref: null,
    status: 'ok',
    commit: 'c'.repeat(40),
    seenCommit: 'c'.repeat(40),
    fetchedAt: '2026-01-01T00:00:00.000Z',
    deadSince: null,
    errors: [],
    marketplace: {
      name: id,
      description: null,
      version: null,
      owner: null,
      renames,
      lint: { errors: 0, warnings: 0, messages: [] },
    },
    plugins,
  };
}

describe('index', () => {
  test('does not merge empty plugins that only share the hash of nothing', () => {
    const index = buildIndex([snapshot('m1', [plugin('a')]), snapshot('m2', [plugin('b')])]);
    expect(index.plugins.map((p) => p.id)).toEqual(['m1/a', 'm2/b']);
  });

  test('merges plugins with components and the same content hash', () => {
    const components = {
      commands: [{ name: 'go', invocation: '/a:go', description: null }],
      agents: [],
      skills: [],
      outputStyles: [],
    };
    const index = buildIndex([
      snapshot('m2', [plugin('b', { components })]),
      snapshot('m1', [plugin('a', { components })]),
    ]);
    expect(index.plugins.map((p) => [p.id, p.names, p.marketplaceCount])).toEqual([
      ['m1/a', ['a', 'b'], 2],
    ]);
  });

  test('follows rename chains and stops on loops', () => {
    const index = buildIndex([
      snapshot('m', [plugin('new', { contentHash: null })], {
        old: 'mid',
        mid: 'new',
        x: 'y',
        y: 'x',
      }),
    ]);
    expect(index.renames).toEqual([
      { marketplaceId: 'm', from: 'mid', to: 'new', pluginId: 'm/new' },
      { marketplaceId: 'm', from: 'old', to: 'new', pluginId: 'm/new' },
      { marketplaceId: 'm', from: 'x', to: null, pluginId: null },
      { marketplaceId: 'm', from: 'y', to: null, pluginId: null },
    ]);
    expect(index.plugins[0]?.names).toEqual(['mid', 'new', 'old']);
  });

  test('writes the marketplace add command with the listed ref', () => {
    expect(marketplaceAddCommand({ source: 'acme/tools', ref: 'v2' })).toBe(
      '/plugin marketplace add acme/tools#v2',
    );
    expect(marketplaceAddCommand({ source: 'acme/tools', ref: null })).toBe(
      '/plugin marketplace add acme/tools',
    );
  });
});

describe('committed federation files', () => {
  const root = path.resolve(import.meta.dirname, '..');

  test('the marketplace list parses without errors and names each id after its repository', () => {
    const list = parseMarketplaceList(
      readFileSync(path.join(root, 'federation/marketplaces.json'), 'utf8'),
    );
    expect(list.errors).toEqual([]);
    expect(list.entries.length).toBeGreaterThan(0);
    for (const entry of list.entries) expect(entry.id).toBe(entry.source.replace('/', '__'));
    const ids = list.entries.map((e) => e.id.toLowerCase());
    expect(ids).toEqual([...ids].sort());
  });

  test('the committed index is the index of the committed snapshots', () => {
    const dir = path.join(root, 'federation/snapshots');
    const snapshots = existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.endsWith('.json'))
          .sort()
          .map((name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Snapshot)
      : [];
    expect(readFileSync(path.join(root, 'federation/index.json'), 'utf8')).toBe(
      toJsonText(buildIndex(snapshots)),
    );
  });
});
