import {
  externalFootprint,
  type Catalog,
  type CatalogPlugin,
  type PluginFootprint,
  type Range,
} from '../../lint/src/catalog/index.ts';
import type { ContentHash } from './content-hash.ts';
import type { OverBudget } from './git.ts';
import { normalizeRepoPath, sourceKey } from './source-key.ts';
import type {
  Capabilities,
  Components,
  Footprint,
  LintMessage,
  LintVerdict,
  Person,
  PluginSource,
  SnapshotError,
  SnapshotMarketplace,
  SnapshotPlugin,
} from './types.ts';

/** At most this many lint messages are kept per plugin (the counts cover all of them). */
export const maxLintMessages = 20;
/** At most this many footprint reasons are kept per plugin (`moreReasons` counts the rest). */
const maxFootprintReasons = 10;
/** At most this many hosts and scripts are kept per plugin footprint. */
const maxFootprintItems = 20;
/** Longer descriptions are cut to this many characters. */
const maxText = 1000;
const shaRe = /^[0-9a-f]{40}$/;
const marketplacePath = '.claude-plugin/marketplace.json';

type Json = Record<string, unknown>;

/** A lint message as the sync sees it: a file path, a position, a rule and a severity. */
export interface FlatMessage {
  path: string;
  line: number;
  column: number;
  ruleId: string;
  fatal: boolean;
  reason: string;
}

/** What the fetch saw beyond the files: where else a manifest is, and what it left unread. */
export interface FetchNotes {
  /** `marketplace.json` files below the repository root, shallowest first. */
  nestedManifests: readonly string[];
  overBudget: OverBudget | null;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Why a repository without a root `marketplace.json` cannot be added, as precisely as we know. */
function missingManifest(catalog: Catalog, notes: FetchNotes): SnapshotError {
  const nested = notes.nestedManifests[0];
  const rootPlugin = catalog.plugins.some((plugin) => plugin.dir === '.' && plugin.dirExists);
  const message =
    nested !== undefined
      ? `Missing \`${marketplacePath}\` at the repository root, expected it there: \`/plugin marketplace add\` reads only the root, and this repository has one in a sub-folder (\`${nested}\`)`
      : rootPlugin
        ? `Missing \`${marketplacePath}\`, expected a marketplace file: this repository is a single plugin (\`.claude-plugin/plugin.json\` at its root), not a marketplace`
        : `Missing \`${marketplacePath}\`, expected a marketplace file`;
  return { ruleId: 'marketplace', path: marketplacePath, line: null, column: null, message };
}

/** What a snapshot of a fetched repository holds before the sync adds status and times. */
export interface SnapshotContent {
  /** Marketplace-level errors; any error means the marketplace is `invalid`. */
  errors: SnapshotError[];
  marketplace: SnapshotMarketplace | null;
  plugins: SnapshotPlugin[];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, max = maxText): string | null {
  if (typeof value !== 'string' || value === '') return null;
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 500) : '';
}

function person(value: unknown): Person | null {
  if (!isObject(value) || typeof value.name !== 'string') return null;
  return {
    name: value.name.slice(0, 200),
    email: text(value.email, 200),
    url: text(value.url, 500),
  };
}

function emptyVerdict(): LintVerdict {
  return { errors: 0, warnings: 0, messages: [] };
}

function addMessage(verdict: LintVerdict, message: FlatMessage): void {
  if (message.fatal) verdict.errors++;
  else verdict.warnings++;
  if (verdict.messages.length >= maxLintMessages) return;
  const entry: LintMessage = {
    ruleId: message.ruleId,
    severity: message.fatal ? 'error' : 'warning',
    path: message.path,
    line: message.line,
    column: message.column,
    message: message.reason,
  };
  verdict.messages.push(entry);
}

