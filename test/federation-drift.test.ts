import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FederationIndex } from '../scripts/federation/dedupe.ts';
import { readMirrorSources } from '../scripts/federation/mirror.ts';
import { syncFederation, type SyncResult } from '../scripts/federation/sync.ts';
import type { Snapshot } from '../scripts/federation/types.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const federation = path.join(repoRoot, 'federation');
const mirror = path.resolve(repoRoot, '../shared/mirror');
const hasMirror = existsSync(path.join(mirror, 'SOURCES.tsv'));

const readText = (file: string): string => readFileSync(file, 'utf8');
const snapshotNames = (dir: string): string[] =>
  readdirSync(path.join(dir, 'snapshots'))
    .filter((name) => name.endsWith('.json'))
    .sort();

const title =
  'the committed federation is what a sync of ../shared/mirror writes (reads ../shared)';

describe.skipIf(!hasMirror)(
  hasMirror ? title : `${title} (skipped: ../shared/mirror is absent)`,
  () => {
    let out: string;
    let result: SyncResult;

    beforeAll(async () => {
      out = mkdtempSync(path.join(os.tmpdir(), 'agentops-federation-drift-'));
      result = await syncFederation({
        list: path.join(federation, 'marketplaces.json'),
        out,
        mirror,
      });
    });

    afterAll(() => rmSync(out, { recursive: true, force: true }));

    test('federation/marketplaces.json lists every mirrored marketplace', () => {
      const listed = new Set(
        (JSON.parse(readText(path.join(federation, 'marketplaces.json'))) as { id: string }[]).map(
          (entry) => entry.id,
        ),
      );
      const mirrored = [...readMirrorSources(mirror).sources.keys()];
      expect(mirrored.filter((id) => !listed.has(id))).toEqual([]);
      expect(result.outcomes.length).toBe(mirrored.length);
      expect([result.listErrors, result.mirrorErrors]).toEqual([[], []]);
    });

    test('the same snapshot files, byte for byte', () => {
      expect(snapshotNames(out)).toEqual(snapshotNames(federation));
      const differing = snapshotNames(out).filter(
        (name) =>
          readText(path.join(out, 'snapshots', name)) !==
          readText(path.join(federation, 'snapshots', name)),
      );
      expect(differing).toEqual([]);
    });

    test('the same federation/index.json, byte for byte', () => {
      expect(
        readText(path.join(out, 'index.json')) === readText(path.join(federation, 'index.json')),
      ).toBe(true);
    });
  },
);

describe('the committed federation keeps every entry of a real marketplace', () => {
  const index = JSON.parse(readText(path.join(federation, 'index.json'))) as FederationIndex;
  const read = (id: string): Snapshot =>
    JSON.parse(readText(path.join(federation, 'snapshots', `${id}.json`))) as Snapshot;

  test('anthropics/claude-plugins-official: all 286 entries, external ones with their source', () => {
    const snapshot = read('anthropics__claude-plugins-official');
    const kinds = new Map<string, number>();
    for (const plugin of snapshot.plugins)
      kinds.set(plugin.source.kind, (kinds.get(plugin.source.kind) ?? 0) + 1);
    expect([snapshot.status, snapshot.plugins.length, Object.fromEntries(kinds)]).toEqual([
      'ok',
      286,
      { local: 53, url: 150, 'git-subdir': 83 },
    ]);
    const listings = index.plugins.flatMap((plugin) =>
      plugin.availableFrom.filter((a) => a.marketplaceId === 'anthropics__claude-plugins-official'),
    );
    expect(listings.length).toBe(286);
    expect(listings.every((listing) => listing.install !== null)).toBe(true);
  });

  test('an external entry carries its source and its install commands', () => {
    const plugin = index.plugins.find((p) =>
      p.availableFrom.some(
        (a) => a.marketplaceId === 'anthropics__claude-plugins-official' && a.sourceKind === 'url',
      ),
    );
    const listing = plugin?.availableFrom.find(
      (a) => a.marketplaceId === 'anthropics__claude-plugins-official',
    );
    expect(plugin?.source.kind).toBe('url');
    expect(plugin?.components).toBeNull();
    expect(listing?.install).toEqual({
      marketplaceAdd: '/plugin marketplace add anthropics/claude-plugins-official',
      pluginInstall: `/plugin install ${listing?.pluginName ?? ''}@claude-plugins-official`,
    });
  });

  test('marketplaces in a sub-folder or without a plugins array are invalid with their reason', () => {
    const errors = (id: string): [string, string[]] => {
      const snapshot = read(id);
      return [snapshot.status, snapshot.errors.map((error) => error.message)];
    };
    expect(errors('gkkirsch__gkkirsch-claude-plugins')).toEqual([
      'invalid',
      [
        'Missing `.claude-plugin/marketplace.json` at the repository root, expected it there: `/plugin marketplace add` reads only the root, and this repository has one in a sub-folder (`engineering-team/.claude-plugin/marketplace.json`)',
      ],
    ]);
    expect(errors('rohitg00__awesome-claude-code-toolkit')).toEqual([
      'invalid',
      [
        'Missing required field `name`, expected a string',
        'Missing required field `owner`, expected an object',
        'Missing required field `plugins`, expected an array',
      ],
    ]);
    expect(errors('WhiteKr__claude-plugin-commit')[1]).toEqual([
      'Missing `.claude-plugin/marketplace.json`, expected a marketplace file: this repository is a single plugin (`.claude-plugin/plugin.json` at its root), not a marketplace',
    ]);
  });
});
