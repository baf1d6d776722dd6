import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { FederationIndex } from '../../../lint/src/generated/schema-types.ts';
import {
  buildFederatedViews,
  federatedCapabilities,
  federatedInstall,
  federatedSlug,
} from '../../src/lib/federated-view.ts';
import { marketplaceWebUrl } from '../../src/lib/federated-marketplaces.ts';
import {
  FederationIndexError,
  emptyFederationIndex,
  parseFederationIndex,
  readFederationIndex,
} from '../../src/lib/federation-index.ts';
import { facetCounts, groupBy, tagKeys } from '../../src/lib/page-data.ts';

const commit = '0123456789abcdef0123456789abcdef01234567';

/** A two-marketplace index: one plugin listed by both, one external and unpinned, one dead. */
function sampleIndex(): FederationIndex {
  const market = (id: string, status: 'ok' | 'dead'): FederationIndex['marketplaces'][number] => ({
    id,
    name: id.replace('__', '-'),
    description: null,
    owner: null,
    source: id === 'local__market' ? 'file:///srv/market' : id.replace('__', '/'),
    url:
      id === 'local__market'
        ? 'file:///srv/market'
        : `https://github.com/${id.replace('__', '/')}.git`,
    ref: null,
    status,
    commit,
    fetchedAt: id === 'acme__tools' ? '2026-11-20T04:17:00.000Z' : '2026-11-24T04:17:00.000Z',
    deadSince: status === 'dead' ? '2026-11-24T04:17:00.000Z' : null,
    errorCount: 0,
    pluginCount: 1,
    addCommand: `/plugin marketplace add ${id.replace('__', '/')}`,
    firstError: null,
  });
  const listing = (
    marketplaceId: string,
    pluginName: string,
    dead = false,
  ): FederationIndex['plugins'][number]['availableFrom'][number] => ({
    marketplaceId,
    marketplaceName: marketplaceId.replace('__', '-'),
    pluginName,
    version: '1.0.0',
    marketplaceStatus: dead ? 'dead' : 'ok',
    dead,
    pinned: !pluginName.startsWith('ext'),
    commit,
    sourceKind: pluginName.startsWith('ext') ? 'github' : 'local',
    sourceKey: null,
    contentHash: null,
    lint: { errors: 0, warnings: 1 },
    install: dead
      ? null
      : {
          marketplaceAdd: `/plugin marketplace add ${marketplaceId.replace('__', '/')}`,
          pluginInstall: `/plugin install ${pluginName}@${marketplaceId.replace('__', '-')}`,
        },
  });
  const plugin = (
    id: string,
    fetched: boolean,
    keywords: string[],
    availableFrom: FederationIndex['plugins'][number]['availableFrom'],
    flags: FederationIndex['plugins'][number]['flags'],
  ): FederationIndex['plugins'][number] => ({
    id,
    name: id.split('/')[1] ?? id,
    names: [id.split('/')[1] ?? id],
    version: '1.0.0',
    description: 'Does <b>things</b>',
    author: { name: 'Ann', email: null, url: 'javascript:alert(1)' },
    license: 'MIT',
    homepage: 'javascript:alert(1)',
    category: 'devops',
    keywords,
    source: fetched
      ? { kind: 'local', path: 'plugins/x' }
      : { kind: 'github', repo: 'o/ext', ref: null, sha: null },
    sourceKeys: [],
    contentHashes: [],
    components: fetched
      ? {
          commands: [{ name: 'run', invocation: '/x:run', description: 'Runs' }],
          agents: [{ name: 'helper', id: 'x:helper', description: null }],
          skills: [],
          outputStyles: [],
        }
      : null,
    capabilities: fetched
      ? {
          hooks: [],
          mcp: [{ name: 'api', transport: 'http', command: null, host: 'api.example.com' }],
          lsp: [],
          bin: [],
        }
      : null,
    footprint: fetched
      ? {
          label: 'network',
          folderMissing: false,
          hosts: ['api.example.com'],
          scripts: [],
          writes: [],
          reasons: [
            {
              kind: 'remote-server',
              path: 'plugins/x/.mcp.json',
              text: 'Connects to the remote MCP server `api` at `api.example.com`',
            },
          ],
          moreReasons: 0,
        }
      : {
          label: 'unknown',
          folderMissing: false,
          hosts: [],
          scripts: [],
          writes: [],
          reasons: [
            {
              kind: 'external-source',
              path: null,
              text: 'Comes from `github:o/ext`, whose files are not read here, so what it runs is not known',
            },
          ],
          moreReasons: 0,
        },
    contextCost: fetched ? { session: 12, activation: 40 } : null,
    lint: { errors: 0, warnings: 1, messages: [] },
    marketplaceCount: availableFrom.length,
    availableFrom,
    flags,
  });
  return {
    ...emptyFederationIndex(),
    marketplaces: [
      market('acme__tools', 'ok'),
      market('gone__market', 'dead'),
      market('local__market', 'ok'),
    ],
    plugins: [
      plugin(
        'acme__tools/deploy',
        true,
        ['deploy', 'kubernetes'],
        [listing('acme__tools', 'deploy'), listing('local__market', 'deploy')],
        [],
      ),
      plugin(
        'acme__tools/ext-tool',
        false,
        ['deploy'],
        [listing('acme__tools', 'ext-tool')],
        ['unpinned'],
      ),
      plugin('gone__market/old', true, [], [listing('gone__market', 'old', true)], ['dead']),
    ],
  };
}

