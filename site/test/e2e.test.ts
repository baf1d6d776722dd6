import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite, siteDir } from '../scripts/build-site.ts';
import { chromiumPath, launchChromium } from '../scripts/browser.ts';
import { startStaticServer, type StaticServer } from '../scripts/static-server.ts';
import { writeFixtureRepo } from './helpers/fixture-repo.ts';

const shotsDir = path.join(siteDir, 'test-results');
const base = '/agentops-marketplace';

let work: string;
let repo: string;
let outDir: string;
let server: StaticServer;
let browser: Browser;
let context: BrowserContext;
/** The repository's schemas as they were when the build started. */
let schemaTexts: Map<string, string>;

async function open(pathInSite: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(new URL(pathInSite, server.url).href);
  return page;
}

async function resultTitles(page: Page): Promise<string[]> {
  return page.locator('#search-results li > a').allTextContents();
}

async function waitForResults(page: Page, count?: number): Promise<void> {
  await page.waitForFunction((expected) => {
    const status = document.getElementById('search-status')?.textContent ?? '';
    if (!/result/.test(status)) return false;
    const shown = document.querySelectorAll('#search-results li').length;
    return expected === null ? shown > 0 : shown === expected;
  }, count ?? null);
}

/** The count shown beside a facet value: `(3)`, or `` while the filter index is not loaded. */
function facetCount(page: Page, value: string): Promise<string | null> {
  return page
    .locator(`#search-facets label:has(input[value="${value}"]) .facet-count`)
    .textContent();
}

