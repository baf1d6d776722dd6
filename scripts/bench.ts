// `npm run bench`: prints loader (and, when present, linter) figures on a generated repository.
// Each measurement runs in a fresh child process so wall time and peak memory are its own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateRepo } from './bench/generate.ts';

const plugins = Number(process.env.BENCH_PLUGINS ?? 2000);
const patterns = Number(process.env.BENCH_PATTERNS ?? 10000);
const root = mkdtempSync(path.join(tmpdir(), 'agentops-bench-'));
const repoRoot = path.resolve(import.meta.dirname, '..');

interface Measure {
  wallSeconds: number;
  peakMiB: number;
  output: string;
}

function measure(script: string, args: string[]): Measure {
  const started = process.hrtime.bigint();
  const output = execFileSync(process.execPath, ['--conditions=source', '-e', script, ...args], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const line = output.trim().split('\n').at(-1) ?? '{}';
  const parsed = JSON.parse(line) as { maxRSS: number };
  return { wallSeconds, peakMiB: parsed.maxRSS / 1024, output: line };
}

try {
  console.log(`Generating ${plugins} plugins and ${patterns} patterns in ${root} …`);
  generateRepo(root, { plugins, patterns });
  const load = measure(
    `const { loadCatalog } = await import('agentops-lint/catalog');
     const catalog = await loadCatalog(process.argv[1]);
     const errors = catalog.files.reduce((n, f) => n + f.messages.filter((m) => m.fatal).length, 0);
     console.log(JSON.stringify({ plugins: catalog.plugins.length, patterns: catalog.patterns.length, files: catalog.files.length, errors, maxRSS: process.resourceUsage().maxRSS }));`,
    [root],
  );
  console.log(`loadCatalog: ${load.wallSeconds.toFixed(2)} s wall, ${load.peakMiB.toFixed(0)} MiB peak (target ≤ 3 s, ≤ 300 MiB) ${load.output}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