function inside(range: Range | undefined, line: number, column: number): boolean {
  if (!range) return false;
  const afterStart =
    line > range.start.line || (line === range.start.line && column >= range.start.column);
  const beforeEnd = line < range.end.line || (line === range.end.line && column < range.end.column);
  return afterStart && beforeEnd;
}

/** The marketplace entry's source, normalized. */
export function describeSource(source: unknown, pluginRoot: string | undefined): PluginSource {
  if (typeof source === 'string') {
    const written =
      !source.startsWith('./') && source !== '.' && pluginRoot !== undefined
        ? `${pluginRoot}/${source}`
        : source;
    return { kind: 'local', path: normalizeRepoPath(written) };
  }
  if (!isObject(source)) return { kind: 'other', type: typeof source };
  const ref = text(source.ref, 200);
  const sha = typeof source.sha === 'string' ? source.sha : null;
  switch (source.source) {
    case 'github':
      return { kind: 'github', repo: str(source.repo), ref, sha };
    case 'url':
      return { kind: 'url', url: str(source.url), ref, sha };
    case 'git-subdir':
      return {
        kind: 'git-subdir',
        url: str(source.url),
        path: str(source.path),
        ref,
        sha,
      };
    case 'npm':
      return {
        kind: 'npm',
        package: str(source.package),
        version: text(source.version, 100),
      };
    default:
      return {
        kind: 'other',
        type: typeof source.source === 'string' ? source.source.slice(0, 50) : 'unknown',
      };
  }
}

function keyOf(source: PluginSource, marketplaceUrl: string): string | null {
  switch (source.kind) {
    case 'local':
      return sourceKey(marketplaceUrl, source.path);
    case 'github':
      return source.repo === '' ? null : sourceKey(source.repo, '');
    case 'url':
      return source.url === '' ? null : sourceKey(source.url, '');
    case 'git-subdir':
      return source.url === '' ? null : sourceKey(source.url, source.path);
    case 'npm':
      return source.package === '' ? null : `npm:${source.package}`;
    case 'other':
      return null;
  }
}

function isPinned(source: PluginSource): boolean {
  switch (source.kind) {
    case 'local':
      return true;
    case 'github':
    case 'url':
    case 'git-subdir':
      return source.sha !== null && shaRe.test(source.sha);
    case 'npm':
      return (
        source.version !== null && /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/.test(source.version)
      );
    case 'other':
      return false;
  }
}

function relativeTo(dir: string, file: string): string {
  return dir === '.' ? file : file.startsWith(`${dir}/`) ? file.slice(dir.length + 1) : file;
}

function componentsOf(plugin: CatalogPlugin): Components {
  return {
    commands: plugin.commands.map((c) => ({
      name: c.name,
      invocation: c.invocation,
      description: text(c.description),
    })),
    agents: plugin.agents.map((a) => ({
      name: a.name,
      id: a.id,
      description: text(a.description),
    })),
    skills: plugin.skills.map((s) => ({
      name: s.name,
      invocation: s.invocation,
      description: text(s.description),
    })),
    outputStyles: plugin.outputStyles.map((o) => ({
      name: o.name,
      description: text(o.description),
    })),
  };
}

function capabilitiesOf(plugin: CatalogPlugin): Capabilities {
  return {
    hooks: plugin.hooks.map((h) => ({
      event: h.event,
      matcher: h.matcher ?? null,
      type: h.type,
      broad: h.broad,
    })),
    mcp: plugin.mcpServers.map((m) => ({
      name: m.name,
      transport: m.transport,
      command: m.command === undefined ? null : text(m.command, 300),
      host: m.host ?? null,
    })),
    lsp: plugin.lspServers.map((l) => ({
      name: l.name,
      command: l.command === undefined ? null : text(l.command, 300),
      languages: l.languages,
    })),
    bin: plugin.bin.map((file) => relativeTo(plugin.dir, file)),
  };
}

