import type {
  FederationIndex,
  FederationIndexAvailability,
  FederationIndexMarketplace,
  FederationIndexPlugin,
  FederationIndexRename,
} from '../../lint/src/generated/schema-types.ts';
import type { MarketplaceStatus, Snapshot, SnapshotPlugin } from './types.ts';

/** `$id` of the index schema, written as the index's `$schema`. */
export const indexSchemaId =
  'https://agentops-marketplace.github.io/agentops-marketplace/schemas/federation-index.schema.json';

/** `federation/index.json`: the type generated from `schemas/federation-index.schema.json`. */
export type { FederationIndex };

/** A marketplace as the index lists it. */
export type IndexMarketplace = FederationIndexMarketplace;

/** One canonical plugin: the same plugin across every marketplace that lists it. */
export type IndexPlugin = FederationIndexPlugin;

/** One marketplace a canonical plugin is available from. */
export type Availability = FederationIndexAvailability;

/** A followed `renames` entry of a marketplace. */
export type IndexRename = FederationIndexRename;

/** Flags of a canonical plugin. */
export type PluginFlag = IndexPlugin['flags'][number];

interface PluginRecord {
  snapshot: Snapshot;
  plugin: SnapshotPlugin;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function unique(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))].sort(compare);
}

/** `/plugin marketplace add <owner>/<repo>` (or the git URL), with `#ref` when one is pinned. */
export function marketplaceAddCommand(snapshot: Pick<Snapshot, 'source' | 'ref'>): string {
  return `/plugin marketplace add ${snapshot.source}${snapshot.ref ? `#${snapshot.ref}` : ''}`;
}

function hasBehaviour(plugin: SnapshotPlugin): boolean {
  const c = plugin.components;
  const k = plugin.capabilities;
  const count =
    (c ? c.commands.length + c.agents.length + c.skills.length + c.outputStyles.length : 0) +
    (k ? k.hooks.length + k.mcp.length + k.lsp.length + k.bin.length : 0);
  return count > 0;
}

function statusRank(status: MarketplaceStatus): number {
  return status === 'ok' ? 0 : status === 'dead' ? 2 : 1;
}

/** Orders records so the first one of a group is the best canonical representative. */
function compareRecords(a: PluginRecord, b: PluginRecord): number {
  return (
    Number(a.plugin.contentHash === null) - Number(b.plugin.contentHash === null) ||
    statusRank(a.snapshot.status) - statusRank(b.snapshot.status) ||
    Number(a.plugin.source.kind !== 'local') - Number(b.plugin.source.kind !== 'local') ||
    compare(a.snapshot.id, b.snapshot.id) ||
    compare(a.plugin.name, b.plugin.name)
  );
}

/** Follows a rename chain; `null` when it ends in a removal, loops or runs too long. */
function followRename(renames: Record<string, string | null>, from: string): string | null {
  let current: string | null = from;
  const seen = new Set<string>();
  while (current !== null && Object.hasOwn(renames, current)) {
    if (seen.has(current) || seen.size > 100) return null;
    seen.add(current);
    current = renames[current] ?? null;
  }
  return current;
}

/**
 * Builds the de-duplicated index from snapshots: plugins with the same source repository and
 * path, or the same content hash, become one canonical entry listing every marketplace it is
 * available from (with its install commands); renames are followed; dead marketplaces and
 * unpinned external sources are flagged. Pure and deterministic (sorted by id).
 */
