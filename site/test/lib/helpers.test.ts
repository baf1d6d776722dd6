import path from 'node:path';
import { VFile } from 'vfile';
import { describe, expect, test } from 'vitest';
import { resolveRequest } from '../../scripts/static-server.ts';
import { buildSiteData } from '../../src/lib/catalog-view.ts';
import { checksFor, compactErrors } from '../../src/lib/checklist.ts';
import { diagramLayout, shorten } from '../../src/lib/diagram.ts';
import { githubRepoFromRemote, installCommands } from '../../src/lib/install.ts';
import { llmsText } from '../../src/lib/llms.ts';
import {
  facetCounts,
  groupBy,
  listPage,
  pageNumbers,
  tagFacets,
  tagGroups,
  tagKeys,
} from '../../src/lib/page-data.ts';
import { localizeUrl, patternPath, pluginPath, segment, withBase } from '../../src/lib/paths.ts';
import { memoryCatalog } from '../helpers/memory-catalog.ts';

const data = buildSiteData(memoryCatalog(), { addSource: 'acme/market' });

describe('install commands', () => {
  test('uses the plugin and marketplace names', () => {
    expect(installCommands('o/r', 'p', 'm')).toEqual({
      slash: '/plugin marketplace add o/r\n/plugin install p@m',
      shell: 'claude plugin marketplace add o/r\nclaude plugin install p@m',
    });
  });

  test('reads owner/repo from GitHub remotes only', () => {
    expect([
      githubRepoFromRemote('https://github.com/acme/market.git'),
      githubRepoFromRemote('git@github.com:acme/market'),
      githubRepoFromRemote('https://gitlab.com/acme/market.git'),
    ]).toEqual(['acme/market', 'acme/market', undefined]);
  });
});

describe('checklist', () => {
  test('groups messages by rule and keeps the worst severity', () => {
    const file = new VFile({ path: 'plugins/a/x.json', value: '' });
    file.message('Bad', { place: { line: 2, column: 3 }, ruleId: 'r1' }).fatal = false;
    file.message('Worse', { place: { line: 4, column: 1 }, ruleId: 'r1' }).fatal = true;
    const checks = checksFor([file], 'plugin', [
      { id: 'r1', description: 'Require one', appliesTo: 'plugin', url: 'https://x.test/r1' },
      { id: 'r2', description: 'Require two', appliesTo: 'plugin', url: undefined },
      { id: 'r3', description: 'Pattern only', appliesTo: 'pattern', url: undefined },
    ]);
    expect(checks.map((check) => [check.id, check.status, check.messages.length])).toEqual([
      ['parse', 'pass', 0],
      ['schema', 'pass', 0],
      ['r1', 'error', 2],
      ['r2', 'pass', 0],
    ]);
  });

  test('formats errors as the compact report', () => {
    const file = new VFile({ path: 'a.json', value: '' });
    file.message('Missing `name`', {
      place: { start: { line: 1, column: 2 }, end: { line: 1, column: 5 } },
      ruleId: 'schema',
    }).fatal = true;
    file.message('Only a warning', { ruleId: 'x' }).fatal = false;
    expect(compactErrors([file])).toBe('a.json:1:2-1:5 error schema Missing `name`');
  });
});

