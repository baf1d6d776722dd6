import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FederationIndex } from '../../lint/src/generated/schema-types.ts';
import { launchChromium } from './browser.ts';
import { heaviestPage, pageWeight, type PageWeight } from './budgets.ts';
import { buildSite, siteDir } from './build-site.ts';
import { formatTransfer, measureSearchSession, type SearchSession } from './search-transfer.ts';
import { startStaticServer } from './static-server.ts';

/** Ten different searches a visitor might make in a row, the first of them the "first query". */
const sessionQueries = [
  'kubernetes',
  'code review',
  'python',
  'git commit',
  'security',
  'react',
  'database',
  'testing',
  'documentation',
  'deploy',
] as const;

/** What `benchRealCatalog` measured. */
export interface RealCatalogBench {
  /** Wall seconds of the build of this repository's catalog as committed. */
  seconds: number;
  pages: number;
  federated: number;
  /** Wall seconds of the same build with `extra` more federated entries. */
  grownSeconds: number;
  extra: number;
  /** Extra build seconds per 100 extra entries. */
  per100: number;
  /** CPU seconds (user and system) of each build, when measured: steadier on a shared machine. */
  cpu: { real: number; grown: number } | undefined;
  /** The heaviest of all the real build's pages, with the CSS and JS it loads up front. */
  heaviest: { file: string; weight: PageWeight; pages: number };
  home: PageWeight;
  /** Typing `sessionQueries` on the real build's home page, in Chromium. */
  search: SearchSession;
}

const repoRoot = path.resolve(siteDir, '..');

/** Copies what the site reads of this repository into `dir` (no `.git`, no snapshots). */
function copyCatalog(dir: string, index: FederationIndex): void {
  for (const part of ['.claude-plugin', 'plugins', 'patterns'])
    cpSync(path.join(repoRoot, part), path.join(dir, part), { recursive: true });
  mkdirSync(path.join(dir, 'federation'), { recursive: true });
  writeFileSync(path.join(dir, 'federation/index.json'), `${JSON.stringify(index)}\n`);
}

/** The index with `extra` more plugins: copies of real ones under new ids, so pages differ. */
function grow(index: FederationIndex, extra: number): FederationIndex {
  const copies = Array.from({ length: extra }, (_, k) => {
    // `extra` is positive and the real index is not empty: the modulo picks an existing plugin.
    const plugin = index.plugins[k % index.plugins.length]!;
    return { ...plugin, id: `${plugin.id}~bench${k}`, name: `${plugin.name}-bench${k}` };
  });
  return { ...index, plugins: [...index.plugins, ...copies] };
}

const countPages = (outDir: string): number =>
  readdirSync(outDir, { recursive: true }).filter((file) => String(file).endsWith('.html')).length;

/**
 * Builds this repository's full catalog (our plugins and patterns and every federated plugin of
 * the committed `federation/index.json`), then the same with `extra` more federated entries, and
 * returns both wall times and the cost of 100 more entries.
 */
export async function benchRealCatalog(
  work: string,
  base: string,
  extra = 1000,
): Promise<RealCatalogBench> {
  const index = JSON.parse(
    readFileSync(path.join(repoRoot, 'federation/index.json'), 'utf8'),
  ) as FederationIndex;
  const run = async (
    name: string,
    data: FederationIndex,
  ): Promise<{ seconds: number; pages: number; cpu: number | undefined; outDir: string }> => {
    const repo = path.join(work, name, 'repo');
    const outDir = path.join(work, name, 'out');
    copyCatalog(repo, data);
    const build = await buildSite({ repo, outDir, cacheDir: path.join(work, name, 'cache'), base });
    return {
      seconds: build.milliseconds / 1000,
      pages: countPages(outDir),
      cpu: build.cpuSeconds,
      outDir,
    };
  };
  const real = await run('real', index);
  const grown = await run('grown', grow(index, extra));
  const server = await startStaticServer(real.outDir, base);
  const browser = await launchChromium();
  let search: SearchSession;
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    search = await measureSearchSession(context, server.url, sessionQueries);
  } finally {
    await browser.close();
    await server.close();
  }
  return {
    heaviest: heaviestPage(real.outDir, base),
    home: pageWeight(real.outDir, base, path.join(real.outDir, 'index.html')),
    search,
    seconds: real.seconds,
    pages: real.pages,
    federated: index.plugins.length,
    grownSeconds: grown.seconds,
    extra,
    per100: ((grown.seconds - real.seconds) / extra) * 100,
    cpu:
      real.cpu === undefined || grown.cpu === undefined
        ? undefined
        : { real: real.cpu, grown: grown.cpu },
  };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const verdict = (bytes: number, budgetKb: number): string =>
  `budget ${budgetKb} KB: ${bytes <= budgetKb * 1024 ? 'ok' : 'OVER BUDGET'}`;
const parts = (weight: PageWeight): string =>
  `HTML ${kb(weight.html)}, CSS ${kb(weight.css)}, JS ${kb(weight.js)}`;

/** The lines `npm run bench:site` prints for the real catalog. */
export function formatRealCatalogBench(result: RealCatalogBench): string[] {
  const cores = os.availableParallelism();
  const { heaviest, home, search } = result;
  const [first] = sessionQueries;
  return [
    `Full real catalog: ${result.seconds.toFixed(1)} s wall clock for ${result.pages} HTML pages (${result.federated} federated plugins) on ${cores} cores (budget 90 s: ${result.seconds <= 90 ? 'ok' : 'OVER BUDGET'})`,
    `Growth: ${result.grownSeconds.toFixed(1)} s with ${result.extra} more federated entries, ${result.per100.toFixed(2)} s per 100 extra entries (budget 3 s: ${result.per100 <= 3 ? 'ok' : 'OVER BUDGET'})`,
    result.cpu === undefined
      ? 'CPU time not measured'
      : `CPU time (steadier when the machine is shared): ${result.cpu.real.toFixed(1)} s, then ${result.cpu.grown.toFixed(1)} s, ${(((result.cpu.grown - result.cpu.real) / result.extra) * 100).toFixed(2)} CPU s per 100 extra entries; load average ${os.loadavg()[0]?.toFixed(1) ?? '?'}`,
    `Heaviest of all ${heaviest.pages} pages: ${kb(heaviest.weight.total)} gzip with the CSS and JS it loads up front (${heaviest.file}: ${parts(heaviest.weight)}; ${verdict(heaviest.weight.total, 50)})`,
    `Home page: ${kb(home.total)} gzip (${parts(home)}; ${verdict(home.total, 100)})`,
    `First query (home, then typing "${first}"): ${formatTransfer(search.first)}, ${search.statuses[0] ?? 'no status'} (${verdict(search.first.bytes, 150)})`,
    `Session of ${sessionQueries.length} queries (home, then ${sessionQueries.join(', ')}): ${formatTransfer(search.session)}; ${search.statuses.join(', ')} (${verdict(search.session.bytes, 400)})`,
  ];
}
