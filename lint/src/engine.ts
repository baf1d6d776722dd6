import { VFile } from 'vfile';
import { VFileMessage, type Options as MessageOptions } from 'vfile-message';
import { flat, report, ruleUrl, siteUrl, type Severity } from './catalog/diagnostic.ts';
import type { Catalog, ParsedDocument, Range } from './catalog/model.ts';
import {
  createDefaultConfig,
  isEverEnabled,
  isIgnored,
  optionDefaults,
  ruleSetting,
  type ResolvedConfig,
  type RuleSetting,
} from './config.ts';
import { describeDirectiveProblem, disableKeyword, parseDisableDirectives } from './disable.ts';
import { RuleCrashed, UnknownRule, createErrorWithCause, createError } from './errors.ts';
import type {
  AnyRule,
  Fix,
  ReportInput,
  ReportLocation,
  ReportTarget,
  RuleContext,
  RuleScope,
} from './rule.ts';
import { rules as registry } from './rules/index.ts';

/** Ids the loader reports (rather than a rule), with what each one checks. */
export const loaderRules: Readonly<Record<string, { description: string; url: string }>> = {
  parse: {
    description:
      'Require every file to be readable text that parses as JSON or Markdown with YAML frontmatter',
    url: `${siteUrl}/rules/#loader-checks`,
  },
  schema: {
    description: 'Require every document to match its JSON Schema',
    url: `${siteUrl}/reference/`,
  },
  symlink: {
    description: 'Disallow symbolic links that leave the catalog, loop or lead nowhere',
    url: `${siteUrl}/rules/#loader-checks`,
  },
};

/** The rule reporting directives that suppress nothing (the engine checks it after all rules). */
const unusedDisableRuleId = 'no-unused-disable';

/** The rule reporting malformed directives (the engine checks it with the disables). */
const invalidDisableRuleId = 'no-invalid-disable';

const directiveRuleIds: readonly string[] = [unusedDisableRuleId, invalidDisableRuleId];

/** A message of a lint result, with the fix a rule offered, if any. */
export type LintMessage = VFileMessage & { fix?: Fix };

/** Options of `lintCatalog`. */
export interface LintOptions {
  /** The resolved config; the built-in defaults when absent. */
  config?: ResolvedConfig | undefined;
  /** The rules to run; the registry when absent. */
  rules?: readonly AnyRule[] | undefined;
  /** Run only these rule ids and keep only their messages (loader ids included). */
  only?: readonly string[] | undefined;
  /** Keep only these files (paths relative to the catalog root; a folder keeps what it holds). */
  files?: readonly string[] | undefined;
  /**
   * Whether each file of the result holds its text as `value` (default true). Without it a run
   * with a message in every file keeps no file text alive; only the JSON format and fixes use it.
   */
  withText?: boolean | undefined;
}

/** What `lintCatalog` returns: one `VFile` per file with messages, sorted by path. */
export interface LintResult {
  files: VFile[];
  errorCount: number;
  warningCount: number;
  /** Every file checked (selected and not ignored), with or without messages, sorted by path. */
  checked?: string[] | undefined;
}

const fileStart: Range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