describe('page data', () => {
  test('groups by tag with URL-safe slugs', () => {
    const groups = groupBy(data.plugins, data.patterns, tagKeys);
    expect(
      groups.map((group) => [group.slug, group.plugins.length, group.patterns.length]),
    ).toEqual([
      ['b-bold-b', 1, 0],
      ['documentation', 1, 1],
      ['kubernetes', 1, 0],
      ['release', 1, 1],
      ['safety', 2, 0],
    ]);
  });

  test('tag pages and facets only for authored tags three entries share', () => {
    const entry = (tags: string[]) => ({ ...data.plugins[0]!, tags });
    const plugins = [entry(['mcp', 'fail']), entry(['mcp']), entry(['mcp', 'testing'])];
    const patterns = [{ ...data.patterns[0]!, tags: ['testing', 'fail', 'fail'] }];
    expect(tagFacets(plugins, patterns)).toEqual([['mcp', 3]]);
    expect(tagGroups(plugins, patterns).map((group) => [group.slug, group.plugins.length])).toEqual(
      [['mcp', 3]],
    );
  });

  test('counts facet values over the catalog', () => {
    const counts = facetCounts(data.plugins, data.patterns);
    expect(counts.type).toEqual([
      ['plugin', 3],
      ['pattern', 2],
    ]);
    expect(counts.capability).toEqual([
      ['no hooks', 2],
      ['no network', 2],
      ['prompt-only', 2],
    ]);
    expect(counts.status).toEqual([['validated', 1]]);
  });

  test('paginates lists', () => {
    const items = Array.from({ length: 130 }, (_, i) => i);
    expect(listPage(items, 2, 'plugins/')).toMatchObject({
      path: 'plugins/page/2/',
      prev: 'plugins/',
      next: 'plugins/page/3/',
      last: 3,
    });
    expect(listPage(items, 3, 'plugins/').items).toEqual(items.slice(120));
    expect(pageNumbers(130)).toEqual([2, 3]);
    expect(pageNumbers(0)).toEqual([]);
  });
});

describe('paths', () => {
  test('join the base and encode names', () => {
    expect([
      withBase('/m/', '/x/'),
      withBase('/', 'x/'),
      pluginPath('a b'),
      patternPath('p#1'),
    ]).toEqual(['/m/x/', '/x/', 'plugins/a%20b/', 'patterns/p%231/']);
  });

  test('segment makes URL-safe slugs', () => {
    expect([segment('<b>Bold</b>'), segment('   '), segment('Ünïcode tag')]).toEqual([
      'b-bold-b',
      'other',
      'ünïcode-tag',
    ]);
  });

  test('localizeUrl points published-site URLs at this build', () => {
    expect(
      localizeUrl(
        '/preview',
        'https://agentops-marketplace.github.io/agentops-marketplace/rules/x/',
      ),
    ).toBe('/preview/rules/x/');
    expect(localizeUrl('/preview', 'https://example.com/')).toBe('https://example.com/');
  });
});

describe('diagram', () => {
  test('lays out one box per step with gaps for arrows', () => {
    const layout = diagramLayout(['a', 'b']);
    expect(layout.boxes.map((box) => box.y)).toEqual([8, 80]);
    expect(layout.height).toBe(16 + 2 * 44 + 28);
  });

  test('shortens long labels with an ellipsis', () => {
    expect(shorten('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('llms.txt', () => {
  test('lists every plugin and pattern on one line each, without markup', () => {
    const text = llmsText(
      data.marketplace,
      data.plugins,
      data.patterns,
      (p) => `https://x.test/${p}`,
    );
    expect(text.split('\n').slice(0, 5)).toEqual([
      '# Fixture Market',
      '',
      '> A fixture marketplace for the site tests',
      '',
      'Add the marketplace with `/plugin marketplace add acme/market`, then install a plugin with `/plugin install <name>@fixture-market`.',
    ]);
    expect(text).toContain(
      '- [quill-docs](https://x.test/plugins/quill-docs/): Writes changelogs and release notes from merged pull requests',
    );
    expect(text).not.toMatch(/<script/);
  });

  test('says to add the marketplace from a clone when its repository has no address', () => {
    const text = llmsText(
      { ...data.marketplace, addSource: undefined },
      data.plugins,
      data.patterns,
      (p) => `https://x.test/${p}`,
    );
    expect(text.split('\n')[4]).toBe(
      "Clone the marketplace's repository, add it with `/plugin marketplace add <path-to-your-clone>`, then install a plugin with `/plugin install <name>@fixture-market`.",
    );
  });
});

describe('static server paths', () => {
  const dir = path.resolve('/srv/site');

  test('maps folders to index.html under the base', () => {
    expect(resolveRequest(dir, '/m', '/m/plugins/x/')).toBe(path.join(dir, 'plugins/x/index.html'));
  });

  test('refuses paths outside the base or the folder', () => {
    expect([
      resolveRequest(dir, '/m', '/other/'),
      resolveRequest(dir, '/m', '/m/../../etc/passwd'),
      resolveRequest(dir, '/m', '/m/%2e%2e/%2e%2e/x'),
      resolveRequest(dir, '/m', '/m/%E0%A4%A'),
    ]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
