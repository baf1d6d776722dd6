// `npm start`: build the linter, lint the catalog, build the site, doing only what changed since
// the last start, and end with one line that says what was linted and built.
//
// - The linter is rebuilt only when its inputs (lint/ sources, build config, lockfile) changed.
// - The lint runs with the CLI's own cache; its JSON report is stored with the digest of the
//   catalog's files, and the site build reuses it instead of linting again (AGENTOPS_LINT_RESULT).
// - The site is rebuilt only when anything it reads changed: the project's files, the catalog's
//   files, the commit (page dates come from git) or an AGENTOPS_* setting.
//
// Stamps (input digests of the last successful step) live in .cache/start/.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { inputsDigest } from '../site/src/lib/input-digest.ts';
import { projectRoot, readSiteConfig } from '../site/src/lib/site-config.ts';
import { readScriptOptions } from './script-options.ts';

const cacheDir = path.join(projectRoot, '.cache', 'start');
const linterInputs = [
  'lint/src',
  'lint/scripts',
  'lint/package.json',
  'lint/tsconfig.build.json',
  'tsconfig.base.json',
  'package-lock.json',
];
const linterCli = path.join(projectRoot, 'lint', 'bin', 'agentops-lint.js');
const lintCache = path.join(cacheDir, 'lint-cache.json');
const lintResultFile = path.join(cacheDir, 'lint-result.json');

/** A step that could not finish: its output is shown and `npm start` exits with `exitCode`. */
class StepFailure extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

function readStamp(name: string): string | undefined {
  try {
    return readFileSync(path.join(cacheDir, `${name}.stamp`), 'utf8');
  } catch {
    return undefined;
  }
}

