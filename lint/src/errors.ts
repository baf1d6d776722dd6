/**
 * Every error that is not a lint message: bad flags, bad config, internal failures. Names are
 * PascalCase and permanent; each one exits with code 2.
 */
import { printable } from './printable.ts';

/** The shape of one error: a permanent name, a message built from arguments, and a hint. */
export interface ErrorDefinition<Args extends unknown[] = never[]> {
  name: string;
  message: (...args: Args) => string;
  hint?: string;
}

export const UnknownOption = {
  name: 'UnknownOption',
  message: (detail: string) => detail,
  hint: 'Run `agentops-lint --help` to list the options.',
} satisfies ErrorDefinition<[string]>;

export const InvalidOptionValue = {
  name: 'InvalidOptionValue',
  message: (flag: string, value: string, expected: string) =>
    `Unexpected value \`${value}\` for \`${flag}\`, expected ${expected}`,
  hint: 'Run `agentops-lint --help` to list the options.',
} satisfies ErrorDefinition<[string, string, string]>;

export const ConflictingOptions = {
  name: 'ConflictingOptions',
  message: (first: string, second: string) =>
    `Unexpected \`${first}\` together with \`${second}\`, expected one of them`,
} satisfies ErrorDefinition<[string, string]>;

export const PathNotFound = {
  name: 'PathNotFound',
  message: (path: string) => `Missing path \`${path}\`, expected a file or directory to lint`,
} satisfies ErrorDefinition<[string]>;

export const ConfigNotFound = {
  name: 'ConfigNotFound',
  message: (path: string) => `Missing config file \`${path}\``,
} satisfies ErrorDefinition<[string]>;

export const ConfigUnreadable = {
  name: 'ConfigUnreadable',
  message: (path: string, detail: string) => `Unreadable config file \`${path}\`: ${detail}`,
  hint: 'The config is data only: JSON, YAML, or the `agentops-lint` key of `package.json`.',
} satisfies ErrorDefinition<[string, string]>;

export const InvalidConfig = {
  name: 'InvalidConfig',
  message: (path: string, problems: string[]) =>
    `Invalid config file \`${path}\`:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
  hint: 'The config format is described in the agentops-lint README.',
} satisfies ErrorDefinition<[string, string[]]>;

export const UnknownRule = {
  name: 'UnknownRule',
  message: (id: string, where: string) =>
    `Unexpected rule id \`${id}\` in ${where}, expected a rule of agentops-lint`,
  hint: 'The rules are listed at https://agentops-marketplace.github.io/agentops-marketplace/rules/.',
} satisfies ErrorDefinition<[string, string]>;

export const InvalidRuleOptions = {
  name: 'InvalidRuleOptions',
  message: (id: string, where: string, problems: string[]) =>
    `Invalid options for rule \`${id}\` in ${where}: ${problems.join('; ')}`,
} satisfies ErrorDefinition<[string, string, string[]]>;

export const RuleCrashed = {
  name: 'RuleCrashed',
  message: (id: string, path: string, detail: string) =>
    `Rule \`${id}\` crashed on \`${path}\`: ${detail}`,
  hint: 'This is a bug in agentops-lint, not in the linted files; please report it with the stack trace.',
} satisfies ErrorDefinition<[string, string, string]>;

export const GitFailed = {
  name: 'GitFailed',
  message: (command: string, detail: string) => `Failed \`git ${command}\`: ${detail}`,
  hint: '`--staged` and `--changed` need a git work tree and, for `--since`, an existing ref.',
} satisfies ErrorDefinition<[string, string]>;

const InternalError = {
  name: 'InternalError',
  message: (detail: string) => `Internal error: ${detail}`,
  hint: 'This is a bug in agentops-lint; please report it with the stack trace.',
} satisfies ErrorDefinition<[string]>;

/** An error of this catalog, carrying its definition's name and hint; the CLI exits with code 2. */
export class LintError extends Error {
  readonly hint: string | undefined;

  constructor(name: string, message: string, hint: string | undefined, options?: ErrorOptions) {
    super(message, options);
    this.name = name;
    this.hint = hint;
  }
}

/**
 * The arguments of a message made inert: config text and paths from the linted repository reach
 * them, while the line breaks a definition writes between them are its own.
 */
function inert(args: readonly unknown[]): unknown[] {
  return args.map((arg) =>
    typeof arg === 'string' ? printable(arg) : Array.isArray(arg) ? inert(arg as unknown[]) : arg,
  );
}

/** Creates the error described by `definition`. */
export function createError<Args extends unknown[]>(
  definition: ErrorDefinition<Args>,
  ...args: Args
): LintError {
  return new LintError(
    definition.name,
    definition.message(...(inert(args) as Args)),
    definition.hint,
  );
}

/** Creates the error described by `definition`, keeping the error that caused it. */
export function createErrorWithCause<Args extends unknown[]>(
  cause: unknown,
  definition: ErrorDefinition<Args>,
  ...args: Args
): LintError {
  return new LintError(
    definition.name,
    definition.message(...(inert(args) as Args)),
    definition.hint,
    {
      cause,
    },
  );
}

/** True for errors that describe a bug (they are printed with their stack). */
function isInternal(error: unknown): boolean {
  return (
    !(error instanceof LintError) || error.name === 'RuleCrashed' || error.name === 'InternalError'
  );
}

/** Renders any thrown value for stderr: name and message, hint, and a stack for internal bugs. */
export function renderError(error: unknown): string {
  const lint =
    error instanceof LintError
      ? error
      : createErrorWithCause(
          error,
          InternalError,
          error instanceof Error ? error.message : String(error),
        );
  // Printed as made: its arguments are inert already (`createError`), its line breaks its own.
  const lines = [`agentops-lint: [${lint.name}] ${lint.message}`];
  if (lint.hint) lines.push(lint.hint);
  if (isInternal(lint)) {
    const cause = lint.cause instanceof Error ? lint.cause : undefined;
    if (cause?.stack) lines.push(cause.stack);
  }
  return `${lines.join('\n')}\n`;
}
