import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readMirrorCapturedAt, readMirrorSources } from '../scripts/federation/mirror.ts';
import { syncFederation, type SyncResult } from '../scripts/federation/sync.ts';
import type { Snapshot } from '../scripts/federation/types.ts';
import { commitAll } from './helpers/remotes.ts';

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const header = 'id\trepo\tcommit\tdefault_branch\tlicense\tplugins\tbytes\n';
const sha = (n: number): string => String(n).repeat(40);

/** Three repositories: a marketplace with local and external entries, a nested one, a root plugin. */
function writeTrees(root: string): void {
  const market = path.join(root, 'acme__tools');
  write(
    path.join(market, '.claude-plugin/marketplace.json'),
    json({
      name: 'acme-tools',
      owner: { name: 'Acme' },
      plugins: [
        { name: 'lint-helper', source: './plugins/lint-helper', description: 'Lints things' },
        { name: 'remote', source: { source: 'github', repo: 'acme/remote' }, description: 'Far' },
        {
          name: 'sub',
          source: { source: 'git-subdir', url: 'https://gitlab.com/a/b.git', path: 'p/sub' },
        },
        { name: 'gone', source: './plugins/gone' },
      ],
    }),
  );
  write(
    path.join(market, 'plugins/lint-helper/.claude-plugin/plugin.json'),
    json({ name: 'lint-helper', version: '1.2.0', description: 'Lints things' }),
  );
  write(
    path.join(market, 'plugins/lint-helper/commands/check.md'),
    '---\ndescription: Check the files\n---\n\n# Check\n',
  );
  write(path.join(market, 'README.md'), '# Not read: outside the plugin folders\n');
  const nested = path.join(root, 'deep__market');
  write(
    path.join(nested, 'team/.claude-plugin/marketplace.json'),
    json({ name: 'deep', owner: { name: 'D' }, plugins: [] }),
  );
  const single = path.join(root, 'solo__plugin');
  write(path.join(single, '.claude-plugin/plugin.json'), json({ name: 'solo' }));
}