function isParsedDocument(target: ReportTarget): target is ParsedDocument<unknown> {
  return 'positions' in target && 'file' in target && !(target instanceof VFile);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order of messages within a file: by place, then rule id, then text. */
export function compareMessages(a: VFileMessage, b: VFileMessage): number {
  return (
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareStrings(a.ruleId ?? '', b.ruleId ?? '') ||
    compareStrings(a.reason, b.reason)
  );
}

/**
 * A new `VFileMessage` without the stack trace its `Error` constructor would capture (and
 * vfile-message then throw away).
 */
function createMessage(reason: string, options: MessageOptions): VFileMessage {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const message = new VFileMessage(reason, options);
    message.name = flat(message.name);
    return message;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Copies a message (and its cause) so configured severities never change the catalog's own. */
function cloneMessage(message: VFileMessage): VFileMessage {
  const copy = createMessage(message.reason, {
    place: message.place ?? fileStart,
    ...(message.ruleId ? { ruleId: message.ruleId } : {}),
    ...(message.source ? { source: message.source } : {}),
    ...(message.cause instanceof VFileMessage ? { cause: cloneMessage(message.cause) } : {}),
  });
  copy.file = message.file;
  copy.fatal = message.fatal;
  if (message.url !== undefined) copy.url = message.url;
  if (message.actual !== undefined) copy.actual = message.actual;
  if (message.expected !== undefined) copy.expected = message.expected;
  if (message.note !== undefined) copy.note = message.note;
  return copy;
}

function severityOf(
  setting: RuleSetting | undefined,
  fallback: Severity | 'off',
): Severity | 'off' {
  if (!setting) return fallback;
  return setting.severity === 'off' ? 'off' : setting.severity === 'warn' ? 'warning' : 'error';
}

/** The default severity of a rule: experimental and deprecated rules are off until configured. */
function defaultSeverity(rule: AnyRule): Severity | 'off' {
  return rule.stage === 'experimental' || rule.deprecated !== undefined ? 'off' : rule.severity;
}

/**
 * A test for paths (relative to the catalog root): true for one of `files` or a path inside one of
 * them (`.` and `''` select everything).
 */
export function selector(files: readonly string[]): (path: string) => boolean {
  const wanted = new Set(files.map((entry) => entry.replace(/^\.(?:\/|$)/, '').replace(/\/$/, '')));
  if (wanted.has('')) return () => true;
  return (path) => {
    if (wanted.has(path)) return true;
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1))
      if (wanted.has(path.slice(0, slash))) return true;
    return false;
  };
}

/** One subject of a rule, its main document, and where in that document the subject sits. */
interface Subject {
  subject: unknown;
  doc: ParsedDocument<unknown> | VFile;
  /** JSON Pointer prefix of the subject inside `doc` (a marketplace entry); `''` for a whole file. */
  base?: string;
}

/** The subjects of a scope that passed schema validation. */
function subjectsOf(scope: RuleScope, catalog: Catalog): Subject[] {
  switch (scope) {
    case 'catalog':
      return [
        {
          subject: catalog,
          doc: catalog.marketplace ?? catalog.files[0] ?? new VFile({ path: '.' }),
        },
      ];
    case 'marketplace':
      // A partial catalog loads the marketplace only as context: it is not linted.
      return catalog.marketplace?.valid && !catalog.outside
        ? [{ subject: catalog.marketplace, doc: catalog.marketplace }]
        : [];
    case 'pattern':
      return catalog.patterns
        .filter((pattern) => pattern.doc.valid)
        .map((pattern) => ({ subject: pattern, doc: pattern.doc }));
    case 'plugin': {
      // A plugin listed by an invalid marketplace is still checked when its own entry is valid:
      // the marketplace's errors are reported on their own, and the plugin's are worth fixing too.
      const marketplace = catalog.marketplace;
      const invalidAt = marketplace?.invalidAt ?? [];
      const entries: unknown = (marketplace?.data as { plugins?: unknown } | undefined)?.plugins;
      const entryValid = (index: number): boolean =>
        marketplace === undefined ||
        marketplace.valid ||
        (Array.isArray(entries) &&
          !invalidAt.some(
            (pointer) =>
              pointer === '/plugins' ||
              pointer === `/plugins/${index}` ||
              pointer.startsWith(`/plugins/${index}/`),
          ));
      // A partial catalog loads plugins it lists as outside only as placeholders: not linted.
      const outsideDirs = new Set(
        catalog.plugins.length > 0 ? catalog.outside?.plugins.map((plugin) => plugin.dir) : [],
      );
      return catalog.plugins
        .filter(
          (plugin) =>
            !outsideDirs.has(plugin.dir) &&
            (plugin.manifest?.valid ?? true) &&
            (plugin.entry === undefined || entryValid(plugin.entry.index)),
        )
        .map((plugin) => {
          if (plugin.manifest) return { subject: plugin, doc: plugin.manifest };
          // Without a plugin.json, the marketplace entry is the manifest: its fields mirror it.
          if (plugin.entry && catalog.marketplace) {
            return {
              subject: plugin,
              doc: catalog.marketplace,
              base: `/plugins/${plugin.entry.index}`,
            };
          }
          return {
            subject: plugin,
            doc: new VFile({ path: `${plugin.dir}/.claude-plugin/plugin.json` }),
          };
        });
    }
  }
}

