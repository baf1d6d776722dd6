import { parseArgs } from 'node:util';
import type { ParseArgsOptionsConfig } from 'node:util';
import { commands } from './commands/index.ts';
import type { CliIo, EngineCommand, OptionValue } from './commands/registry.ts';
import { globalOptions } from './commands/registry.ts';
import type { Rule } from './extract.ts';
import { LearnError } from './git.ts';
import { logBackground, readConfig, storeLayout } from './store.ts';

export type { CliIo } from './commands/registry.ts';

const globalUsage = '[--store <dir>] [--rule bayes|legacy]';

function helpLines(command: EngineCommand): string[] {
  const [first = '', ...rest] = command.summary;
  return [
    `  ${command.usage.padEnd(24)}${first}`,
    ...rest.map((line) => `${' '.repeat(26)}${line}`),
  ];
}

/** The help of every command, built from the registry. */
function usageText(): string {
  const lines = commands.filter((c) => c.hidden !== true).flatMap(helpLines);
  return `Usage: agentops-learn <command> ${globalUsage}\n\nCommands:\n${lines.join('\n')}\n`;
}

function commandUsage(command: EngineCommand): string {
  return `Usage: agentops-learn ${command.usage} ${globalUsage}\n\n${command.summary.join('\n')}\n`;
}

// Every command's options are accepted everywhere, as a single option table always did.
const allOptions: ParseArgsOptionsConfig = Object.assign(
  {},
  globalOptions,
  ...commands.map((c) => c.options ?? {}),
) as ParseArgsOptionsConfig;

function ruleOf(value: OptionValue, fallback: Rule): Rule {
  if (value === undefined) return fallback;
  if (value === 'bayes' || value === 'legacy') return value;
  throw new LearnError(`Unexpected rule \`${String(value)}\`, expected \`bayes\` or \`legacy\``);
}

/** Moves global options given before the command (`--store <dir> list`) after it. */
function commandFirst(argv: string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length && (argv[i] === '--store' || argv[i] === '--rule')) {
    leading.push(argv[i]!, argv[i + 1] ?? '');
    i += 2;
  }
  while (i < argv.length && /^--(store|rule)=/.test(argv[i]!)) leading.push(argv[i++]!);
  if (leading.length === 0) return argv;
  const rest = argv.slice(i);
  // An explicit option after the command wins over one given before it.
  return [...rest.slice(0, 1), ...leading, ...rest.slice(1)];
}

/** Runs the CLI and returns the exit code. */
export function main(rawArgv: string[], io: CliIo): number {
  const argv = commandFirst(rawArgv);
  const name = argv[0];
  const command = commands.find((c) => c.name === name);
  if (command?.runRaw !== undefined) return command.runRaw(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(1), allowPositionals: true, options: allOptions });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${usageText()}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(usageText());
    return name === undefined ? 2 : 0;
  }
  if (command?.run === undefined) {
    if (values.help === true) {
      io.stdout(usageText());
      return 0;
    }
    io.stderr(`Unknown command \`${name}\`\n\n${usageText()}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout(commandUsage(command));
    return 0;
  }
  const layout = storeLayout(typeof values.store === 'string' ? values.store : undefined, io.cwd);
  const config = readConfig(layout);
  try {
    const rule = ruleOf(values.rule, config.rule);
    return command.run({ values, positionals, layout, config, rule, io });
  } catch (error) {
    if (values.background === true) {
      logBackground(layout, `${name}: ${(error as Error).message}`);
      return 1;
    }
    if (error instanceof LearnError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
