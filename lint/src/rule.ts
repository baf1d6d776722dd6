import type { VFile } from 'vfile';
import type { Marketplace } from './generated/schema-types.ts';
import type {
  Catalog,
  CatalogPattern,
  CatalogPlugin,
  ParsedDocument,
  Range,
} from './catalog/model.ts';
import type { Severity } from './catalog/diagnostic.ts';

/** What a rule looks at: one plugin, one pattern, the marketplace file or the whole catalog. */
export type RuleScope = 'plugin' | 'pattern' | 'marketplace' | 'catalog';

/** The subject a rule of each scope receives. */
export interface RuleSubjects {
  plugin: CatalogPlugin;
  pattern: CatalogPattern;
  marketplace: ParsedDocument<Marketplace>;
  catalog: Catalog;
}

/** A safe mechanical edit of one file: replace the text between two offsets of its decoded text. */
export interface Fix {
  range: [number, number];
  text: string;
}

/** A document a message can point into: a parsed document (pointers resolve) or a bare file. */
export type ReportTarget = ParsedDocument<unknown> | VFile;

/** Where a message points: a JSON Pointer resolved through the document's positions, or a range. */
export interface ReportLocation {
  /** The document; defaults to the subject's main document. */
  doc?: ReportTarget | undefined;
  /** JSON Pointer into `doc` (`/plugins/0/source`). */
  at?: string | undefined;
  /** Point at the member name of `at` instead of its value. */
  key?: boolean | undefined;
  /** An explicit range; wins over `at`. */
  place?: Range | undefined;
}

/** What a rule passes to `ctx.report`. */
export interface ReportInput extends ReportLocation {
  /** One sentence: `Unexpected …, expected …` (STYLE.md §4). */
  message: string;
  actual?: string | undefined;
  expected?: string[] | undefined;
  /** Longer help, in Markdown. */
  note?: string | undefined;
  /** A safe mechanical edit on the message's file. */
  fix?: Fix | undefined;
  /** A related place, such as where a duplicate was first defined. */
  cause?: (ReportLocation & { message: string }) | undefined;
}

/** What a rule's `check` receives besides its subject. */
export interface RuleContext<Options = Record<string, never>> {
  catalog: Catalog;
  /** The configured options, with the schema's defaults filled in. */
  options: Options;
  report(input: ReportInput): void;
}

/** A JSON Schema for a rule's options object. */
export interface RuleOptionsSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  additionalProperties?: boolean;
  required?: string[];
  [keyword: string]: unknown;
}

/** A lint rule: metadata plus a pure `check` (STYLE.md §3). */
export interface Rule<Scope extends RuleScope = RuleScope, Options = Record<string, never>> {
  /** Kebab-case and permanent. */
  id: string;
  /** One imperative line in sentence case, no trailing period. */
  description: string;
  /** The default severity. */
  severity: Severity;
  appliesTo: Scope;
  /** Experimental rules are off unless a config turns them on. */
  stage?: 'experimental' | 'stable';
  /** Why the rule is retired and what replaces it; deprecated rules are off by default. */
  deprecated?: string;
  options?: RuleOptionsSchema;
  check(subject: RuleSubjects[Scope], ctx: RuleContext<Options>): void;
}

/** Any rule, whatever its scope and options (`check` is a method, so its parameters are bivariant). */
export type AnyRule = Rule<RuleScope, unknown>;

/**
 * Defines a rule; identity at run time, typed by scope and options.
 *
 * @example
 * export default defineRule({
 *   id: 'plugin-name-matches-dir',
 *   description: 'Require `plugin.json` `name` to equal its folder name',
 *   severity: 'error',
 *   appliesTo: 'plugin',
 *   check(plugin, ctx) {},
 * });
 */
export function defineRule<Scope extends RuleScope, Options = Record<string, never>>(
  rule: Rule<Scope, Options>,
): Rule<Scope, Options> {
  return rule;
}