/**
 * Lints a loaded catalog: runs every enabled rule on the subjects that passed schema validation,
 * stamps `ruleId`, `source`, `url` and `fatal` on each message (and its `cause`), applies the
 * config's severities to rule and loader messages, honours inline disables, and counts. Never
 * prints; a throwing rule is a bug and throws `RuleCrashed`.
 *
 * @example
 * const result = lintCatalog(await loadCatalog('.'));
 * if (result.errorCount > 0) process.exitCode = 1;
 */
export function lintCatalog(catalog: Catalog, options: LintOptions = {}): LintResult {
  const config = options.config ?? createDefaultConfig();
  const rules = options.rules ?? registry;
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const isKnownId = (id: string): boolean => byId.has(id) || id in loaderRules;
  const only = options.only ? new Set(options.only) : undefined;
  for (const id of only ?? []) if (!isKnownId(id)) throw createError(UnknownRule, id, '`--rule`');

  // Each scope's subjects once per call, not once per rule.
  const subjects = new Map<RuleScope, Subject[]>();
  const subjectsFor = (scope: RuleScope): Subject[] => {
    let list = subjects.get(scope);
    if (!list) subjects.set(scope, (list = subjectsOf(scope, catalog)));
    return list;
  };

  const outputs = new Map<string, VFile>();
  const withText = options.withText ?? true;
  const outputFor = (file: VFile): VFile => {
    const path = file.path;
    let output = outputs.get(path);
    if (!output) {
      output = withText ? new VFile({ path, value: file.value }) : new VFile({ path });
      outputs.set(path, output);
    }
    return output;
  };

  // Loader messages: configured severity per file, `off` drops them.
  for (const file of catalog.files) {
    if (file.messages.length === 0) continue;
    for (const message of file.messages) {
      const id = message.ruleId ?? 'parse';
      if (only && !only.has(id)) continue;
      const fallback: Severity = message.fatal === false ? 'warning' : 'error';
      const severity = severityOf(ruleSetting(config, id, file.path), fallback);
      if (severity === 'off') continue;
      // A message this run changes nothing on is shared, not copied: nearly every one.
      if (
        (severity === 'error') === message.fatal &&
        message.url !== undefined &&
        message.cause === undefined
      ) {
        outputFor(file).messages.push(message);
        continue;
      }
      const copy = cloneMessage(message);
      copy.fatal = severity === 'error';
      copy.url ??= loaderRules[id]?.url ?? `${siteUrl}/rules/`;
      if (copy.cause instanceof VFileMessage) {
        copy.cause.ruleId ??= id;
        copy.cause.source ??= 'agentops-lint';
        copy.cause.url ??= copy.url;
        copy.cause.fatal = copy.fatal;
      }
      outputFor(file).messages.push(copy);
    }
  }

  const locate = (location: ReportLocation, fallback: Subject) => {
    const target = location.doc ?? fallback.doc;
    const base = location.doc === undefined ? (fallback.base ?? '') : '';
    const file = isParsedDocument(target) ? target.file : target;
    let place: Range | undefined = location.place;
    if (!place && location.at !== undefined && isParsedDocument(target)) {
      const pointer = `${base}${location.at}`;
      place = location.key ? target.positions.key(pointer) : target.positions.value(pointer);
      if (!place && base !== '') place = target.positions.value(base);
    }
    return { file, place: place ?? fileStart };
  };

  for (const rule of rules) {
    if (directiveRuleIds.includes(rule.id)) continue;
    if (only && !only.has(rule.id)) continue;
    const byDefault = defaultSeverity(rule);
    if (!isEverEnabled(config, rule.id, byDefault !== 'off')) continue;
    const url = ruleUrl(rule.id);
    const baseOptions = config.rules.get(rule.id)?.options ?? optionDefaults(rule.options);
    for (const item of subjectsFor(rule.appliesTo)) {
      const { subject, doc } = item;
      const mainFile = isParsedDocument(doc) ? doc.file : doc;
      const ctx: RuleContext<unknown> = {
        catalog,
        options: ruleSetting(config, rule.id, mainFile.path)?.options ?? baseOptions,
        report(input: ReportInput) {
          const { file, place } = locate(input, item);
          const severity = severityOf(ruleSetting(config, rule.id, file.path), byDefault);
          if (severity === 'off') return;
          let cause: VFileMessage | undefined;
          if (input.cause) {
            const related = locate(input.cause, item);
            cause = createMessage(input.cause.message, {
              place: related.place,
              ruleId: rule.id,
              source: 'agentops-lint',
            });
            cause.file = related.file.path;
            cause.url = url;
            cause.fatal = severity === 'error';
          }
          const message: LintMessage = report(outputFor(file), {
            reason: input.message,
            ruleId: rule.id,
            severity,
            place,
            url,
            actual: input.actual,
            expected: input.expected,
            note: input.note,
            cause,
          });
          if (input.fix) message.fix = input.fix;
        },
      };
      try {
        rule.check(subject as never, ctx);
      } catch (error) {
        throw createErrorWithCause(
          error,
          RuleCrashed,
          rule.id,
          mainFile.path,
          error instanceof Error ? error.message : String(error),
        );
      }
    }
  }

  applyDisables(catalog, outputFor, outputs, config, byId, isKnownId, only);

  const files: VFile[] = [];
  const selected = options.files ? selector(options.files) : undefined;
  let errorCount = 0;
  let warningCount = 0;
  for (const [path, file] of [...outputs].sort(([a], [b]) => compareStrings(a, b))) {
    if (file.messages.length === 0 || isIgnored(config, path)) continue;
    if (selected && !selected(path)) continue;
    file.messages.sort(compareMessages);
    for (const message of file.messages) {
      if (message.fatal) errorCount++;
      else warningCount++;
    }
    files.push(file);
  }
  const checked = catalog.files
    .map((file) => file.path)
    .filter((path) => !isIgnored(config, path) && (!selected || selected(path)));
  return { files, errorCount, warningCount, checked };
}

