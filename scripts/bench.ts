// `npm run bench`: loader and linter figures on a generated repository (default 10,000 patterns and
// 2,000 plugins), measured side by side in one run with the Markdown linters people would run
// instead. Every measurement is a fresh process; peak memory comes from GNU time when present.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hostileCases } from '../lint/test/helpers/hostile-markdown.ts';
import { generateRepo } from './bench/generate.ts';
import { readScriptOptions } from './script-options.ts';

const options = readScriptOptions({
  usage: 'Usage: npm run bench',
  summary:
    'Times the loader and the linter on a generated repository, beside the Markdown linters people would run instead.',
  options: {},
  environment: [
    { name: 'BENCH_PLUGINS', description: 'plugins generated', shownDefault: '2000' },
    { name: 'BENCH_PATTERNS', description: 'patterns generated', shownDefault: '10000' },
  ],
});

const plugins = Number(process.env.BENCH_PLUGINS ?? 2000);
const patterns = Number(process.env.BENCH_PATTERNS ?? 10000);
const repoRoot = path.resolve(import.meta.dirname, '..');
const bin = (name: string): string => path.join(repoRoot, 'node_modules/.bin', name);
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cli = path.join(repoRoot, 'lint/bin/agentops-lint.js');

interface Measure {
  wall: number;
  /** User and system CPU seconds, from GNU time. */
  cpu: number | undefined;
  peakMiB: number | undefined;
  status: number | null;
  stdout: string;
}

/** Runs a command to completion, returning wall seconds, CPU seconds and peak RSS. */
function run(command: string, args: string[], cwd: string): Measure {
  const argv = gnuTime ? ['-f', '%U %S %M', command, ...args] : args;
  const started = process.hrtime.bigint();
  const result = spawnSync(gnuTime ?? command, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const lastLine = result.stderr.trim().split('\n').at(-1) ?? '';
  const times = gnuTime ? /^([\d.]+) ([\d.]+) (\d+)$/.exec(lastLine) : null;
  return {
    wall,
    cpu: times ? Number(times[1]) + Number(times[2]) : undefined,
    peakMiB: times ? Number(times[3]) / 1024 : undefined,
    status: result.status,
    stdout: result.stdout,
  };
}

/** Commits everything in `dir` to a fresh git repository. */
function commitAll(dir: string): void {
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync(
    'git',
    ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'bench'],
    { cwd: dir },
  );
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
    `${label.padEnd(66)} ${m.wall.toFixed(3).padStart(7)} s${memory}${extra ? `  ${extra}` : ''}`,
  );
}

