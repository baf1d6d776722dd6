import type { VFile } from 'vfile';
import type {
  AgentFrontmatter,
  CommandFrontmatter,
  FederationIndexFootprint,
  HooksFile,
  LspConfig,
  Marketplace,
  McpConfig,
  OutputStyleFrontmatter,
  PatternFrontmatter,
  PluginManifest,
  SkillFrontmatter,
} from '../generated/schema-types.ts';

/** A 1-based line and column in a file. */
export interface Point {
  line: number;
  column: number;
}

/** A range in a file: `end` is exclusive, as in unist. */
export interface Range {
  start: Point;
  end: Point;
}

/**
 * Where each value of a parsed document sits in its file, by JSON Pointer (`''` is the
 * document, `/plugins/0/source` an entry's source). `key` gives the range of the member name.
 */
export interface PositionMap {
  value(pointer: string): Range | undefined;
  key(pointer: string): Range | undefined;
}

/** Every kind of document the schemas describe. */
export type SchemaKind =
  | 'marketplace'
  | 'plugin'
  | 'hooks'
  | 'mcp'
  | 'lsp'
  | 'command'
  | 'agent'
  | 'skill'
  | 'output-style'
  | 'pattern'
  | 'execution'
  | 'lint-config';

/** A JSON file or a Markdown file's frontmatter, parsed, with positions and its schema verdict. */
export interface ParsedDocument<T> {
  kind: SchemaKind;
  /** `path` is relative to the catalog root (POSIX separators); `value` is the decoded text. */
  file: VFile;
  /** `undefined` when the file could not be read or parsed. */
  data: T | undefined;
  positions: PositionMap;
  /** True when the data parsed and has no error-level schema diagnostic. */
  valid: boolean;
  /** JSON Pointers of the values with error-level schema diagnostics, when the data parsed. */
  invalidAt?: string[] | undefined;
}

/** A Markdown file with optional YAML frontmatter. */
export interface MarkdownDocument<T> extends ParsedDocument<T> {
  hasFrontmatter: boolean;
  /** Text after the frontmatter block. */
  body: string;
  /** 1-based line of the body's first line in the file. */
  bodyLine: number;
}

/** An ATX or setext heading of a Markdown body, outside code fences. */
export interface Heading {
  depth: number;
  text: string;
  /** Range in the file (not the body). */
  place: Range;
}

/** Token estimates: loaded in every session, and loaded when the component is activated. */
export interface TokenCost {
  session: number;
  activation: number;
}

/** Where a component came from: the default folder or a manifest path. */
export type ComponentOrigin = 'default' | 'manifest' | 'entry';

interface ComponentBase<K extends string, T> {
  kind: K;
  /** Name within the plugin (`sub:deploy` for `commands/sub/deploy.md`). */
  name: string;
  /** File path relative to the catalog root. */
  path: string;
  origin: ComponentOrigin;
  doc: MarkdownDocument<T>;
  description: string | undefined;
  tokens: TokenCost;
}

/** A slash command; `invocation` is `/<plugin>:<name>`. */
export interface CommandComponent extends ComponentBase<'command', CommandFrontmatter> {
  invocation: string;
}

/** A subagent; `id` is `<plugin>:<name>`. */
export interface AgentComponent extends ComponentBase<'agent', AgentFrontmatter> {
  id: string;
}

/** A skill (`skills/<dir>/SKILL.md`); `invocation` is `/<plugin>:<dir>`. */
export interface SkillComponent extends ComponentBase<'skill', SkillFrontmatter> {
  invocation: string;
  /** The skill's directory relative to the catalog root. */
  dir: string;
}

/** An output style. */
export type OutputStyleComponent = ComponentBase<'output-style', OutputStyleFrontmatter>;

/** One hook handler, flattened from a hooks file, a manifest or a marketplace entry. */
export interface HookHandler {
  event: string;
  matcher: string | undefined;
  type: string;
  /** The shell command, for `command` hooks. */
  command: string | undefined;
  /** The URL, for `http` hooks. */
  url: string | undefined;
  /** True when it runs on every tool call or prompt of its event (no matcher, or `*`). */
  broad: boolean;
  /** The file that declares it (relative to the root) and the JSON Pointer of the handler. */
  path: string;
  pointer: string;
}

/** An MCP server a plugin starts or connects to. */
export interface McpServer {
  name: string;
  transport: 'stdio' | 'http' | 'streamable-http' | 'sse' | 'ws' | 'unknown';
  /** For stdio servers: the command run on the user's machine. */
  command: string | undefined;
  args: string[];
  /** For remote servers: the host name contacted. */
  host: string | undefined;
  path: string;
  pointer: string;
}

