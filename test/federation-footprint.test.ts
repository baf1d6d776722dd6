import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FederationIndex } from '../scripts/federation/dedupe.ts';
import { syncFederation } from '../scripts/federation/sync.ts';
import type { Footprint, Snapshot } from '../scripts/federation/types.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const mirror = path.resolve(repoRoot, '../shared/mirror');
const hasMirror = existsSync(path.join(mirror, 'SOURCES.tsv'));

/** Real marketplaces of the mirror, one or more per label rule. */
const ids = [
  '0JCRG0__hook-my-lichess',
  '00derek__amelia',
  '0Serenvale__project-lens',
  'anthropics__claude-plugins-official',
  '01kuma20__agi-lab-skills-marketplace',
  'YoungjaeDev__my-claude-plugins',
  'cam-barts__claude-marketplace',
  '0101__focused-review',
  'constellos__claude-code-plugins',
];

const none = { folderMissing: false, hosts: [], scripts: [], writes: [], moreReasons: 0 };

const title = 'federated footprints on real marketplaces of the mirror (reads ../shared/mirror)';

describe.skipIf(!hasMirror)(
  hasMirror ? title : `${title} (skipped: ../shared/mirror is absent)`,
  () => {
    let out: string;
    let index: FederationIndex;
    const footprint = (id: string, name: string): Footprint | undefined => {
      const file = path.join(out, 'snapshots', `${id}.json`);
      const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
      return snapshot.plugins.find((plugin) => plugin.name === name)?.footprint;
    };

    beforeAll(async () => {
      out = mkdtempSync(path.join(os.tmpdir(), 'agentops-federation-footprint-'));
      await syncFederation({
        list: path.join(repoRoot, 'federation/marketplaces.json'),
        out,
        mirror,
        only: ids,
        concurrency: 2,
      });
      index = JSON.parse(readFileSync(path.join(out, 'index.json'), 'utf8')) as FederationIndex;
    });

    afterAll(() => rmSync(out, { recursive: true, force: true }));

    test('hooks running placeholder scripts are unknown, one reason per script (0JCRG0/hook-my-lichess)', () => {
      expect(footprint('0JCRG0__hook-my-lichess', 'hook-my-lichess')).toEqual({
        label: 'unknown',
        folderMissing: false,
        hosts: [],
        scripts: [
          { path: 'hooks/on-prompt.sh', status: 'empty' },
          { path: 'hooks/on-start.sh', status: 'empty' },
          { path: 'hooks/on-stop.sh', status: 'empty' },
        ],
        writes: [],
        reasons: [
          {
            kind: 'script-empty',
            path: 'hooks/on-prompt.sh',
            text: '`hooks/on-prompt.sh` is run but is empty, so what it does is not known',
          },
          {
            kind: 'script-empty',
            path: 'hooks/on-start.sh',
            text: '`hooks/on-start.sh` is run but is empty, so what it does is not known',
          },
          {
            kind: 'script-empty',
            path: 'hooks/on-stop.sh',
            text: '`hooks/on-stop.sh` is run but is empty, so what it does is not known',
          },
        ],
        moreReasons: 0,
      });
    });

    test('entries from another repository are unknown: url, github and git-subdir sources', () => {
      expect(footprint('00derek__amelia', 'amelia')).toEqual({
        label: 'unknown',
        ...none,
        reasons: [
          {
            kind: 'external-source',
            path: null,
            text: 'Comes from `https://github.com/00derek/amelia.git`, whose files are not read here, so what it runs is not known',
          },
        ],
      });
      expect(footprint('0Serenvale__project-lens', 'project-lens')).toEqual({
        label: 'unknown',
        ...none,
        reasons: [
          {
            kind: 'external-source',
            path: null,
            text: 'Comes from `github:0Serenvale/project-lens`, whose files are not read here, so what it runs is not known',
          },
        ],
      });
      expect(
        footprint('anthropics__claude-plugins-official', '42crunch-api-security-testing'),
      ).toEqual({
        label: 'unknown',
        ...none,
        reasons: [
          {
            kind: 'external-source',
            path: null,
            text: 'Comes from `https://github.com/42Crunch-AI/claude-plugins.git` (`plugins/api-security-testing`), whose files are not read here, so what it runs is not known',
          },
        ],
      });
    });

    test('an entry whose folder is missing is unknown and says so (01kuma20/terminal-vibes)', () => {
      expect(footprint('01kuma20__agi-lab-skills-marketplace', 'terminal-vibes')).toEqual({
        label: 'unknown',
        ...none,
        folderMissing: true,
        reasons: [
          {
            kind: 'folder-missing',
            path: 'plugins/terminal-vibes',
            text: 'The plugin folder `plugins/terminal-vibes` does not exist, so what it runs cannot be seen',
          },
        ],
      });
    });

    test('an MCP server run with docker is network (YoungjaeDev/paper-search-tools)', () => {
      expect(footprint('YoungjaeDev__my-claude-plugins', 'paper-search-tools')).toEqual({
        label: 'network',
        ...none,
        reasons: [
          {
            kind: 'network-command',
            path: 'plugins/paper-search-tools/.mcp.json',
            text: 'Runs `docker`, which reaches the network',
          },
        ],
      });
    });

    test('an inline hook that only echoes is no-network; commands alone are prompt-only', () => {
      expect(footprint('cam-barts__claude-marketplace', 'pytest-standards')).toEqual({
        label: 'no-network',
        ...none,
        reasons: [],
      });
      expect(footprint('0101__focused-review', 'focused-review')).toEqual({
        label: 'prompt-only',
        ...none,
        reasons: [],
      });
    });

    test('keeps the first ten reasons and counts the rest (constellos/nextjs-supabase-ai-sdk-dev)', () => {
      const found = footprint('constellos__claude-code-plugins', 'nextjs-supabase-ai-sdk-dev');
      expect([found?.label, found?.reasons.length, found?.moreReasons, found?.hosts]).toEqual([
        'network',
        10,
        3,
        ['mcp.supabase.com', 'mcp.vercel.com', 'registry.ai-sdk.dev'],
      ]);
    });

    test('the index carries the footprint of each canonical plugin', () => {
      const lichess = index.plugins.find((plugin) => plugin.name === 'hook-my-lichess');
      expect(lichess?.footprint).toEqual(footprint('0JCRG0__hook-my-lichess', 'hook-my-lichess'));
      const labels = new Map<string, number>();
      for (const plugin of index.plugins)
        labels.set(plugin.footprint.label, (labels.get(plugin.footprint.label) ?? 0) + 1);
      expect([...labels.keys()].sort()).toEqual([
        'network',
        'no-network',
        'prompt-only',
        'unknown',
      ]);
    });
  },
);