if (options !== undefined) {
  const root = mkdtempSync(path.join(tmpdir(), 'agentops-bench-'));
  try {
    console.log(`Building agentops-lint …`);
    execFileSync('npm', ['run', 'build', '-w', 'agentops-lint', '--silent'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    console.log(`Generating ${plugins} plugins and ${patterns} patterns …`);
    generateRepo(root, { plugins, patterns });
    commitAll(root);
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

    // Our full run is short enough to repeat: the median of three runs, and the highest peak. Two
    // runs of markdownlint-cli2 go between them, so that a slow spell of the machine falls on both
    // tools; its faster run is the one compared (the ratio errs against us).
    const fullRuns: Measure[] = [];
    const mdlRuns: Measure[] = [];
    for (let i = 0; i < 3; i++) {
      if (i > 0) mdlRuns.push(run(bin('markdownlint-cli2'), ['**/*.md'], root));
      fullRuns.push(run(process.execPath, [cli, '--format', 'compact', '.'], root));
    }
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
    const staged = benchStaged(
      root,
      patternFiles.slice(0, 4).map((name) => path.join('patterns', category, name)),
    );
    // A file argument uses the facts the staged runs stored: no full load. The first one also
    // lists the untracked files of its scope, which staged runs leave alone: shown on its own.
    const oneFile = path.join('patterns', category, patternFiles[4] ?? '');
    const firstFile = run(process.execPath, [cli, oneFile], root);
    show('agentops-lint <one file>, first (lists untracked files)', firstFile);
    const fileArgument = median(
      [1, 2, 3, 4, 5].map(() => run(process.execPath, [cli, oneFile], root)),
    );
    show('agentops-lint <one file> (median of 5 after it; target ≤ 0.2 s)', fileArgument);
    const mdlOne = run(
      bin('markdownlint-cli2'),
      [path.join('patterns', category, patternFiles[3] ?? '')],
      root,
    );
    show('markdownlint-cli2, that one file', mdlOne);
    const staticNode = run(process.execPath, ['-e', '0'], root);
    show('node -e 0 (for reference)', staticNode);

    const mdl = [...mdlRuns].sort((a, b) => a.wall - b.wall)[0]!;
    show('markdownlint-cli2 "**/*.md" (best of 2, between our full runs)', mdl);
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
    console.log(
      `  one file vs node -e 0: ${(fileArgument.wall / staticNode.wall).toFixed(2)}× (${fileArgument.wall.toFixed(2)} s against ${staticNode.wall.toFixed(2)} s)`,
    );
    if (full.peakMiB !== undefined)
      console.log(
        `  peak memory:          ${full.peakMiB.toFixed(0)} MiB median, ${highestPeak.toFixed(0)} MiB highest (target ≤ 150 MiB)`,
      );

    benchMessageHeavy();
    benchHostile();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * `--staged` runs, each after one more of `files` (committed patterns, relative to `root`) is
 * edited and staged: the first one loads everything and stores facts in `.git/`, the next ones
 * load only what changed. Shows both; returns the median of the three after the first.
 */
function benchStaged(root: string, files: readonly string[]): Measure {
  const stageOne = (file: string): void => {
    const text = execFileSync('git', ['show', `HEAD:${file}`], { cwd: root, encoding: 'utf8' });
    writeFileSync(path.join(root, file), `${text}\n`);
    execFileSync('git', ['add', file], { cwd: root });
  };
  const [first = '', ...more] = files;
  stageOne(first);
  show(
    'agentops-lint --staged, first run (stores facts unless a run before did)',
    run(process.execPath, [cli, '--staged'], root),
  );
  const staged = median(
    more.map((file) => {
      stageOne(file);
      return run(process.execPath, [cli, '--staged'], root);
    }),
  );
  show('agentops-lint --staged, one more file (median of 3; target ≤ 0.2 s)', staged);
  return staged;
}

/**
 * The message-heavy catalog of ../shared/bench (nearly every file has something to report),
 * against markdownlint-cli2 on the same files, when ../shared is there.
 */
function benchMessageHeavy(): void {
  const generator = path.resolve(repoRoot, '../shared/bench/gen-corpus.mjs');
  console.log('\nMessage-heavy catalog (../shared/bench/gen-corpus.mjs defaults)');
  if (!existsSync(generator)) {
    console.log('  skipped: ../shared/bench is not there');
    return;
  }
  const heavy = mkdtempSync(path.join(tmpdir(), 'agentops-bench-heavy-'));
  try {
    execFileSync(process.execPath, [generator, heavy], { stdio: 'ignore' });
    commitAll(heavy);
    const runs = [1, 2].map(() => run(process.execPath, [cli, '-f', 'compact', '.'], heavy));
    const best = [...runs].sort((a, b) => a.wall - b.wall)[0] ?? runs[0];
    if (!best) return;
    const messages = best.stdout.split('\n').filter(Boolean).length;
    show('agentops-lint, full run (best of 2)', best, `${messages} messages`);
    const mdl = run(bin('markdownlint-cli2'), ['**/*.md'], heavy);
    show('markdownlint-cli2 "**/*.md"', mdl);
    const [file = '', ...others] = execFileSync('git', ['ls-files', 'patterns'], {
      cwd: heavy,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    run(process.execPath, [cli, file], heavy);
    const one = median([1, 2, 3, 4, 5].map(() => run(process.execPath, [cli, file], heavy)));
    show('agentops-lint <one file> (median of 5, after a first run)', one);
    // After the file arguments: their index is the committed one, as in the clean catalog.
    const staged = benchStaged(heavy, others.slice(0, 4));
    const node = run(process.execPath, ['-e', '0'], heavy);
    show('node -e 0 (for reference)', node);
    console.log(
      `  full run vs markdownlint-cli2: ${(best.wall / mdl.wall).toFixed(3)} of its wall time (target ≤ 0.100)`,
    );
    console.log(
      `  per message: ${((best.wall / Math.max(messages, 1)) * 1e6).toFixed(0)} µs; one file vs node -e 0: ${(one.wall / node.wall).toFixed(2)}×; --staged with one more file vs node -e 0: ${(staged.wall / node.wall).toFixed(2)}×`,
    );
  } finally {
    rmSync(heavy, { recursive: true, force: true });
  }
}

/** Hostile Markdown from the fuzz test's generator: each case alone, its CPU time and peak. */
function benchHostile(): void {
  const count = 24;
  console.log(`\nHostile Markdown (${count} seeded cases, each in its own catalog)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'agentops-bench-hostile-'));
  try {
    const measures = hostileCases(14, count).map((body, index) => {
      const plugin = path.join(dir, `case-${index}`, 'plugins/fuzz');
      mkdirSync(path.join(plugin, '.claude-plugin'), { recursive: true });
      mkdirSync(path.join(plugin, 'commands'), { recursive: true });
      writeFileSync(
        path.join(plugin, '.claude-plugin/plugin.json'),
        '{"name":"fuzz","version":"1.0.0","description":"Fuzz","author":{"name":"M"}}\n',
      );
      writeFileSync(path.join(plugin, 'commands/case.md'), `---\ndescription: x\n---\n${body}`);
      return run(process.execPath, [cli, '-f', 'compact', '.'], path.join(dir, `case-${index}`));
    });
    const worstCpu = Math.max(...measures.map((m) => m.cpu ?? m.wall));
    const worstPeak = Math.max(...measures.map((m) => m.peakMiB ?? 0));
    const crashed = measures.filter((m) => m.status !== 0 && m.status !== 1).length;
    console.log(
      `  worst case: ${worstCpu.toFixed(2)} s CPU (target ≤ 2 s), ${worstPeak.toFixed(0)} MiB peak (target ≤ 200 MiB); ${crashed} runs failed`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
