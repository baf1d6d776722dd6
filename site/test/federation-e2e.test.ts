import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FederationIndex } from '../../lint/src/generated/schema-types.ts';
import { syncFederation } from '../../scripts/federation/sync.ts';
import { pageWeight } from '../scripts/budgets.ts';
import { buildSite, siteDir } from '../scripts/build-site.ts';
import { chromiumPath, launchChromium } from '../scripts/browser.ts';
import { startStaticServer, type StaticServer } from '../scripts/static-server.ts';
import { countOf } from '../src/lib/words.ts';
import { writeFixtureRepo } from './helpers/fixture-repo.ts';
import {
  hostileDescription,
  hostileName,
  crawl,
  injectionFindings,
  writeFederationRemotes,
} from './helpers/federation-remotes.ts';

const repoRoot = path.resolve(siteDir, '..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const hasCorpus = existsSync(path.join(corpus, 'SOURCES.tsv'));
const base = '/agentops-marketplace';

let work: string;
let outDir: string;
let index: FederationIndex;
let server: StaticServer;
let browser: Browser;
let context: BrowserContext;

async function open(pathInSite: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(new URL(pathInSite, server.url).href);
  return page;
}

const title = 'federated plugins on the built site, from a real sync of corpus remotes';

describe.skipIf(!hasCorpus)(
  hasCorpus ? title : `${title} (skipped: ../shared/corpus is absent)`,
  () => {
    beforeAll(async () => {
      if (!existsSync(chromiumPath)) {
        throw new Error(
          `No Chromium at ${chromiumPath}: install Debian's chromium package (.ci/run does)`,
        );
      }
      work = mkdtempSync(path.join(os.tmpdir(), 'site-federation-e2e-'));
      const repo = path.join(work, 'repo');
      writeFixtureRepo(repo);
      const { list, remotes } = writeFederationRemotes(work, corpus);
      const out = path.join(repo, 'federation');
      await syncFederation({ list, out, concurrency: 2, allowLocal: true });
      // The repository disappears: the next sync marks it dead and keeps its last good data.
      rmSync(path.join(remotes, 'yshrsmz__cc-plugins'), { recursive: true, force: true });
      await syncFederation({ list, out, concurrency: 2, allowLocal: true });
      index = JSON.parse(readFileSync(path.join(out, 'index.json'), 'utf8')) as FederationIndex;

      outDir = path.join(work, 'out');
      await buildSite({
        repo,
        outDir,
        cacheDir: path.join(work, 'cache'),
        base,
        env: { AGENTOPS_ADD_SOURCE: 'fixture/market' },
      });
      server = await startStaticServer(outDir, base);
      browser = await launchChromium();
      context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      context.setDefaultTimeout(10_000);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    test('the sync produced the index the pages are built from', () => {
      expect(index.marketplaces.map((m) => [m.id, m.status])).toEqual([
        ['broken__hostile', 'invalid'],
        ['kecbigmt__cc-plugins', 'ok'],
        ['mirror__plugins', 'ok'],
        ['yshrsmz__cc-plugins', 'dead'],
      ]);
      expect(index.plugins.map((p) => [p.id, p.flags])).toEqual([
        ['kecbigmt__cc-plugins/story-driven', []],
        ['kecbigmt__cc-plugins/tailscale', []],
        ['mirror__plugins/evil-ext', ['unpinned']],
        ['yshrsmz__cc-plugins/android', ['dead']],
        ['yshrsmz__cc-plugins/github', ['dead']],
        ['yshrsmz__cc-plugins/meta', ['dead']],
      ]);
    });

    test('a plugin listed by two marketplaces shows both, each with its install commands', async () => {
      const page = await open('federated/plugins/kecbigmt__cc-plugins/story-driven/');
      expect(await page.locator('h1').textContent()).toBe('story-driven');
      expect(await page.locator('#from-title').textContent()).toBe('Available from 2 marketplaces');
      expect(await page.locator('.listings > li h3').allTextContents()).toEqual([
        'kecbigmt-plugins',
        'mirror-market',
      ]);
      expect(await page.locator('.listings pre').allTextContents()).toEqual([
        `/plugin marketplace add ${path.join(work, 'remotes', 'kecbigmt__cc-plugins').replace(/^/, 'file://')}\n/plugin install story-driven@kecbigmt-plugins`,
        `claude plugin marketplace add file://${path.join(work, 'remotes', 'kecbigmt__cc-plugins')}\nclaude plugin install story-driven@kecbigmt-plugins`,
        `/plugin marketplace add file://${path.join(work, 'remotes', 'mirror__plugins')}\n/plugin install story-driven@mirror-market`,
        `claude plugin marketplace add file://${path.join(work, 'remotes', 'mirror__plugins')}\nclaude plugin install story-driven@mirror-market`,
      ]);
      expect(await page.locator('[data-verdict-note]').textContent()).toBe(
        "These verdicts are ours, not the plugin author's: agentops-lint with its default configuration, run on the files its marketplace listed at the synced commit.",
      );
      expect(await page.locator('#components-title + h3').textContent()).toMatch(
        /^Commands \(\d+\)$/,
      );
      await page.close();
    });

    test('plugins of a dead marketplace are labelled and offer no install commands', async () => {
      const page = await open('federated/plugins/yshrsmz__cc-plugins/github/');
      expect(await page.locator('[data-label]').allTextContents()).toEqual([
        'dead source: every marketplace listing it is gone',
      ]);
      expect(await page.locator('[data-no-install]').textContent()).toBe(
        'No install commands: Claude Code cannot add this marketplace (dead: the repository is gone).',
      );
      expect(await page.locator('.listings pre').count()).toBe(0);
      await page.close();
      const markets = await open('federated/marketplaces/');
      const dead = markets.locator('tr[data-status="dead"]');
      expect(await dead.locator('[data-status-text]').textContent()).toMatch(
        /^dead: the repository is gone since \d{4}-\d\d-\d\d$/,
      );
      expect(await dead.locator('[data-first-error]').textContent()).toBe(
        `'${path.join(work, 'remotes', 'yshrsmz__cc-plugins')}' does not appear to be a git repository`,
      );
      await markets.close();
    });

    test('an unpinned external entry is labelled and its hostile text stays text', async () => {
      const page = await open('federated/plugins/mirror__plugins/evil-ext/');
      expect(await page.locator('[data-labels] [data-label]').allTextContents()).toEqual([
        'unpinned: a listing installs from a branch, not a fixed commit',
      ]);
      expect(await page.locator('.lead').textContent()).toBe(hostileDescription);
      expect(await page.locator('#runs-title + p').textContent()).toBe(
        'Runs code we cannot read, so what it does is not known.',
      );
      expect(await page.locator('.reasons li').allTextContents()).toEqual([
        'Comes from github:evil/ext, whose files are not read here, so what it runs is not known',
      ]);
      expect(await injectionFindings(page)).toEqual({
        pwned: null,
        javascriptUrls: 0,
        handlers: 0,
      });
      await page.close();
    });

    test('a broken marketplace shows its status and first error, and its markup stays text', async () => {
      const error = index.marketplaces[0]?.firstError;
      expect(error?.message).toContain(hostileName);
      const list = await open('federated/marketplaces/');
      const page = await open('federated/marketplaces/broken__hostile/');
      const row = list.locator('tr[data-marketplace="broken__hostile"]');
      expect([
        await row.locator('[data-first-error]').textContent(),
        await page.locator('[data-first-error]').textContent(),
        await page.locator('[data-status]').textContent(),
        await page.locator('h1').textContent(),
        await page.locator('.lead').textContent(),
      ]).toEqual([
        ...Array<string>(2).fill(
          `${error?.path}:${error?.line}:${error?.column} ${error?.message}`,
        ),
        'invalid: Claude Code refuses its marketplace.json',
        hostileName,
        hostileDescription,
      ]);
      const safe = { pwned: null, javascriptUrls: 0, handlers: 0 };
      expect([await injectionFindings(list), await injectionFindings(page)]).toEqual([safe, safe]);
      await Promise.all([list.close(), page.close()]);
    });

    test('search finds federated plugins under their own type facet, apart from ours', async () => {
      const page = await open('?q=tailscale');
      await page.waitForFunction(
        () => document.querySelectorAll('#search-results li').length === 1,
      );
      expect(await page.locator('#search-results li > a').allTextContents()).toEqual(['tailscale']);
      expect(await page.locator('#search-results li > a').getAttribute('href')).toBe(
        `${base}/federated/plugins/kecbigmt__cc-plugins/tailscale/`,
      );
      // A federated result reads like one of ours: where it is listed, its version, what it does, what it holds and runs.
      expect(await page.locator('#search-results li p').allTextContents()).toEqual([
        'federated plugin · kecbigmt-plugins · v1.0.0',
        'Tailscale networking utilities for Claude Code. Configure dev servers for remote access via Tailscale VPN.',
        '1 skill · prompt-only',
      ]);
      await page.goto(new URL('?type=federated+plugin&sort=name', server.url).href);
      await page.waitForFunction(
        () => document.querySelectorAll('#search-results li').length === 6,
      );
      expect(await page.locator('#search-results li > a').allTextContents()).toEqual([
        'android',
        'evil-ext',
        'github',
        'meta',
        'story-driven',
        'tailscale',
      ]);
      await page.goto(new URL('?type=plugin&sort=name', server.url).href);
      await page.waitForFunction(
        () => document.querySelectorAll('#search-results li').length === 3,
      );
      expect(await page.locator('#search-results li > a').allTextContents()).toEqual([
        'deploy-guard',
        'evil-plugin',
        'quill-docs',
      ]);
      expect(await page.getByRole('checkbox', { name: /^federated plugin \(6\)$/ }).count()).toBe(
        1,
      );
      await page.close();
    });

    test("search finds federated plugins by their marketplace's owner, repository or name", async () => {
      const cases: [string, string[]][] = [
        ['yshrsmz', ['android', 'github', 'meta']],
        ['kecbigmt', ['story-driven', 'tailscale']],
        ['mirror-market', ['evil-ext', 'story-driven']],
      ];
      for (const [query, titles] of cases) {
        const page = await open(`?q=${encodeURIComponent(query)}`);
        await page.waitForFunction(() =>
          /result/.test(document.getElementById('search-status')?.textContent ?? ''),
        );
        const found = await page.locator('#search-results li > a').allTextContents();
        expect({ query, titles: found.sort() }).toEqual({ query, titles });
        await page.close();
      }
    });

    test('the list, category and home pages link the federated plugins', async () => {
      const page = await open('federated/');
      expect(await page.locator('.cards h3').allTextContents()).toEqual([
        'story-driven',
        'tailscale',
        'evil-ext',
        'android',
        'github',
        'meta',
      ]);
      // Each card says what its plugin runs, as its search result and its page do.
      const cardLines = await page.locator('.cards li p.muted').allTextContents();
      expect(cardLines.map((line) => line.trim())).toEqual([
        'Federated plugin from 2 marketplaces · v1.0.0 · development-workflow · 222 tokens per session · prompt-only',
        'Federated plugin from kecbigmt-plugins · v1.0.0 · networking · 12 tokens per session · prompt-only',
        'Federated plugin from mirror-market · runs code we cannot read · unpinned',
        'Federated plugin from yshrsmz-cc-plugins · v1.2.0 · 917 tokens per session · prompt-only · dead',
        'Federated plugin from yshrsmz-cc-plugins · v1.10.0 · 201 tokens per session · prompt-only · dead',
        'Federated plugin from yshrsmz-cc-plugins · v0.2.1 · 158 tokens per session · prompt-only · dead',
      ]);
      await page.goto(new URL('categories/networking/', server.url).href);
      expect(await page.locator('.cards h3').allTextContents()).toEqual(['tailscale']);
      await page.goto(server.url);
      expect(await page.locator('a[href$="/federated/"]').first().textContent()).toBe(
        '6 federated plugins',
      );
      await page.close();
    });

    const desktop = { width: 1366, height: 900 };
    const phone = { width: 390, height: 844 };

    test('axe-core finds no WCAG 2.2 AA violation on any federated page type, light and dark, desktop and phone', async () => {
      const pages = [
        'federated/plugins/kecbigmt__cc-plugins/story-driven/',
        'federated/plugins/yshrsmz__cc-plugins/github/',
        'federated/plugins/mirror__plugins/evil-ext/',
        'federated/marketplaces/',
        'federated/marketplaces/kecbigmt__cc-plugins/',
        'federated/marketplaces/broken__hostile/',
        'federated/',
        // A tag page is the same component: this catalog has too few plugins for a tag facet.
        'categories/networking/',
        'tags/',
        '?q=tailscale',
      ];
      const violations: string[] = [];
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const viewport of [desktop, phone]) {
          const themed = await browser.newContext({ colorScheme, viewport });
          for (const pathInSite of pages) {
            const page = await themed.newPage();
            const response = await page.goto(new URL(pathInSite, server.url).href);
            expect(response?.status(), pathInSite).toBe(200);
            if (pathInSite.startsWith('?'))
              await page.waitForFunction(
                () => document.querySelectorAll('#search-results li').length > 0,
              );
            const results = await new AxeBuilder({ page })
              .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
              .analyze();
            for (const violation of results.violations) {
              const where = violation.nodes.map((node) => node.target.join(' ')).join(', ');
              violations.push(
                `${colorScheme} ${viewport.width} ${pathInSite} ${violation.id} (${violation.impact ?? ''}): ${where}`,
              );
            }
            await page.close();
          }
          await themed.close();
        }
      }
      expect(violations).toEqual([]);
    }, 600_000);

    test("on a phone, federated pages keep to the screen's width and install lines stay in view", async () => {
      const sized = await browser.newContext({ viewport: phone });
      const widths: [string, number][] = [];
      for (const pathInSite of [
        'federated/plugins/kecbigmt__cc-plugins/story-driven/',
        'federated/plugins/mirror__plugins/evil-ext/',
        'federated/marketplaces/',
        'federated/marketplaces/kecbigmt__cc-plugins/',
        'federated/',
        '?q=tailscale',
      ]) {
        const page = await sized.newPage();
        await page.goto(new URL(pathInSite, server.url).href);
        if (pathInSite.startsWith('?'))
          await page.waitForFunction(
            () => document.querySelectorAll('#search-results li').length > 0,
          );
        widths.push([pathInSite, await page.evaluate(() => document.documentElement.scrollWidth)]);
        await page.close();
      }
      expect(widths).toEqual(widths.map(([pathInSite]) => [pathInSite, phone.width]));
      const page = await sized.newPage();
      await page.goto(
        new URL('federated/plugins/kecbigmt__cc-plugins/story-driven/', server.url).href,
      );
      const boxes = await page.locator('.install .command').all();
      // Two listings, each with its Claude Code and its shell commands.
      expect(boxes).toHaveLength(4);
      for (const box of boxes) {
        const rect = await box.boundingBox();
        expect(rect && [rect.x >= 0, rect.x + rect.width <= phone.width]).toEqual([true, true]);
        // The command lines are longer than the box: they scroll inside it, reachable by keyboard.
        expect(await box.getAttribute('tabindex')).toBe('0');
      }
      expect(
        await boxes[0]?.evaluate((box) => box.scrollWidth > box.clientWidth),
        'a file:// marketplace address is wider than a phone',
      ).toBe(true);
      await sized.close();
    });

    test('counts read "1 marketplace" and "2 marketplaces"', async () => {
      const page = await open('federated/plugins/kecbigmt__cc-plugins/tailscale/');
      expect(await page.locator('#from-title').textContent()).toBe('Available from 1 marketplace');
      const lint = index.plugins.find((plugin) => plugin.id === 'kecbigmt__cc-plugins/tailscale')
        ?.availableFrom[0]?.lint;
      expect(await page.locator('.listings > li p').first().textContent()).toContain(
        `our lint: ${countOf(lint?.errors ?? -1, 'error')}, ${countOf(lint?.warnings ?? -1, 'warning')}`,
      );
      await page.goto(new URL('federated/', server.url).href);
      expect(await page.locator('main > p').first().textContent()).toMatch(
        /^\s*6 plugins from 4 external marketplaces, one entry per plugin/,
      );
      await page.close();
    });

    test('every internal link of the federated pages resolves', async () => {
      const { broken, seen } = await crawl(new URL('federated/', server.url).href, '/federated/');
      expect(broken).toEqual([]);
      expect([...seen].filter((url) => url.includes('/federated/plugins/'))).toHaveLength(6);
    });

    test('federated plugin pages stay within the 50 KB page budget', () => {
      const weight = pageWeight(
        outDir,
        base,
        path.join(outDir, 'federated/plugins/kecbigmt__cc-plugins/story-driven/index.html'),
      );
      expect(weight.total).toBeLessThanOrEqual(50 * 1024);
    });
  },
);
