// `npm run conformance:mirror`: runs the real Claude Code (`claude plugin validate --json`, the
// `@anthropic-ai/claude-code` devDependency) on every marketplace root and every stored plugin folder
// of ../shared/mirror, offline with a throwaway HOME, at most two at a time, and writes the verdicts
// in the shape of ../shared/corpus/verdicts.json to lint/test/conformance/mirror-verdicts.json,
// which lint/test/lint-conformance.test.ts compares with the linter. Same mirror, same bytes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { printable } from '../../lint/src/printable.ts';
import { writeAtomic } from '../../lint/src/write-atomic.ts';
import { claudeBin, offlineClaudeEnv } from '../claude-env.ts';
import { readMirrorSources } from '../federation/mirror.ts';
import { readScriptOptions } from '../script-options.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const defaultMirror = path.resolve(repoRoot, '../shared/mirror');
const defaultOut = path.join(repoRoot, 'lint/test/conformance/mirror-verdicts.json');

const options = readScriptOptions({
  usage: 'Usage: npm run conformance:mirror -- [options]',
  summary:
    "Records Claude Code's `plugin validate --json` verdict on every marketplace root and plugin folder of the mirror.",
  options: {
    mirror: {
      type: 'string',
      value: '<dir>',
      description: 'the mirror of marketplace repositories',
      shownDefault: '../shared/mirror',
    },
    out: {
      type: 'string',
      value: '<file>',
      description: 'where the verdicts go; - for stdout',
      shownDefault: 'lint/test/conformance/mirror-verdicts.json',
    },
    jobs: {
      type: 'string',
      value: '<n>',
      default: '2',
      min: 1,
      description: 'validations run at once',
    },
    only: {
      type: 'string',
      multiple: true,
      value: '<owner__repo>',
      description: 'only this repository folder (writes to stdout unless --out is given)',
    },
  },
});

/** One verdict, in the shape and key order of ../shared/corpus/verdicts.json. */
interface Verdict {
  path: string;
  kind: 'marketplace' | 'plugin';
  valid: boolean;
  errors: string[];
  warnings: string[];
  validated: string;
  diagnostics: { severity: 'error' | 'warning'; file: string; field: string; message: string }[];
  hasPluginJson?: boolean;
  omittedPlugins?: string[];
  missingPlugins?: string[];
}

