// The command line of the repository's npm scripts: `node:util` `parseArgs` with a usage text
// built from the same table, `--help` (`-h`) printing it, and a bad option or value reported in one
// line with the usage on stderr and exit code 2, never a stack trace.
import { parseArgs } from 'node:util';
import { printable } from '../lint/src/printable.ts';

/** One option of a script: its `parseArgs` descriptor plus what its usage line shows. */
export interface ScriptOption {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly default?: string | boolean;
  /** The value's placeholder in the usage, such as `<n>`; string options only. */
  readonly value?: string;
  /** What it does, in a few words, lower case, no trailing period. */
  readonly description: string;
  /** The default as the usage shows it, when it is not `default` (computed, or a path). */
  readonly shownDefault?: string;
  /** A whole number at least this large is expected (checked before the script runs). */
  readonly min?: number;
  /** With `min`: the largest whole number expected. */
  readonly max?: number;
  /** One of these values is expected. */
  readonly choices?: readonly string[];
}

/** One positional argument of a script; all of them are optional. */
export interface ScriptPositional {
  readonly name: string;
  readonly description: string;
  readonly shownDefault: string;
  /** A whole number at least this large is expected. */
  readonly min?: number;
}

/** An environment variable a script reads. */
export interface ScriptVariable {
  readonly name: string;
  readonly description: string;
  readonly shownDefault: string;
}

/** A script's command line: its usage line, what it does, its options and positionals. */
export interface ScriptCommand<O extends Record<string, ScriptOption>> {
  /** The first line of the usage, such as `Usage: npm run bench:site -- [options]`. */
  readonly usage: string;
  /** One line saying what the script does. */
  readonly summary: string;
  readonly options: O;
  readonly positionals?: readonly ScriptPositional[];
  readonly environment?: readonly ScriptVariable[];
}

/** What {@link readScriptOptions} returns for a command with options `O`. */
export type Parsed<O extends Record<string, ScriptOption>> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>;

const helpLine = { flag: '-h, --help', description: 'print this help and exit' };

/** The full usage text of a command: usage line, summary, one line per argument and option. */
export function formatUsage<O extends Record<string, ScriptOption>>(
  command: ScriptCommand<O>,
): string {
  const rows: { flag: string; description: string }[] = [];
  for (const positional of command.positionals ?? []) {
    rows.push({
      flag: `[${positional.name}]`,
      description: `${positional.description} (default: ${positional.shownDefault})`,
    });
  }
  for (const [name, option] of Object.entries(command.options)) {
    const flag = option.type === 'string' ? `--${name} ${option.value ?? '<value>'}` : `--${name}`;
    const shown =
      option.shownDefault ?? (typeof option.default === 'string' ? option.default : undefined);
    const repeat = option.multiple === true ? ', repeatable' : '';
    rows.push({
      flag,
      description: `${option.description}${repeat}${shown === undefined ? '' : ` (default: ${shown})`}`,
    });
  }
  rows.push(helpLine);
  const variables = (command.environment ?? []).map((variable) => ({
    flag: variable.name,
    description: `${variable.description} (default: ${variable.shownDefault})`,
  }));
  const width = Math.max(...[...rows, ...variables].map((row) => row.flag.length)) + 2;
  const table = (list: readonly { flag: string; description: string }[]): string =>
    list.map((row) => `  ${row.flag.padEnd(width)}${row.description}\n`).join('');
  const heading = command.positionals === undefined ? 'Options:' : 'Arguments and options:';
  const environment = variables.length === 0 ? '' : `\nEnvironment:\n${table(variables)}`;
  return `${command.usage}\n\n${command.summary}\n\n${heading}\n${table(rows)}${environment}`;
}

/** Reports a bad command line: the one-line reason and the usage on stderr, exit code 2. */
export function reportUsageError<O extends Record<string, ScriptOption>>(
  command: ScriptCommand<O>,
  message: string,
): void {
  process.stderr.write(`${printable(message)}\n\n${formatUsage(command)}`);
  process.exitCode = 2;
}

function isWholeNumber(text: string, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
  return /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max;
}

function wholeNumberRange(min: number, max: number | undefined): string {
  return max === undefined ? `a whole number from ${min}` : `a whole number from ${min} to ${max}`;
}

/** The first problem with the parsed values, as a one-line message, or `undefined`. */
function checkValues<O extends Record<string, ScriptOption>>(
  command: ScriptCommand<O>,
  values: Record<string, unknown>,
  positionals: readonly string[],
): string | undefined {
  const allowed = command.positionals ?? [];
  if (positionals.length > allowed.length) {
    const extra = positionals[allowed.length] ?? '';
    return `Unexpected argument \`${extra}\`, expected at most ${allowed.length} argument${allowed.length === 1 ? '' : 's'}`;
  }
  for (const [index, text] of positionals.entries()) {
    const min = allowed[index]?.min;
    if (min !== undefined && !isWholeNumber(text, min))
      return `Unexpected ${allowed[index]?.name ?? 'argument'} \`${text}\`, expected ${wholeNumberRange(min, undefined)}`;
  }
  for (const [name, option] of Object.entries(command.options)) {
    const given = values[name];
    const texts = typeof given === 'string' ? [given] : Array.isArray(given) ? given : [];
    for (const text of texts.map(String)) {
      if (option.min !== undefined && !isWholeNumber(text, option.min, option.max))
        return `Unexpected --${name} \`${text}\`, expected ${wholeNumberRange(option.min, option.max)}`;
      if (option.choices !== undefined && !option.choices.includes(text))
        return `Unexpected --${name} \`${text}\`, expected ${option.choices.join(', ')}`;
    }
  }
  return undefined;
}

/**
 * Parses a script's command line. On `--help` prints the usage and returns `undefined`; on an
 * unknown option or a bad value reports it (exit code 2) and returns `undefined`; otherwise
 * returns what `parseArgs` does.
 */
export function readScriptOptions<const O extends Record<string, ScriptOption>>(
  command: ScriptCommand<O>,
  args: string[] = process.argv.slice(2),
): Parsed<O> | undefined {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: command.positionals !== undefined,
      strict: true,
    });
  } catch (error) {
    reportUsageError(command, error instanceof Error ? error.message : String(error));
    return undefined;
  }
  if (parsed.values.help === true) {
    process.stdout.write(formatUsage(command));
    return undefined;
  }
  const problem = checkValues(command, parsed.values, parsed.positionals);
  if (problem !== undefined) {
    reportUsageError(command, problem);
    return undefined;
  }
  // The values of `command.options` as parseArgs typed them, plus `help`, which is unset here.
  return parsed as Parsed<O>;
}