describe('reading federation/index.json', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const repo = (): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'site-federation-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'federation'));
    return dir;
  };

  test('accepts an index that matches the schema', () => {
    expect(parseFederationIndex(JSON.stringify(sampleIndex()))).toEqual(sampleIndex());
  });

  test('names the place of a schema problem', () => {
    const index = sampleIndex() as unknown as { plugins: { name: unknown }[] };
    index.plugins[1]!.name = 7;
    expect(() => parseFederationIndex(JSON.stringify(index))).toThrow(
      new FederationIndexError(
        '`federation/index.json` does not match schemas/federation-index.schema.json:\n' +
          '- Unexpected value at `/plugins/1/name`, expected it to satisfy `type` of the federation index schema',
      ),
    );
  });

  test('refuses text that is not JSON', () => {
    expect(() => parseFederationIndex('{"formatVersion":')).toThrow(
      'Unexpected text in `federation/index.json`, expected JSON written by `npm run catalog:sync`',
    );
  });

  test('gives an empty index when the repository has none', async () => {
    expect(await readFederationIndex(repo())).toEqual(emptyFederationIndex());
  });

  test('reads the file of the repository', async () => {
    const dir = repo();
    writeFileSync(path.join(dir, 'federation/index.json'), JSON.stringify(sampleIndex()));
    expect((await readFederationIndex(dir)).plugins).toHaveLength(3);
  });

  test('refuses a symlink leading out of the repository', async () => {
    const dir = repo();
    const outside = repo();
    writeFileSync(path.join(outside, 'index.json'), JSON.stringify(sampleIndex()));
    symlinkSync(path.join(outside, 'index.json'), path.join(dir, 'federation/index.json'));
    await expect(readFederationIndex(dir)).rejects.toThrow(
      'Unexpected `federation/index.json` leading out of the repository, expected a file inside it',
    );
  });
});