/** The loader's footprint with its lists and texts capped, so a snapshot stays small. */
function footprintOf(footprint: PluginFootprint): Footprint {
  return {
    label: footprint.label,
    folderMissing: footprint.folderMissing,
    hosts: footprint.hosts.slice(0, maxFootprintItems).map((host) => host.slice(0, 200)),
    scripts: footprint.scripts
      .slice(0, maxFootprintItems)
      .map((script) => ({ path: str(script.path), status: script.status })),
    writes: [...footprint.writes],
    reasons: footprint.reasons.slice(0, maxFootprintReasons).map((reason) => ({
      kind: reason.kind,
      path: reason.path === undefined ? null : str(reason.path),
      text: text(reason.text, 300) ?? '',
    })),
    moreReasons: Math.max(0, footprint.reasons.length - maxFootprintReasons),
  };
}

/**
 * The footprint of an entry: its plugin's when the loader found one (a missing folder included),
 * else that of the plugin listed before it at the same folder, else an entry whose files are
 * elsewhere (another repository, a git URL, a package, or a path out of the repository).
 */
function entryFootprint(
  catalog: Catalog,
  plugin: CatalogPlugin | undefined,
  raw: Json,
  source: PluginSource,
): PluginFootprint {
  if (plugin) return plugin.footprint;
  const escapes = typeof raw.source === 'string' && /(?:^|[/\\])\.\.(?:[/\\]|$)/.test(raw.source);
  if (source.kind === 'local' && !escapes) {
    const dir = source.path === '' ? '.' : source.path;
    const same = catalog.plugins.find((candidate) => candidate.dir === dir);
    if (same) return same.footprint;
  }
  return externalFootprint(raw.source);
}

/** Which plugin directory a file belongs to: the deepest plugin dir that contains it. */
function owningDir(dirs: string[], file: string): string | undefined {
  let best: string | undefined;
  let bestLength = -1;
  for (const dir of dirs) {
    const length = dir === '.' ? 0 : dir.length;
    const contains = dir === '.' || file === dir || file.startsWith(`${dir}/`);
    if (contains && length > bestLength) {
      best = dir;
      bestLength = length;
    }
  }
  return best;
}

/**
 * Builds the normalized content of a snapshot from a loaded catalog and its lint messages:
 * the marketplace's fields, one record per marketplace entry (local plugins with components,
 * capabilities, context cost and content hash; external ones with their source), each with our
 * lint verdict, and the marketplace-level errors that make the marketplace invalid.
 *
 * @param marketplaceUrl the repository URL, for source keys of local plugins
 * @param hashOf the content hash of a plugin directory of the checkout
 */
