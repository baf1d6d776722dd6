import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mostLinkedPage, pageWeight } from './budgets.ts';
import { buildSite } from './build-site.ts';
import { benchRealCatalog, formatRealCatalogBench } from './bench-real-catalog.ts';
import { generateCatalog } from './generate-catalog.ts';
import { launchChromium } from './browser.ts';
import { formatTransfer, meterTransfer } from './search-transfer.ts';
import { startStaticServer } from './static-server.ts';
import { readScriptOptions } from '../../scripts/script-options.ts';

const options = readScriptOptions({
  usage: 'Usage: npm run bench:site -- [options]',
  summary:
    "Builds the site on this repository's catalog and on a generated one; prints build time, page weights and search transfer.",
  options: {
    plugins: {
      type: 'string',
      default: '5000',
      value: '<n>',
      description: 'plugins in the generated catalog',
      min: 1,
    },
    patterns: {
      type: 'string',
      default: '10000',
      value: '<n>',
      description: 'patterns in the generated catalog',
      min: 1,
    },
    keep: {
      type: 'boolean',
      default: false,
      description: 'keep the work folder and print where it is',
    },
    only: {
      type: 'string',
      value: '<which>',
      description:
        "real (this repository's catalog with its federation) or synthetic (the generated one)",
      shownDefault: 'both',
      choices: ['real', 'synthetic'],
    },
  },
});
const values = options?.values;
const runReal = values?.only !== 'synthetic';
const runSynthetic = values?.only !== 'real';
const size = { plugins: Number(values?.plugins), patterns: Number(values?.patterns) };
const base = '/agentops-marketplace';
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const verdict = (ok: boolean): string => (ok ? 'ok' : 'OVER BUDGET');

// Made only when the benchmark runs (not for `--help` or a bad command line).
const work = values === undefined ? '' : mkdtempSync(path.join(os.tmpdir(), 'site-bench-'));
const repo = path.join(work, 'repo');
const outDir = path.join(work, 'out');
if (values !== undefined) {
  try {
    if (runReal) {
      const real = await benchRealCatalog(path.join(work, 'real'), base);
      for (const line of formatRealCatalogBench(real)) console.log(line);
    }
    if (runSynthetic) await benchSynthetic();
  } finally {
    if (values.keep) console.log(`Kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** The generated catalog: build time, page weights, links per page and a search session. */
async function benchSynthetic(): Promise<void> {
  let started = performance.now();
  generateCatalog(repo, size);
  console.log(
    `Generated ${size.plugins} plugins and ${size.patterns} patterns in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const build = await buildSite({ repo, outDir, cacheDir: path.join(work, 'cache'), base });
  const pages = readdirSync(outDir, { recursive: true }).filter((file) =>
    String(file).endsWith('.html'),
  ).length;
  console.log(
    `Build: ${(build.milliseconds / 1000).toFixed(1)} s wall clock for ${pages} HTML pages on ${os.availableParallelism()} cores (budget 90 s: ${verdict(build.milliseconds <= 90_000)}); ` +
      `${build.cpuSeconds === undefined ? 'CPU time not measured' : `${build.cpuSeconds.toFixed(1)} s CPU`}, ` +
      `${build.peakMiB === undefined ? '' : `peak ${build.peakMiB} MiB, `}load average ${os.loadavg()[0]?.toFixed(1) ?? '?'} when it ended`,
  );

  const plugin = pageWeight(
    outDir,
    base,
    path.join(outDir, 'plugins', 'plugin-00000', 'index.html'),
  );
  const home = pageWeight(outDir, base, path.join(outDir, 'index.html'));
  console.log(
    `Plugin page: ${kb(plugin.total)} gzip (HTML ${kb(plugin.html)}, CSS ${kb(plugin.css)}, JS ${kb(plugin.js)}; budget 50 KB: ${verdict(plugin.total <= 50 * 1024)})`,
  );
  console.log(
    `Home page: ${kb(home.total)} gzip (HTML ${kb(home.html)}, CSS ${kb(home.css)}, JS ${kb(home.js)}; budget 100 KB: ${verdict(home.total <= 100 * 1024)})`,
  );

  const linked = mostLinkedPage(outDir);
  const total = size.plugins + size.patterns;
  console.log(
    `Most plugin/pattern links on one page: ${linked.links} of ${total} (${linked.file}); largest page ${kb(linked.largestBytes)} (${linked.largestFile}); whole catalog inlined: ${linked.links >= total ? 'yes, OVER BUDGET' : 'no, ok'}`,
  );

  const pagefindDir = path.join(outDir, 'pagefind');
  if (existsSync(pagefindDir)) {
    const server = await startStaticServer(outDir, base);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      const meter = meterTransfer(context);
      const page = await context.newPage();
      started = performance.now();
      await page.goto(server.url);
      await page.fill('#search-input', 'kubernetes');
      await page.waitForFunction(() =>
        /result/.test(document.getElementById('search-status')?.textContent ?? ''),
      );
      await page
        .getByRole('checkbox', { name: /^devops/ })
        .first()
        .check();
      await page.waitForTimeout(300);
      await page.waitForFunction(() =>
        /result/.test(document.getElementById('search-status')?.textContent ?? ''),
      );
      await page.selectOption('#search-sort', 'name');
      await page.waitForTimeout(300);
      await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0);
      await page.getByRole('button', { name: 'Show more results' }).click();
      await meter.settle();
      const transfer = meter.read();
      const results = await page.locator('#search-status').textContent();
      console.log(
        `Search session (home, query, facet, sort, more results): ${formatTransfer(transfer)}, ${((performance.now() - started) / 1000).toFixed(1)} s, "${results ?? ''}" (budget 400 KB: ${verdict(transfer.bytes <= 400 * 1024)})`,
      );
    } finally {
      await browser.close();
      await server.close();
    }
  }
}
