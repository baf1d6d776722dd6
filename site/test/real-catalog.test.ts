import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumPath, launchChromium } from '../scripts/browser.ts';
import { heaviestPage, pageWeight } from '../scripts/budgets.ts';
import { buildSite, siteDir } from '../scripts/build-site.ts';
import { startStaticServer, type StaticServer } from '../scripts/static-server.ts';
import type { FederatedMarketplaceView } from '../src/lib/federated-marketplaces.ts';
import { buildFederatedViews, type FederatedPluginView } from '../src/lib/federated-view.ts';
import { readFederationIndex } from '../src/lib/federation-index.ts';

const repoRoot = path.resolve(siteDir, '..');
const base = '/agentops-marketplace';

interface ApiIndex {
  count: number;
  items: { id: string; url: string; api: string; marketplaces: string[] }[];
}

describe('the default build: this repository with every federated plugin', () => {
  let work: string;
  let outDir: string;
  let views: FederatedPluginView[];
  let markets: FederatedMarketplaceView[];
  const read = (file: string): string => readFileSync(path.join(outDir, file), 'utf8');

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'site-real-catalog-'));
    outDir = path.join(work, 'out');
    ({ plugins: views, marketplaces: markets } = buildFederatedViews(
      await readFederationIndex(repoRoot),
    ));
    await buildSite({ repo: repoRoot, outDir, cacheDir: path.join(work, 'cache'), base });
  }, 900_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('in Chromium', () => {
    let server: StaticServer;
    let browser: Browser;
    const desktop = { width: 1366, height: 900 };
    const phone = { width: 390, height: 844 };
    /** Real federated plugins that test the page's edge cases. */
    const cases = (): Record<string, string> => {
      const longest = views.toSorted(
        (a, b) =>
          Math.max(...b.listings.map((listing) => listing.install?.shell.length ?? 0)) -
          Math.max(...a.listings.map((listing) => listing.install?.shell.length ?? 0)),
      )[0];
      const invalid = views.find((view) =>
        view.listings.some((listing) => listing.status === 'invalid'),
      );
      const external = views.find((view) =>
        view.listings.some((listing) => listing.sourceKind !== 'local'),
      );
      const longestWord = (view: FederatedPluginView): number =>
        Math.max(
          0,
          ...view.components.flatMap((component) =>
            // CJK text breaks between characters anyway: the longest run of printable ASCII.
            (component.description ?? '').split(/[^\x21-\x7e]+/).map((word) => word.length),
          ),
        );
      const unbroken = views.toSorted((a, b) => longestWord(b) - longestWord(a))[0];
      const market = markets.find((candidate) => candidate.status === 'invalid');
      const tag = /href="([^"]+\/tags\/[^"/]+\/)"/.exec(read('tags/index.html'))?.[1];
      return {
        'the longest install commands': `federated/plugins/${longest?.slug ?? ''}/`,
        'an invalid marketplace': `federated/plugins/${invalid?.slug ?? ''}/`,
        'an external source': `federated/plugins/${external?.slug ?? ''}/`,
        'the longest word in a component description': `federated/plugins/${unbroken?.slug ?? ''}/`,
        'the invalid marketplace page': `federated/marketplaces/${market?.id ?? ''}/`,
        'a tag page': tag ? tag.slice(`${base}/`.length) : 'tags/',
        'a search with results': '?q=kubernetes',
      };
    };

    beforeAll(async () => {
      if (!existsSync(chromiumPath)) throw new Error(`No Chromium at ${chromiumPath}`);
      server = await startStaticServer(outDir, base);
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    test('axe-core finds no WCAG 2.2 AA violation on real federated pages, light and dark, desktop and phone', async () => {
      const violations: string[] = [];
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const viewport of [desktop, phone]) {
          const context = await browser.newContext({ colorScheme, viewport });
          for (const [name, pathInSite] of Object.entries(cases())) {
            const page = await context.newPage();
            expect((await page.goto(new URL(pathInSite, server.url).href))?.status(), name).toBe(
              200,
            );
            if (pathInSite.startsWith('?'))
              await page.waitForFunction(
                () => document.querySelectorAll('#search-results li').length > 0,
              );
            const results = await new AxeBuilder({ page })
              .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
              .analyze();
            for (const violation of results.violations)
              violations.push(`${colorScheme} ${viewport.width} ${name} ${violation.id}`);
            await page.close();
          }
          await context.close();
        }
      }
      expect(violations).toEqual([]);
    }, 600_000);

    test('on a phone, real federated pages keep to its width and install lines stay in view', async () => {
      const context = await browser.newContext({ viewport: phone });
      for (const [name, pathInSite] of Object.entries(cases())) {
        const page = await context.newPage();
        await page.goto(new URL(pathInSite, server.url).href);
        if (pathInSite.startsWith('?'))
          await page.waitForFunction(
            () => document.querySelectorAll('#search-results li').length > 0,
          );
        expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBe(
          phone.width,
        );
        for (const box of await page.locator('.install .command').all()) {
          const rect = await box.boundingBox();
          expect(rect && rect.x >= 0 && rect.x + rect.width <= phone.width, name).toBe(true);
        }
        await page.close();
      }
      await context.close();
    });
  });

  test('every page weighs at most 50 KB gzip with its CSS and JS, and home at most 100 KB', () => {
    const heaviest = heaviestPage(outDir, base);
    const home = pageWeight(outDir, base, path.join(outDir, 'index.html'));
    expect(heaviest.pages).toBeGreaterThan(views.length);
    expect([heaviest.file, heaviest.weight.total <= 50 * 1024]).toEqual([heaviest.file, true]);
    expect(home.total).toBeLessThanOrEqual(100 * 1024);
  });

  test('the committed index holds the de-duplicated federation', () => {
    expect(views.length).toBeGreaterThan(3000);
    expect(new Set(views.map((view) => view.id)).size).toBe(views.length);
  });

  test('writes a page for every de-duplicated federated plugin', () => {
    const missing = views.filter(
      (view) => !existsSync(path.join(outDir, 'federated/plugins', view.slug, 'index.html')),
    );
    expect(missing.map((view) => view.id)).toEqual([]);
    const pages = readdirSync(path.join(outDir, 'federated/plugins'), { recursive: true }).filter(
      (file) => String(file).endsWith('index.html'),
    );
    expect(pages.length).toBe(views.length);
  });

  test('every marketplace, valid or broken, has a page with its status and first error', () => {
    const unescape = (html: string): string =>
      html
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&quot;', '"')
        .replaceAll('&#39;', "'")
        .replaceAll('&amp;', '&');
    const shown = markets.map((market) => {
      const html = read(`federated/marketplaces/${market.id}/index.html`);
      const status = /<dd data-status="([a-z]+)"/.exec(html)?.[1];
      const error = /<dd data-first-error><code>([^<]*)<\/code>/.exec(html)?.[1];
      return [market.id, status, error === undefined ? undefined : unescape(error)];
    });
    expect(shown).toEqual(markets.map((market) => [market.id, market.status, market.firstError]));
    const broken = markets.filter((market) => market.status !== 'ok');
    expect(broken.length).toBeGreaterThan(0);
    expect(broken.every((market) => market.firstError !== undefined)).toBe(true);
  });

  test('api/federated.json lists every federated plugin with its page and document', () => {
    const api = JSON.parse(read('api/federated.json')) as ApiIndex;
    expect(api.count).toBe(views.length);
    expect(api.items.map((item) => item.id)).toEqual(views.map((view) => view.id));
    const first = api.items[0];
    const view = views[0];
    expect(first?.url).toBe(`${base}/federated/plugins/${view?.slug ?? ''}/`);
    expect(first?.marketplaces).toEqual(view?.listings.map((listing) => listing.marketplaceId));
    const document = JSON.parse(read(`api/federated/${view?.slug ?? ''}.json`)) as {
      id: string;
    };
    expect(document.id).toBe(view?.id);
  });

  test("federated pages say what runs in the loader's words, a missing folder at the top", () => {
    /** The page's visible text of the element with this attribute, tags dropped. */
    const shown = (id: string, attribute: string): string[] =>
      [
        ...read(`federated/plugins/${id}/index.html`).matchAll(
          new RegExp(`<(p|ul) [^>]*${attribute}[^>]*>([\\s\\S]*?)</\\1>`, 'g'),
        ),
      ].map((match) =>
        (match[2] ?? '')
          .replaceAll(/<[^>]+>/g, ' ')
          .replaceAll(/\s+/g, ' ')
          .trim(),
      );
    expect(
      shown('01kuma20__agi-lab-skills-marketplace/terminal-vibes', 'data-folder-missing'),
    ).toEqual([
      "This plugin's folder is missing from its marketplace's repository: installing it fails.",
    ]);
    expect(shown('0JCRG0__hook-my-lichess/hook-my-lichess', 'data-runs="unknown"')).toEqual([
      'Runs code we cannot read, so what it does is not known.',
    ]);
    expect(shown('0JCRG0__hook-my-lichess/hook-my-lichess', 'class="reasons"')).toEqual([
      'hooks/on-prompt.sh is run but is empty, so what it does is not known ' +
        'hooks/on-start.sh is run but is empty, so what it does is not known ' +
        'hooks/on-stop.sh is run but is empty, so what it does is not known',
    ]);
    expect(shown('YoungjaeDev__my-claude-plugins/paper-search-tools', 'class="reasons"')).toEqual([
      'Runs docker , which reaches the network (in plugins/paper-search-tools/.mcp.json )',
    ]);
    expect(
      read('federated/plugins/YoungjaeDev__my-claude-plugins/paper-search-tools/index.html'),
    ).toContain(
      'data-pagefind-meta="runs[data-value]" data-value="runs code that uses the network"',
    );
  });

  test('our own plugins and patterns are built next to them', () => {
    const ours = JSON.parse(read('api/plugins.json')) as ApiIndex;
    const names = readdirSync(path.join(repoRoot, 'plugins')).sort();
    expect(ours.items.map((item) => item.id).sort()).toEqual(names);
    const patterns = JSON.parse(read('api/patterns.json')) as ApiIndex;
    const files = readdirSync(path.join(repoRoot, 'patterns'), { recursive: true });
    expect(patterns.count).toBe(files.filter((name) => String(name).endsWith('.md')).length);
  });
});
