import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { federationIndex } from '../../../lint/src/generated/validators.js';
import {
  federatedText,
  parseFederatedIndex,
  suggestFederated,
  type FederatedPlugin,
} from '../src/federated.ts';
import { makeRepo, runCli, tempDir } from './helpers.ts';

const schemaId =
  'https://agentops-marketplace.github.io/agentops-marketplace/schemas/federation-index.schema.json';

interface Listing {
  marketplace: string;
  dead?: boolean;
}

const promptOnly = {
  label: 'prompt-only',
  folderMissing: false,
  hosts: [],
  scripts: [],
  writes: [],
  reasons: [],
  moreReasons: 0,
};

/** A footprint as the loader derives it for a plugin whose hook scripts reach the network. */
const network = {
  label: 'network',
  folderMissing: false,
  hosts: ['api.github.com'],
  scripts: [{ path: 'plugins/changelog-writer/hooks/fetch.sh', status: 'read' }],
  writes: ['git'],
  reasons: [
    {
      kind: 'network-command',
      path: 'plugins/changelog-writer/hooks/fetch.sh',
      text: 'Runs `curl`, which reaches the network',
    },
    {
      kind: 'network-host',
      path: 'plugins/changelog-writer/hooks/fetch.sh',
      text: 'Reaches `api.github.com`',
    },
    {
      kind: 'writes-git',
      path: 'plugins/changelog-writer/hooks/fetch.sh',
      text: 'Commits to the git repository',
    },
  ],
  moreReasons: 1,
};

/** One canonical plugin as `catalog:sync` writes it, listed by the given marketplaces. */
function indexPlugin(
  name: string,
  description: string,
  keywords: string[],
  commands: string[],
  listings: Listing[],
  flags: string[] = [],
  footprint: Record<string, unknown> = promptOnly,
): Record<string, unknown> {
  const first = listings[0]?.marketplace ?? 'acme__tools';
  return {
    id: `${first}/${name}`,
    name,
    names: [name],
    version: '1.0.0',
    description,
    author: null,
    license: 'MIT',
    homepage: null,
    category: null,
    keywords,
    source: { kind: 'local', path: `plugins/${name}` },
    sourceKeys: [`github.com/${first.replace('__', '/')}#plugins/${name}`],
    contentHashes: [],
    components: {
      commands: commands.map((command) => ({
        name: command,
        invocation: `/${name}:${command}`,
        description: null,
      })),
      agents: [],
      skills: [],
      outputStyles: [],
    },
    capabilities: { hooks: [], mcp: [], lsp: [], bin: [] },
    footprint,
    contextCost: { session: 10, activation: 20 },
    lint: { errors: 0, warnings: 0, messages: [] },
    marketplaceCount: listings.length,
    availableFrom: listings.map(({ marketplace, dead = false }) => ({
      marketplaceId: marketplace,
      marketplaceName: marketplace.replace('__', '-'),
      pluginName: name,
      version: '1.0.0',
      marketplaceStatus: dead ? 'dead' : 'ok',
      dead,
      pinned: true,
      commit: 'a'.repeat(40),
      sourceKind: 'local',
      sourceKey: null,
      contentHash: null,
      lint: { errors: 0, warnings: 0 },
      install: dead
        ? null
        : {
            marketplaceAdd: `/plugin marketplace add ${marketplace.replace('__', '/')}`,
            pluginInstall: `/plugin install ${name}@${marketplace.replace('__', '-')}`,
          },
    })),
    flags,
  };
}

function marketplace(id: string, dead = false): Record<string, unknown> {
  return {
    id,
    name: id.replace('__', '-'),
    description: null,
    owner: null,
    source: id.replace('__', '/'),
    url: `https://github.com/${id.replace('__', '/')}.git`,
    ref: null,
    status: dead ? 'dead' : 'ok',
    commit: 'a'.repeat(40),
    fetchedAt: '2026-11-24T04:17:00.000Z',
    deadSince: dead ? '2026-11-24T04:17:00.000Z' : null,
    errorCount: 0,
    pluginCount: 1,
    addCommand: `/plugin marketplace add ${id.replace('__', '/')}`,
    firstError: null,
  };
}

