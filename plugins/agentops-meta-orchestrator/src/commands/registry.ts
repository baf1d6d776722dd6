import type { ParseArgsOptionsConfig } from 'node:util';
import type { Rule } from '../extract.ts';
import type { StoreConfig, StoreLayout } from '../store.ts';

/** Where the CLI writes and what it reads. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: () => string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The script to re-run for background work. */
  self: string;
}

/** Parsed option values. */
type OptionValues = Record<string, OptionValue>;

/** One parsed option value. */
export type OptionValue = string | boolean | (string | boolean)[] | undefined;

/** What a command runs with: its options and positionals, the store and its settings. */
export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  layout: StoreLayout;
  config: StoreConfig;
  rule: Rule;
  io: CliIo;
}

/** One engine command: its help and how it runs. */
export interface EngineCommand {
  name: string;
  /** The usage line after `agentops-learn` (`start --task "<text>"`). */
  usage: string;
  /** What it does, one line per entry, options in brackets. */
  summary: readonly string[];
  /** Its own options (the global ones are `--store`, `--rule` and `--help`). */
  options?: ParseArgsOptionsConfig;
  /** Left out of the help: run by the engine itself. */
  hidden?: boolean;
  /** Runs with parsed options; returns the exit code. */
  run?: (ctx: CommandContext) => number;
  /** Runs on the raw arguments, before any option parsing or store setup (hooks never fail). */
  runRaw?: (argv: string[], io: CliIo) => number;
}

/** Options every command accepts. */
export const globalOptions: ParseArgsOptionsConfig = {
  store: { type: 'string' },
  rule: { type: 'string' },
  background: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** A string option's value, or `undefined`. */
export function str(value: OptionValue): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `n thing` or `n things`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
