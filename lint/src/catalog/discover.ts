import path from 'node:path/posix';
import type {
  AgentFrontmatter,
  CommandFrontmatter,
  HooksFile,
  LspConfig,
  Marketplace,
  McpConfig,
  OutputStyleFrontmatter,
  PatternFrontmatter,
  PluginManifest,
  SkillFrontmatter,
} from '../generated/schema-types.ts';
import { code, report } from './diagnostic.ts';
import { credibleInterval } from '../pattern-stats.ts';
import { scanMarkdown } from './markdown.ts';
import type {
  AgentComponent,
  Catalog,
  CatalogPattern,
  CatalogPlugin,
  CommandComponent,
  ComponentOrigin,
  HookHandler,
  LspServer,
  MarkdownDocument,
  McpServer,
  OutputStyleComponent,
  ParsedDocument,
  PathProblem,
  SkillComponent,
  SymlinkInfo,
  TokenCost,
  UnloadedFile,
} from './model.ts';
import type { DocumentReader } from './parse.ts';
import { joinPointer } from './position-map.ts';
import type { CatalogSource } from './source.ts';

/** Options of catalog discovery. */
export interface DiscoverOptions {
  /**
   * Marketplace sources (as written, e.g. `./plugins/x`) to treat as present although their folder
   * is missing: for checking a marketplace whose plugins were deliberately left out.
   */
  assumePresent?: string[];
  /**
   * List the pattern files in `catalog.deferredPatterns` instead of parsing them, for a caller
   * that parses them in batches (`parsePatterns`) to keep memory flat on large catalogs.
   */
  deferPatterns?: boolean;
}