export function buildIndex(snapshots: readonly Snapshot[]): FederationIndex {
  const sorted = [...snapshots].sort((a, b) => compare(a.id, b.id));
  const records: PluginRecord[] = [];
  for (const snapshot of sorted) {
    for (const plugin of snapshot.plugins) records.push({ snapshot, plugin });
  }

  const parent = records.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] ?? root;
    let node = i;
    while (parent[node] !== root) {
      const next = parent[node] ?? root;
      parent[node] = root;
      node = next;
    }
    return root;
  };
  const firstByKey = new Map<string, number>();
  records.forEach((record, i) => {
    const keys: string[] = [];
    if (record.plugin.sourceKey !== null) keys.push(`source:${record.plugin.sourceKey}`);
    // An empty or placeholder folder says nothing about which plugin it is.
    if (record.plugin.contentHash !== null && hasBehaviour(record.plugin))
      keys.push(`hash:${record.plugin.contentHash}`);
    for (const key of keys) {
      const first = firstByKey.get(key);
      if (first === undefined) firstByKey.set(key, i);
      else parent[find(i)] = find(first);
    }
  });
  const groups = new Map<number, PluginRecord[]>();
  records.forEach((record, i) => {
    const root = find(i);
    const group = groups.get(root) ?? [];
    group.push(record);
    groups.set(root, group);
  });

  const plugins: IndexPlugin[] = [];
  const idOf = new Map<PluginRecord, string>();
  const usedIds = new Set<string>();
  const ordered = [...groups.values()].map((group) => group.sort(compareRecords));
  ordered.sort((a, b) => compareRecords(a[0] as PluginRecord, b[0] as PluginRecord));
  for (const group of ordered) {
    // Groups are never empty: each holds at least the record that created it.
    const best = group[0] as PluginRecord;
    const baseId = `${best.snapshot.id}/${best.plugin.name}`;
    let id = baseId;
    for (let n = 2; usedIds.has(id); n++) id = `${baseId}~${n}`;
    usedIds.add(id);
    for (const record of group) idOf.set(record, id);
    const availableFrom: Availability[] = group
      .map(({ snapshot, plugin }): Availability => {
        const marketplaceName = snapshot.marketplace?.name ?? null;
        return {
          marketplaceId: snapshot.id,
          marketplaceName,
          pluginName: plugin.name,
          version: plugin.version,
          marketplaceStatus: snapshot.status,
          dead: snapshot.status === 'dead',
          pinned: plugin.pinned,
          commit: snapshot.commit,
          sourceKind: plugin.source.kind,
          sourceKey: plugin.sourceKey,
          contentHash: plugin.contentHash,
          lint: { errors: plugin.lint.errors, warnings: plugin.lint.warnings },
          install:
            marketplaceName === null || snapshot.status === 'dead' || snapshot.status === 'invalid'
              ? null
              : {
                  marketplaceAdd: marketplaceAddCommand(snapshot),
                  pluginInstall: `/plugin install ${plugin.name}@${marketplaceName}`,
                },
        };
      })
      .sort(
        (a, b) => compare(a.marketplaceId, b.marketplaceId) || compare(a.pluginName, b.pluginName),
      );
    const flags: PluginFlag[] = [];
    if (availableFrom.every((a) => a.dead)) flags.push('dead');
    if (
      availableFrom.some(
        (a) => a.marketplaceStatus === 'invalid' || a.marketplaceStatus === 'unreachable',
      )
    )
      flags.push('stale');
    if (availableFrom.some((a) => !a.pinned)) flags.push('unpinned');
    const p = best.plugin;
    plugins.push({
      id,
      name: p.name,
      names: unique(group.map((r) => r.plugin.name)),
      version: p.version,
      description: p.description,
      author: p.author,
      license: p.license,
      homepage: p.homepage,
      category: p.category,
      keywords: p.keywords,
      source: p.source,
      sourceKeys: unique(group.map((r) => r.plugin.sourceKey)),
      contentHashes: unique(group.map((r) => r.plugin.contentHash)),
      components: p.components,
      capabilities: p.capabilities,
      footprint: p.footprint,
      contextCost: p.contextCost,
      lint: p.lint,
      marketplaceCount: new Set(availableFrom.map((a) => a.marketplaceId)).size,
      availableFrom,
      flags,
    });
  }

  const byName = new Map<string, PluginRecord>();
  for (const record of records) {
    const key = `${record.snapshot.id}\0${record.plugin.name}`;
    if (!byName.has(key)) byName.set(key, record);
  }
  const byId = new Map(plugins.map((plugin) => [plugin.id, plugin]));
  const renames: IndexRename[] = [];
  for (const snapshot of sorted) {
    const map = snapshot.marketplace?.renames ?? {};
    for (const from of Object.keys(map).sort(compare)) {
      const to = followRename(map, from);
      const record = to === null ? undefined : byName.get(`${snapshot.id}\0${to}`);
      const pluginId = record ? (idOf.get(record) ?? null) : null;
      renames.push({ marketplaceId: snapshot.id, from, to, pluginId });
      const target = pluginId === null ? undefined : byId.get(pluginId);
      if (target && !target.names.includes(from))
        target.names = [...target.names, from].sort(compare);
    }
  }

  plugins.sort((a, b) => compare(a.id, b.id));
  const marketplaces: IndexMarketplace[] = sorted.map((s) => ({
    id: s.id,
    name: s.marketplace?.name ?? null,
    description: s.marketplace?.description ?? null,
    owner: s.marketplace?.owner ?? null,
    source: s.source,
    url: s.url,
    ref: s.ref,
    status: s.status,
    commit: s.commit,
    fetchedAt: s.fetchedAt,
    deadSince: s.deadSince,
    errorCount: s.errors.length,
    pluginCount: s.plugins.length,
    addCommand: s.marketplace?.name ? marketplaceAddCommand(s) : null,
    firstError: s.errors[0] ?? null,
  }));
  return { $schema: indexSchemaId, formatVersion: 1, marketplaces, plugins, renames };
}
