import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as NodeUtil from 'node:util';
import {
  ConflictingOptions,
  InvalidOptionValue,
  UnknownOption,
  createError,
  createErrorWithCause,
} from './errors.ts';
import { formatNames, type FormatName } from './format.ts';

// `parseArgs` read on its own: the whole of `node:util`, as an import takes it, loads worker
// threads, locks and a diff module on Node 24 (about 4 ms of every run).
const { parseArgs } = createRequire(import.meta.url)('node:util') as typeof NodeUtil;

/** The CLI's options after parsing and checking. */
export interface CliOptions {
  paths: string[];
  format: FormatName;
  maxWarnings: number | undefined;
  quiet: boolean;
  fix: boolean;
  fixDryRun: boolean;
  config: string | undefined;
  cache: boolean;
  cacheLocation: string | undefined;
  staged: boolean;
  changed: boolean;
  since: string | undefined;
  stdinFilepath: string | undefined;
  rules: string[];
  color: boolean | undefined;
  help: boolean;
  version: boolean;
}

let version: string | undefined;

/**
 * The agentops-lint version from its package.json: one level up from `src/` and `dist/`, more from
 * the bundle. Read as a file, not required: the first `require` of a file sets up Node's module
 * resolution, a few milliseconds of a short run that needs it for nothing else.
 */
export function readVersion(): string {
  if (version !== undefined) return version;
  for (const candidate of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const text = readFileSync(new URL(candidate, import.meta.url), 'utf8');
      const pkg = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (pkg.name === 'agentops-lint' && typeof pkg.version === 'string')
        return (version = pkg.version);
    } catch {
      // Not at this level.
    }
  }
  return (version = '0.0.0');
}

/** The `--help` text. */
export const helpText = `Usage: agentops-lint [options] [paths...]

Lint a Claude Code plugin marketplace, its plugins and pattern files.
Paths are files or directories (default: the current directory).

Options:
  -f, --format <name>        stylish (default), compact, json, sarif or github
      --max-warnings <n>     exit with code 1 when there are more than n warnings
  -q, --quiet                report errors only
      --fix                  apply safe fixes to the files
      --fix-dry-run          print the fixes as a unified diff, change nothing
  -c, --config <file>        use this config file instead of looking upward
      --cache                reuse results while no input changed
      --cache-location <p>   cache file (default: .agentops-lint-cache)
      --staged               lint the files staged in git
      --changed              lint the files changed in git (work tree, index, untracked)
      --since <ref>          with --changed: changes since this ref instead of HEAD
      --stdin-filepath <p>   read the file at this path from standard input
      --rule <id>            run only this rule (repeatable)
      --color, --no-color    force or disable colours
  -h, --help                 show this help
  -v, --version              show the version

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 usage, config or internal error.
Rules: https://agentops-marketplace.github.io/agentops-marketplace/rules/
`;

/** Parses argv (without `node` and the script) into checked options; throws `LintError` (exit 2). */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        'max-warnings': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        fix: { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        config: { type: 'string', short: 'c' },
        cache: { type: 'boolean' },
        'cache-location': { type: 'string' },
        staged: { type: 'boolean' },
        changed: { type: 'boolean' },
        since: { type: 'string' },
        'stdin-filepath': { type: 'string' },
        rule: { type: 'string', multiple: true },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '([^']+)'/.exec(text);
    const detail = unknown
      ? `Unexpected option \`${unknown[1]}\``
      : (text.split(/\.(?: |$)/)[0] ?? text);
    throw createErrorWithCause(error, UnknownOption, detail);
  }
  const values = parsed.values;
  const format = values.format ?? 'stylish';
  if (!(formatNames as readonly string[]).includes(format)) {
    throw createError(
      InvalidOptionValue,
      '--format',
      format,
      formatNames.map((name) => `\`${name}\``).join(', '),
    );
  }
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!/^\d+$/.test(values['max-warnings']) || !Number.isSafeInteger(maxWarnings)) {
      throw createError(
        InvalidOptionValue,
        '--max-warnings',
        values['max-warnings'],
        'a whole number',
      );
    }
  }
  const pairs: [string, boolean][] = [
    ['--staged', values.staged ?? false],
    ['--changed', values.changed ?? false],
    ['--stdin-filepath', values['stdin-filepath'] !== undefined],
  ];
  const chosen = pairs.filter(([, on]) => on).map(([name]) => name);
  if (chosen.length > 1) throw createError(ConflictingOptions, chosen[0] ?? '', chosen[1] ?? '');
  if (values.since !== undefined && !values.changed)
    throw createError(ConflictingOptions, '--since', 'no `--changed`');
  if (values.fix && values['fix-dry-run'])
    throw createError(ConflictingOptions, '--fix', '--fix-dry-run');
  if (values.fix && values['stdin-filepath'] !== undefined)
    throw createError(ConflictingOptions, '--fix', '--stdin-filepath');
  if (chosen.length > 0 && parsed.positionals.length > 0) {
    throw createError(ConflictingOptions, chosen[0] ?? '', 'paths');
  }
  return {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    format: format as FormatName,
    maxWarnings,
    quiet: values.quiet ?? false,
    fix: values.fix ?? false,
    fixDryRun: values['fix-dry-run'] ?? false,
    config: values.config,
    cache: values.cache ?? false,
    cacheLocation: values['cache-location'],
    staged: values.staged ?? false,
    changed: values.changed ?? false,
    since: values.since,
    stdinFilepath: values['stdin-filepath'],
    rules: values.rule ?? [],
    color: values['no-color'] ? false : values.color,
    help: values.help ?? false,
    version: values.version ?? false,
  };
}
