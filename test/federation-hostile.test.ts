import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fetchMarketplace } from '../scripts/federation/git.ts';
import { readMirrorTree } from '../scripts/federation/mirror.ts';
import { syncFederation, type SyncResult } from '../scripts/federation/sync.ts';
import type { Snapshot } from '../scripts/federation/types.ts';
import { commitAll } from './helpers/remotes.ts';

const mib = 1024 * 1024;
const fileCount = 40;
const fileBytes = 1_000_000;
const limit = 8 * mib;

/**
 * A marketplace whose one plugin holds 40 highly compressible files of 1 MB each (just under the
 * 1 MiB per-file limit): a few KB over the wire, 40 MB once read.
 */
function writeHostileTree(dir: string): void {
  const plugin = path.join(dir, 'plugins/bloat');
  mkdirSync(path.join(plugin, 'commands'), { recursive: true });
  mkdirSync(path.join(dir, '.claude-plugin'), { recursive: true });
  writeFileSync(
    path.join(dir, '.claude-plugin/marketplace.json'),
    `${JSON.stringify({ name: 'bloat', owner: { name: 'B' }, plugins: [{ name: 'bloat', source: './plugins/bloat' }] })}\n`,
  );
  const head = '---\ndescription: Bloat\n---\n';
  const body = `${head}${'a'.repeat(fileBytes - head.length - 1)}\n`;
  for (let i = 0; i < fileCount; i++)
    writeFileSync(path.join(plugin, 'commands', `c${String(i).padStart(2, '0')}.md`), body);
}

const heldBytes = (files: Map<string, { bytes: Uint8Array | undefined }>): number =>
  [...files.values()].reduce((sum, file) => sum + (file.bytes?.length ?? 0), 0);

const expectedMessage = (files: number): string =>
  `Unexpected ${files} more files (${((files * fileBytes) / mib).toFixed(1)} MiB) past the first 8.0 MiB of plugin files, expected at most 8.0 MiB per marketplace: they were not read`;

describe('a hostile marketplace of compressible 1 MB files cannot exhaust memory', () => {
  let work: string;
  let remote: string;
  let result: SyncResult;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'agentops-federation-hostile-'));
    remote = path.join(work, 'remotes/bloat__market');
    writeHostileTree(remote);
    commitAll(remote);
    const list = path.join(work, 'marketplaces.json');
    writeFileSync(list, JSON.stringify([{ id: 'bloat__market', source: `file://${remote}` }]));
    result = await syncFederation({
      list,
      out: path.join(work, 'out'),
      allowLocal: true,
      maxMarketplaceBytes: limit,
      now: () => new Date('2026-12-01T00:00:00.000Z'),
    });
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('a git fetch reads no more than the limit and leaves the rest unread', async () => {
    const fetched = await fetchMarketplace(`file://${remote}`, undefined, path.join(work, 'c1'), {
      maxTotalBytes: limit,
    });
    if (!fetched.ok) throw new Error(fetched.message);
    expect(heldBytes(fetched.files)).toBeLessThanOrEqual(limit);
    const unread = [...fetched.files.values()].filter((file) => file.unread === 'budget');
    // 8 MiB holds the marketplace file and 8 of the 1 MB commands; the other 32 stay unread.
    expect([unread.length, fetched.overBudget]).toEqual([
      32,
      { limit, files: 32, bytes: 32 * fileBytes },
    ]);
  });

  test('the snapshot says what was left unread and keeps the marketplace usable', () => {
    const snapshot = JSON.parse(
      readFileSync(path.join(work, 'out/snapshots/bloat__market.json'), 'utf8'),
    ) as Snapshot;
    expect(snapshot.status).toBe('ok');
    expect(snapshot.errors).toEqual([
      { ruleId: 'read-limit', path: null, line: null, column: null, message: expectedMessage(32) },
    ]);
    expect(result.outcomes[0]?.errors).toEqual([expectedMessage(32)]);
    const plugin = snapshot.plugins[0];
    const first = plugin?.lint.messages.find((m) => m.path === 'plugins/bloat/commands/c08.md');
    expect(first?.message).toBe(
      "Unexpected unreadable file (left unread: over the sync's read limit), expected a readable regular file",
    );
    // Unread files are still listed by name, as the loader lists any command file it finds.
    expect(plugin?.components?.commands.length).toBe(fileCount);
  });

  test('a mirror tree is held to the same limit', () => {
    const fetched = readMirrorTree(
      path.join(work, 'remotes'),
      { id: 'bloat__market', repo: 'bloat/market', commit: 'a'.repeat(40), defaultBranch: 'main' },
      limit,
    );
    if (!fetched.ok) throw new Error(fetched.message);
    expect(heldBytes(fetched.files)).toBeLessThanOrEqual(limit);
    expect(fetched.overBudget).toEqual({ limit, files: 32, bytes: 32 * fileBytes });
  });
});