export function buildSnapshotContent(
  catalog: Catalog,
  messages: FlatMessage[],
  marketplaceUrl: string,
  hashOf: (dir: string) => ContentHash | undefined,
  notes: FetchNotes = { nestedManifests: [], overBudget: null },
): SnapshotContent {
  const doc = catalog.marketplace;
  if (!doc) return { errors: [missingManifest(catalog, notes)], marketplace: null, plugins: [] };
  const data: Json = isObject(doc.data) ? doc.data : {};
  const entries: unknown[] = Array.isArray(data.plugins) ? (data.plugins as unknown[]) : [];
  const metadata = isObject(data.metadata) ? data.metadata : {};
  const pluginRoot = typeof metadata.pluginRoot === 'string' ? metadata.pluginRoot : undefined;
  const byIndex = new Map<number, CatalogPlugin>();
  for (const plugin of catalog.plugins) if (plugin.entry) byIndex.set(plugin.entry.index, plugin);
  const entryRanges = entries.map((_, index) => doc.positions.value(`/plugins/${index}`));

  const entryVerdicts = entries.map(() => emptyVerdict());
  const dirVerdicts = new Map<string, LintVerdict>();
  const listed = [...byIndex.values()].map((plugin) => plugin.dir);
  const marketplaceLint = emptyVerdict();
  const errors: SnapshotError[] = [];
  const over = notes.overBudget;
  if (over) {
    errors.push({
      ruleId: 'read-limit',
      path: null,
      line: null,
      column: null,
      message: `Unexpected ${over.files} more files (${mib(over.bytes)}) past the first ${mib(over.limit)} of plugin files, expected at most ${mib(over.limit)} per marketplace: they were not read`,
    });
  }
  for (const message of messages) {
    if (message.path === marketplacePath) {
      const index = entryRanges.findIndex((range) => inside(range, message.line, message.column));
      const verdict = index === -1 ? marketplaceLint : entryVerdicts[index];
      if (verdict) addMessage(verdict, message);
      if (index === -1 && message.fatal) {
        errors.push({
          ruleId: message.ruleId,
          path: message.path,
          line: message.line,
          column: message.column,
          message: message.reason,
        });
      }
      continue;
    }
    const dir = owningDir(listed, message.path);
    if (dir === undefined) continue;
    const verdict = dirVerdicts.get(dir) ?? emptyVerdict();
    dirVerdicts.set(dir, verdict);
    addMessage(verdict, message);
  }

  const renames: Record<string, string | null> = {};
  if (isObject(data.renames)) {
    for (const [from, to] of Object.entries(data.renames).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    )) {
      if (typeof to === 'string' || to === null) renames[from] = to;
    }
  }
  const marketplace: SnapshotMarketplace = {
    name: text(data.name, 200),
    description: text(data.description) ?? text(metadata.description),
    version: text(data.version, 100) ?? text(metadata.version, 100),
    owner: person(data.owner),
    renames,
    lint: marketplaceLint,
  };

  const plugins: SnapshotPlugin[] = [];
  entries.forEach((raw, index) => {
    if (!isObject(raw) || typeof raw.name !== 'string' || raw.name === '') return;
    const plugin = byIndex.get(index);
    const manifest: Json = plugin && isObject(plugin.manifest?.data) ? plugin.manifest.data : {};
    const source = describeSource(raw.source, pluginRoot);
    const verdict = entryVerdicts[index] ?? emptyVerdict();
    const local = plugin && plugin.dirExists ? plugin : undefined;
    if (local) {
      for (const message of dirVerdicts.get(local.dir)?.messages ?? []) {
        if (verdict.messages.length < maxLintMessages) verdict.messages.push(message);
      }
      const counts = dirVerdicts.get(local.dir);
      verdict.errors += counts?.errors ?? 0;
      verdict.warnings += counts?.warnings ?? 0;
    }
    const hash = local ? hashOf(local.dir) : undefined;
    const keywords = [raw.keywords, manifest.keywords].find(Array.isArray) as unknown[] | undefined;
    plugins.push({
      name: raw.name,
      manifestName:
        typeof manifest.name === 'string' && manifest.name !== raw.name ? manifest.name : null,
      // plugin.json wins over the entry for the version; the entry wins for display fields.
      version: text(manifest.version, 100) ?? text(raw.version, 100),
      description: text(raw.description) ?? text(manifest.description),
      author: person(raw.author) ?? person(manifest.author),
      license: text(raw.license, 100) ?? text(manifest.license, 100),
      homepage: text(raw.homepage, 500) ?? text(manifest.homepage, 500),
      category: text(raw.category, 100),
      keywords: (keywords ?? [])
        .filter((k): k is string => typeof k === 'string')
        .slice(0, 50)
        .map((k) => k.slice(0, 100)),
      source,
      sourceKey: keyOf(source, marketplaceUrl),
      pinned: isPinned(source),
      components: local ? componentsOf(local) : null,
      capabilities: local ? capabilitiesOf(local) : null,
      footprint: footprintOf(entryFootprint(catalog, plugin, raw, source)),
      contextCost: local
        ? { session: local.tokens.session, activation: local.tokens.activation }
        : null,
      lint: verdict,
      contentHash: hash && hash.files > 0 ? hash.hash : null,
    });
  });
  return { errors, marketplace, plugins };
}
