import { describe, expect, test } from 'vitest';
import { buildSiteData, marketplaceTitle } from '../../src/lib/catalog-view.ts';
import {
  componentAnchor,
  resolveRelativeUrl,
  safeHttpUrl,
  sourceLink,
} from '../../src/lib/links.ts';
import { hostile } from '../helpers/fixture-repo.ts';
import { memoryCatalog } from '../helpers/memory-catalog.ts';

const data = buildSiteData(memoryCatalog(), {
  addSource: 'acme/market',
  sourceBase: 'https://github.com/acme/market/blob/abc/',
  history: new Map([
    ['plugins/quill-docs', { updated: '2026-02-20T08:30:00Z', created: '2026-01-10T12:00:00Z' }],
  ]),
});
const plugin = (name: string) => {
  const found = data.plugins.find((item) => item.name === name);
  if (!found) throw new Error(`no plugin ${name}`);
  return found;
};

describe('buildSiteData', () => {
  test('sorts plugins by name and patterns by id', () => {
    expect(data.plugins.map((item) => item.name)).toEqual([
      'deploy-guard',
      'evil-plugin',
      'quill-docs',
    ]);
    expect(data.patterns.map((item) => item.id)).toEqual([
      'pat_2026-01-05_release-notes',
      'pat_2026-01-06_evil',
    ]);
  });

  test('builds both install steps from the marketplace name', () => {
    expect(plugin('quill-docs').install).toEqual({
      slash: '/plugin marketplace add acme/market\n/plugin install quill-docs@fixture-market',
      shell:
        'claude plugin marketplace add acme/market\nclaude plugin install quill-docs@fixture-market',
    });
  });

  test('lists components with invocation names and anchors', () => {
    expect(
      plugin('quill-docs').components.map((item) => [
        item.kind,
        item.name,
        item.invocation,
        item.anchor,
      ]),
    ).toEqual([
      ['command', 'changelog', '/quill-docs:changelog', 'command-changelog'],
      ['agent', 'release-scribe', 'quill-docs:release-scribe', 'agent-release-scribe'],
      ['skill', 'style-check', '/quill-docs:style-check', 'skill-style-check'],
    ]);
  });

  test('flags a prompt-only plugin', () => {
    expect(plugin('quill-docs').flags).toEqual({
      noHooks: true,
      noNetwork: true,
      promptOnly: true,
    });
  });

  test('shows what runs on the machine: hooks, servers and hosts', () => {
    const guard = plugin('deploy-guard');
    expect(guard.flags).toEqual({ noHooks: false, noNetwork: false, promptOnly: false });
    expect(guard.hooks.map((hook) => [hook.event, hook.matcher, hook.broad])).toEqual([
      ['PreToolUse', 'Bash', false],
      ['PostToolUse', undefined, true],
    ]);
    expect(guard.mcpServers.map((server) => [server.name, server.command, server.host])).toEqual([
      ['cluster', 'npx', undefined],
      ['status', undefined, 'status.example.net'],
    ]);
    expect(guard.hosts).toEqual(['audit.example.org', 'status.example.net']);
    expect(guard.scripts).toEqual(['bin/guard']);
  });

  test('takes dates from the git history', () => {
    expect(plugin('quill-docs').updated).toBe('2026-02-20T08:30:00Z');
    expect(plugin('deploy-guard').updated).toBeUndefined();
  });

  test('links a source folder to the repository', () => {
    expect(plugin('quill-docs').sourceUrl).toBe(
      'https://github.com/acme/market/blob/abc/plugins/quill-docs',
    );
  });

  test('links pattern steps to the agents and skills they name', () => {
    const pattern = data.patterns[0];
    expect(
      pattern?.steps.map((step) => step.uses.map((ref) => `${ref.plugin}#${ref.anchor}`)),
    ).toEqual([
      ['quill-docs#agent-release-scribe'],
      ['quill-docs#agent-release-scribe'],
      ['quill-docs#skill-style-check'],
    ]);
    expect(pattern?.plugins).toEqual(['quill-docs']);
    expect(pattern?.agents.map((ref) => ref.name)).toEqual(['release-scribe']);
    expect(pattern?.skills.map((ref) => ref.name)).toEqual(['style-check']);
  });

  test('lists on a plugin the patterns that use it', () => {
    expect(plugin('quill-docs').patterns).toEqual([
      { id: 'pat_2026-01-05_release-notes', title: 'Release notes from merged work' },
    ]);
  });

  test('reads pattern statistics', () => {
    expect(data.patterns[0]?.stats).toMatchObject({
      successRate: 0.86,
      interval: [0.66, 0.95],
      intervalEstimated: false,
      executions: 14,
      successes: 12,
      status: 'validated',
    });
  });

  test('renders a hostile README without script, handlers, iframes or javascript: URLs', () => {
    const html = plugin('evil-plugin').readmeHtml ?? '';
    expect(html).not.toMatch(/<script|onerror|onclick|<iframe|javascript:/i);
    expect(html).toContain('<h3>Evil</h3>');
  });

  test('renders a hostile pattern body safely', () => {
    const html = data.patterns[1]?.bodyHtml ?? '';
    expect(html).not.toMatch(/<script|onerror|onmouseover|<iframe|javascript:/i);
  });

  test('keeps hostile text as text, for the templates to escape', () => {
    expect(plugin('evil-plugin').description).toContain(hostile.script);
  });

  test('lists the loader checks as passed on a clean plugin', () => {
    expect(plugin('quill-docs').checks.map((check) => [check.id, check.status])).toEqual([
      ['parse', 'pass'],
      ['schema', 'pass'],
    ]);
  });
});

