import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  createMemorySource,
  externalFootprint,
  loadCatalog,
  parseCatalog,
  type CatalogPlugin,
} from '../../src/catalog/index.ts';
import { json } from '../helpers/tree.ts';
import { scriptFacts } from '../../src/catalog/discover/command-line.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const mirror = path.resolve(repoRoot, '../shared/mirror');
const hasMirror = existsSync(path.join(mirror, 'SOURCES.tsv'));

const manifest = json({ name: 'p', version: '1.0.0', description: 'P', author: { name: 'Ada' } });

/** The plugin `plugins/p` of a catalog built from these files (its manifest added). */
function pluginOf(files: Record<string, string>): CatalogPlugin {
  const catalog = parseCatalog(
    createMemorySource({ 'plugins/p/.claude-plugin/plugin.json': manifest, ...files }),
  );
  const plugin = catalog.plugins.find((candidate) => candidate.dir === 'plugins/p');
  if (!plugin) throw new Error('plugins/p was not discovered');
  return plugin;
}

const hooks = (command: string): string =>
  json({ hooks: { SessionStart: [{ hooks: [{ type: 'command', command }] }] } });

describe('plugin footprint', () => {
  test('is prompt-only when nothing runs', () => {
    const plugin = pluginOf({ 'plugins/p/commands/go.md': '---\ndescription: Go\n---\nGo.\n' });
    expect(plugin.footprint).toEqual({
      label: 'prompt-only',
      folderMissing: false,
      hosts: [],
      runs: [],
      scripts: [],
      writes: [],
      reasons: [],
    });
  });

  test('is no-network when every script it runs is read and reaches nothing', () => {
    const plugin = pluginOf({
      'plugins/p/hooks/hooks.json': hooks('node "${CLAUDE_PLUGIN_ROOT}/hooks/check.js" start'),
      'plugins/p/hooks/check.js': "import { readFileSync } from 'node:fs';\nconsole.log('ok');\n",
    });
    expect(plugin.footprint).toEqual({
      label: 'no-network',
      folderMissing: false,
      hosts: [],
      runs: [
        {
          kind: 'hook',
          name: 'SessionStart',
          command: 'node "${CLAUDE_PLUGIN_ROOT}/hooks/check.js" start',
          url: undefined,
          scripts: ['plugins/p/hooks/check.js'],
          path: 'plugins/p/hooks/hooks.json',
          pointer: '/hooks/SessionStart/0/hooks/0',
        },
      ],
      scripts: [{ path: 'plugins/p/hooks/check.js', status: 'read' }],
      writes: [],
      reasons: [],
    });
  });

  test('records git commits as a write, without a network label', () => {
    const plugin = pluginOf({
      'plugins/p/hooks/hooks.json': hooks('bash ${CLAUDE_PLUGIN_ROOT}/save.sh'),
      'plugins/p/save.sh': 'git add -A\ngit commit -q -m "Save"\n',
    });
    expect(plugin.footprint.label).toBe('no-network');
    expect(plugin.footprint.writes).toEqual(['git']);
    expect(plugin.footprint.reasons).toEqual([
      { kind: 'writes-git', path: 'plugins/p/save.sh', text: 'Commits to the git repository' },
    ]);
  });

  test('is network when a script, a command or a server reaches a host or downloads', () => {
    const plugin = pluginOf({
      'plugins/p/hooks/hooks.json': hooks('python3 "${CLAUDE_PLUGIN_ROOT}"/hooks/send.py'),
      'plugins/p/hooks/send.py':
        'import requests\nrequests.post("https://api.example.com/v1/events")\n',
      'plugins/p/.mcp.json': json({
        mcpServers: {
          docs: { type: 'http', url: 'https://mcp.example.org/mcp' },
          github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'] },
        },
      }),
    });
    expect(plugin.footprint.label).toBe('network');
    expect(plugin.footprint.hosts).toEqual(['api.example.com', 'mcp.example.org']);
    expect(plugin.footprint.runs.map((run) => [run.kind, run.name, run.command, run.url])).toEqual([
      ['hook', 'SessionStart', 'python3 "${CLAUDE_PLUGIN_ROOT}"/hooks/send.py', undefined],
      ['mcp', 'docs', undefined, 'mcp.example.org'],
      ['mcp', 'github', 'npx -y @modelcontextprotocol/server-github', undefined],
    ]);
    expect(plugin.footprint.reasons).toEqual([
      {
        kind: 'remote-server',
        path: 'plugins/p/.mcp.json',
        text: 'Connects to the remote MCP server `docs` at `mcp.example.org`',
      },
      {
        kind: 'package-download',
        path: 'plugins/p/.mcp.json',
        text: 'Runs `npx`, which can download packages from a registry',
      },
      { kind: 'network-host', path: 'plugins/p/hooks/send.py', text: 'Reaches `api.example.com`' },
      {
        kind: 'network-command',
        path: 'plugins/p/hooks/send.py',
        text: 'Runs a Python network module, which reaches the network',
      },
    ]);
  });

  test('reads `sh -c` lines and reports network tools in them', () => {
    const plugin = pluginOf({
      'plugins/p/hooks/hooks.json': hooks(
        "sh -c 'date; env LANG=C curl -s https://status.example.com' && git push -q origin",
      ),
    });
    expect(plugin.footprint.label).toBe('network');
    expect(plugin.footprint.reasons.map((reason) => reason.text)).toEqual([
      'Reaches `status.example.com`',
      'Runs `curl`, which reaches the network',
      'Runs `git push`, which reaches the network',
    ]);
  });

  test('is unknown when a script it runs is empty or missing, or a program is not shipped', () => {
    const plugin = pluginOf({
      'plugins/p/hooks/hooks.json': hooks(
        'bash "${CLAUDE_PLUGIN_ROOT}/hooks/a.sh" && ${CLAUDE_PLUGIN_ROOT}/hooks/b.sh',
      ),
      'plugins/p/hooks/a.sh': '',
      'plugins/p/.lsp.json': json({
        go: { command: 'gopls', extensionToLanguage: { '.go': 'go' } },
      }),
    });
    expect(plugin.footprint.label).toBe('unknown');
    expect(plugin.footprint.scripts).toEqual([
      { path: 'plugins/p/hooks/a.sh', status: 'empty' },
      { path: 'plugins/p/hooks/b.sh', status: 'missing' },
    ]);
    expect(plugin.footprint.reasons).toEqual([
      {
        kind: 'external-program',
        path: 'plugins/p/.lsp.json',
        text: 'Runs `gopls`, which is installed separately or not shown, so it is not inspected here',
      },
      {
        kind: 'script-empty',
        path: 'plugins/p/hooks/a.sh',
        text: '`plugins/p/hooks/a.sh` is run but is empty, so what it does is not known',
      },
      {
        kind: 'script-missing',
        path: 'plugins/p/hooks/b.sh',
        text: '`plugins/p/hooks/b.sh` is run but does not exist',
      },
    ]);
  });

  test('counts servers declared only in the marketplace entry, as `strict: false` plugins do', () => {
    const catalog = parseCatalog(
      createMemorySource({
        '.claude-plugin/marketplace.json': json({
          name: 'acme',
          owner: { name: 'Acme' },
          plugins: [
            {
              name: 'go-lsp',
              source: './plugins/go-lsp',
              strict: false,
              lspServers: { gopls: { command: 'gopls', extensionToLanguage: { '.go': 'go' } } },
            },
          ],
        }),
        'plugins/go-lsp/README.md': '# Go\n',
      }),
    );
    const plugin = catalog.plugins[0];
    expect(plugin?.lspServers.map((server) => [server.name, server.path, server.pointer])).toEqual([
      ['gopls', '.claude-plugin/marketplace.json', '/plugins/0/lspServers/gopls'],
    ]);
    expect(plugin?.footprint.label).toBe('unknown');
    expect(plugin?.footprint.reasons).toEqual([
      {
        kind: 'external-program',
        path: '.claude-plugin/marketplace.json',
        text: 'Runs `gopls`, which is installed separately or not shown, so it is not inspected here',
      },
    ]);
  });

  test('is unknown, and says so, when the plugin folder is missing', () => {
    const catalog = parseCatalog(
      createMemorySource({
        '.claude-plugin/marketplace.json': json({
          name: 'acme',
          owner: { name: 'Acme' },
          plugins: [{ name: 'gone', source: './plugins/gone' }],
        }),
      }),
    );
    expect(catalog.plugins[0]?.footprint).toEqual({
      label: 'unknown',
      folderMissing: true,
      hosts: [],
      runs: [],
      scripts: [],
      writes: [],
      reasons: [
        {
          kind: 'folder-missing',
          path: 'plugins/gone',
          text: 'The plugin folder `plugins/gone` does not exist, so what it runs cannot be seen',
        },
      ],
    });
  });

  test('is unknown for a plugin from another repository', () => {
    expect(externalFootprint({ source: 'github', repo: 'acme/tools' })).toEqual({
      label: 'unknown',
      folderMissing: false,
      hosts: [],
      runs: [],
      scripts: [],
      writes: [],
      reasons: [
        {
          kind: 'external-source',
          path: undefined,
          text: 'Comes from `github:acme/tools`, whose files are not read here, so what it runs is not known',
        },
      ],
    });
  });

  test("labels this repository's meta-orchestrator no-network, with its git commits", async () => {
    const catalog = await loadCatalog(repoRoot);
    const plugin = catalog.plugins.find((p) => p.dir === 'plugins/agentops-meta-orchestrator');
    const engine = 'plugins/agentops-meta-orchestrator/dist/agentops-learn.mjs';
    expect(plugin?.footprint.label).toBe('no-network');
    expect(plugin?.footprint.writes).toEqual(['git']);
    // The hooks are shell scripts that start the bundled engine from their own folder (the prompt
    // hook its `prompt-context` bundle), and the prompt hook's awk program beside them.
    const hook = (name: string) => ({
      path: `plugins/agentops-meta-orchestrator/hooks/${name}.sh`,
      status: 'read',
    });
    expect(plugin?.footprint.scripts).toEqual([
      { path: engine, status: 'read' },
      { path: 'plugins/agentops-meta-orchestrator/dist/prompt-context.mjs', status: 'read' },
      { path: 'plugins/agentops-meta-orchestrator/hooks/prompt-gate.awk', status: 'read' },
      hook('prompt'),
      hook('record'),
      hook('session'),
      hook('store'),
    ]);
    expect(plugin?.footprint.reasons).toEqual([
      { kind: 'writes-git', path: engine, text: 'Commits to the git repository' },
    ]);
  });
});