/** One `claude plugin validate` call to make: the verdict fields known before running it. */
interface Job {
  path: string;
  kind: 'marketplace' | 'plugin';
  validated: string;
  extra: Pick<Verdict, 'hasPluginJson' | 'omittedPlugins' | 'missingPlugins'>;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

const marketplaceFile = '.claude-plugin/marketplace.json';
const pluginFile = '.claude-plugin/plugin.json';

/** The folder of the shallowest `.claude-plugin/marketplace.json` under `repo`, links not followed. */
function findMarketplaceRoot(repo: string): string | undefined {
  let level = [repo];
  while (level.length > 0) {
    const found = level.filter((dir) => isFile(path.join(dir, marketplaceFile))).sort(byCodeUnit);
    if (found.length > 0) return found[0];
    level = level.flatMap((dir) =>
      readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => path.join(dir, entry.name)),
    );
  }
  return undefined;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The folder a relative source names, as the mirror stored it: a `./` path first as written, a
 * bare name first under `metadata.pluginRoot`; `undefined` if neither is a folder in the repository.
 * The mirror stores both, but Claude Code tries only one (see {@link claudeSourceDir}).
 */
function resolveSource(
  repo: string,
  root: string,
  source: string,
  pluginRoot: string | undefined,
): string | undefined {
  const written = source === '.' ? './' : source;
  const asWritten = path.resolve(root, written);
  const underRoot = pluginRoot === undefined ? undefined : path.resolve(root, pluginRoot, written);
  const candidates = written.startsWith('./') ? [asWritten, underRoot] : [underRoot, asWritten];
  return candidates.find(
    (candidate): candidate is string =>
      candidate !== undefined &&
      !path.relative(repo, candidate).startsWith('..') &&
      isDirectory(candidate),
  );
}

/**
 * The folder Claude Code installs a relative source from: only a bare name (no `/`, no `..`) goes
 * under `metadata.pluginRoot`; a `./` path is taken as written, whatever pluginRoot says.
 */
function claudeSourceDir(root: string, source: string, pluginRoot: string | undefined): string {
  const bare = /^[A-Za-z0-9][-A-Za-z0-9._]*$/.test(source) && !source.includes('..');
  return bare && pluginRoot !== undefined
    ? path.resolve(root, pluginRoot, source)
    : path.resolve(root, source);
}

/** The validations of one repository folder of the mirror. */
function jobsOf(mirror: string, repoId: string): Job[] {
  const repo = path.join(mirror, repoId);
  const rel = (dir: string): string => path.relative(mirror, dir).split(path.sep).join('/');
  const root = findMarketplaceRoot(repo);
  const jobs: Job[] = [];
  const pluginDirs = new Set<string>();
  if (root === undefined) {
    if (isFile(path.join(repo, pluginFile))) pluginDirs.add(repo);
  } else {
    const manifest = readJson(path.join(root, marketplaceFile));
    const metadata = isRecord(manifest) && isRecord(manifest.metadata) ? manifest.metadata : {};
    const pluginRoot = typeof metadata.pluginRoot === 'string' ? metadata.pluginRoot : undefined;
    const entries = isRecord(manifest) && Array.isArray(manifest.plugins) ? manifest.plugins : [];
    const missing: string[] = [];
    for (const entry of entries) {
      if (!isRecord(entry) || typeof entry.source !== 'string') continue;
      const dir = resolveSource(repo, root, entry.source, pluginRoot);
      if (dir !== undefined) pluginDirs.add(dir);
      if (!isDirectory(claudeSourceDir(root, entry.source, pluginRoot))) missing.push(entry.source);
    }
    if (isFile(path.join(root, pluginFile))) pluginDirs.add(root);
    jobs.push({
      path: rel(root),
      kind: 'marketplace',
      validated: rel(root),
      extra: { omittedPlugins: [], missingPlugins: missing },
    });
  }
  for (const dir of pluginDirs) {
    const hasPluginJson = isFile(path.join(dir, pluginFile));
    const hasMarketplace = isFile(path.join(dir, marketplaceFile));
    // A plugin folder that is also a marketplace is checked through its plugin.json; without one it
    // is the marketplace root itself and its marketplace verdict covers it.
    if (hasMarketplace && !hasPluginJson) continue;
    jobs.push({
      path: rel(dir),
      kind: 'plugin',
      validated: hasMarketplace ? rel(path.join(dir, pluginFile)) : rel(dir),
      extra: { hasPluginJson },
    });
  }
  return jobs;
}

interface Finding {
  path?: string | null;
  message?: string;
}
interface Checked {
  file?: unknown;
  errors?: Finding[];
  warnings?: Finding[];
}
interface Report {
  manifest?: Checked;
  contents?: Checked[];
}

function run(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      claudeBin,
      args,
      { cwd, env, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs `claude plugin validate --json` on one job, with a fresh HOME and no network. */
async function validate(mirror: string, mirrorReal: string, job: Job): Promise<Verdict> {
  const home = mkdtempSync(path.join(tmpdir(), 'mirror-verdicts-home-'));
  try {
    const env = {
      ...offlineClaudeEnv(home, home),
      LANG: 'C.UTF-8',
      CI: '1',
      DISABLE_TELEMETRY: '1',
    };
    let result = await run(['plugin', 'validate', '--json', job.validated], mirror, env);
    let report = parseReport(result.stdout);
    if (report === undefined) {
      result = await run(['plugin', 'validate', '--json', job.validated], mirror, env);
      report = parseReport(result.stdout);
    }
    if (report === undefined || (result.code !== 0 && result.code !== 1))
      throw new Error(
        `claude plugin validate ${job.validated} exited with ${result.code}: ${result.stderr.trim() || result.stdout.slice(0, 500)}`,
      );
    return toVerdict(mirror, mirrorReal, job, result.code === 0, report);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function parseReport(stdout: string): Report | undefined {
  try {
    const parsed = JSON.parse(stdout) as unknown;
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A file of the report, relative to the mirror (never absolute). */
function relativeFile(mirror: string, mirrorReal: string, file: unknown): string {
  if (typeof file !== 'string') return '';
  const base = file === mirrorReal || file.startsWith(`${mirrorReal}/`) ? mirrorReal : mirror;
  return path.relative(base, file).split(path.sep).join('/');
}

function toVerdict(
  mirror: string,
  mirrorReal: string,
  job: Job,
  valid: boolean,
  report: Report,
): Verdict {
  const checked = [
    ...(report.manifest ? [report.manifest] : []),
    ...[...(report.contents ?? [])].sort((a, b) =>
      byCodeUnit(
        relativeFile(mirror, mirrorReal, a.file),
        relativeFile(mirror, mirrorReal, b.file),
      ),
    ),
  ];
  const diagnostics = checked.flatMap((item) => {
    const file = relativeFile(mirror, mirrorReal, item.file);
    const of = (severity: 'error' | 'warning', findings: Finding[] | undefined) =>
      (findings ?? []).map((finding) => ({
        severity,
        file,
        field: finding.path ?? '',
        message: finding.message ?? '',
      }));
    return [...of('error', item.errors), ...of('warning', item.warnings)];
  });
  return {
    path: job.path,
    kind: job.kind,
    valid,
    errors: diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    warnings: diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message),
    validated: job.validated,
    diagnostics,
    ...job.extra,
  };
}

/** JSON as the corpus writes it: two-space indent, non-ASCII escaped, a final newline. */
function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )}\n`;
}

async function main(values: NonNullable<typeof options>['values']): Promise<void> {
  const mirror = path.resolve(values.mirror ?? defaultMirror);
  /** A one-line reason on stderr, exit code 2, nothing written. */
  const refuse = (reason: string): void => {
    process.stderr.write(`conformance:mirror: ${printable(reason)}\n`);
    process.exitCode = 2;
  };
  // The trees SOURCES.tsv lists, read as the catalog sync reads them.
  const listed = readMirrorSources(mirror);
  const [problem] = listed.errors;
  if (problem !== undefined) return refuse(`${mirror}: ${problem}`);
  const mirrorReal = realpathSync(mirror);
  const version = /^(\S+)/.exec(
    (await run(['--version'], mirror, { PATH: process.env.PATH ?? '' })).stdout,
  )?.[1];
  if (version === undefined) throw new Error(`${claudeBin} --version printed no version`);
  const only = values.only ?? [];
  const repos = [...listed.sources.keys()]
    .filter((id) => isDirectory(path.join(mirror, id)))
    .filter((id) => only.length === 0 || only.includes(id))
    .sort(byCodeUnit);
  const unknown = only.find((name) => !repos.includes(name));
  if (unknown !== undefined) return refuse(`No repository \`${unknown}\` in ${mirror}`);
  const jobs = repos.flatMap((repo) => jobsOf(mirror, repo));
  const keys = jobs.map((job) => `${job.kind} ${job.path}`);
  const twice = keys.find((key, index) => keys.indexOf(key) !== index);
  if (twice !== undefined) throw new Error(`Two validations of the ${twice}`);
  const verdicts: Verdict[] = new Array<Verdict>(jobs.length);
  const started = Date.now();
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index];
      if (job === undefined) return;
      verdicts[index] = await validate(mirror, mirrorReal, job);
      done++;
      if (done % 100 === 0 || done === jobs.length) {
        const seconds = (Date.now() - started) / 1000;
        const left = (seconds / done) * (jobs.length - done);
        process.stderr.write(
          `${done}/${jobs.length} validated, ${seconds.toFixed(0)} s, about ${left.toFixed(0)} s left\n`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Number(values.jobs) }, worker));
  verdicts.sort((a, b) => byCodeUnit(a.path, b.path) || byCodeUnit(a.kind, b.kind));
  const out = values.out ?? (only.length > 0 ? '-' : defaultOut);
  const text = serialize({
    generatedBy:
      'npm run conformance:mirror (scripts/conformance/mirror-verdicts.ts). Generated file: do not edit, rerun the command.',
    claudeCode: version,
    mirror: path.relative(repoRoot, mirror).split(path.sep).join('/'),
    verdicts,
  });
  if (out === '-') process.stdout.write(text);
  else writeAtomic(out, text);
  const count = (kind: Verdict['kind']) => verdicts.filter((v) => v.kind === kind).length;
  process.stderr.write(
    `${count('marketplace')} marketplace and ${count('plugin')} plugin verdicts in ${((Date.now() - started) / 1000).toFixed(0)} s${out === '-' ? '' : `: ${path.relative(process.cwd(), out)}`}\n`,
  );
}

if (options !== undefined)
  await main(options.values).catch((error: unknown) => {
    // The binary failed or printed no report: one line, and no verdicts file is written.
    process.stderr.write(
      `conformance:mirror: ${printable(error instanceof Error ? error.message : String(error))}\n`,
    );
    process.exitCode = 1;
  });
