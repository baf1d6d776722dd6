import { execFileSync } from 'node:child_process';
import {
  cpSync,
  symlinkSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FederationIndex, IndexPlugin } from '../scripts/federation/dedupe.ts';
import { syncFederation, type SyncResult } from '../scripts/federation/sync.ts';
import type { Snapshot } from '../scripts/federation/types.ts';
import { commitAll } from './helpers/remotes.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const hasCorpus = existsSync(path.join(corpus, 'SOURCES.tsv'));

const first = new Date('2026-03-01T08:00:00.000Z');
const second = new Date('2026-03-02T08:00:00.000Z');
const third = new Date('2026-03-03T08:00:00.000Z');
const fourth = new Date('2026-03-04T08:00:00.000Z');

function readTree(dir: string): Record<string, string> {
  const files: [string, string][] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.push([path.relative(dir, file), readFileSync(file, 'utf8')]);
  }
  return Object.fromEntries(files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function readSnapshot(out: string, id: string): Snapshot {
  return JSON.parse(readFileSync(path.join(out, 'snapshots', `${id}.json`), 'utf8')) as Snapshot;
}

function readIndex(out: string): FederationIndex {
  return JSON.parse(readFileSync(path.join(out, 'index.json'), 'utf8')) as FederationIndex;
}

function pluginById(index: FederationIndex, id: string): IndexPlugin {
  const plugin = index.plugins.find((p) => p.id === id);
  if (!plugin) throw new Error(`No plugin ${id} in the index`);
  return plugin;
}

const title = 'catalog:sync on local remotes built from the corpus';

describe.skipIf(!hasCorpus)(
  hasCorpus ? title : `${title} (skipped: ../shared/corpus is absent)`,
  () => {
    let work: string;
    let remotes: string;
    let out: string;
    let list: string;
    let url: (id: string) => string;
    const results: SyncResult[] = [];
    const trees: Record<string, string>[] = [];

    beforeAll(async () => {
      work = mkdtempSync(path.join(os.tmpdir(), 'agentops-federation-test-'));
      remotes = path.join(work, 'remotes');
      out = path.join(work, 'federation');
      list = path.join(work, 'marketplaces.json');
      url = (id) => `file://${path.join(remotes, id)}`;

      for (const id of [
        'kecbigmt__cc-plugins',
        'jamditis__claude-skills-journalism',
        'yshrsmz__cc-plugins',
      ]) {
        cpSync(path.join(corpus, id), path.join(remotes, id), { recursive: true });
        commitAll(path.join(remotes, id));
      }
      // A mirror: a byte-identical copy of one plugin (same content hash), a git-subdir entry
      // pointing at another marketplace's plugin folder (same source), and a rename.
      const mirror = path.join(remotes, 'mirror__plugins');
      cpSync(
        path.join(corpus, 'kecbigmt__cc-plugins/plugins/story-driven'),
        path.join(mirror, 'plugins/story-driven'),
        { recursive: true },
      );
      mkdirSync(path.join(mirror, '.claude-plugin'), { recursive: true });
      writeFileSync(
        path.join(mirror, '.claude-plugin/marketplace.json'),
        `${JSON.stringify(
          {
            name: 'mirror-market',
            owner: { name: 'Mirror' },
            description: 'Plugins collected from elsewhere',
            plugins: [
              { name: 'story-driven', source: './plugins/story-driven', description: 'A copy' },
              {
                name: 'tailscale-remote',
                source: {
                  source: 'git-subdir',
                  url: url('kecbigmt__cc-plugins'),
                  path: 'plugins/tailscale',
                },
                description: 'The tailscale plugin, fetched from its home',
              },
            ],
            renames: { 'old-story': 'story-driven', 'gone-plugin': null },
          },
          null,
          2,
        )}\n`,
      );
      commitAll(mirror);
      const brokenJson = path.join(remotes, 'broken__json');
      mkdirSync(path.join(brokenJson, '.claude-plugin'), { recursive: true });
      writeFileSync(
        path.join(brokenJson, '.claude-plugin/marketplace.json'),
        '{ "name": "broken",\n',
      );
      commitAll(brokenJson);
      const noOwner = path.join(remotes, 'broken__schema');
      cpSync(
        path.join(corpus, 'edgedelta__claude-code-plugins/plugins'),
        path.join(noOwner, 'plugins'),
        { recursive: true },
      );
      mkdirSync(path.join(noOwner, '.claude-plugin'), { recursive: true });
      writeFileSync(
        path.join(noOwner, '.claude-plugin/marketplace.json'),
        `${JSON.stringify({ name: 'no-owner', plugins: [{ name: 'edgedelta-ottl', source: './plugins/edgedelta-ottl' }] }, null, 2)}\n`,
      );
      commitAll(noOwner);
      // Hostile content: a symlink out of the tree, `---js` frontmatter, a 2 MiB blob the fetch
      // filter leaves out, and markup in a description.
      const hostile = path.join(remotes, 'hostile__repo');
      const evil = path.join(hostile, 'plugins/evil');
      mkdirSync(path.join(evil, 'commands'), { recursive: true });
      mkdirSync(path.join(hostile, '.claude-plugin'), { recursive: true });
      writeFileSync(
        path.join(hostile, '.claude-plugin/marketplace.json'),
        `${JSON.stringify({ name: 'hostile', owner: { name: 'H' }, plugins: [{ name: 'evil', source: './plugins/evil', description: '<script>alert(1)</script>' }] })}\n`,
      );
      writeFileSync(
        path.join(evil, 'commands/run.md'),
        '---js\n{ description: process.exit(7) }\n---\n# Run\n',
      );
      writeFileSync(
        path.join(evil, 'commands/big.md'),
        `---\ndescription: big\n---\n${'x'.repeat(2 * 1024 * 1024)}\n`,
      );
      symlinkSync('/etc/passwd', path.join(evil, 'commands/passwd.md'));
      commitAll(hostile);

      const ids = [
        'broken__json',
        'broken__schema',
        'hostile__repo',
        'jamditis__claude-skills-journalism',
        'kecbigmt__cc-plugins',
        'mirror__plugins',
        'yshrsmz__cc-plugins',
      ];
      writeFileSync(
        list,
        `${JSON.stringify(
          [
            ...ids.map((id) => ({ id, source: url(id) })),
            { id: 'wrong__ref', source: url('kecbigmt__cc-plugins'), ref: 'no-such-branch' },
          ],
          null,
          2,
        )}\n`,
      );

      const sync = async (now: Date): Promise<void> => {
        results.push(
          await syncFederation({ list, out, concurrency: 2, allowLocal: true, now: () => now }),
        );
        trees.push(readTree(out));
      };
      await sync(first);
      await sync(second);
      rmSync(path.join(remotes, 'yshrsmz__cc-plugins'), { recursive: true, force: true });
      await sync(third);
      await sync(fourth);
    });

    afterAll(() => {
      rmSync(work, { recursive: true, force: true });
    });

    test('records every marketplace with its status, one snapshot each', () => {
      expect(results[0]?.outcomes.map((o) => [o.id, o.status, o.plugins])).toEqual([
        ['broken__json', 'invalid', 0],
        ['broken__schema', 'invalid', 1],
        ['hostile__repo', 'ok', 1],
        ['jamditis__claude-skills-journalism', 'ok', 4],
        ['kecbigmt__cc-plugins', 'ok', 2],
        ['mirror__plugins', 'ok', 2],
        ['yshrsmz__cc-plugins', 'ok', 3],
        ['wrong__ref', 'unreachable', 0],
      ]);
      expect(Object.keys(trees[0] ?? {}).sort()).toEqual([
        'index.json',
        'snapshots/broken__json.json',
        'snapshots/broken__schema.json',
        'snapshots/hostile__repo.json',
        'snapshots/jamditis__claude-skills-journalism.json',
        'snapshots/kecbigmt__cc-plugins.json',
        'snapshots/mirror__plugins.json',
        'snapshots/wrong__ref.json',
        'snapshots/yshrsmz__cc-plugins.json',
      ]);
    });

    test('pins the commit it saw and reads plugins outside plugins/ (sparse read of local sources)', () => {
      const snapshot = readSnapshot(out, 'jamditis__claude-skills-journalism');
      const head = execFileSync('git', ['rev-parse', 'HEAD'], {
        cwd: path.join(remotes, 'jamditis__claude-skills-journalism'),
        encoding: 'utf8',
      }).trim();
      expect(snapshot.commit).toBe(head);
      expect(snapshot.seenCommit).toBe(head);
      expect(snapshot.fetchedAt).toBe(first.toISOString());
      const autocontext = snapshot.plugins.find((p) => p.name === 'autocontext');
      expect(autocontext?.source).toEqual({ kind: 'local', path: 'autocontext' });
      expect(autocontext?.components?.commands.map((c) => c.invocation)).toEqual([
        '/autocontext:evolve',
        '/autocontext:init',
        '/autocontext:review',
      ]);
      expect(autocontext?.components?.agents.map((a) => a.id)).toEqual([
        'autocontext:autocontext-curator',
      ]);
      expect(autocontext?.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(autocontext?.contextCost?.session).toBeGreaterThan(0);
    });

    test('a broken marketplace is recorded with its errors and does not stop the others', () => {
      const json = readSnapshot(out, 'broken__json');
      expect(json.status).toBe('invalid');
      expect(json.errors.map((e) => [e.ruleId, e.path])).toEqual([
        ['parse', '.claude-plugin/marketplace.json'],
      ]);
      expect(json.plugins).toEqual([]);
      const schema = readSnapshot(out, 'broken__schema');
      expect(schema.status).toBe('invalid');
      expect(schema.errors).toEqual([
        {
          ruleId: 'schema',
          path: '.claude-plugin/marketplace.json',
          line: 1,
          column: 1,
          message: 'Missing required field `owner`, expected an object',
        },
      ]);
      // Claude Code refuses the marketplace, so its plugins are listed but not installable.
      const index = readIndex(out);
      const ottl = pluginById(index, 'broken__schema/edgedelta-ottl');
      expect(ottl.availableFrom.map((a) => [a.marketplaceStatus, a.install])).toEqual([
        ['invalid', null],
      ]);
      expect(ottl.flags).toEqual(['stale']);
      expect(readSnapshot(out, 'kecbigmt__cc-plugins').status).toBe('ok');
    });

    test('hostile content is reported, never run or followed', () => {
      const [evil] = readSnapshot(out, 'hostile__repo').plugins;
      expect(evil?.description).toBe('<script>alert(1)</script>');
      expect(
        evil?.lint.messages.map((m) => [m.ruleId, m.severity, m.path, m.line, m.message]),
      ).toEqual([
        [
          'plugin-version-required',
          'warning',
          '.claude-plugin/marketplace.json',
          1,
          'Missing `version` for plugin `evil`, expected a version such as `1.0.0` in its entry (it has no `plugin.json`)',
        ],
        [
          'parse',
          'error',
          'plugins/evil/commands/big.md',
          1,
          'Unexpected file of 1.0 MiB, expected at most 1 MiB (Claude Code skips larger files)',
        ],
        [
          'symlink',
          'error',
          'plugins/evil/commands/passwd.md',
          1,
          'Unexpected symlink to `/etc/passwd` outside the repository, expected a target inside it',
        ],
        [
          'parse',
          'error',
          'plugins/evil/commands/run.md',
          1,
          'Unexpected executable frontmatter `---js`, expected YAML frontmatter (`---`)',
        ],
      ]);
    });

    test('a missing ref is recorded as unreachable with the reason', () => {
      const wrong = readSnapshot(out, 'wrong__ref');
      expect([wrong.status, wrong.commit, wrong.deadSince]).toEqual(['unreachable', null, null]);
      expect(wrong.errors).toEqual([
        {
          ruleId: 'fetch',
          path: null,
          line: null,
          column: null,
          message:
            'Missing ref `no-such-branch`: Remote branch no-such-branch not found in upstream origin',
        },
      ]);
    });

    test('duplicates across marketplaces collapse to one entry, each with its install command', () => {
      const index = readIndex(out);
      const story = pluginById(index, 'kecbigmt__cc-plugins/story-driven');
      expect(story.marketplaceCount).toBe(2);
      expect(story.availableFrom.map((a) => [a.marketplaceId, a.pluginName, a.install])).toEqual([
        [
          'kecbigmt__cc-plugins',
          'story-driven',
          {
            marketplaceAdd: `/plugin marketplace add ${url('kecbigmt__cc-plugins')}`,
            pluginInstall: '/plugin install story-driven@kecbigmt-plugins',
          },
        ],
        [
          'mirror__plugins',
          'story-driven',
          {
            marketplaceAdd: `/plugin marketplace add ${url('mirror__plugins')}`,
            pluginInstall: '/plugin install story-driven@mirror-market',
          },
        ],
      ]);
      expect(story.contentHashes).toHaveLength(1);
      expect(story.sourceKeys).toEqual([
        `${url('kecbigmt__cc-plugins')}#plugins/story-driven`,
        `${url('mirror__plugins')}#plugins/story-driven`,
      ]);
      // Renames are followed: the old name resolves to the canonical entry.
      expect(story.names).toEqual(['old-story', 'story-driven']);
      expect(index.renames).toEqual([
        { marketplaceId: 'mirror__plugins', from: 'gone-plugin', to: null, pluginId: null },
        {
          marketplaceId: 'mirror__plugins',
          from: 'old-story',
          to: 'story-driven',
          pluginId: 'kecbigmt__cc-plugins/story-driven',
        },
      ]);

      const tailscale = pluginById(index, 'kecbigmt__cc-plugins/tailscale');
      expect(tailscale.names).toEqual(['tailscale', 'tailscale-remote']);
      expect(tailscale.availableFrom.map((a) => [a.marketplaceId, a.sourceKind, a.pinned])).toEqual(
        [
          ['kecbigmt__cc-plugins', 'local', true],
          ['mirror__plugins', 'git-subdir', false],
        ],
      );
      expect(tailscale.flags).toEqual(['unpinned']);
      expect(
        index.plugins.filter(
          (p) => p.names.includes('story-driven') || p.names.includes('tailscale'),
        ),
      ).toHaveLength(2);
    });

    test('a second sync of unchanged remotes changes nothing', () => {
      expect(results[1]?.outcomes.every((o) => !o.changed)).toBe(true);
      expect(results[1]?.indexChanged).toBe(false);
      expect(trees[1]).toEqual(trees[0]);
    });

    test('a removed repository is marked dead with its last good data, not dropped', () => {
      const before = JSON.parse(
        trees[0]?.['snapshots/yshrsmz__cc-plugins.json'] ?? '{}',
      ) as Snapshot;
      const dead = readSnapshot(out, 'yshrsmz__cc-plugins');
      expect(dead.status).toBe('dead');
      expect(dead.deadSince).toBe(third.toISOString());
      expect(dead.fetchedAt).toBe(third.toISOString());
      expect(dead.commit).toBe(before.commit);
      expect(dead.seenCommit).toBeNull();
      expect(dead.plugins).toEqual(before.plugins);
      expect(dead.errors.map((e) => e.ruleId)).toEqual(['fetch']);
      expect(dead.errors[0]?.message).toContain('does not appear to be a git repository');
      const index = readIndex(out);
      const android = pluginById(index, 'yshrsmz__cc-plugins/android');
      expect(android.flags).toEqual(['dead']);
      expect(android.availableFrom.map((a) => [a.dead, a.install])).toEqual([[true, null]]);
      expect(index.marketplaces.find((m) => m.id === 'yshrsmz__cc-plugins')?.status).toBe('dead');
      // The others did not change, and a later sync of the dead repository changes nothing.
      const changed = results[2]?.outcomes.filter((o) => o.changed).map((o) => o.id);
      expect(changed).toEqual(['yshrsmz__cc-plugins']);
      expect(trees[3]).toEqual(trees[2]);
    });

    test('the index and every snapshot match their schemas', () => {
      const require = createRequire(path.join(repoRoot, 'lint/package.json'));
      const { Ajv2020 } = require('ajv/dist/2020.js') as {
        Ajv2020: new (options: object) => {
          addSchema(schema: unknown): unknown;
          compile(schema: unknown): ((data: unknown) => boolean) & { errors?: unknown };
        };
      };
      const readSchema = (name: string): unknown =>
        JSON.parse(readFileSync(path.join(repoRoot, 'schemas', name), 'utf8')) as unknown;
      const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
      ajv.addSchema(readSchema('federation-index.schema.json'));
      const validateIndex = ajv.compile({
        $ref: 'https://agentops-marketplace.github.io/agentops-marketplace/schemas/federation-index.schema.json',
      });
      const validateSnapshot = ajv.compile(readSchema('federation-snapshot.schema.json'));
      expect([validateIndex(readIndex(out)), validateIndex.errors ?? null]).toEqual([true, null]);
      for (const name of Object.keys(trees[3] ?? {}).filter((n) => n.startsWith('snapshots/'))) {
        const snapshot = JSON.parse(trees[3]?.[name] ?? '') as unknown;
        expect([name, validateSnapshot(snapshot), validateSnapshot.errors ?? null]).toEqual([
          name,
          true,
          null,
        ]);
      }
    });
  },
);