const mirrorTitle = hasMirror
  ? 'plugin footprint on real marketplaces in ../shared/mirror'
  : 'plugin footprint on real marketplaces (skipped: ../shared/mirror is absent)';

describe.skipIf(!hasMirror)(mirrorTitle, () => {
  test('is unknown when hooks run placeholder scripts (0-BSCode/sage, from ../shared/mirror)', async () => {
    const catalog = await loadCatalog(path.join(mirror, '0-BSCode__sage'));
    const footprint = catalog.plugins.find((plugin) => plugin.dir === '.')?.footprint;
    expect(footprint?.label).toBe('unknown');
    expect(footprint?.scripts).toEqual([
      { path: 'hooks/scripts/checkpoint-guard.sh', status: 'empty' },
      { path: 'hooks/scripts/enforce-cross-refs.sh', status: 'empty' },
      { path: 'hooks/scripts/reset-verification.sh', status: 'empty' },
      { path: 'hooks/scripts/verification-counter.sh', status: 'empty' },
      { path: 'tools/config.py', status: 'missing' },
    ]);
    expect(footprint?.reasons.map((reason) => reason.kind).sort()).toEqual([
      'script-empty',
      'script-empty',
      'script-empty',
      'script-empty',
      'script-missing',
    ]);
  });

  test('is unknown with folderMissing for an entry whose folder is absent (01kuma20, from ../shared/mirror)', async () => {
    const catalog = await loadCatalog(path.join(mirror, '01kuma20__agi-lab-skills-marketplace'));
    const plugin = catalog.plugins.find((p) => p.dir === 'plugins/birthday-countdown');
    expect(plugin?.dirExists).toBe(false);
    expect(plugin?.footprint).toMatchObject({
      label: 'unknown',
      folderMissing: true,
      reasons: [
        {
          kind: 'folder-missing',
          path: 'plugins/birthday-countdown',
          text: 'The plugin folder `plugins/birthday-countdown` does not exist, so what it runs cannot be seen',
        },
      ],
    });
  });

  test('is unknown for every entry from another repository (claude-plugins-official, from ../shared/mirror)', async () => {
    const id = 'anthropics__claude-plugins-official';
    const external = readFileSync(path.join(mirror, 'EXTERNAL.tsv'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith(`${id}\t`))
      .map((line) => line.split('\t')[1]);
    const catalog = await loadCatalog(path.join(mirror, id));
    const entries = catalog.marketplace?.data?.plugins ?? [];
    const remote = entries.filter((entry) => typeof entry.source !== 'string');
    expect(remote.map((entry) => entry.name).sort()).toEqual([...external].sort());
    const labels = new Set(remote.map((entry) => externalFootprint(entry.source).label));
    expect([...labels]).toEqual(['unknown']);
    const first = remote.find((entry) => entry.name === '42crunch-api-security-testing');
    expect(externalFootprint(first?.source).reasons[0]?.text).toBe(
      'Comes from `https://github.com/42Crunch-AI/claude-plugins.git` (`plugins/api-security-testing`), whose files are not read here, so what it runs is not known',
    );
  });
});

describe('scripts named beside a script', () => {
  test('follows paths through a variable set to the script folder, never out of the plugin', () => {
    const text = [
      'here=${0%/*}',
      'DIR="$(cd "$(dirname "$0")" && pwd)"',
      'node "$here/../dist/run.mjs"',
      'sh "${DIR}/helper.sh" && cat "$DIR/notes.md"',
      'sh "$here/../../../etc/passwd"',
      'sh "$other/x.sh"',
    ].join('\n');
    expect(scriptFacts(text).siblingFiles).toEqual([
      '../dist/run.mjs',
      '../../../etc/passwd',
      'helper.sh',
      'notes.md',
    ]);
  });
});
