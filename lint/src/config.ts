import path, { posix } from 'node:path';
import { parseJsonData } from './catalog/json.ts';
import { schemaProblems } from './catalog/validate.ts';
import type { AnyRule, RuleOptionsSchema } from './rule.ts';
import {
  ConfigUnreadable,
  InvalidConfig,
  InvalidRuleOptions,
  UnknownRule,
  createError,
} from './errors.ts';

/** A configured severity: `off` drops a rule's messages, `warn`/`error` set their level. */
export type SeverityName = 'off' | 'warn' | 'error';

/** One rule's configured severity and options. */
export interface RuleSetting {
  severity: SeverityName;
  /** Present when the config gave options; merged over the schema's defaults. */
  options?: Record<string, unknown>;
}

/** Rule settings that apply to the files matching some globs. */
interface ConfigOverride {
  files: string[];
  matchers: RegExp[];
  rules: Map<string, RuleSetting>;
}

/** A validated config, ready for the engine. */
export interface ResolvedConfig {
  /** The config file as shown in messages (relative), or `undefined` for the built-in defaults. */
  source: string | undefined;
  rules: Map<string, RuleSetting>;
  overrides: ConfigOverride[];
  ignores: RegExp[];
  /** The catalog root relative to the config file's folder (`''` when they are the same). */
  base: string;
  /** A stable text of everything that changes results, for the cache key. */
  fingerprint: string;
}

/** The names looked for in each folder, in this order. */
const configFileNames = [
  '.agentops-lintrc.json',
  '.agentops-lintrc.yaml',
  '.agentops-lintrc.yml',
  'package.json',
] as const;

/** The key of `package.json` that holds the config. */
const packageJsonKey = 'agentops-lint';

const severityByValue = new Map<unknown, SeverityName>([
  ['off', 'off'],
  ['warn', 'warn'],
  ['error', 'error'],
  [0, 'off'],
  [1, 'warn'],
  [2, 'error'],
]);

/** An empty config: every rule at its default severity. */
export function createDefaultConfig(): ResolvedConfig {
  return {
    source: undefined,
    rules: new Map(),
    overrides: [],
    ignores: [],
    base: '',
    fingerprint: '{}',
  };
}

/**
 * Converts a glob to a regular expression over POSIX paths: `**` spans folders, `*` and `?` stay
 * within one segment, `{a,b}` alternates. A glob without `/` matches the file name at any depth.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let depth = 0;
  const text = glob.replace(/^\.\//, '');
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (char === '*') {
      if (text.charAt(index + 1) === '*') {
        const slash = text.charAt(index + 2) === '/';
        source += slash ? '(?:.*/)?' : '.*';
        index += slash ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') source += '[^/]';
    else if (char === '{') {
      depth++;
      source += '(?:';
    } else if (char === '}' && depth > 0) {
      depth--;
      source += ')';
    } else if (char === ',' && depth > 0) source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  source += ')'.repeat(depth);
  const anchored = text.includes('/') ? `^${source}(?:/.*)?$` : `^(?:.*/)?${source}(?:/.*)?$`;
  return new RegExp(anchored);
}

/** Parses a config file's text as data (JSON or YAML by name); never evaluates anything. */
export async function parseConfigText(text: string, name: string): Promise<unknown> {
  const base = posix.basename(name.replaceAll('\\', '/'));
  try {
    if (base.endsWith('.yaml') || base.endsWith('.yml')) {
      const { parse } = await import('yaml');
      return parse(text, { maxAliasCount: 100, uniqueKeys: true, prettyErrors: false }) as unknown;
    }
    const data = parseJsonData(text.replace(/^\uFEFF/, ''));
    if (base === 'package.json') {
      return isRecord(data) ? data[packageJsonKey] : undefined;
    }
    return data;
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw createError(ConfigUnreadable, name, detail);
  }
}

/**
 * Finds the config upward from `startDir`: the first folder with `.agentops-lintrc.json`,
 * `.agentops-lintrc.yaml`/`.yml`, or a `package.json` with an `agentops-lint` key.
 *
 * @param readText returns a file's text, or `undefined` when it does not exist.
 */
