// Site build benchmark for a federation: builds a small marketplace together with a federated
// index (by default the one `npm run bench:federation -- --keep` leaves behind) and prints the
// wall time, the page count and the weight of the heaviest federated plugin page.
//
//   npm run bench:federation -- --keep      prints the folder it keeps
//   node site/scripts/bench-federation-site.ts --index <that folder>/federation/index.json
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readScriptOptions, reportUsageError } from '../../scripts/script-options.ts';
import { pageWeight } from './budgets.ts';
import { buildSite } from './build-site.ts';
import { generateCatalog } from './generate-catalog.ts';

const command = {
  usage: 'Usage: node site/scripts/bench-federation-site.ts --index <file> [options]',
  summary:
    'Builds a small catalog with a federated index; prints the build time, pages and heaviest federated page.',
  options: {
    index: {
      type: 'string',
      value: '<file>',
      description: 'the federation/index.json to build with (required)',
    },
    keep: {
      type: 'boolean',
      default: false,
      description: 'keep the work folder and print where it is',
    },
  },
} as const;
const values = readScriptOptions(command)?.values;
if (values === undefined) {
  // `--help`, or a bad command line: answered already.
} else if (values.index === undefined) {
  reportUsageError(command, 'Missing --index <file>, expected the federated index to build with');
} else {
  const base = '/agentops-marketplace';
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
  const work = mkdtempSync(path.join(os.tmpdir(), 'site-federation-bench-'));
  const repo = path.join(work, 'repo');
  const outDir = path.join(work, 'out');
  try {
    generateCatalog(repo, { plugins: 10, patterns: 10 });
    mkdirSync(path.join(repo, 'federation'), { recursive: true });
    cpSync(path.resolve(values.index), path.join(repo, 'federation', 'index.json'));
    const build = await buildSite({ repo, outDir, cacheDir: path.join(work, 'cache'), base });
    const files = readdirSync(outDir, { recursive: true }).map(String);
    const pages = files.filter((file) => file.endsWith('.html'));
    const federated = pages.filter((file) => file.startsWith(`federated${path.sep}plugins`));
    console.log(
      `Build with federation: ${(build.milliseconds / 1000).toFixed(1)} s wall clock for ${pages.length} HTML pages (${federated.length} federated plugin pages) on ${os.availableParallelism()} cores (target ≤ 90 s); ` +
        `${build.cpuSeconds === undefined ? 'CPU time not measured' : `${build.cpuSeconds.toFixed(1)} s CPU`}${build.peakMiB === undefined ? '' : `, peak ${build.peakMiB} MiB`}`,
    );
    let heaviest = { file: '', bytes: 0 };
    for (const file of federated) {
      const bytes = statSync(path.join(outDir, file)).size;
      if (bytes > heaviest.bytes) heaviest = { file, bytes };
    }
    if (heaviest.file !== '') {
      const weight = pageWeight(outDir, base, path.join(outDir, heaviest.file));
      console.log(
        `Heaviest federated plugin page: ${kb(weight.total)} gzip with CSS and JS (${heaviest.file}; budget 50 KB)`,
      );
    }
  } finally {
    if (values.keep) console.log(`Kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}