/** Drops messages covered by disable directives; reports malformed and unused directives. */
function applyDisables(
  catalog: Catalog,
  outputFor: (file: VFile) => VFile,
  outputs: Map<string, VFile>,
  config: ResolvedConfig,
  byId: Map<string, AnyRule>,
  isKnownId: (id: string) => boolean,
  only: Set<string> | undefined,
): void {
  const severityFor = (id: string, path: string): Severity | 'off' => {
    const rule = byId.get(id);
    if (!rule || (only && !only.has(id))) return 'off';
    return severityOf(ruleSetting(config, id, path), defaultSeverity(rule));
  };
  for (const source of catalog.files) {
    const path = source.path;
    if (!path.endsWith('.md') || typeof source.value !== 'string') continue;
    const directives = parseDisableDirectives(source.value);
    if (directives.length === 0) continue;
    const file = outputs.get(path) ?? outputFor(source);
    const used = new Set<number>();
    file.messages = file.messages.filter((message) => {
      const id = message.ruleId;
      if (id === undefined || directiveRuleIds.includes(id)) return true;
      const index = directives.findIndex(
        (directive) =>
          directive.target === message.line &&
          directive.keyword === disableKeyword &&
          directive.ruleIds.includes(id),
      );
      if (index === -1) return true;
      used.add(index);
      return false;
    });
    const invalidSeverity = severityFor(invalidDisableRuleId, path);
    const unusedSeverity = severityFor(unusedDisableRuleId, path);
    directives.forEach((directive, index) => {
      const problem = describeDirectiveProblem(directive, isKnownId);
      if (problem && invalidSeverity !== 'off') {
        report(file, {
          reason: problem.message,
          ruleId: invalidDisableRuleId,
          severity: invalidSeverity,
          place: directive.place,
          url: ruleUrl(invalidDisableRuleId),
          actual: problem.actual,
          expected: problem.expected,
        });
      }
      // A directive naming an unknown rule or no rule is malformed, not unused.
      const wellFormed =
        directive.keyword === disableKeyword &&
        directive.ruleIds.length > 0 &&
        directive.ruleIds.every(isKnownId);
      if (used.has(index) || !wellFormed || unusedSeverity === 'off') return;
      const ids = directive.ruleIds.map((id) => `\`${id}\``).join(', ');
      const message: LintMessage = report(file, {
        reason: `Unexpected disable directive for ${ids}, expected a message of ${directive.ruleIds.length === 1 ? 'that rule' : 'those rules'} on line ${directive.target}`,
        ruleId: unusedDisableRuleId,
        severity: unusedSeverity,
        place: directive.place,
        url: ruleUrl(unusedDisableRuleId),
      });
      message.fix = { range: directive.lineRange, text: '' };
    });
  }
}