/** A language server a plugin starts. */
export interface LspServer {
  name: string;
  command: string | undefined;
  languages: string[];
  path: string;
  pointer: string;
}

/** A plugin's marketplace entry. */
export interface MarketplaceEntryRef {
  index: number;
  data: NonNullable<Marketplace['plugins']>[number];
}

/** One plugin: manifest, marketplace entry and every component, with derived facts. */
export interface CatalogPlugin {
  /** plugin.json `name`, else the entry `name`, else the folder name. */
  name: string;
  /** Plugin root relative to the catalog root (`plugins/foo`, or `.` for the root). */
  dir: string;
  /** Last segment of `dir`. */
  dirName: string;
  /** Found through the marketplace, as a `plugins/*` folder, or both. */
  discoveredBy: 'marketplace' | 'folder' | 'both';
  /** False when a marketplace entry's relative source names a directory that does not exist. */
  dirExists: boolean;
  /**
   * For a missing `./` source in a marketplace with `metadata.pluginRoot`, which applies only to
   * bare names: the folder the source names under `pluginRoot`, and whether that one exists.
   */
  underPluginRoot?: { dir: string; exists: boolean } | undefined;
  manifest: ParsedDocument<PluginManifest> | undefined;
  entry: MarketplaceEntryRef | undefined;
  commands: CommandComponent[];
  agents: AgentComponent[];
  skills: SkillComponent[];
  outputStyles: OutputStyleComponent[];
  hookFiles: ParsedDocument<HooksFile>[];
  hooks: HookHandler[];
  mcpFiles: ParsedDocument<McpConfig>[];
  mcpServers: McpServer[];
  lspFiles: ParsedDocument<LspConfig>[];
  lspServers: LspServer[];
  /** Executables in `bin/`, relative to the catalog root. */
  bin: string[];
  /**
   * Files and folders of the plugin folder, relative to the catalog root (for the repository root
   * plugin: its root files and component folders only). Symlinked folders are listed, not entered.
   */
  paths: string[];
  /** README.md at the plugin root, when present. */
  readme: VFile | undefined;
  /** Default folders present but not loaded, because a manifest field replaces them. */
  shadowedFolders: string[];
  /** Manifest or entry component paths that Claude Code cannot load. */
  pathProblems: PathProblem[];
  /** Files in component folders that Claude Code does not load (e.g. `skills/x.md`). */
  unloaded: UnloadedFile[];
  tokens: TokenCost;
  /** What the plugin runs on the user's machine and what that can reach, as far as its files show. */
  footprint: PluginFootprint;
}

/**
 * What a plugin's footprint label says:
 * - `prompt-only`: nothing runs (no command or http hooks, no MCP or LSP servers, no `bin/`);
 * - `no-network`: things run, every one of them can be read, and none reaches the network;
 * - `network`: something it runs reaches the network (a host, a remote server, a download);
 * - `unknown`: something runs that cannot be read (a missing folder or script, an empty
 *   placeholder, a program installed separately, a plugin from another repository).
 */
export type FootprintLabel = 'prompt-only' | 'no-network' | 'network' | 'unknown';

/** Why a footprint has its label: one fact, with the file it concerns when there is one. */
export interface FootprintReason {
  /** The schema's reason kinds, so the model and the federation files cannot disagree. */
  kind: FederationIndexFootprint['reasons'][number]['kind'];
  /** The file concerned (relative to the catalog root), when there is one. */
  path: string | undefined;
  /** One sentence for a reader, with paths, commands and hosts in backticks. */
  text: string;
}

/** One thing the plugin runs: a hook handler, a server or a `bin/` executable. */
export interface FootprintRun {
  kind: 'hook' | 'mcp' | 'lsp' | 'bin';
  /** The hook's event, the server's name, or the executable's file name. */
  name: string;
  /** The command line as written (a server's command and arguments joined by spaces). */
  command: string | undefined;
  /** The URL called, for http hooks and remote MCP servers. */
  url: string | undefined;
  /** Files of the plugin it runs, relative to the catalog root. */
  scripts: string[];
  /** Where it is declared: a file relative to the root, and the JSON Pointer there. */
  path: string;
  pointer: string;
}

/** A file of the plugin that something runs, and whether its content could be read. */
export interface FootprintScript {
  /** Relative to the catalog root. */
  path: string;
  status: 'read' | 'empty' | 'missing' | 'unreadable';
}