function writeStamp(name: string, digest: string): void {
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(path.join(cacheDir, `${name}.stamp`), digest);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlRe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text from a catalog or a child process, with control characters (escape sequences) made visible. */
function printable(text: string): string {
  return text.replace(
    controlRe,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** Runs a command with its output captured; on failure, throws with that output. */
function run(command: string, args: string[], what: string, env = process.env): void {
  const result = spawnSync(command, args, {
    cwd: projectRoot,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trimEnd();
    throw new StepFailure(
      `${printable(output)}\n${what} failed (exit code ${result.status ?? 'none'})`,
      1,
    );
  }
}

function gitHead(dir: string): string {
  const result = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : '';
}

/**
 * Re-bundles the linter's command (the committed `lint/bin/`, which a test keeps current) unless
 * its inputs are those of the last bundle. True when it was rebuilt.
 */
function buildLinter(): boolean {
  const digest = inputsDigest(projectRoot, linterInputs, [process.version]);
  if (readStamp('linter') === digest && existsSync(linterCli)) {
    console.log('Linter: unchanged, build skipped');
    return false;
  }
  const started = performance.now();
  run(
    process.execPath,
    [path.join(projectRoot, 'lint', 'scripts', 'bundle.ts')],
    'Bundling the linter',
  );
  // The CLI cache is keyed by the linter's version, not its code: a new build starts it afresh.
  rmSync(lintCache, { force: true });
  writeStamp('linter', digest);
  console.log(`Linter: built in ${seconds(started)}`);
  return true;
}

/** One file of the CLI's `json` report. */
interface ReportFile {
  filePath: string;
  messages: {
    ruleId: string | null;
    severity: number;
    message: string;
    line: number;
    column: number;
  }[];
  errorCount: number;
  warningCount: number;
}

/** What the lint found. */
interface LintSummary {
  files: number;
  errors: number;
  warnings: number;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Lints the catalog with the CLI (cached) and stores its report for the site build. */
function lint(repo: string): LintSummary {
  const started = performance.now();
  const digest = inputsDigest(repo);
  const result = spawnSync(
    process.execPath,
    [linterCli, '.', '--format', 'json', '--cache', '--cache-location', lintCache],
    { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 },
  );
  let report: ReportFile[];
  try {
    if (result.status !== 0 && result.status !== 1) throw new Error('no report');
    report = JSON.parse(result.stdout) as ReportFile[];
  } catch {
    throw new StepFailure(
      `${printable(result.stderr.trimEnd())}\nThe linter could not lint ${printable(repo)}`,
      2,
    );
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(lintResultFile, `${JSON.stringify({ digest, report })}\n`);
  const summary = { files: report.length, errors: 0, warnings: 0 };
  for (const file of report) {
    summary.errors += file.errorCount;
    summary.warnings += file.warningCount;
    for (const message of file.messages) {
      const severity = message.severity === 2 ? 'error' : 'warning';
      console.log(
        printable(
          `${file.filePath}:${message.line}:${message.column} ${severity} ${message.ruleId ?? 'parse'} ${message.message.replace(/\s*\n\s*/g, ' ')}`,
        ),
      );
    }
  }
  console.log(`Lint: ${plural(summary.files, 'file')} in ${seconds(started)}`);
  return summary;
}

/** Builds the site unless everything it reads is as at the last build. True when it was rebuilt. */
function buildSite(repo: string, outDir: string): boolean {
  const settings = Object.entries(process.env)
    .filter(([name]) => name.startsWith('AGENTOPS_') && name !== 'AGENTOPS_LINT_RESULT')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value ?? ''}`);
  const extra = [process.version, gitHead(projectRoot), ...settings];
  if (repo !== projectRoot) extra.push(inputsDigest(repo), gitHead(repo));
  const digest = inputsDigest(projectRoot, [], extra);
  // The stamp names the build it describes, so a site built since by `npm run build` (perhaps
  // with other settings) is never taken for this one.
  const built = (): string => {
    try {
      const stat = statSync(path.join(outDir, 'index.html'));
      return `${digest} ${stat.mtimeMs} ${stat.size}`;
    } catch {
      return '';
    }
  };
  if (readStamp('site') === built() && built() !== '') {
    console.log('Site: unchanged, build skipped');
    return false;
  }
  const started = performance.now();
  run('npm', ['run', 'build', '--silent', '-w', 'agentops-site'], 'Building the site', {
    ...process.env,
    AGENTOPS_LINT_RESULT: lintResultFile,
  });
  writeStamp('site', built());
  console.log(`Site: built in ${seconds(started)}`);
  return true;
}

function countPages(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (name) => name.endsWith('.html') && !name.startsWith('pagefind'),
  ).length;
}

function apiCount(outDir: string, name: string): number | undefined {
  try {
    const data = JSON.parse(readFileSync(path.join(outDir, 'api', `${name}.json`), 'utf8')) as {
      count?: unknown;
    };
    return typeof data.count === 'number' ? data.count : undefined;
  } catch {
    return undefined;
  }
}

function problems(summary: LintSummary): string {
  if (summary.errors + summary.warnings === 0) return 'no problems';
  const parts = [];
  if (summary.errors > 0) parts.push(plural(summary.errors, 'error'));
  if (summary.warnings > 0) parts.push(plural(summary.warnings, 'warning'));
  return parts.join(' and ');
}

function main(): number {
  const config = readSiteConfig(process.env);
  const outDir = path.resolve(process.env.AGENTOPS_OUT || path.join(projectRoot, 'site', 'dist'));
  const basePath = (process.env.AGENTOPS_BASE ?? '/agentops-marketplace').replace(/^\/+|\/+$/g, '');
  const base = basePath === '' ? '/' : `/${basePath}/`;
  const shown = (dir: string): string => printable(path.relative(process.cwd(), dir) || '.');
  try {
    buildLinter();
    const summary = lint(config.repo);
    if (summary.errors > 0) {
      console.log(
        `Linted ${shown(config.repo)} (${plural(summary.files, 'file')}): ${problems(summary)}; the site was not built.`,
      );
      return 1;
    }
    const rebuilt = buildSite(config.repo, outDir);
    const plugins = apiCount(outDir, 'plugins');
    const patterns = apiCount(outDir, 'patterns');
    const what =
      plugins === undefined || patterns === undefined
        ? shown(config.repo)
        : `${plural(plugins, 'plugin')} and ${plural(patterns, 'pattern')}`;
    console.log(
      `Linted ${what} (${plural(summary.files, 'file')}): ${problems(summary)}. ` +
        `Site ${rebuilt ? 'built' : 'unchanged'}: ${plural(countPages(outDir), 'page')} in ${shown(outDir)}; ` +
        `\`npm run serve\` shows it at http://127.0.0.1:4321${base}`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    console.error(error.message);
    return error.exitCode;
  }
}

const options = readScriptOptions({
  usage: 'Usage: npm start',
  summary:
    'Builds the linter, lints the catalog and builds the site, doing only what changed since the last start.',
  options: {},
  environment: [
    {
      name: 'AGENTOPS_REPO',
      description: 'the repository whose catalog is linted and built',
      shownDefault: 'this one',
    },
    { name: 'AGENTOPS_OUT', description: 'where the site is written', shownDefault: 'site/dist' },
    {
      name: 'AGENTOPS_BASE',
      description: 'the base path the site is served under',
      shownDefault: '/agentops-marketplace',
    },
  ],
});
if (options !== undefined) process.exitCode = main();