export async function findConfig(
  startDir: string,
  readText: (file: string) => string | undefined,
): Promise<{ path: string; data: unknown } | undefined> {
  for (let dir = startDir; ;) {
    for (const name of configFileNames) {
      const file = path.join(dir, name);
      const text = readText(file);
      if (text === undefined) continue;
      // A package.json is only ours when it has our key; any other one (even a broken one) is skipped.
      if (name === 'package.json' && !text.includes(`"${packageJsonKey}"`)) continue;
      const data = await parseConfigText(text, file);
      if (name === 'package.json' && data === undefined) continue;
      return { path: file, data };
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the config against schemas/lint-config.schema.json; returns worded problems. */
function checkShape(data: unknown): string[] {
  return schemaProblems('lint-config', data)
    .filter((problem) => problem.severity === 'error')
    .map((problem) => problem.message);
}

/** The defaults of an options schema's top-level properties. */
export function optionDefaults(schema: RuleOptionsSchema | undefined): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    if ('default' in property) defaults[name] = structuredClone(property.default);
  }
  return defaults;
}

/** Words one Ajv error of a rule's options the way our messages read (never Ajv's own text). */
function describeOptionError(error: {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}): string {
  const at = error.instancePath === '' ? 'the options' : `\`${error.instancePath}\``;
  const { params } = error;
  switch (error.keyword) {
    case 'type':
      return `Unexpected type for ${at}, expected ${String(params.type)}`;
    case 'enum':
      return `Unexpected value for ${at}, expected one of ${JSON.stringify(params.allowedValues)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `Unexpected value for ${at}, expected a number ${String(params.comparison)} ${String(params.limit)}`;
    case 'required':
      return `Missing option \`${String(params.missingProperty)}\``;
    case 'additionalProperties':
      return `Unexpected option \`${String(params.additionalProperty)}\``;
    default:
      return `Unexpected value for ${at}, expected it to satisfy \`${error.keyword}\``;
  }
}

async function validateOptions(
  rule: AnyRule,
  options: unknown,
  where: string,
): Promise<Record<string, unknown>> {
  if (!rule.options) {
    throw createError(InvalidRuleOptions, rule.id, where, ['the rule has no options']);
  }
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(rule.options);
  if (!validate(options)) {
    const problems = (validate.errors ?? []).map((error) => describeOptionError(error));
    throw createError(InvalidRuleOptions, rule.id, where, problems);
  }
  return { ...optionDefaults(rule.options), ...(options as Record<string, unknown>) };
}

async function resolveRules(
  rules: Record<string, unknown> | undefined,
  where: string,
  byId: Map<string, AnyRule>,
  isKnown: (id: string) => boolean,
): Promise<Map<string, RuleSetting>> {
  const settings = new Map<string, RuleSetting>();
  for (const [id, value] of Object.entries(rules ?? {})) {
    if (!isKnown(id)) throw createError(UnknownRule, id, where);
    const raw = Array.isArray(value) ? (value as unknown[]) : [value];
    // checkShape guarantees a known severity value.
    const severity = severityByValue.get(raw[0]) as SeverityName;
    const rule = byId.get(id);
    if (raw.length > 1 && rule === undefined) {
      throw createError(InvalidRuleOptions, id, where, ['only rules take options']);
    }
    settings.set(
      id,
      raw.length > 1 && rule
        ? { severity, options: await validateOptions(rule, raw[1], where) }
        : { severity },
    );
  }
  return settings;
}

/**
 * Validates config data and resolves it against the rules: unknown rule ids and bad options are
 * config errors (`LintError`, exit code 2), raised before any rule runs.
 */
export async function resolveConfig(
  data: unknown,
  context: {
    source: string;
    rules: readonly AnyRule[];
    /** Ids reported by the loader rather than a rule (`schema`, `parse`, …). */
    loaderIds: readonly string[];
    base?: string;
  },
): Promise<ResolvedConfig> {
  const config = data ?? {};
  const problems = checkShape(config);
  if (problems.length > 0) throw createError(InvalidConfig, context.source, problems);
  // checkShape accepted it, so it is an object of the documented shape.
  const shaped = config as {
    rules?: Record<string, unknown>;
    overrides?: { files: string | string[]; rules?: Record<string, unknown> }[];
    ignores?: string[];
  };
  const byId = new Map(context.rules.map((rule) => [rule.id, rule]));
  const isKnown = (id: string): boolean => byId.has(id) || context.loaderIds.includes(id);
  const where = `\`${context.source}\``;
  const overrides: ConfigOverride[] = [];
  for (const override of shaped.overrides ?? []) {
    const files = typeof override.files === 'string' ? [override.files] : override.files;
    overrides.push({
      files,
      matchers: files.map(globToRegExp),
      rules: await resolveRules(override.rules, where, byId, isKnown),
    });
  }
  return {
    source: context.source,
    rules: await resolveRules(shaped.rules, where, byId, isKnown),
    overrides,
    ignores: (shaped.ignores ?? []).map(globToRegExp),
    base: context.base ?? '',
    fingerprint: JSON.stringify(config),
  };
}

function configPath(config: ResolvedConfig, path: string): string {
  return config.base === '' ? path : posix.join(config.base, path);
}

/** The setting of `ruleId` for a file: the last matching override wins over `rules`. */
export function ruleSetting(
  config: ResolvedConfig,
  ruleId: string,
  path: string,
): RuleSetting | undefined {
  const target = configPath(config, path);
  for (let index = config.overrides.length - 1; index >= 0; index--) {
    const override = config.overrides[index];
    if (!override) continue;
    const setting = override.rules.get(ruleId);
    if (setting && override.matchers.some((matcher) => matcher.test(target))) return setting;
  }
  return config.rules.get(ruleId);
}

/** True when the config's `ignores` cover `path` (relative to the catalog root). */
export function isIgnored(config: ResolvedConfig, path: string): boolean {
  if (config.ignores.length === 0) return false;
  const target = configPath(config, path);
  return config.ignores.some((matcher) => matcher.test(target));
}

/** True when some setting of `ruleId` (top level or override) turns it on. */
export function isEverEnabled(config: ResolvedConfig, ruleId: string, byDefault: boolean): boolean {
  const top = config.rules.get(ruleId);
  if (top ? top.severity !== 'off' : byDefault) return true;
  return config.overrides.some((override) => {
    const setting = override.rules.get(ruleId);
    return setting !== undefined && setting.severity !== 'off';
  });
}