/** Events whose hooks run on every tool call or prompt unless a matcher or `if` narrows them. */
const perCallEvents = new Set([
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'PermissionRequest',
  'PostToolBatch',
  'UserPromptSubmit',
]);
const skippedDirs = new Set(['node_modules', '.git']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/**
 * True for a path (relative to the catalog root) the loader reads as a pattern: a `.md` file under
 * `patterns/`, not hidden, not a README.
 */
export function isPatternPath(file: string): boolean {
  return (
    file.startsWith('patterns/') &&
    file.endsWith('.md') &&
    !/(^|\/)\./.test(file.slice('patterns/'.length)) &&
    path.basename(file).toLowerCase() !== 'readme.md'
  );
}

/** The folder of a pattern file under `patterns/` (`''` at the top level). */
export function patternFolderOf(file: string): string {
  const folder = path.dirname(file.slice('patterns/'.length));
  return folder === '.' ? '' : folder;
}

/** Approximate tokens of a text (about four characters each, the usual rule for English prose and code). */
export function estimateTokens(text: string | undefined): number {
  return text ? Math.ceil(text.length / 4) : 0;
}

/** Resolves a `./`-relative component path against a plugin dir; `undefined` when it escapes the root. */
function resolveInside(pluginDir: string, written: string): string | undefined {
  if (path.isAbsolute(written) || written.includes('\\')) return undefined;
  const joined = path.normalize(path.join(pluginDir === '.' ? '' : pluginDir, written));
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

function isWithin(dir: string, file: string): boolean {
  return dir === '' || dir === '.' || file === dir || file.startsWith(`${dir}/`);
}

/** A walked entry: symlinks are already resolved (or dropped when they lead nowhere safe). */
interface WalkEntry {
  path: string;
  type: 'file' | 'dir';
}

/** Discovers plugins, components and patterns from a source into a `Catalog`. */
export class Discovery {
  readonly #source: CatalogSource;
  readonly #reader: DocumentReader;
  readonly #options: DiscoverOptions;
  readonly #symlinks = new Map<string, SymlinkInfo>();

  constructor(source: CatalogSource, reader: DocumentReader, options: DiscoverOptions) {
    this.#source = source;
    this.#reader = reader;
    this.#options = options;
  }

  /** Runs the whole discovery. */
  run(): Catalog {
    const source = this.#source;
    const marketplacePath = '.claude-plugin/marketplace.json';
    const marketplace =
      source.type(marketplacePath) === 'file'
        ? this.#reader.json<Marketplace>(marketplacePath, 'marketplace')
        : undefined;
    const plugins = this.#plugins(marketplace);
    // A plugin folder under `patterns/` holds components, not patterns.
    const pluginDirs = plugins
      .filter((plugin) => plugin.dirExists && plugin.dir.startsWith('patterns/'))
      .map((plugin) => `${plugin.dir}/`);
    const patternFiles = this.#patternFiles().filter(
      (file) => !pluginDirs.some((dir) => file.startsWith(dir)),
    );
    const patterns = this.#options.deferPatterns ? [] : this.patternsOf(patternFiles);
    for (const dir of [
      '.claude/commands',
      '.claude/agents',
      '.claude/skills',
      '.claude/output-styles',
    ])
      this.#walk(dir, 2);
    return {
      root: source.root,
      marketplace,
      plugins,
      patterns,
      files: this.#reader.files(),
      symlinks: [...this.#symlinks.values()].sort((a, b) =>
        a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
      ),
      ...(this.#options.deferPatterns ? { deferredPatterns: patternFiles } : {}),
    };
  }

  /** Records a symlink and reports it when it leads outside the root, loops or dangles. */
  #link(linkPath: string): SymlinkInfo {
    const known = this.#symlinks.get(linkPath);
    if (known) return known;
    const info = this.#source.link(linkPath);
    this.#symlinks.set(linkPath, info);
    if (info.problem) {
      const reason =
        info.problem === 'outside-root'
          ? `Unexpected symlink to ${code(info.target)} outside the repository, expected a target inside it`
          : info.problem === 'loop'
            ? `Unexpected symlink loop through ${code(info.target)}, expected a link that resolves`
            : `Unexpected dangling symlink to ${code(info.target)}, expected an existing target`;
      report(this.#reader.placeholder(linkPath), { reason, ruleId: 'symlink', severity: 'error' });
    }
    return info;
  }

  /** Lists a directory tree (files and dirs, sorted), never descending into symlinked dirs. */
  #walk(dir: string, depth = Infinity): WalkEntry[] {
    const out: WalkEntry[] = [];
    const visit = (current: string, level: number): void => {
      for (const entry of this.#source.list(current)) {
        const entryPath = current === '' ? entry.name : `${current}/${entry.name}`;
        if (entry.type === 'symlink') {
          const info = this.#link(entryPath);
          if (info.problem) continue;
          const type = this.#source.type(entryPath);
          if (type === 'file' || type === 'dir') out.push({ path: entryPath, type });
        } else if (entry.type === 'dir') {
          if (skippedDirs.has(entry.name)) continue;
          out.push({ path: entryPath, type: 'dir' });
          if (level < depth) visit(entryPath, level + 1);
        } else if (entry.type === 'file') {
          out.push({ path: entryPath, type: 'file' });
        }
      }
    };
    visit(dir, 1);
    return out;
  }

  #plugins(marketplace: ParsedDocument<Marketplace> | undefined): CatalogPlugin[] {
    const byDir = new Map<string, CatalogPlugin>();
    const data: Json | undefined = isObject(marketplace?.data) ? marketplace.data : undefined;
    const pluginRoot =
      isObject(data?.metadata) && typeof data.metadata.pluginRoot === 'string'
        ? data.metadata.pluginRoot
        : undefined;
    const assumed = new Set(this.#options.assumePresent ?? []);

    asList(data?.plugins).forEach((entry, index) => {
      if (!isObject(entry)) return;
      const dir = this.#entryDir(entry.source, pluginRoot);
      if (dir === undefined || byDir.has(dir)) return;
      const exists = this.#source.type(dir === '.' ? '' : dir) === 'dir';
      const present = exists || assumed.has(String(entry.source));
      byDir.set(
        dir,
        this.#plugin(
          dir,
          { index, data: entry as NonNullable<Marketplace['plugins']>[number] },
          'marketplace',
          present,
        ),
      );
    });

    for (const entry of this.#source.list('plugins')) {
      const dir = `plugins/${entry.name}`;
      if (entry.type === 'symlink') this.#link(dir);
      if (this.#source.type(dir) !== 'dir') continue;
      const known = byDir.get(dir);
      if (known) known.discoveredBy = 'both';
      else byDir.set(dir, this.#plugin(dir, undefined, 'folder', true));
    }

    if (
      !marketplace &&
      byDir.size === 0 &&
      this.#source.type('.claude-plugin/plugin.json') === 'file'
    ) {
      byDir.set('.', this.#plugin('.', undefined, 'folder', true));
    }
    return [...byDir.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  }

  /** The local directory of a marketplace entry's source, or `undefined` for remote or unsafe ones. */
  #entryDir(source: unknown, pluginRoot: string | undefined): string | undefined {
    if (typeof source !== 'string') return undefined;
    let written = source;
    if (
      !written.startsWith('./') &&
      written !== '.' &&
      pluginRoot !== undefined &&
      /^[A-Za-z0-9][-A-Za-z0-9._]*$/.test(written)
    ) {
      written = `./${path.join(pluginRoot, written)}`;
    }
    if (!(written.startsWith('./') || written === '.')) return undefined;
    const dir = resolveInside('', written);
    return dir === undefined ? undefined : dir === '' ? '.' : dir;
  }

  #plugin(
    dir: string,
    entry: CatalogPlugin['entry'],
    discoveredBy: CatalogPlugin['discoveredBy'],
    dirExists: boolean,
  ): CatalogPlugin {
    const base = dir === '.' ? '' : dir;
    const at = (relative: string): string => (base === '' ? relative : `${base}/${relative}`);
    const exists = dirExists && (dir === '.' || this.#source.type(base) === 'dir');
    // One listing of the plugin tree (the repository root plugin lists only its component folders).
    const tree = !exists ? [] : dir === '.' ? this.#rootPluginTree() : this.#walk(base);
    const manifestPath = at('.claude-plugin/plugin.json');
    const manifest =
      exists && this.#source.type(manifestPath) === 'file'
        ? this.#reader.json<PluginManifest>(manifestPath, 'plugin')
        : undefined;
    const manifestData: Json = isObject(manifest?.data) ? manifest.data : {};
    const entryData: Json = entry ? entry.data : {};
    const dirName = dir === '.' ? path.basename(this.#source.root) : path.basename(dir);
    const name =
      typeof manifestData.name === 'string' && manifestData.name !== ''
        ? manifestData.name
        : typeof entryData.name === 'string' && entryData.name !== ''
          ? entryData.name
          : dirName;

    const plugin: CatalogPlugin = {
      name,
      dir,
      dirName,
      discoveredBy,
      dirExists,
      manifest,
      entry,
      commands: [],
      agents: [],
      skills: [],
      outputStyles: [],
      hookFiles: [],
      hooks: [],
      mcpFiles: [],
      mcpServers: [],
      lspFiles: [],
      lspServers: [],
      bin: [],
      paths: tree.map((entry) => entry.path),
      readme: undefined,
      shadowedFolders: [],
      pathProblems: [],
      unloaded: [],
      tokens: { session: 0, activation: 0 },
    };
    if (!exists) return plugin;
    const files = new Set(tree.filter((entry) => entry.type === 'file').map((entry) => entry.path));
    const under = (folder: string): string[] =>
      [...files].filter((file) => file.startsWith(`${at(folder)}/`)).sort();

    const problems = plugin.pathProblems;
    const declared = (
      declaredIn: PathProblem['declaredIn'],
      field: string,
      expect: 'file' | 'dir' | 'any',
    ): { path: string; type: 'file' | 'dir' }[] => {
      const data = declaredIn === 'manifest' ? manifestData : entryData;
      const fieldPointer = `/${field}`;
      const value = data[field];
      const list = Array.isArray(value)
        ? value.map((item, i) => [item, joinPointer(fieldPointer, i)] as const)
        : [[value, fieldPointer] as const];
      const out: { path: string; type: 'file' | 'dir' }[] = [];
      for (const [item, pointer] of list) {
        if (typeof item !== 'string' || !item.startsWith('./')) continue;
        const resolved = resolveInside(dir, item);
        if (resolved === undefined || !isWithin(base, resolved)) {
          problems.push({ declaredIn, pointer, path: item, problem: 'outside-plugin' });
          continue;
        }
        const type = this.#source.type(resolved);
        if (type === 'missing' || type === 'other')
          problems.push({ declaredIn, pointer, path: item, problem: 'missing' });
        else if (expect === 'dir' && type !== 'dir')
          problems.push({ declaredIn, pointer, path: item, problem: 'not-a-directory' });
        else if (expect === 'file' && type !== 'file')
          problems.push({ declaredIn, pointer, path: item, problem: 'not-a-file' });
        else out.push({ path: resolved, type });
      }
      return out;
    };
    const markdownIn = (targets: { path: string; type: 'file' | 'dir' }[]): string[] =>
      targets.flatMap((target) =>
        target.type === 'file'
          ? [target.path]
          : this.#walk(target.path)
              .filter((e) => e.type === 'file' && e.path.endsWith('.md'))
              .map((e) => e.path),
      );

    // Commands and agents: a manifest field replaces the default folder (reference §2.3).
    const componentFiles = (
      field: 'commands' | 'agents' | 'outputStyles',
      folder: string,
      expect: 'file' | 'any',
    ): { path: string; origin: ComponentOrigin; root: string }[] => {
      const out: { path: string; origin: ComponentOrigin; root: string }[] = [];
      if (
        manifestData[field] !== undefined &&
        !(field === 'commands' && isObject(manifestData[field]))
      ) {
        for (const target of declared('manifest', field, expect)) {
          for (const file of markdownIn([target]))
            out.push({
              path: file,
              origin: 'manifest',
              root: target.type === 'dir' ? target.path : path.dirname(target.path),
            });
        }
        // Shadowed only when the folder holds a Markdown file that no declared path loads.
        if (
          under(folder).some(
            (file) => file.endsWith('.md') && !out.some((item) => item.path === file),
          )
        )
          plugin.shadowedFolders.push(at(folder));
      } else if (field === 'commands' && isObject(manifestData.commands)) {
        for (const [key, spec] of Object.entries(manifestData.commands)) {
          if (!isObject(spec) || typeof spec.source !== 'string') continue;
          const resolved = resolveInside(dir, spec.source);
          const pointer = joinPointer(joinPointer('/commands', key), 'source');
          if (resolved === undefined || !isWithin(base, resolved))
            problems.push({
              declaredIn: 'manifest',
              pointer,
              path: spec.source,
              problem: 'outside-plugin',
            });
          else if (this.#source.type(resolved) !== 'file')
            problems.push({
              declaredIn: 'manifest',
              pointer,
              path: spec.source,
              problem: 'missing',
            });
          else out.push({ path: resolved, origin: 'manifest', root: path.dirname(resolved) });
        }
      } else {
        for (const file of under(folder).filter((f) => f.endsWith('.md')))
          out.push({ path: file, origin: 'default', root: at(folder) });
      }
      if (entry && entryData[field] !== undefined && !isObject(entryData[field])) {
        for (const file of markdownIn(declared('entry', field, expect)))
          out.push({ path: file, origin: 'entry', root: path.dirname(file) });
      }
      const seen = new Set<string>();
      return out.filter((item) => !seen.has(item.path) && seen.add(item.path));
    };

    for (const item of componentFiles('commands', 'commands', 'any')) {
      const doc = this.#reader.markdown<CommandFrontmatter>(item.path, 'command');
      const segments = path.relative(item.root, item.path).replace(/\.md$/, '').split('/');
      const commandName = segments.join(':');
      const description = describe(doc);
      plugin.commands.push({
        kind: 'command',
        name: commandName,
        path: item.path,
        origin: item.origin,
        doc,
        description,
        tokens: tokensOf(commandName, description, doc),
        invocation: `/${name}:${commandName}`,
      } satisfies CommandComponent);
    }
    for (const item of componentFiles('agents', 'agents', 'file')) {
      const doc = this.#reader.markdown<AgentFrontmatter>(item.path, 'agent');
      const fm: Json = isObject(doc.data) ? doc.data : {};
      const agentName =
        typeof fm.name === 'string' && fm.name !== '' ? fm.name : path.basename(item.path, '.md');
      const description = describe(doc);
      plugin.agents.push({
        kind: 'agent',
        name: agentName,
        path: item.path,
        origin: item.origin,
        doc,
        description,
        tokens: tokensOf(agentName, description, doc),
        id: `${name}:${agentName}`,
      } satisfies AgentComponent);
    }
    for (const item of componentFiles('outputStyles', 'output-styles', 'any')) {
      const doc = this.#reader.markdown<OutputStyleFrontmatter>(item.path, 'output-style');
      const fm: Json = isObject(doc.data) ? doc.data : {};
      const styleName =
        typeof fm.name === 'string' && fm.name !== '' ? fm.name : path.basename(item.path, '.md');
      const description = describe(doc);
      plugin.outputStyles.push({
        kind: 'output-style',
        name: styleName,
        path: item.path,
        origin: item.origin,
        doc,
        description,
        tokens: tokensOf(styleName, description, doc),
      } satisfies OutputStyleComponent);
    }

    // Skills: `skills/<dir>/SKILL.md` by default, plus manifest and entry skill directories.
    const skillDirs: { dir: string; origin: ComponentOrigin; useFrontmatterName: boolean }[] = [];
    const skillsRoot = at('skills');
    for (const entryInTree of tree) {
      if (!entryInTree.path.startsWith(`${skillsRoot}/`)) continue;
      const rest = entryInTree.path.slice(skillsRoot.length + 1);
      const depth = rest.split('/').length;
      if (entryInTree.type === 'dir' && depth === 1) {
        if (files.has(`${entryInTree.path}/SKILL.md`))
          skillDirs.push({ dir: entryInTree.path, origin: 'default', useFrontmatterName: false });
      } else if (entryInTree.type === 'file') {
        const fileName = path.basename(rest);
        const reason: UnloadedFile['reason'] | undefined =
          depth === 1 && fileName.endsWith('.md')
            ? 'skill-not-in-folder'
            : depth > 2 && fileName === 'SKILL.md'
              ? 'skill-too-deep'
              : depth === 2 && fileName !== 'SKILL.md' && fileName.toLowerCase() === 'skill.md'
                ? 'skill-file-name-case'
                : undefined;
        if (reason) plugin.unloaded.push({ path: entryInTree.path, reason });
      }
    }
    const addSkillTargets = (declaredIn: 'manifest' | 'entry'): void => {
      for (const target of declared(declaredIn, 'skills', 'dir')) {
        const origin: ComponentOrigin = declaredIn;
        if (this.#source.type(`${target.path}/SKILL.md`.replace(/^\//, '')) === 'file') {
          skillDirs.push({ dir: target.path, origin, useFrontmatterName: target.path === base });
          continue;
        }
        for (const child of this.#source.list(target.path)) {
          const childDir = target.path === '' ? child.name : `${target.path}/${child.name}`;
          if (
            this.#source.type(childDir) === 'dir' &&
            this.#source.type(`${childDir}/SKILL.md`) === 'file'
          )
            skillDirs.push({ dir: childDir, origin, useFrontmatterName: false });
        }
      }
    };
    if (manifestData.skills !== undefined) addSkillTargets('manifest');
    if (entry && entryData.skills !== undefined) addSkillTargets('entry');
    const seenSkills = new Set<string>();
    for (const skill of skillDirs) {
      if (seenSkills.has(skill.dir)) continue;
      seenSkills.add(skill.dir);
      const file = skill.dir === '' ? 'SKILL.md' : `${skill.dir}/SKILL.md`;
      const doc = this.#reader.markdown<SkillFrontmatter>(file, 'skill');
      const fm: Json = isObject(doc.data) ? doc.data : {};
      const skillName =
        skill.useFrontmatterName && typeof fm.name === 'string'
          ? fm.name
          : path.basename(skill.dir === '' ? dirName : skill.dir);
      const description = describe(doc);
      plugin.skills.push({
        kind: 'skill',
        name: skillName,
        path: file,
        origin: skill.origin,
        doc,
        description,
        tokens: tokensOf(skillName, description, doc),
        invocation: `/${name}:${skillName}`,
        dir: skill.dir,
      } satisfies SkillComponent);
    }

    // Hooks: the default file, plus manifest and entry hooks (files or inline maps).
    const hookDocs = new Map<string, ParsedDocument<HooksFile>>();
    const loadHooksFile = (file: string): void => {
      if (hookDocs.has(file)) return;
      const doc = this.#reader.json<HooksFile>(file, 'hooks');
      hookDocs.set(file, doc);
      if (isObject(doc.data) && isObject(doc.data.hooks))
        plugin.hooks.push(...flattenHooks(doc.data.hooks, file, '/hooks'));
    };
    if (files.has(at('hooks/hooks.json'))) loadHooksFile(at('hooks/hooks.json'));
    asList(manifestData.hooks).forEach((value, index) => {
      const pointer = Array.isArray(manifestData.hooks) ? `/hooks/${index}` : '/hooks';
      if (typeof value === 'string') {
        for (const target of declared('manifest', 'hooks', 'file'))
          if (target.path.endsWith('.json')) loadHooksFile(target.path);
      } else if (isObject(value) && manifest) {
        plugin.hooks.push(...flattenHooks(value, manifest.file.path, pointer));
      }
    });
    if (entry && isObject(entryData.hooks)) {
      plugin.hooks.push(
        ...flattenHooks(
          entryData.hooks,
          '.claude-plugin/marketplace.json',
          `/plugins/${entry.index}/hooks`,
        ),
      );
    }
    plugin.hookFiles = [...hookDocs.values()];

    // MCP and LSP servers: the default file plus manifest files or inline maps, each file once.
    const serverFiles = <T>(
      field: 'mcpServers' | 'lspServers',
      defaultFile: string,
      kind: 'mcp' | 'lsp',
      serversOf: (data: Json, file: string) => void,
      inline: (value: Json, file: string, pointer: string) => void,
    ): ParsedDocument<T>[] => {
      const docs = new Map<string, ParsedDocument<T>>();
      const load = (file: string): void => {
        if (docs.has(file)) return;
        const doc = this.#reader.json<T>(file, kind);
        docs.set(file, doc);
        if (isObject(doc.data)) serversOf(doc.data, file);
      };
      if (files.has(at(defaultFile))) load(at(defaultFile));
      const declaredValue = manifestData[field];
      asList(declaredValue).forEach((value, index) => {
        const pointer = Array.isArray(declaredValue) ? `/${field}/${index}` : `/${field}`;
        if (typeof value === 'string' && value.endsWith('.json')) {
          const resolved = resolveInside(dir, value);
          if (
            resolved !== undefined &&
            isWithin(base, resolved) &&
            this.#source.type(resolved) === 'file'
          )
            load(resolved);
        } else if (isObject(value) && manifest) {
          inline(value, manifest.file.path, pointer);
        }
      });
      return [...docs.values()];
    };
    plugin.mcpFiles = serverFiles<McpConfig>(
      'mcpServers',
      '.mcp.json',
      'mcp',
      (data, file) => {
        const wrapped = isObject(data.mcpServers);
        plugin.mcpServers.push(
          ...mcpServersOf(
            wrapped ? (data.mcpServers as Json) : data,
            file,
            wrapped ? '/mcpServers' : '',
          ),
        );
      },
      (value, file, pointer) => plugin.mcpServers.push(...mcpServersOf(value, file, pointer)),
    );
    plugin.lspFiles = serverFiles<LspConfig>(
      'lspServers',
      '.lsp.json',
      'lsp',
      (data, file) => plugin.lspServers.push(...lspServersOf(data, file, '')),
      (value, file, pointer) => plugin.lspServers.push(...lspServersOf(value, file, pointer)),
    );

    plugin.bin = under('bin');
    if (files.has(at('README.md'))) plugin.readme = this.#reader.text(at('README.md')).file;
    const all = [...plugin.commands, ...plugin.agents, ...plugin.skills, ...plugin.outputStyles];
    plugin.tokens = {
      session: all.reduce((sum, component) => sum + component.tokens.session, 0),
      activation: all.reduce((sum, component) => sum + component.tokens.activation, 0),
    };
    return plugin;
  }

  /** The plugin tree of a plugin at the repository root: its root files and component folders only. */
  #rootPluginTree(): WalkEntry[] {
    const rootFiles = this.#source
      .list('')
      .filter((entry) => entry.type === 'file')
      .map((entry): WalkEntry => ({ path: entry.name, type: 'file' }));
    const folders = [
      '.claude-plugin',
      'commands',
      'agents',
      'skills',
      'output-styles',
      'hooks',
      'bin',
    ];
    return [
      ...rootFiles,
      ...folders.flatMap((folder) =>
        this.#source.type(folder) === 'dir'
          ? [{ path: folder, type: 'dir' as const }, ...this.#walk(folder)]
          : [],
      ),
    ];
  }

  /** The pattern files under `patterns/`, in walk order. */
  #patternFiles(): string[] {
    if (this.#source.type('patterns') !== 'dir') return [];
    return this.#walk('patterns')
      .filter((entry) => entry.type === 'file' && isPatternPath(entry.path))
      .map((entry) => entry.path);
  }

  /** Parses pattern files (paths from the pattern walk). */
  patternsOf(files: readonly string[]): CatalogPattern[] {
    const out: CatalogPattern[] = [];
    for (const file of files) {
      const doc = this.#reader.markdown<PatternFrontmatter>(file, 'pattern');
      const { headings, steps } = doc.body
        ? scanMarkdown(doc.body, doc.bodyLine)
        : { headings: [], steps: [] };
      const fm: Json = isObject(doc.data) ? doc.data : {};
      const slug = path.basename(file, '.md');
      out.push({
        id: typeof fm.pattern_id === 'string' ? fm.pattern_id : slug,
        slug,
        path: file,
        folder: patternFolderOf(file),
        doc,
        title: headings.find((heading) => heading.depth === 1)?.text.replace(/^Pattern:\s*/, ''),
        headings,
        steps,
        interval: patternInterval(fm),
      });
    }
    return out;
  }
}

function rate(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1
    ? value
    : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** A pattern's interval: written in its frontmatter, or estimated from its counts. */
function patternInterval(fm: Json): CatalogPattern['interval'] {
  const written = Array.isArray(fm.interval) ? fm.interval.map(rate) : [];
  const [low, high] = written;
  if (written.length === 2 && low !== undefined && high !== undefined && low <= high) {
    return { range: [low, high], estimated: false };
  }
  const executions = count(fm.executions);
  let successes = count(fm.successes);
  let failures = count(fm.failures);
  // Executions with an unknown outcome count as neither, unless only one count is given.
  if (successes === undefined && failures !== undefined && executions !== undefined)
    successes = executions - failures;
  if (failures === undefined && successes !== undefined && executions !== undefined)
    failures = executions - successes;
  if (
    successes === undefined ||
    failures === undefined ||
    successes < 0 ||
    failures < 0 ||
    successes + failures === 0
  )
    return undefined;
  const round = (value: number): number => Math.round(value * 100) / 100;
  const [estimatedLow, estimatedHigh] = credibleInterval(successes, failures);
  return { range: [round(estimatedLow), round(estimatedHigh)], estimated: true };
}

/** A component's description: frontmatter `description`, else its first body line (as Claude Code does). */
function describe(doc: MarkdownDocument<unknown>): string | undefined {
  const fm = doc.data;
  if (isObject(fm) && typeof fm.description === 'string' && fm.description.trim() !== '')
    return fm.description.trim();
  const first = doc.body.split('\n').find((line) => line.trim() !== '');
  return first
    ? first
        .replace(/^#+\s*/, '')
        .trim()
        .slice(0, 100)
    : undefined;
}

function tokensOf(
  name: string,
  description: string | undefined,
  doc: MarkdownDocument<unknown>,
): TokenCost {
  return {
    session: estimateTokens(`${name} ${description ?? ''}`),
    activation: estimateTokens(doc.body),
  };
}

function flattenHooks(events: Json, file: string, pointer: string): HookHandler[] {
  const out: HookHandler[] = [];
  for (const [event, groups] of Object.entries(events)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((group, groupIndex) => {
      if (!isObject(group) || !Array.isArray(group.hooks)) return;
      const matcher = typeof group.matcher === 'string' ? group.matcher : undefined;
      group.hooks.forEach((hook, hookIndex) => {
        if (!isObject(hook)) return;
        const gated =
          (matcher !== undefined && matcher !== '' && matcher !== '*') ||
          typeof hook.if === 'string';
        out.push({
          event,
          matcher,
          type: typeof hook.type === 'string' ? hook.type : 'unknown',
          command: typeof hook.command === 'string' ? hook.command : undefined,
          url: typeof hook.url === 'string' ? hook.url : undefined,
          broad: perCallEvents.has(event) && !gated,
          path: file,
          pointer: `${joinPointer(joinPointer(pointer, event), groupIndex)}/hooks/${hookIndex}`,
        });
      });
    });
  }
  return out;
}

function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

function mcpServersOf(servers: Json, file: string, pointer: string): McpServer[] {
  const transports = new Set(['stdio', 'http', 'streamable-http', 'sse', 'ws']);
  return Object.entries(servers)
    .filter((entry): entry is [string, Json] => isObject(entry[1]))
    .map(([name, config]) => {
      const declared =
        typeof config.type === 'string'
          ? config.type
          : config.command !== undefined
            ? 'stdio'
            : 'unknown';
      return {
        name,
        transport: (transports.has(declared) ? declared : 'unknown') as McpServer['transport'],
        command: typeof config.command === 'string' ? config.command : undefined,
        args: Array.isArray(config.args)
          ? config.args.filter((arg): arg is string => typeof arg === 'string')
          : [],
        host: hostOf(config.url),
        path: file,
        pointer: joinPointer(pointer, name),
      };
    });
}

function lspServersOf(servers: Json, file: string, pointer: string): LspServer[] {
  return Object.entries(servers)
    .filter((entry): entry is [string, Json] => isObject(entry[1]))
    .map(([name, config]) => ({
      name,
      command: typeof config.command === 'string' ? config.command : undefined,
      languages: isObject(config.extensionToLanguage)
        ? [
            ...new Set(
              Object.values(config.extensionToLanguage).filter(
                (v): v is string => typeof v === 'string',
              ),
            ),
          ].sort()
        : [],
      path: file,
      pointer: joinPointer(pointer, name),
    }));
}