/** What a plugin runs on the user's machine, derived once by the loader for every consumer. */
export interface PluginFootprint {
  label: FootprintLabel;
  /** True when the plugin's folder does not exist, so nothing about it can be seen. */
  folderMissing: boolean;
  /** Host names it can reach (URLs in what it runs, remote servers), sorted and unique. */
  hosts: string[];
  runs: FootprintRun[];
  /** Plugin files that its hooks, servers and `bin/` run, sorted by path. */
  scripts: FootprintScript[];
  /** Lasting changes it makes besides its own data: `git` when it commits to the repository. */
  writes: 'git'[];
  /** The facts behind the label, in the order found. */
  reasons: FootprintReason[];
}

/** A component path from a manifest or marketplace entry that does not lead where it must. */
export interface PathProblem {
  /** Which document declares it: the plugin manifest or the marketplace entry. */
  declaredIn: 'manifest' | 'entry';
  pointer: string;
  /** The path as written. */
  path: string;
  problem: 'missing' | 'not-a-directory' | 'not-a-file' | 'outside-plugin';
}

/** A file in a component folder that Claude Code skips, and why. */
export interface UnloadedFile {
  path: string;
  reason: 'skill-not-in-folder' | 'skill-too-deep' | 'skill-file-name-case';
}

/** One workflow step of a pattern's `## Workflow` list. */
export interface PatternStep {
  text: string;
  /** The role named in parentheses, e.g. `Code Explorer` in `Research (Code Explorer)`. */
  actor: string | undefined;
  line: number;
}

/** A pattern file under `patterns/`. */
export interface CatalogPattern {
  /** Frontmatter `pattern_id`, else the file's slug. */
  id: string;
  /** File name without `.md`. */
  slug: string;
  path: string;
  /** Folder under `patterns/` (`''` at the top level). */
  folder: string;
  doc: MarkdownDocument<PatternFrontmatter>;
  /** The first level-1 heading's text. */
  title: string | undefined;
  headings: Heading[];
  steps: PatternStep[];
  /**
   * The 90 % interval of the success rate: the file's `interval`, or, when the file has counts but
   * no interval, the equal-tailed 90 % interval of Beta(1 + successes, 1 + failures) (`estimated`).
   */
  interval: { range: [number, number]; estimated: boolean } | undefined;
}

/** A symbolic link met while reading the catalog. */
export interface SymlinkInfo {
  path: string;
  target: string;
  /** Resolved path relative to the root, or `undefined` when it leaves the root or loops. */
  resolved: string | undefined;
  problem: 'outside-root' | 'loop' | 'dangling' | undefined;
}

/** Everything the loader found, with all diagnostics attached to `files`. */
export interface Catalog {
  /** Absolute root directory (never printed). */
  root: string;
  marketplace: ParsedDocument<Marketplace> | undefined;
  plugins: CatalogPlugin[];
  patterns: CatalogPattern[];
  /** Every file read, sorted by path, each carrying its diagnostics. */
  files: VFile[];
  symlinks: SymlinkInfo[];
  /**
   * Set on a partial catalog (a `--staged` run that loaded only what changed): the patterns and
   * plugins it did not load, reduced to the facts cross-file rules need. Plugins listed here are
   * not linted; cross-file rules count them as if loaded.
   */
  outside?: OutsideFacts | undefined;
  /** Pattern files listed but not parsed (the loader's `deferPatterns` option). */
  deferredPatterns?: string[] | undefined;
}

/** A pattern a partial catalog did not load. */
export interface OutsidePattern {
  path: string;
  /** Folder under `patterns/` (`''` at the top level). */
  folder: string;
  /** Frontmatter `pattern_id` of a schema-valid file, else `undefined`. */
  id: string | undefined;
}

/** A plugin a partial catalog did not load: its component names by kind. */
export interface OutsidePlugin {
  dir: string;
  name: string;
  agents: string[];
  skills: string[];
  commands: string[];
}

/**
 * What a partial catalog knows of the patterns and plugins it did not load. Stored facts answer
 * the lookups without reading every pattern and plugin; the lists are read on first use.
 */
export interface OutsideFacts {
  /** The patterns, in path order. */
  readonly patterns: readonly OutsidePattern[];
  readonly plugins: readonly OutsidePlugin[];
  /** How many entries `plugins` has. */
  readonly pluginCount: number;
  /** The patterns whose `id` is `id`, in path order. */
  withId: (id: string) => readonly OutsidePattern[];
  /**
   * Whether a plugin has a component of `kind` that answers to `key`: its name, or its name
   * qualified by the plugin's, in the form `componentKey` gives.
   */
  hasComponent: (kind: 'agent' | 'skill' | 'command', key: string) => boolean;
}