describe('federated plugin views', () => {
  const views = buildFederatedViews(sampleIndex());

  test('keep every marketplace with its own install commands', () => {
    const [deploy] = views.plugins;
    expect(deploy?.listings.map((l) => [l.marketplaceId, l.marketplaceUrl, l.install])).toEqual([
      [
        'acme__tools',
        'https://github.com/acme/tools',
        {
          slash: '/plugin marketplace add acme/tools\n/plugin install deploy@acme-tools',
          shell:
            'claude plugin marketplace add acme/tools\nclaude plugin install deploy@acme-tools',
        },
      ],
      [
        'local__market',
        undefined,
        {
          slash: '/plugin marketplace add local/market\n/plugin install deploy@local-market',
          shell:
            'claude plugin marketplace add local/market\nclaude plugin install deploy@local-market',
        },
      ],
    ]);
    expect(deploy?.updated).toBe('2026-11-24T04:17:00.000Z');
  });

  test('drop javascript: URLs and keep text as text', () => {
    const [deploy] = views.plugins;
    expect([deploy?.homepage, deploy?.author, deploy?.description]).toEqual([
      undefined,
      { name: 'Ann', url: undefined },
      'Does <b>things</b>',
    ]);
  });

  test('know what runs only when the files were fetched', () => {
    const [deploy, ext] = views.plugins;
    expect(deploy?.flags).toEqual({ noHooks: true, noNetwork: false, promptOnly: false });
    expect(deploy?.hosts).toEqual(['api.example.com']);
    expect(deploy?.components.map((c) => [c.kind, c.name, c.anchor])).toEqual([
      ['command', 'run', 'command-run'],
      ['agent', 'helper', 'agent-helper'],
    ]);
    expect(federatedCapabilities(deploy!)).toEqual(['no hooks']);
    expect([ext?.fetched, ext?.flags, ext?.tokens, federatedCapabilities(ext!)]).toEqual([
      false,
      undefined,
      undefined,
      [],
    ]);
  });

  test("say what runs in the loader's words, each reason with its file", () => {
    const [deploy, ext] = views.plugins;
    expect(deploy?.runs).toEqual({
      label: 'network',
      reasons: [
        'Connects to the remote MCP server `api` at `api.example.com` (in `plugins/x/.mcp.json`)',
      ],
      writesGit: false,
      folderMissing: false,
      moreReasons: 0,
    });
    expect(ext?.runs).toEqual({
      label: 'unknown',
      reasons: [
        'Comes from `github:o/ext`, whose files are not read here, so what it runs is not known',
      ],
      writesGit: false,
      folderMissing: false,
      moreReasons: 0,
    });
  });

  test("take hosts and flags from the index's footprint, never from the capabilities", () => {
    const index = sampleIndex();
    const [first] = index.plugins;
    if (!first?.capabilities) throw new Error('the sample has a fetched plugin first');
    first.capabilities = {
      hooks: [{ event: 'SessionStart', matcher: null, type: 'command', broad: false }],
      mcp: [],
      lsp: [],
      bin: [],
    };
    first.footprint = {
      label: 'network',
      folderMissing: false,
      hosts: ['hooks.example.net'],
      scripts: [{ path: 'plugins/x/hooks/start.sh', status: 'read' }],
      writes: ['git'],
      reasons: [
        {
          kind: 'network-host',
          path: 'plugins/x/hooks/start.sh',
          text: 'Reaches `hooks.example.net`',
        },
        {
          kind: 'writes-git',
          path: 'plugins/x/hooks/start.sh',
          text: 'Commits to the git repository',
        },
      ],
      moreReasons: 3,
    };
    const [view] = buildFederatedViews(index).plugins;
    expect([view?.hosts, view?.flags, view?.runs]).toEqual([
      ['hooks.example.net'],
      { noHooks: false, noNetwork: false, promptOnly: false },
      {
        label: 'network',
        reasons: [
          'Reaches `hooks.example.net` (in `plugins/x/hooks/start.sh`)',
          'Commits to the git repository (in `plugins/x/hooks/start.sh`)',
        ],
        writesGit: true,
        folderMissing: false,
        moreReasons: 3,
      },
    ]);
  });

  test('carry the dead and unpinned labels, and no install for a dead marketplace', () => {
    expect(views.plugins.map((p) => [p.slug, p.labels])).toEqual([
      ['acme__tools/deploy', []],
      ['acme__tools/ext-tool', ['unpinned']],
      ['gone__market/old', ['dead']],
    ]);
    expect(views.plugins[2]?.listings[0]?.install).toBeUndefined();
    expect(federatedInstall(null)).toBeUndefined();
  });

  test('list the marketplaces with their status', () => {
    expect(views.marketplaces.map((m) => [m.id, m.status, m.url, m.deadSince])).toEqual([
      ['acme__tools', 'ok', 'https://github.com/acme/tools', undefined],
      ['gone__market', 'dead', 'https://github.com/gone/market', '2026-11-24T04:17:00.000Z'],
      ['local__market', 'ok', undefined, undefined],
    ]);
  });

  test('slugs replace unsafe characters and never climb', () => {
    expect(federatedSlug('acme__tools/my plugin?#')).toBe('acme__tools/my-plugin--');
    expect(federatedSlug('a/..')).toBe('a/-');
    const gitlab = 'https://gitlab.com/a/b.git';
    expect(marketplaceWebUrl({ source: gitlab, url: gitlab })).toBe('https://gitlab.com/a/b');
  });

  test('slugs that clash get a number', () => {
    const index = sampleIndex();
    const [first] = index.plugins;
    index.plugins = [
      { ...first!, id: 'a/x y' },
      { ...first!, id: 'a/x?y' },
    ];
    expect(buildFederatedViews(index).plugins.map((p) => p.slug)).toEqual(['a/x-y', 'a/x-y-2']);
  });

  test('count in the facets and the tag groups next to our plugins', () => {
    const counts = facetCounts([], [], 24, views.plugins);
    expect(counts.type).toEqual([['federated plugin', 3]]);
    // The external plugin's capabilities are unknown: it counts in no capability facet.
    expect(counts.capability).toEqual([['no hooks', 2]]);
    expect(counts.license).toEqual([['MIT', 3]]);
    expect(
      groupBy([], [], tagKeys, views.plugins).map((g) => [g.slug, g.federated.length]),
    ).toEqual([
      ['deploy', 2],
      ['kubernetes', 1],
    ]);
  });
});