describe('helpers', () => {
  test('safeHttpUrl keeps http(s) only', () => {
    expect([
      safeHttpUrl('https://a.test/x'),
      safeHttpUrl('javascript:alert(1)'),
      safeHttpUrl('/local'),
    ]).toEqual(['https://a.test/x', undefined, undefined]);
  });

  test('componentAnchor makes a fragment from kind and name', () => {
    expect(componentAnchor('command', 'sub:Deploy Now')).toBe('command-sub-deploy-now');
  });

  test('sourceLink encodes each path segment', () => {
    expect(sourceLink('https://x.test/blob/main', 'plugins/a b/c')).toBe(
      'https://x.test/blob/main/plugins/a%20b/c',
    );
  });

  test('resolveRelativeUrl resolves inside the repository and refuses to climb out', () => {
    expect(resolveRelativeUrl('https://x.test/', 'plugins/p/', './docs/a.md#x')).toBe(
      'https://x.test/plugins/p/docs/a.md#x',
    );
    expect(
      resolveRelativeUrl('https://x.test/', 'plugins/p/', '../../../etc/passwd'),
    ).toBeUndefined();
    expect(resolveRelativeUrl(undefined, 'plugins/p/', 'a.md')).toBeUndefined();
  });
});

describe('marketplace entry messages', () => {
  test('show on the checklist of the plugin whose entry they point into', () => {
    const catalog = memoryCatalog();
    const marketplace = catalog.marketplace;
    const entry = catalog.plugins.find((item) => item.name === 'quill-docs')?.entry;
    const range = entry && marketplace?.positions.value(`/plugins/${entry.index}/source`);
    if (!marketplace || !range) throw new Error('fixture has no quill-docs entry');
    const message = marketplace.file.message('Unexpected source', {
      place: range,
      ruleId: 'entry-rule',
    });
    message.fatal = true;
    const view = buildSiteData(catalog, { addSource: 'acme/market' });
    const checks = (name: string) =>
      view.plugins
        .find((item) => item.name === name)
        ?.checks.filter((check) => check.id === 'entry-rule');
    expect(
      checks('quill-docs')?.map((check) => [
        check.status,
        check.messages[0]?.path,
        check.messages[0]?.line,
      ]),
    ).toEqual([['error', '.claude-plugin/marketplace.json', range.start.line]]);
    expect(checks('deploy-guard')).toEqual([]);
  });
});

describe('the marketplace as people read it', () => {
  test('takes its title from the owner when the owner spells its name, else from its words', () => {
    expect(marketplaceTitle('agentops-marketplace', { name: 'AgentOps Marketplace' })).toBe(
      'AgentOps Marketplace',
    );
    expect(marketplaceTitle('tmf-skills', { name: 'Jane Doe' })).toBe('Tmf Skills');
    expect(marketplaceTitle('sage', undefined)).toBe('Sage');
    expect(marketplaceTitle('---', undefined)).toBe('---');
    expect(data.marketplace.title).toBe('Fixture Market');
  });

  test('installs from a clone when the repository has no address', () => {
    const local = buildSiteData(memoryCatalog(), { addSource: undefined });
    expect(local.marketplace.addSource).toBeUndefined();
    const quill = local.plugins.find((plugin) => plugin.name === 'quill-docs');
    expect(quill?.installFromClone).toBe(true);
    expect(quill?.install).toEqual({
      slash:
        '/plugin marketplace add <path-to-your-clone>\n/plugin install quill-docs@fixture-market',
      shell:
        'claude plugin marketplace add <path-to-your-clone>\nclaude plugin install quill-docs@fixture-market',
    });
    expect(data.plugins.find((plugin) => plugin.name === 'quill-docs')?.installFromClone).toBe(
      false,
    );
  });
});

describe('what runs on your machine', () => {
  test('comes from the loader footprint, with its label and reasons, each with its file', () => {
    const guard = data.plugins.find((plugin) => plugin.name === 'deploy-guard');
    expect(guard?.runs).toEqual({
      label: 'network',
      reasons: [
        'Reaches `audit.example.org` (in `plugins/deploy-guard/hooks/hooks.json`)',
        'Runs `curl`, which reaches the network (in `plugins/deploy-guard/hooks/hooks.json`)',
        'Runs `npx`, which can download packages from a registry (in `plugins/deploy-guard/.mcp.json`)',
        'Connects to the remote MCP server `status` at `status.example.net` (in `plugins/deploy-guard/.mcp.json`)',
        '`plugins/deploy-guard/bin/guard` is run but does not exist',
      ],
      writesGit: false,
      folderMissing: false,
    });
    expect(guard?.scripts).toEqual(['bin/guard']);
    expect(guard?.hosts).toEqual(['audit.example.org', 'status.example.net']);
    expect(guard?.flags).toEqual({ noHooks: false, noNetwork: false, promptOnly: false });
    const quill = data.plugins.find((plugin) => plugin.name === 'quill-docs');
    expect(quill?.runs.label).toBe('prompt-only');
    expect(quill?.flags).toEqual({ noHooks: true, noNetwork: true, promptOnly: true });
  });
});
