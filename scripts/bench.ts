// `npm run bench`: loader and linter figures on a generated repository (default 10,000 patterns and
// 2,000 plugins), measured side by side in one run with the Markdown linters people would run
// instead. Every measurement is a fresh process; peak memory comes from GNU time when present.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateRepo } from './bench/generate.ts';

const plugins = Number(process.env.BENCH_PLUGINS ?? 2000);
const patterns = Number(process.env.BENCH_PATTERNS ?? 10000);
const repoRoot = path.resolve(import.meta.dirname, '..');
const bin = (name: string): string => path.join(repoRoot, 'node_modules/.bin', name);
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cli = path.join(repoRoot, 'lint/bin/agentops-lint.js');

interface Measure {
  wall: number;
  peakMiB: number | undefined;
  status: number | null;
  stdout: string;
}

/** Runs a command to completion, returning wall seconds and peak RSS. */
function run(command: string, args: string[], cwd: string): Measure {
  const argv = gnuTime ? ['-f', '%M', command, ...args] : args;
  const started = process.hrtime.bigint();
  const result = spawnSync(gnuTime ?? command, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const lastLine = result.stderr.trim().split('\n').at(-1) ?? '';
  const peakMiB = gnuTime && /^\d+$/.test(lastLine) ? Number(lastLine) / 1024 : undefined;
  return { wall, peakMiB, status: result.status, stdout: result.stdout };
}

/** The run with the median wall time, its peak memory the median peak. */
function median(runs: Measure[]): Measure {
  const byWall = [...runs].sort((a, b) => a.wall - b.wall);
  const peaks = runs.map((m) => m.peakMiB ?? 0).sort((a, b) => a - b);
  const middle = byWall[Math.floor(byWall.length / 2)] ?? runs[0];
  if (!middle) throw new Error('no runs');
  const peak = peaks[Math.floor(peaks.length / 2)];
  return { ...middle, peakMiB: middle.peakMiB === undefined ? undefined : peak };
}

function show(label: string, m: Measure, extra = ''): void {
  const memory = m.peakMiB === undefined ? '' : `, ${m.peakMiB.toFixed(0)} MiB peak`;
  console.log(
    `${label.padEnd(66)} ${m.wall.toFixed(2).padStart(7)} s${memory}${extra ? `  ${extra}` : ''}`,
  );
}

const root = mkdtempSync(path.join(tmpdir(), 'agentops-bench-'));
try {
  console.log(`Building agentops-lint …`);
  execFileSync('npm', ['run', 'build', '-w', 'agentops-lint', '--silent'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  console.log(`Generating ${plugins} plugins and ${patterns} patterns …`);
  generateRepo(root, { plugins, patterns });
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', '-A'], { cwd: root });
  execFileSync(
    'git',
    ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'bench'],
    { cwd: root },
  );
  console.log(
    `Node ${process.version}, ${gnuTime ? 'peak memory from GNU time' : 'no GNU time: wall only'}\n`,
  );

  const loadScript = `const { loadCatalog } = await import(${JSON.stringify(path.join(repoRoot, 'lint/dist/catalog/index.js'))});
    const catalog = await loadCatalog(process.argv[1]);
    console.log(catalog.plugins.length, catalog.patterns.length, catalog.files.length);`;
  const load = run(process.execPath, ['--input-type=module', '-e', loadScript, root], repoRoot);
  show(
    'loadCatalog (target ≤ 3 s, ≤ 300 MiB)',
    load,
    `[${load.stdout.trim()} plugins/patterns/files]`,
  );

  // Our full run is short enough to repeat: the median of three runs, and the highest peak.
  const fullRuns = [1, 2, 3].map(() =>
    run(process.execPath, [cli, '--format', 'compact', '.'], root),
  );
  const full = median(fullRuns);
  const highestPeak = Math.max(...fullRuns.map((m) => m.peakMiB ?? 0));
  show(
    'agentops-lint, full run (median of 3)',
    full,
    `exit ${full.status}; highest peak ${highestPeak.toFixed(0)} MiB`,
  );

  const cacheFile = path.join(root, '.bench-cache');
  run(process.execPath, [cli, '--cache', '--cache-location', cacheFile, '.'], root);
  const warm = run(process.execPath, [cli, '--cache', '--cache-location', cacheFile, '.'], root);
  show('agentops-lint --cache, warm (target ≤ 1 s)', warm);

  // A staged run: the first one in a repository loads everything and stores facts in `.git/`;
  // the next ones load only what changed. Each stages one more edited pattern.
  const category = readdirSync(path.join(root, 'patterns'))[0] ?? '';
  const patternFiles = readdirSync(path.join(root, 'patterns', category));
  const stageOne = (index: number): void => {
    const file = path.join('patterns', category, patternFiles[index] ?? '');
    const text = execFileSync('git', ['show', `HEAD:${file}`], { cwd: root, encoding: 'utf8' });
    writeFileSync(path.join(root, file), `${text}\n`);
    execFileSync('git', ['add', file], { cwd: root });
  };
  stageOne(0);
  const firstStaged = run(process.execPath, [cli, '--staged'], root);
  show('agentops-lint --staged, first run (stores facts)', firstStaged);
  const staged = median(
    [1, 2, 3].map((index) => {
      stageOne(index);
      return run(process.execPath, [cli, '--staged'], root);
    }),
  );
  show('agentops-lint --staged, one more file (median of 3; target ≤ 0.2 s)', staged);
  const mdlOne = run(
    bin('markdownlint-cli2'),
    [path.join('patterns', category, patternFiles[3] ?? '')],
    root,
  );
  show('markdownlint-cli2, that one file', mdlOne);
  const staticNode = run(process.execPath, ['-e', '0'], root);
  show('node -e 0 (for reference)', staticNode);

  const mdl = run(bin('markdownlint-cli2'), ['**/*.md'], root);
  show('markdownlint-cli2 "**/*.md"', mdl);
  const remark = run(
    bin('remark'),
    [
      '--use',
      'remark-frontmatter',
      '--use',
      'remark-preset-lint-recommended',
      '--quiet',
      '--no-stdout',
      '.',
    ],
    root,
  );
  show('remark-cli + frontmatter + recommended', remark);

  console.log('\nRatios (agentops-lint full run against each tool; lower is better)');
  console.log(
    `  vs markdownlint-cli2: ${(full.wall / mdl.wall).toFixed(3)} of its wall time (target ≤ 0.100)`,
  );
  console.log(`  vs remark-cli:        ${(full.wall / remark.wall).toFixed(3)} of its wall time`);
  console.log(
    `  staged one file vs markdownlint-cli2 on that file: ${(staged.wall / mdlOne.wall).toFixed(3)} of its wall time`,
  );
  if (full.peakMiB !== undefined)
    console.log(
      `  peak memory:          ${full.peakMiB.toFixed(0)} MiB median, ${highestPeak.toFixed(0)} MiB highest (target ≤ 150 MiB)`,
    );
} finally {
  rmSync(root, { recursive: true, force: true });
}