/** A small federated index that satisfies the schema. */
function sampleIndex(): Record<string, unknown> {
  return {
    $schema: schemaId,
    formatVersion: 1,
    marketplaces: [
      marketplace('acme__tools'),
      marketplace('gone__market', true),
      marketplace('zed__mirror'),
    ],
    plugins: [
      indexPlugin(
        'k8s-deploy-guard',
        'Blocks risky kubectl commands before they reach production clusters',
        ['kubernetes', 'safety'],
        ['check-manifest'],
        [{ marketplace: 'acme__tools' }, { marketplace: 'zed__mirror' }],
      ),
      indexPlugin(
        'changelog-writer',
        'Writes changelogs from merged pull requests',
        ['docs'],
        ['changelog'],
        [{ marketplace: 'acme__tools' }],
        ['unpinned'],
        network,
      ),
      indexPlugin(
        'kubectl-old',
        'Kubernetes kubectl production manifest checks',
        ['kubernetes'],
        [],
        [{ marketplace: 'gone__market', dead: true }],
        ['dead'],
      ),
    ],
    renames: [],
  };
}

function samplePlugins(): FederatedPlugin[] {
  return parseFederatedIndex(JSON.stringify(sampleIndex()));
}

describe('federated plugins in suggest', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the sample index is a valid federated index', () => {
    expect(federationIndex(sampleIndex())).toBe(true);
  });

  test('reads names, keywords, component names and each installable listing', () => {
    expect(samplePlugins()[0]).toEqual({
      id: 'acme__tools/k8s-deploy-guard',
      name: 'k8s-deploy-guard',
      description: 'Blocks risky kubectl commands before they reach production clusters',
      keywords: ['kubernetes', 'safety'],
      components: ['check-manifest'],
      install: [
        {
          marketplace: 'acme-tools',
          marketplaceAdd: '/plugin marketplace add acme/tools',
          pluginInstall: '/plugin install k8s-deploy-guard@acme-tools',
        },
        {
          marketplace: 'zed-mirror',
          marketplaceAdd: '/plugin marketplace add zed/mirror',
          pluginInstall: '/plugin install k8s-deploy-guard@zed-mirror',
        },
      ],
      flags: [],
      runs: { label: 'prompt-only', reasons: [], more: 0 },
    });
    expect(samplePlugins()[1]?.runs).toEqual({
      label: 'network',
      reasons: [
        'Runs `curl`, which reaches the network (in `plugins/changelog-writer/hooks/fetch.sh`)',
        'Reaches `api.github.com` (in `plugins/changelog-writer/hooks/fetch.sh`)',
        'Commits to the git repository (in `plugins/changelog-writer/hooks/fetch.sh`)',
      ],
      more: 1,
    });
  });

  test('an index without footprints, or with a label it does not know, gives no runs', () => {
    const index = sampleIndex();
    const [first, second] = index.plugins as Record<string, unknown>[];
    delete first!.footprint;
    second!.footprint = { ...network, label: 'harmless', reasons: 'none' };
    const plugins = parseFederatedIndex(JSON.stringify(index));
    expect([plugins[0]?.runs, plugins[1]?.runs]).toEqual([undefined, undefined]);
  });

  test('malformed index text gives no plugins instead of throwing', () => {
    expect(parseFederatedIndex('{not json')).toEqual([]);
    expect(parseFederatedIndex('{"formatVersion":2,"plugins":[]}')).toEqual([]);
    expect(parseFederatedIndex('[1,2]')).toEqual([]);
    const index = sampleIndex();
    index.plugins = [{ name: 'no-id' }, 42, null, ...(index.plugins as unknown[])];
    expect(parseFederatedIndex(JSON.stringify(index)).map((p) => p.name)).toEqual([
      'k8s-deploy-guard',
      'changelog-writer',
      'kubectl-old',
    ]);
  });

  test('proposes the plugin whose text matches the task, never a dead one', () => {
    const result = suggestFederated('guard kubectl commands in production', samplePlugins());
    expect(result.abstained).toBe(false);
    expect(result.external).toBe(true);
    expect(result.plugins.map((p) => [p.id, p.matched])).toEqual([
      ['acme__tools/k8s-deploy-guard', ['command', 'guard', 'kubectl', 'production']],
    ]);
    expect(result.plugins[0]!.install).toHaveLength(2);
  });

  test('matches component names', () => {
    const result = suggestFederated('update the changelog', samplePlugins());
    expect(result.plugins.map((p) => p.id)).toEqual(['acme__tools/changelog-writer']);
    expect(result.plugins[0]!.flags).toEqual(['unpinned']);
  });

  test('abstains when nothing mentions the task, or matches too few of its words', () => {
    expect(suggestFederated('bake sourdough bread', samplePlugins())).toEqual({
      external: true,
      abstained: true,
      reason: 'No federated plugin mentions the task',
      plugins: [],
    });
    expect(
      suggestFederated('translate the kubernetes invoice spreadsheet quarterly', samplePlugins()),
    ).toMatchObject({
      abstained: true,
      reason: 'No federated plugin matches the task well enough',
    });
    expect(suggestFederated('guard kubectl', [])).toMatchObject({
      abstained: true,
      reason: 'The federated index lists no plugins',
    });
  });

  test('the text names the plugins external, lists each install and drops control characters', () => {
    const plugins = samplePlugins();
    plugins[1]!.description = 'Writes \u001b[31mred\u001b[0m changelogs\nfrom merges';
    const text = federatedText(suggestFederated('update the changelog', plugins));
    expect(text).toBe(
      'External plugins (from other marketplaces in the federated index, not from this repository):\n' +
        '  changelog-writer (acme__tools/changelog-writer): Writes [31mred [0m changelogs from merges\n' +
        '    matched: changelog\n' +
        '    runs: network: Runs `curl`, which reaches the network (in `plugins/changelog-writer/hooks/fetch.sh`); Reaches `api.github.com` (in `plugins/changelog-writer/hooks/fetch.sh`); and 2 more\n' +
        '    labels: unpinned\n' +
        '    install from acme-tools:\n' +
        '      /plugin marketplace add acme/tools\n' +
        '      /plugin install changelog-writer@acme-tools\n',
    );
    expect(federatedText(suggestFederated('bake bread', plugins))).toBe(
      'External plugins (from other marketplaces in the federated index, not from this repository):\n' +
        '  none: No federated plugin mentions the task.\n',
    );
  });

  test('the CLI reads federation/index.json of the repository and adds a separate JSON field', () => {
    const repo = makeRepo();
    dirs.push(repo);
    fs.mkdirSync(path.join(repo, 'federation'));
    fs.writeFileSync(path.join(repo, 'federation/index.json'), JSON.stringify(sampleIndex()));
    const json = runCli(repo, ['suggest', 'guard kubectl commands in production', '--json']);
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      suggestions: unknown[];
      federated: { external: boolean; abstained: boolean; plugins: { id: string }[] };
    };
    expect(parsed.suggestions).toEqual([]);
    expect(parsed.federated.external).toBe(true);
    expect(parsed.federated.plugins.map((p) => p.id)).toEqual(['acme__tools/k8s-deploy-guard']);
    const text = runCli(repo, ['suggest', 'guard kubectl commands in production']);
    expect(text.stdout).toBe(
      'No suggestion: No patterns learned yet. Use the default workflow.\n' +
        'External plugins (from other marketplaces in the federated index, not from this repository):\n' +
        '  k8s-deploy-guard (acme__tools/k8s-deploy-guard): Blocks risky kubectl commands before they reach production clusters\n' +
        '    matched: command, guard, kubectl, production\n' +
        '    runs: prompt-only\n' +
        '    install from acme-tools:\n' +
        '      /plugin marketplace add acme/tools\n' +
        '      /plugin install k8s-deploy-guard@acme-tools\n' +
        '    install from zed-mirror:\n' +
        '      /plugin marketplace add zed/mirror\n' +
        '      /plugin install k8s-deploy-guard@zed-mirror\n',
    );
  });

  test('the CLI takes --federation <file> outside a repository and fails on a missing one', () => {
    const dir = tempDir();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(sampleIndex()));
    const store = ['--store', path.join(dir, 'store')];
    const found = runCli(dir, [
      'suggest',
      'update the changelog',
      '--json',
      '--federation',
      'index.json',
      ...store,
    ]);
    expect(
      (JSON.parse(found.stdout) as { federated: { plugins: { id: string }[] } }).federated.plugins,
    ).toHaveLength(1);
    const none = runCli(dir, ['suggest', 'update the changelog', '--json', ...store]);
    expect(JSON.parse(none.stdout)).not.toHaveProperty('federated');
    const missing = runCli(dir, ['suggest', 'x', '--federation', 'absent.json', ...store]);
    expect(missing).toMatchObject({
      status: 1,
      stderr: 'Missing federated index `absent.json`, expected a file\n',
    });
  });
});