describe('catalog:sync --mirror', () => {
  let work: string;
  let mirror: string;
  let list: string;
  let fromMirror: SyncResult;
  const commits = new Map<string, string>();
  const ids = ['acme__tools', 'deep__market', 'solo__plugin'];
  const read = (out: string, id: string): Snapshot =>
    JSON.parse(readFileSync(path.join(out, 'snapshots', `${id}.json`), 'utf8')) as Snapshot;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'agentops-federation-mirror-'));
    mirror = path.join(work, 'mirror');
    writeTrees(mirror);
    // The same trees as git remotes, to compare the mirror path with the fetch path.
    const remotes = path.join(work, 'remotes');
    writeTrees(remotes);
    for (const id of ids) {
      commitAll(path.join(remotes, id));
      const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: path.join(remotes, id) });
      commits.set(id, head.toString().trim());
    }
    write(
      path.join(mirror, 'SOURCES.tsv'),
      header +
        ids
          .map((id) => `${id}\t${id.replace('__', '/')}\t${commits.get(id) ?? ''}\tmain\tMIT\t1\t9`)
          .join('\n') +
        '\n',
    );
    write(path.join(mirror, 'README.md'), '# Mirror\n\n- **Captured:** 2026-11-30, from a test.\n');
    list = path.join(work, 'marketplaces.json');
    write(
      list,
      json([...ids, 'missing__one'].map((id) => ({ id, source: id.replace('__', '/') }))),
    );
    fromMirror = await syncFederation({ list, out: path.join(work, 'out'), mirror });
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('pins each snapshot to the SOURCES.tsv commit and dates it by the capture date', () => {
    const snapshot = read(path.join(work, 'out'), 'acme__tools');
    expect([snapshot.status, snapshot.commit, snapshot.seenCommit, snapshot.fetchedAt]).toEqual([
      'ok',
      commits.get('acme__tools'),
      commits.get('acme__tools'),
      '2026-11-30T00:00:00.000Z',
    ]);
    expect(snapshot.url).toBe('https://github.com/acme/tools.git');
  });

  test('keeps every entry, external sources with their source and key', () => {
    const snapshot = read(path.join(work, 'out'), 'acme__tools');
    expect(snapshot.plugins.map((p) => [p.name, p.source.kind, p.sourceKey])).toEqual([
      ['lint-helper', 'local', 'github.com/acme/tools#plugins/lint-helper'],
      ['remote', 'github', 'github.com/acme/remote#'],
      ['sub', 'git-subdir', 'gitlab.com/a/b#p/sub'],
      ['gone', 'local', 'github.com/acme/tools#plugins/gone'],
    ]);
    expect(snapshot.plugins[0]?.components?.commands.map((c) => c.invocation)).toEqual([
      '/lint-helper:check',
    ]);
  });

  test('says why a nested marketplace or a lone plugin cannot be added', () => {
    const out = path.join(work, 'out');
    expect(read(out, 'deep__market').errors.map((e) => [e.ruleId, e.message])).toEqual([
      [
        'marketplace',
        'Missing `.claude-plugin/marketplace.json` at the repository root, expected it there: `/plugin marketplace add` reads only the root, and this repository has one in a sub-folder (`team/.claude-plugin/marketplace.json`)',
      ],
    ]);
    expect(read(out, 'solo__plugin').errors.map((e) => e.message)).toEqual([
      'Missing `.claude-plugin/marketplace.json`, expected a marketplace file: this repository is a single plugin (`.claude-plugin/plugin.json` at its root), not a marketplace',
    ]);
    expect(fromMirror.outcomes.map((o) => [o.id, o.status, o.plugins])).toEqual([
      ['acme__tools', 'ok', 4],
      ['deep__market', 'invalid', 0],
      ['solo__plugin', 'invalid', 0],
    ]);
  });

  test('leaves listed ids the mirror lacks alone and names them', () => {
    expect(fromMirror.notInMirror).toEqual(['missing__one']);
    expect(existsSync(path.join(work, 'out/snapshots/missing__one.json'))).toBe(false);
    expect(fromMirror.mirrorErrors).toEqual([]);
  });

  test('writes the same snapshots as a git fetch of the same commits', async () => {
    const gitList = path.join(work, 'git-list.json');
    write(
      gitList,
      json(ids.map((id) => ({ id, source: `file://${path.join(work, 'remotes', id)}` }))),
    );
    const out = path.join(work, 'git-out');
    await syncFederation({
      list: gitList,
      out,
      allowLocal: true,
      now: () => new Date('2026-11-30T00:00:00.000Z'),
    });
    for (const id of ids) {
      const viaGit = read(out, id);
      const viaMirror = read(path.join(work, 'out'), id);
      // Local plugins are keyed by the repository URL, which differs (file:// against GitHub).
      const unkey = (snapshot: Snapshot): string =>
        JSON.stringify({ ...snapshot, source: '', url: '' }).replace(
          /"sourceKey":"[^"]*#/g,
          '"sourceKey":"#',
        );
      expect(unkey(viaMirror)).toBe(unkey(viaGit));
    }
  });

  test('skips a listed id whose mirrored repository is another one, and says so', async () => {
    const other = path.join(work, 'other-list.json');
    write(other, json([{ id: 'acme__tools', source: 'someone/else' }]));
    const result = await syncFederation({ list: other, out: path.join(work, 'other'), mirror });
    expect([result.outcomes.length, result.mirrorErrors]).toEqual([
      0,
      [
        'Unexpected repository `acme/tools` for `acme__tools` in `SOURCES.tsv`, expected `someone/else` as listed: not synced',
      ],
    ]);
  });

  test('refuses a mirror without a capture date and writes nothing', async () => {
    const bare = path.join(work, 'bare');
    write(
      path.join(bare, 'SOURCES.tsv'),
      `${header}acme__tools\tacme/tools\t${sha(1)}\tmain\tMIT\t1\t9\n`,
    );
    const out = path.join(work, 'bare-out');
    const result = await syncFederation({ list, out, mirror: bare });
    expect(result.mirrorErrors).toEqual([
      'Missing capture date of the mirror, expected a `Captured: YYYY-MM-DD` line in its `README.md` or a `CAPTURED` file',
    ]);
    expect([result.outcomes.length, existsSync(out)]).toEqual([0, false]);
  });
});

describe('mirror files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'agentops-mirror-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('reads SOURCES.tsv rows and reports the bad ones by line', () => {
    write(
      path.join(dir, 'SOURCES.tsv'),
      `${header}a__b\ta/b\t${sha(2)}\tmain\tMIT\t1\t9\nbad row\n-x__y\tx/y\t${sha(3)}\tmain\tMIT\t1\t9\na__b\ta/b\t${sha(4)}\tmain\tMIT\t1\t9\n`,
    );
    const { sources, errors } = readMirrorSources(dir);
    expect([...sources.values()]).toEqual([
      { id: 'a__b', repo: 'a/b', commit: sha(2), defaultBranch: 'main' },
    ]);
    expect(errors).toEqual([
      'Unexpected `SOURCES.tsv` line 3, expected an id, `owner/repo` and a 40-hex commit',
      'Unexpected `SOURCES.tsv` line 4, expected an id, `owner/repo` and a 40-hex commit',
      'Unexpected duplicate id `a__b` at `SOURCES.tsv` line 5, expected unique ids',
    ]);
  });

  test('takes the capture date from README.md, else from CAPTURED, never from the clock', () => {
    expect(readMirrorCapturedAt(dir)).toBeUndefined();
    write(path.join(dir, 'CAPTURED'), '2026-10-01T12:30Z\n');
    expect(readMirrorCapturedAt(dir)).toBe('2026-10-01T12:30:00.000Z');
    write(
      path.join(dir, 'README.md'),
      'Intro\n\n- **Captured:** 2026-12-04, from stored snapshots\n',
    );
    expect(readMirrorCapturedAt(dir)).toBe('2026-12-04T00:00:00.000Z');
  });
});
