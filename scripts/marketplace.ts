// Builds .claude-plugin/marketplace.json from plugins/*/.claude-plugin/plugin.json and syncs the
// .claude/ symlinks that expose the plugins' components as project components.
//
//   npm run marketplace                     write marketplace.json and sync .claude/
//   npm run marketplace -- --check          exit 1 when either is out of date, change nothing
//   npm run marketplace -- --root D         operate on the repository at D (default: this one)
//
// Manifests are read through the shared loader (`agentops-lint/catalog`, resolved to its sources
// with `node --conditions=source`), so this script and the linter read every file the same way.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog, type CatalogPlugin, type ParsedDocument } from 'agentops-lint/catalog';
import { readScriptOptions } from './script-options.ts';

/** The marketplace's registered name: what users type after `@` in `plugin install`. */
export const marketplaceName = 'agentops-marketplace';

/** Categories live in the marketplace entry, never in plugin.json (Claude Code warns there). */
export const categories: Readonly<Record<string, string>> = {
  'agentops-core': 'development',
  'agentops-devops': 'devops',
  'agentops-meta-orchestrator': 'development',
  'agentops-product-dev': 'productivity',
};

const header = {
  $schema:
    'https://agentops-marketplace.github.io/agentops-marketplace/schemas/marketplace.schema.json',
  name: marketplaceName,
  owner: { name: 'AgentOps Marketplace', url: 'https://github.com/agentops-marketplace' },
  description:
    'AgentOps plugins for Claude Code: research-to-docs orchestration, DevOps and product workflows, and a meta-orchestrator that learns which workflows succeed in your repository.',
};

/** plugin.json fields copied into each marketplace entry, in output order. */
const copiedFields = [
  'description',
  'version',
  'author',
  'homepage',
  'repository',
  'license',
  'keywords',
] as const;

const componentKinds = ['commands', 'agents', 'skills'] as const;

/** A component directory under `.claude/`. */
export type ComponentKind = (typeof componentKinds)[number];

/** One plugin component that can be exposed under `.claude/`. */
export interface Component {
  plugin: string;
  kind: ComponentKind;
  /** File name (`review.md`) or, for skills, the skill's folder name. */
  fileName: string;
}

/** A symlink to create: `.claude/<kind>/<linkName>` pointing at the component. */
export interface PlannedLink {
  /** Repository-relative path of the link, with `/` separators. */
  link: string;
  /** The link's relative target, as stored in the symlink. */
  target: string;
}

/** A problem that stops the script: bad input, never a bug. */
export class MarketplaceError extends Error {}

const pluginNameRe = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Claude Code skips component files larger than this. */
const maxComponentBytes = 1024 * 1024;

/** The short name used to prefix clashing file names: `agentops-core` → `core`. */
export function shortName(plugin: string): string {
  const short = plugin.replace(/^agentops-/, '');
  return short === '' ? plugin : short;
}

function isRegularFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}