describe('the built site in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `No Chromium at ${chromiumPath}: install Debian's chromium package (.ci/run does)`,
      );
    }
    work = mkdtempSync(path.join(os.tmpdir(), 'site-e2e-'));
    repo = path.join(work, 'repo');
    outDir = path.join(work, 'out');
    writeFixtureRepo(repo);
    // A copy, so edits to the repository's schemas during the run cannot race the comparison.
    const schemasDir = path.join(work, 'schemas');
    cpSync(path.join(siteDir, '..', 'schemas'), schemasDir, { recursive: true });
    schemaTexts = new Map(
      readdirSync(schemasDir)
        .filter((name) => name.endsWith('.schema.json'))
        .map((name) => [name, readFileSync(path.join(schemasDir, name), 'utf8')]),
    );
    await buildSite({
      repo,
      outDir,
      cacheDir: path.join(work, 'cache'),
      base,
      env: { AGENTOPS_ADD_SOURCE: 'fixture/market', AGENTOPS_SCHEMAS: schemasDir },
    });
    server = await startStaticServer(outDir, base);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    context.setDefaultTimeout(10_000);
    mkdirSync(shotsDir, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work && !process.env.SITE_E2E_KEEP) rmSync(work, { recursive: true, force: true });
  });

  test('search finds a plugin by a word of its description', async () => {
    const page = await open('?q=changelogs');
    await waitForResults(page);
    expect(await resultTitles(page)).toEqual(['quill-docs']);
    await page.close();
  });

  test("search finds what Pagefind's own splitting loses: Japanese inside a run, and C#", async () => {
    // A quill-docs agent's description ends in 変更一覧からリリースノートを書く, one word to
    // Pagefind; a deploy-guard command's in リリースを一段ずつ進める. A quill-docs skill checks
    // C# doc comments, which Pagefind alone reads as `c`, a start of words in every plugin; the
    // deploy-guard command rolls out csharp services.
    const cases: [string, string[]][] = [
      ['リリースノート', ['quill-docs']],
      ['ノート', ['quill-docs']],
      ['一覧', ['quill-docs']],
      ['書く', ['quill-docs']],
      ['changes 一覧', ['quill-docs']],
      ['一段', ['deploy-guard']],
      ['リリース', ['deploy-guard', 'quill-docs']],
      ['リ', ['deploy-guard', 'quill-docs']],
      ['C#', ['deploy-guard', 'quill-docs']],
    ];
    for (const [query, titles] of cases) {
      const page = await open(`?q=${encodeURIComponent(query)}`);
      await waitForResults(page);
      expect({ query, titles: (await resultTitles(page)).sort() }).toEqual({ query, titles });
      await page.close();
    }
    // Characters on no page find nothing.
    const page = await open(`?q=${encodeURIComponent('猫犬')}`);
    await page.waitForFunction(
      () => document.getElementById('search-status')?.textContent === '0 results',
    );
    await page.close();
  });

  test('a word on no page finds nothing, while a typo still finds its word', async () => {
    // Pagefind alone searches `cqzzzx` as `c`, the word it reads `C#` as (quill-docs and
    // deploy-guard), and `changelgos` as `changel`, a start of `changelogs`.
    const page = await open('?q=cqzzzx');
    await page.waitForFunction(
      () =>
        document.getElementById('search-status')?.textContent ===
        '0 results: no page has a word starting with “cqzzzx”',
    );
    expect(await resultTitles(page)).toEqual([]);
    // The facet counts, which load when the reader reaches for the filters, agree.
    await page.locator('#search-filters').hover();
    await expect.poll(() => facetCount(page, 'plugin')).toBe('(0)');
    await page.close();
    const typo = await open('?q=changelgos');
    await waitForResults(typo);
    expect(await resultTitles(typo)).toEqual(['quill-docs']);
    await typo.close();
  });

  test('search finds a pattern by a step name', async () => {
    const page = await open('');
    await page.fill('#search-input', 'zeppelin');
    await waitForResults(page);
    expect(await resultTitles(page)).toEqual(['Release notes from merged work']);
    expect(page.url()).toBe(`${server.url}?q=zeppelin`);
    // The card describes the pattern as its page does, not with a run of its tags.
    const summary = await page.locator('#search-results li .summary').textContent();
    const patternPage = await open('patterns/pat_2026-01-05_release-notes/');
    const described = await patternPage.locator('meta[name="description"]').getAttribute('content');
    expect(summary).toBe(described);
    expect(summary).not.toBe('');
    await patternPage.close();
    await page.close();
  });

  test('facets change the results and are kept in the URL', async () => {
    const page = await open('?q=safety');
    await waitForResults(page, 2);
    expect((await resultTitles(page)).sort()).toEqual(['deploy-guard', 'evil-plugin']);
    await page.getByRole('checkbox', { name: /^no hooks/ }).check();
    await waitForResults(page, 1);
    expect(await resultTitles(page)).toEqual(['evil-plugin']);
    expect(page.url()).toBe(`${server.url}?q=safety&capability=no+hooks`);
    await page.close();
  });

  test('facet counts follow the query and the ticked filters', async () => {
    const page = await open('');
    const count = (value: string) => facetCount(page, value);
    expect(await count('plugin')).toBe('(3)');
    expect(await count('pattern')).toBe('(2)');
    await page.fill('#search-input', 'safety');
    await waitForResults(page, 2);
    // The filter index loads when the reader reaches for the filters; until then a query's counts
    // are blank rather than the catalog's totals.
    expect([await count('plugin'), await count('no hooks')]).toEqual(['', '']);
    await page.locator('#search-filters').hover();
    await expect.poll(() => count('plugin')).toBe('(2)');
    expect(await count('pattern')).toBe('(0)');
    expect(await count('no hooks')).toBe('(1)');
    await page.getByRole('checkbox', { name: /^no hooks/ }).check();
    await waitForResults(page, 1);
    // The ticked facet keeps the counts of the query alone; the others narrow with it.
    await expect.poll(() => count('plugin')).toBe('(1)');
    expect(await count('no hooks')).toBe('(1)');
    await page.close();
  });

  test('a search downloads no filter index until the reader reaches for the filters', async () => {
    const page = await open('');
    const filterChunks: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/pagefind/filter/')) filterChunks.push(request.url());
    });
    await page.fill('#search-input', 'safety');
    await waitForResults(page, 2);
    expect(filterChunks).toEqual([]);
    await page.locator('#search-filters summary').focus();
    await expect.poll(() => facetCount(page, 'plugin')).toBe('(2)');
    expect(filterChunks.length).toBeGreaterThan(0);
    await page.close();
  });

  test('sorts change the order of the results', async () => {
    const page = await open('?type=plugin&sort=name');
    await waitForResults(page, 3);
    expect(await resultTitles(page)).toEqual(['deploy-guard', 'evil-plugin', 'quill-docs']);
    await page.selectOption('#search-sort', 'updated');
    await page.waitForFunction(
      () => document.querySelector('#search-results li > a')?.textContent === 'quill-docs',
    );
    expect((await resultTitles(page))[0]).toBe('quill-docs');
    await page.selectOption('#search-sort', 'cost');
    await page.waitForFunction(
      () => document.querySelector('#search-results li > a')?.textContent !== 'quill-docs',
    );
    expect(await resultTitles(page)).toEqual(['evil-plugin', 'deploy-guard', 'quill-docs']);
    expect(page.url()).toBe(`${server.url}?type=plugin&sort=cost`);
    await page.close();
  });

  test('the copy buttons copy the exact install commands', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(server.url).origin,
    });
    const page = await open('plugins/quill-docs/');
    await page.getByRole('button', { name: 'Copy install commands' }).click();
    await expect
      .poll(() => page.locator('#install-status').textContent())
      .toBe('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      '/plugin marketplace add fixture/market\n/plugin install quill-docs@fixture-market',
    );
    await page.getByRole('button', { name: 'Copy shell commands' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(
        'claude plugin marketplace add fixture/market\nclaude plugin install quill-docs@fixture-market',
      );
    await page.close();
  });

  test('the context cost table sorts by each column', async () => {
    const page = await open('plugins/quill-docs/');
    const column = (index: number): Promise<number[]> =>
      page.$$eval(`table[data-sortable] tbody tr td:nth-child(${index})`, (cells) =>
        cells.map((cell) => Number(cell.dataset.value)),
      );
    const isDescending = (values: number[]): boolean =>
      values.every((value, i) => i === 0 || (values[i - 1] ?? 0) >= value);
    expect(isDescending(await column(3))).toBe(true);
    await page.getByRole('button', { name: 'On activation' }).click();
    expect(isDescending(await column(4))).toBe(true);
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toBe('On activation');
    await page.getByRole('button', { name: 'On activation' }).click();
    expect(isDescending((await column(4)).reverse())).toBe(true);
    await page.close();
  });

  test('the theme choice persists across reloads and pages', async () => {
    const themed = await browser.newContext({ colorScheme: 'light' });
    const page = await themed.newPage();
    await page.goto(server.url);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    await page.selectOption('#theme-select', 'dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await page.inputValue('#theme-select')).toBe('dark');
    await page.goto(new URL('plugins/', server.url).href);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(15, 20, 25)',
    );
    await page.selectOption('#theme-select', 'system');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    await themed.close();
  });

  test('a keyboard-only path leads from search to a plugin page', async () => {
    const page = await open('plugins/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('header-search');
    await page.keyboard.type('kubectl');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}?q=kubectl`);
    await waitForResults(page, 1);
    await page.keyboard.press('Control+K');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('deploy-guard');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}plugins/deploy-guard/`);
    expect(await page.locator('h1').textContent()).toBe('deploy-guard');
    await page.close();
  });

  const desktop = { width: 1366, height: 900 };
  const phone = { width: 390, height: 844 };

  /** The rendered box of an element; throws when it is not rendered. */
  async function boxOf(locator: ReturnType<Page['locator']>) {
    const box = await locator.boundingBox();
    if (!box) throw new Error('The element is not rendered');
    return box;
  }

  async function openAt(viewport: { width: number; height: number }, pathInSite = '') {
    const sized = await browser.newContext({ viewport });
    const page = await sized.newPage();
    await page.goto(new URL(pathInSite, server.url).href);
    return { page, close: () => sized.close() };
  }

  for (const [name, viewport] of [
    ['desktop (1366×900)', desktop],
    ['phone (390×844)', phone],
  ] as const) {
    test(`the home page shows plugin cards without scrolling on a ${name}`, async () => {
      const { page, close } = await openAt(viewport);
      await page.waitForFunction(() => document.getElementById('search-filters')?.hidden === false);
      const title = await boxOf(page.locator('[data-browse] .cards li h3').first());
      expect(title.y).toBeGreaterThanOrEqual(0);
      expect(title.y + title.height).toBeLessThanOrEqual(viewport.height);
      expect(
        await page.locator('#search-filters').evaluate((node) => (node as HTMLDetailsElement).open),
      ).toBe(viewport === desktop);
      await close();
    });
  }

  test('on a phone, results are in view after typing and after pressing Enter', async () => {
    for (const how of ['type', 'enter'] as const) {
      const { page, close } = await openAt(phone);
      await page.waitForFunction(() => document.getElementById('search-filters')?.hidden === false);
      if (how === 'type') await page.locator('#search-input').pressSequentially('changelogs');
      else {
        await page.locator('#search-input').fill('changelogs');
        await page.locator('#search-input').press('Enter');
      }
      await waitForResults(page);
      const first = await boxOf(page.locator('#search-results li').first());
      expect(first.y, how).toBeGreaterThanOrEqual(0);
      expect(first.y + first.height, how).toBeLessThanOrEqual(phone.height);
      await close();
    }
  });

  test('a result shows name, marketplace, version, description, components and what runs', async () => {
    const page = await open('?q=changelogs');
    await waitForResults(page, 1);
    const card = page.locator('#search-results li').first();
    expect(await card.locator('> a').textContent()).toBe('quill-docs');
    expect(await card.locator('p').allTextContents()).toEqual([
      'plugin · fixture-market · v1.2.3',
      'Writes changelogs and release notes from merged pull requests',
      '1 command · 1 agent · 1 skill · prompt-only',
    ]);
    await page.close();
  });

  test('a plugin named like the query comes first, before pages that mention it', async () => {
    const page = await open('?q=deploy-guard');
    await waitForResults(page);
    const titles = await resultTitles(page);
    expect(titles[0]).toBe('deploy-guard');
    await page.close();
  });

  test('without JavaScript the pages still show the catalog and the install commands', async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const page = await plain.newPage();
    await page.goto(server.url);
    await expect.poll(() => page.getByText('Search needs JavaScript.').isVisible()).toBe(true);
    expect(await page.locator('[data-browse] h3 a').allTextContents()).toEqual(
      expect.arrayContaining(['quill-docs', 'deploy-guard', 'Release notes from merged work']),
    );
    await page.getByRole('link', { name: 'all plugins' }).click();
    await page.getByRole('link', { name: 'quill-docs' }).click();
    expect(await page.locator('#install-slash').textContent()).toBe(
      '/plugin marketplace add fixture/market\n/plugin install quill-docs@fixture-market',
    );
    expect(await page.getByRole('button', { name: 'Copy install commands' }).isVisible()).toBe(
      false,
    );
    await plain.close();
  });

  test('every page links a favicon and a social card image that the site serves', async () => {
    const page = await open('plugins/quill-docs/');
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(icon).toBe(`${base}/favicon.svg`);
    const iconResponse = await fetch(new URL(icon ?? '', server.url));
    expect(iconResponse.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await iconResponse.text()).toMatch(/^<svg /);
    const meta = (selector: string) => page.locator(selector).getAttribute('content');
    const image = await meta('meta[property="og:image"]');
    expect(image).toBe(`https://agentops-marketplace.github.io${base}/social-card.png`);
    expect(await meta('meta[name="twitter:image"]')).toBe(image);
    expect(await meta('meta[name="twitter:card"]')).toBe('summary_large_image');
    expect(await meta('meta[property="og:title"]')).toBe('quill-docs');
    const png = Buffer.from(
      await (await fetch(new URL(new URL(image ?? '').pathname, server.url))).arrayBuffer(),
    );
    // The PNG signature, then the IHDR width and height the meta tags announce.
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    await page.close();
  });

  test('counts say "1 plugin" and "2 plugins"', async () => {
    const page = await open('categories/devops/');
    expect(await page.locator('main p').first().textContent()).toBe('1 plugin and 0 patterns.');
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toBe(
      '1 plugin, 0 patterns and 0 federated plugins under category devops',
    );
    await page.goto(new URL('plugins/', server.url).href);
    expect(await page.locator('main p').first().textContent()).toBe('3 plugins, by name.');
    await page.close();
  });

  test('a plugin page reads top-down, with its checklist problems first when it has any', async () => {
    const headings = async (pathInSite: string): Promise<string[]> => {
      const page = await open(pathInSite);
      const texts = await page.locator('article h2').allTextContents();
      await page.close();
      return texts;
    };
    const order = ['Install', 'About', 'What runs on your machine', 'Context cost', 'Components'];
    expect((await headings('plugins/quill-docs/')).slice(0, 5)).toEqual(order);
    expect((await headings('plugins/deploy-guard/')).slice(0, 6)).toEqual([
      'Problems found',
      ...order,
    ]);
    const page = await open('plugins/deploy-guard/');
    const top = page.locator('section.problems');
    const total = await page.locator('section:has(#checks-title) .checks > li').count();
    expect(total).toBeGreaterThan(1);
    expect((await top.locator('> p').first().textContent())?.trim()).toBe(
      `1 of ${total} checks reports a problem:`,
    );
    expect(await top.locator('.badge').allTextContents()).toEqual(['! warning']);
    await page.close();
  });

  for (const [name, pathInSite] of [
    ['home', ''],
    ['plugin list', 'plugins/'],
    ['plugin page', 'plugins/deploy-guard/'],
    ['pattern list', 'patterns/'],
    ['pattern page', 'patterns/pat_2026-01-05_release-notes/'],
    ['category index', 'categories/'],
    ['category page', 'categories/devops/'],
    ['tag index', 'tags/'],
    ['docs page', 'docs/ARCHITECTURE/'],
    ['rule index', 'rules/'],
    ['rule page', 'rules/no-broad-hook/'],
    ['schema reference', 'reference/'],
    ['schema page', 'reference/plugin/'],
  ] as const) {
    test(`axe-core finds no WCAG 2.2 AA violation on the ${name}, light on a desktop and dark on a phone`, async () => {
      for (const [colorScheme, viewport] of [
        ['light', desktop],
        ['dark', phone],
      ] as const) {
        const themed = await browser.newContext({ colorScheme, viewport });
        const page = await themed.newPage();
        const response = await page.goto(
          new URL(pathInSite === '' ? '?q=safety' : pathInSite, server.url).href,
        );
        expect(response?.status(), pathInSite).toBe(200);
        if (pathInSite === '') await waitForResults(page, 2);
        const results = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
          .analyze();
        const violations = results.violations.map(
          (violation) =>
            `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
        );
        expect(violations, `${colorScheme} theme`).toEqual([]);
        await themed.close();
      }
    });
  }

  for (const [name, pathInSite] of [
    ['home', ''],
    ['plugin page', 'plugins/deploy-guard/'],
    ['pattern page', 'patterns/pat_2026-01-05_release-notes/'],
  ] as const) {
    test(`the ${name} does not overflow a phone's width, and install lines stay in view`, async () => {
      const { page, close } = await openAt(phone, pathInSite);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        phone.width,
      );
      const lines = await page.locator('.install .command').all();
      expect(lines).toHaveLength(pathInSite.startsWith('plugins/') ? 2 : 0);
      for (const line of lines) {
        const box = await boxOf(line);
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(phone.width);
      }
      await close();
    });
  }

  test('a hostile repository runs no injected script and leaves no javascript: URL', async () => {
    const dialogs: string[] = [];
    for (const pathInSite of [
      'plugins/evil-plugin/',
      'patterns/pat_2026-01-06_evil/',
      'plugins/',
      'patterns/',
      'categories/security/',
      'tags/b-bold-b/',
      '?q=evil',
    ]) {
      const page = await context.newPage();
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(new URL(pathInSite, server.url).href);
      if (pathInSite.startsWith('?')) await waitForResults(page);
      await page.evaluate(() => {
        for (const element of document.querySelectorAll('body *')) {
          for (const type of ['mouseover', 'mouseenter', 'focus', 'error', 'load'])
            element.dispatchEvent(new Event(type));
        }
      });
      const findings = await page.evaluate(() => {
        const elements = [...document.querySelectorAll('*')];
        return {
          pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
          javascriptUrls: elements.filter((element) =>
            ['href', 'src', 'action', 'formaction', 'xlink:href'].some((name) =>
              /^\s*javascript:/i.test(element.getAttribute(name) ?? ''),
            ),
          ).length,
          handlers: elements.flatMap((element) =>
            [...element.attributes]
              .filter((attribute) => /^on/i.test(attribute.name))
              .map((attribute) => attribute.name),
          ),
          iframes: document.querySelectorAll('iframe, object, embed').length,
          scripts: [...document.scripts].filter(
            (script) =>
              script.type !== 'application/ld+json' && script.textContent?.includes('__pwned'),
          ).length,
        };
      });
      expect(findings, pathInSite).toEqual({
        pwned: null,
        javascriptUrls: 0,
        handlers: [],
        iframes: 0,
        scripts: 0,
      });
      await page.close();
    }
    expect(dialogs).toEqual([]);
    const page = await open('plugins/evil-plugin/');
    expect(await page.locator('.lead').textContent()).toContain(
      '<script>window.__pwned = "script"</script>',
    );
    await page.close();
  });

  test('/marketplace.json equals the committed file byte for byte', async () => {
    const response = await fetch(new URL('marketplace.json', server.url));
    expect(
      Buffer.from(await response.arrayBuffer()).equals(
        readFileSync(path.join(repo, '.claude-plugin/marketplace.json')),
      ),
    ).toBe(true);
  });

  test('the published schemas equal the repository schemas byte for byte', async () => {
    expect(schemaTexts.size).toBeGreaterThan(0);
    for (const [file, text] of schemaTexts) {
      const response = await fetch(new URL(`schemas/${file}`, server.url));
      expect(await response.text(), file).toBe(text);
    }
  });

  test('every JSON twin parses and validates against its schema', async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = async (url: string): Promise<Record<string, unknown>> => {
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
      const document = (await response.json()) as Record<string, unknown>;
      const schemaUrl = new URL(String(document.$schema), url).href;
      const schema = (await (await fetch(schemaUrl)).json()) as Record<string, unknown>;
      const check = ajv.getSchema(String(schema.$id)) ?? ajv.compile(schema);
      expect(check(document) ? [] : check.errors, url).toEqual([]);
      return document;
    };
    const plugins = await validate(new URL('api/plugins.json', server.url).href);
    const patterns = await validate(new URL('api/patterns.json', server.url).href);
    const items = [
      ...(plugins.items as { api: string }[]),
      ...(patterns.items as { api: string }[]),
    ];
    expect(items).toHaveLength(5);
    for (const item of items) await validate(new URL(item.api, server.url).href);
    const quill = await validate(new URL('api/plugins/quill-docs.json', server.url).href);
    expect(quill.updated).toBe('2026-02-20T08:30:00.000Z');
    const feed = (await (await fetch(new URL('feed.json', server.url))).json()) as {
      items: { title: string }[];
    };
    expect(feed.items[0]?.title).toBe('New plugin: quill-docs');
  });

  test('every internal link and fragment resolves', async () => {
    const origin = new URL(server.url).origin;
    const pages = new Map<string, string>();
    const queue = [server.url];
    const broken: string[] = [];
    const fragments: [string, string, string][] = [];
    while (queue.length > 0) {
      const url = queue.shift() ?? '';
      if (pages.has(url)) continue;
      const response = await fetch(url);
      if (response.status !== 200) {
        broken.push(url);
        pages.set(url, '');
        continue;
      }
      const html = response.headers.get('content-type')?.startsWith('text/html')
        ? await response.text()
        : '';
      pages.set(url, html);
      for (const match of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
        const target = new URL((match[1] ?? '').replaceAll('&amp;', '&'), url);
        if (target.origin !== origin) continue;
        const hash = decodeURIComponent(target.hash.slice(1));
        target.hash = '';
        if (hash) fragments.push([url, target.href, hash]);
        if (target.search === '' && !pages.has(target.href)) queue.push(target.href);
      }
    }
    expect(broken).toEqual([]);
    const missing = fragments
      .filter(([, page, id]) => !(pages.get(page) ?? '').includes(`id="${id}"`))
      .map(([from, page, id]) => `${from} → ${page}#${id}`);
    expect(missing).toEqual([]);
    expect(pages.size).toBeGreaterThan(40);
  });

  test('saves screenshots of home, a plugin page and a pattern page, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const themed = await browser.newContext({
        colorScheme,
        viewport: { width: 1200, height: 900 },
      });
      for (const [name, pathInSite] of [
        ['home', '?q=release'],
        ['plugin', 'plugins/deploy-guard/'],
        ['pattern', 'patterns/pat_2026-01-05_release-notes/'],
      ] as const) {
        const page = await themed.newPage();
        await page.goto(new URL(pathInSite, server.url).href);
        if (name === 'home') await waitForResults(page);
        const file = path.join(shotsDir, `${name}-${colorScheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        expect(existsSync(file)).toBe(true);
        await page.close();
      }
      await themed.close();
    }
  });
});