function isRealDirectory(dir: string): boolean {
  try {
    return fs.lstatSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function sortedEntries(dir: string): string[] {
  if (!isRealDirectory(dir)) return [];
  return fs.readdirSync(dir).sort();
}

/** A plugin under `plugins/` and its manifest, as the shared loader read it. */
interface ManifestEntry {
  /** Folder name under `plugins/`. */
  plugin: string;
  manifest: Record<string, unknown>;
}

function where(
  point: { line?: number | undefined; column?: number | undefined } | undefined,
): string {
  return `${point?.line ?? 1}:${point?.column ?? 1}`;
}

/**
 * The problems that stop a manifest from becoming a marketplace entry: the loader's error-level
 * diagnostics (unreadable file, invalid JSON, schema errors), then what the marketplace needs on
 * top of the schema (the folder name as `name`, a `version`). One `path:line:column: reason` line each.
 */
function manifestProblems(plugin: CatalogPlugin, manifest: ParsedDocument<unknown>): string[] {
  const path = manifest.file.path;
  const problems = manifest.file.messages
    .filter((message) => message.fatal === true)
    .map((message) => `${path}:${where(message)}: ${message.reason}`);
  if (problems.length > 0 || !isRecord(manifest.data)) return problems;
  const { name, version } = manifest.data;
  if (name !== plugin.dirName) {
    problems.push(
      `${path}:${where(manifest.positions.value('/name')?.start)}: Unexpected plugin name \`${String(name)}\`, expected \`${plugin.dirName}\` (its folder name)`,
    );
  } else if (!pluginNameRe.test(plugin.dirName)) {
    problems.push(
      `${path}:${where(manifest.positions.value('/name')?.start)}: Unexpected plugin name \`${plugin.dirName}\`, expected kebab-case`,
    );
  }
  if (typeof version !== 'string' || version === '') {
    problems.push(
      `${path}:${where(manifest.positions.value('/version')?.start)}: Missing \`version\`, expected a string such as \`1.0.0\``,
    );
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Loads the plugins under `plugins/` that hold a `.claude-plugin/plugin.json` through the shared
 * loader, sorted by folder. Symlinked plugin folders are not plugins (they could lead anywhere).
 * Throws a `MarketplaceError` listing every manifest problem.
 */
async function readManifests(root: string): Promise<ManifestEntry[]> {
  const catalog = await loadCatalog(root);
  const entries: ManifestEntry[] = [];
  const problems: string[] = [];
  for (const plugin of catalog.plugins) {
    // Entries of an existing marketplace.json are output, not input: only folders count.
    if (plugin.discoveredBy === 'marketplace' || plugin.dir !== `plugins/${plugin.dirName}`)
      continue;
    const manifest = plugin.manifest;
    if (manifest === undefined) continue;
    const found = manifestProblems(plugin, manifest);
    problems.push(...found);
    if (found.length === 0 && isRecord(manifest.data))
      entries.push({ plugin: plugin.dirName, manifest: manifest.data });
  }
  if (problems.length > 0) throw new MarketplaceError(problems.join('\n'));
  return entries.sort((a, b) => (a.plugin < b.plugin ? -1 : a.plugin > b.plugin ? 1 : 0));
}

/** The generated marketplace.json: the fixed header and one entry per plugin. */
type MarketplaceDocument = typeof header & {
  plugins: ({ name: string } & Record<string, unknown>)[];
};

/** Builds the marketplace document from the plugins under `root`. */
export async function buildMarketplace(root: string): Promise<MarketplaceDocument> {
  const plugins = (await readManifests(root)).map(({ plugin, manifest }) => {
    const category = categories[plugin];
    if (category === undefined) {
      throw new MarketplaceError(
        `plugins/${plugin}: missing category, expected an entry in \`categories\` in scripts/marketplace.ts`,
      );
    }
    const entry: MarketplaceDocument['plugins'][number] = {
      name: plugin,
      source: `./plugins/${plugin}`,
    };
    for (const field of copiedFields) {
      if (manifest[field] !== undefined) entry[field] = manifest[field];
    }
    entry.category = category;
    return entry;
  });
  return { ...header, plugins };
}

/** Serialises the marketplace the way it is committed: 2-space JSON and a final newline. */
export function renderMarketplace(marketplace: Record<string, unknown>): string {
  return `${JSON.stringify(marketplace, null, 2)}\n`;
}

/** Whether `file` can be exposed as a project component. */
function isLinkable(file: string): boolean {
  if (!isRegularFile(file)) return false;
  // Claude Code skips component files over 1 MiB, so a link to one would expose nothing.
  if (fs.statSync(file).size > maxComponentBytes) return false;
  // Components that call into their plugin's own files only work when installed as a plugin:
  // `${CLAUDE_PLUGIN_ROOT}` is not set for project components.
  return !fs.readFileSync(file, 'utf8').includes('CLAUDE_PLUGIN_ROOT');
}

/** The components of every plugin that work as project components, sorted. */
function listComponents(root: string, plugins: readonly string[]): Component[] {
  const components: Component[] = [];
  for (const plugin of plugins) {
    const dir = path.join(root, 'plugins', plugin);
    for (const fileName of sortedEntries(path.join(dir, 'commands'))) {
      const file = path.join(dir, 'commands', fileName);
      if (fileName.endsWith('.md') && isLinkable(file)) {
        components.push({ plugin, kind: 'commands', fileName });
      }
    }
    for (const fileName of sortedEntries(path.join(dir, 'agents'))) {
      const file = path.join(dir, 'agents', fileName);
      if (fileName.endsWith('.md') && isLinkable(file)) {
        components.push({ plugin, kind: 'agents', fileName });
      }
    }
    for (const fileName of sortedEntries(path.join(dir, 'skills'))) {
      const skill = path.join(dir, 'skills', fileName);
      const file = path.join(skill, 'SKILL.md');
      if (isRealDirectory(skill) && isLinkable(file)) {
        components.push({ plugin, kind: 'skills', fileName });
      }
    }
  }
  return components;
}

/**
 * Plans the `.claude/` links for `components`. A file name used by one plugin keeps its name; a
 * file name used by several plugins gets each plugin's short name as a prefix
 * (`core-orchestrate.md`, `devops-orchestrate.md`), so the result never depends on which plugin
 * came first.
 */
export function planLinks(components: readonly Component[]): PlannedLink[] {
  const owners = new Map<string, Set<string>>();
  for (const c of components) {
    const key = `${c.kind}/${c.fileName}`;
    owners.set(key, (owners.get(key) ?? new Set()).add(c.plugin));
  }
  const links = new Map<string, PlannedLink>();
  const ordered = [...components].sort((a, b) => {
    const ka = `${a.plugin}/${a.kind}/${a.fileName}`;
    const kb = `${b.plugin}/${b.kind}/${b.fileName}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  for (const c of ordered) {
    const shared = (owners.get(`${c.kind}/${c.fileName}`)?.size ?? 0) > 1;
    const linkName = shared ? `${shortName(c.plugin)}-${c.fileName}` : c.fileName;
    const link = `.claude/${c.kind}/${linkName}`;
    const target = `../../plugins/${c.plugin}/${c.kind}/${c.fileName}`;
    const previous = links.get(link);
    if (previous !== undefined) {
      throw new MarketplaceError(
        `${link}: both ${previous.target} and ${target} want this name, expected distinct file names`,
      );
    }
    links.set(link, { link, target });
  }
  return [...links.values()].sort((a, b) => (a.link < b.link ? -1 : a.link > b.link ? 1 : 0));
}

function readLink(file: string): string | undefined {
  try {
    return fs.lstatSync(file).isSymbolicLink() ? fs.readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}

function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** What differs between the planned links and `.claude/` on disk. */
export interface LinkDrift {
  /** Links to create, or to replace because they point elsewhere. */
  missing: PlannedLink[];
  /** Links into `plugins/` that no component needs any more. */
  stale: string[];
  /** Regular files or folders where a link should be: never overwritten. */
  blocked: string[];
}

/** Compares `.claude/` under `root` with `planned`. Only symlinks into `plugins/` count as ours. */
export function diffLinks(root: string, planned: readonly PlannedLink[]): LinkDrift {
  const drift: LinkDrift = { missing: [], stale: [], blocked: [] };
  const wanted = new Set(planned.map((l) => l.link));
  for (const l of planned) {
    const abs = path.join(root, l.link);
    const current = readLink(abs);
    if (current === l.target) continue;
    if (current === undefined && exists(abs)) drift.blocked.push(l.link);
    else drift.missing.push(l);
  }
  for (const kind of componentKinds) {
    for (const name of sortedEntries(path.join(root, '.claude', kind))) {
      const link = `.claude/${kind}/${name}`;
      const target = readLink(path.join(root, link));
      if (!wanted.has(link) && target?.startsWith('../../plugins/') === true) {
        drift.stale.push(link);
      }
    }
  }
  return drift;
}

function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

function applyLinks(root: string, drift: LinkDrift): void {
  for (const link of drift.stale) fs.unlinkSync(path.join(root, link));
  for (const l of drift.missing) {
    const abs = path.join(root, l.link);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    // Create under a temporary name and rename over the old link, so the swap is atomic.
    const temp = `${abs}.${process.pid}.tmp`;
    fs.symlinkSync(l.target, temp);
    fs.renameSync(temp, abs);
  }
}

/** The outcome of one run: lines to print and the exit code. */
export interface RunResult {
  exitCode: number;
  out: string[];
  err: string[];
}

/** Runs the script against the repository at `root`. Writes only when `check` is false. */
export async function runMarketplace(root: string, check: boolean): Promise<RunResult> {
  const result: RunResult = { exitCode: 0, out: [], err: [] };
  try {
    const marketplaceFile = path.join(root, '.claude-plugin', 'marketplace.json');
    const marketplace = await buildMarketplace(root);
    const text = renderMarketplace(marketplace);
    const current = isRegularFile(marketplaceFile)
      ? fs.readFileSync(marketplaceFile, 'utf8')
      : undefined;
    for (const dir of ['.claude', ...componentKinds.map((kind) => `.claude/${kind}`)]) {
      // Writing through a symlinked folder would put links wherever it points.
      if (exists(path.join(root, dir)) && !isRealDirectory(path.join(root, dir))) {
        throw new MarketplaceError(`${dir}: not a folder, expected a folder for the links`);
      }
    }
    const plugins = marketplace.plugins.map((entry) => entry.name);
    const links = planLinks(listComponents(root, plugins));
    const drift = diffLinks(root, links);
    for (const link of drift.blocked) {
      result.err.push(`${link}: a file or folder is in the way, expected a symlink`);
    }
    if (check) {
      if (current !== text) result.err.push('.claude-plugin/marketplace.json is out of date');
      for (const l of drift.missing) result.err.push(`${l.link}: missing link to ${l.target}`);
      for (const link of drift.stale) result.err.push(`${link}: stale link`);
      if (result.err.length > 0) {
        result.err.push('Run `npm run marketplace` to regenerate.');
        result.exitCode = 1;
      }
      return result;
    }
    if (current !== text) {
      writeAtomic(marketplaceFile, text);
      result.out.push('wrote .claude-plugin/marketplace.json');
    }
    applyLinks(root, drift);
    for (const l of drift.missing) result.out.push(`linked ${l.link} -> ${l.target}`);
    for (const link of drift.stale) result.out.push(`removed ${link}`);
    if (drift.blocked.length > 0) result.exitCode = 1;
  } catch (error) {
    if (!(error instanceof MarketplaceError)) throw error;
    result.err.push(error.message);
    result.exitCode = 1;
  }
  return result;
}

async function main(): Promise<void> {
  const options = readScriptOptions({
    usage: 'Usage: npm run marketplace -- [options]',
    summary:
      'Writes .claude-plugin/marketplace.json from the plugins and syncs the .claude/ links to their components.',
    options: {
      check: {
        type: 'boolean',
        default: false,
        description: 'change nothing; exit 1 when either is out of date',
      },
      root: {
        type: 'string',
        value: '<dir>',
        description: 'the repository to work on',
        shownDefault: 'this one',
      },
    },
  });
  if (options === undefined) return;
  const { values } = options;
  const root = path.resolve(
    values.root ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
  );
  const result = await runMarketplace(root, values.check);
  for (const line of result.out) console.log(line);
  for (const line of result.err) console.error(line);
  process.exitCode = result.exitCode;
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  await main();
}
