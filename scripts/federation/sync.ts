import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { VFile } from 'vfile';
import { parseCatalog, type Catalog } from '../../lint/src/catalog/index.ts';
import { lintCatalog } from '../../lint/src/engine.ts';
import { federationSnapshot } from '../../lint/src/generated/validators.js';
import { hashPluginFiles } from './content-hash.ts';
import { buildIndex } from './dedupe.ts';
import { readJsonFile, readTextFile, toJsonText, writeFileAtomic } from './files.ts';
import { defaultMarketplaceBytes, fetchMarketplace, type FetchResult } from './git.ts';
import {
  readMirrorCapturedAt,
  readMirrorSources,
  readMirrorTree,
  type MirrorSource,
} from './mirror.ts';
import { createTreeSource } from './tree-source.ts';
import { parseMarketplaceList, resolveSourceUrl } from './list.ts';
import { buildSnapshotContent, type FlatMessage, type SnapshotContent } from './snapshot.ts';
import type { MarketplaceListEntry, MarketplaceStatus, Snapshot } from './types.ts';
import type { ScriptOption } from '../script-options.ts';

/** Options of `syncFederation`. */
export interface SyncOptions {
  /** `marketplaces.json` to read. */
  list: string;
  /** The federation directory: `snapshots/` and `index.json` go there. */
  out: string;
  /** Sync only these marketplace ids (the index is still rebuilt from every snapshot). */
  only?: readonly string[] | undefined;
  /** Marketplaces fetched at once; the number of CPUs when absent. */
  concurrency?: number | undefined;
  /** Per git command time limit (ms). */
  timeoutMs?: number | undefined;
  /** Accept `file://` sources (local remotes, for tests and benchmarks). */
  allowLocal?: boolean | undefined;
  /** The clock, for `fetchedAt` and `deadSince`. */
  now?: (() => Date) | undefined;
  /**
   * Read marketplaces from this mirror folder (trees and `SOURCES.tsv`) instead of fetching them
   * with git. Snapshots are pinned to the `SOURCES.tsv` commit and dated by the mirror's capture
   * date; listed ids the mirror lacks are left as they are.
   */
  mirror?: string | undefined;
  /** Bytes of file content read per marketplace; later files are left unread. */
  maxMarketplaceBytes?: number | undefined;
}

/** Bytes of file content held at once by all marketplaces being synced: caps the concurrency. */
export const maxTotalReadBytes = 256 * 1024 * 1024;

/** What happened to one marketplace. */
export interface MarketplaceOutcome {
  id: string;
  status: MarketplaceStatus;
  /** The snapshot file's bytes changed. */
  changed: boolean;
  plugins: number;
  errors: string[];
}

/** What `syncFederation` did. */
export interface SyncResult {
  outcomes: MarketplaceOutcome[];
  /** Problems in the list file (those lines are skipped). */
  listErrors: string[];
  /** Snapshot files deleted because their id left the list. */
  removed: string[];
  indexChanged: boolean;
  /** Canonical plugins in the index. */
  indexPlugins: number;
  /** Problems of the mirror (`--mirror` only): a bad `SOURCES.tsv` row, no capture date. */
  mirrorErrors: string[];
  /** Listed ids the mirror has no tree for (mirror syncs only): their snapshots were left alone. */
  notInMirror: string[];
}

/** Where `syncOne` gets a marketplace's files from. */
type Fetcher = (entry: MarketplaceListEntry, url: string, checkout: string) => Promise<FetchResult>;

/** A previous snapshot read back, or `undefined` when it is missing or does not match its schema. */
function readSnapshot(file: string, id: string): Snapshot | undefined {
  const value = readJsonFile(file);
  // A file edited by hand or written by an older format is not trusted as the previous state.
  if (!federationSnapshot(value)) return undefined;
  const snapshot = value as Snapshot;
  return snapshot.id === id ? snapshot : undefined;
}

function flatten(files: readonly VFile[]): FlatMessage[] {
  return files.flatMap((file) =>
    file.messages.map((message) => ({
      path: file.path,
      line: message.line ?? 1,
      column: message.column ?? 1,
      ruleId: message.ruleId ?? 'parse',
      fatal: message.fatal === true,
      reason: message.reason,
    })),
  );
}

/** Lint messages from the linter engine; the loader's own diagnostics if the engine throws. */
function lintMessages(catalog: Catalog): FlatMessage[] {
  try {
    return flatten(lintCatalog(catalog).files);
  } catch {
    return flatten(catalog.files);
  }
}

/** The repository's name (last URL segment without `.git`): a root plugin's fallback name. */
function repoName(url: string): string {
  const name =
    url
      .replace(/\/+$/, '')
      .replace(/\.git$/, '')
      .split(/[/:]/)
      .at(-1) ?? '';
  return /^[A-Za-z0-9._-]+$/.test(name) ? name : 'repository';
}

/**
 * True when a snapshot's data comes from a successful sync: its own (status `ok`) or one kept
 * from an earlier sync (then `commit` differs from `seenCommit`).
 */
function hasGoodData(snapshot: Snapshot): boolean {
  return (
    snapshot.commit !== null &&
    (snapshot.status === 'ok' || snapshot.commit !== snapshot.seenCommit)
  );
}

/** The snapshot without its times, for deciding whether anything changed. */
function comparable(snapshot: Snapshot): string {
  return JSON.stringify({ ...snapshot, fetchedAt: null, deadSince: null });
}

async function syncOne(
  entry: MarketplaceListEntry,
  options: SyncOptions,
  workDir: string,
  fetch: Fetcher,
): Promise<MarketplaceOutcome> {
  const file = path.join(options.out, 'snapshots', `${entry.id}.json`);
  const previous = readSnapshot(file, entry.id);
  const url = resolveSourceUrl(entry.source);
  const checkout = path.join(workDir, entry.id);
  let status: MarketplaceStatus;
  let content: SnapshotContent | undefined;
  let seenCommit: string | null = null;
  let fetchError: string | undefined;
  try {
    const fetched = await fetch(entry, url, checkout);
    if (fetched.ok) {
      seenCommit = fetched.commit;
      const { files } = fetched;
      const catalog = parseCatalog(createTreeSource(`/${repoName(url)}`, files));
      content = buildSnapshotContent(
        catalog,
        lintMessages(catalog),
        url,
        (dir) => hashPluginFiles(files, dir),
        { nestedManifests: fetched.nestedManifests, overBudget: fetched.overBudget },
      );
      // Files left unread are reported, but Claude Code would still add the marketplace.
      status = content.errors.some((e) => e.ruleId !== 'read-limit') ? 'invalid' : 'ok';
    } else {
      status = fetched.problem === 'dead' ? 'dead' : 'unreachable';
      fetchError =
        fetched.problem === 'bad-ref'
          ? `Missing ref \`${entry.ref ?? ''}\`: ${fetched.message}`
          : fetched.message;
    }
  } catch (error) {
    status = 'unreachable';
    fetchError = `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }

  // A marketplace that cannot be used now keeps the last good data, so nothing is dropped silently.
  const lastGood = status !== 'ok' && previous && hasGoodData(previous) ? previous : undefined;
  const useCurrent = status === 'ok' || (status === 'invalid' && lastGood === undefined);
  const now = (options.now ?? (() => new Date()))().toISOString();
  const next: Snapshot = {
    id: entry.id,
    source: entry.source,
    url,
    ref: entry.ref ?? null,
    status,
    commit: useCurrent ? seenCommit : (lastGood?.commit ?? null),
    seenCommit,
    fetchedAt: now,
    deadSince: status === 'dead' ? (previous?.status === 'dead' ? previous.deadSince : now) : null,
    errors:
      fetchError !== undefined
        ? [{ ruleId: 'fetch', path: null, line: null, column: null, message: fetchError }]
        : (content?.errors ?? []),
    marketplace: useCurrent ? (content?.marketplace ?? null) : (lastGood?.marketplace ?? null),
    plugins: useCurrent ? (content?.plugins ?? []) : (lastGood?.plugins ?? []),
  };
  if (previous && comparable(previous) === comparable(next)) next.fetchedAt = previous.fetchedAt;
  const changed = writeFileAtomic(file, toJsonText(next));
  return {
    id: entry.id,
    status,
    changed,
    plugins: next.plugins.length,
    errors: next.errors.map((e) =>
      e.path ? `${e.path}:${e.line ?? 1}:${e.column ?? 1} ${e.message}` : e.message,
    ),
  };
}

/** Runs `task` over `items` with at most `limit` at once, keeping the input order in the result. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** The `--concurrency` option of `npm run catalog:sync` and `npm run bench:federation`. */
export const concurrencyOption = {
  type: 'string',
  value: '<n>',
  description: 'marketplaces fetched at once',
  shownDefault: 'the CPU count',
  min: 1,
} as const satisfies ScriptOption;

/**
 * Syncs the federation: fetches every listed marketplace (shallow, sparse, at most `concurrency`
 * at once), writes `snapshots/<id>.json` for each, removes snapshots of ids no longer listed
 * (full syncs only), and rebuilds `index.json` from every snapshot. A marketplace that fails is
 * recorded with its errors and never stops the others. Never prints.
 */
export async function syncFederation(options: SyncOptions): Promise<SyncResult> {
  const listText = readTextFile(options.list);
  const list =
    listText === undefined
      ? { entries: [], errors: [`Missing list file, expected a JSON array of marketplaces`] }
      : parseMarketplaceList(listText, options.allowLocal ?? false);
  const only = options.only && options.only.length > 0 ? new Set(options.only) : undefined;
  const listErrors = [...list.errors];
  for (const id of only ?? [])
    if (!list.entries.some((e) => e.id === id))
      listErrors.push(`Unexpected id \`${id}\` for --only, expected an id of the list`);
  const perMarketplace = options.maxMarketplaceBytes ?? defaultMarketplaceBytes;
  const source = options.mirror === undefined ? undefined : openMirror(options.mirror);
  if (source?.problem !== undefined) {
    return {
      outcomes: [],
      listErrors,
      mirrorErrors: [source.problem],
      removed: [],
      indexChanged: false,
      indexPlugins: 0,
      notInMirror: [],
    };
  }
  const notInMirror: string[] = [];
  const mirrorErrors = source ? [...source.errors] : [];
  const selected = list.entries.filter((entry) => {
    if (only && !only.has(entry.id)) return false;
    if (!source) return true;
    const mirrored = source.sources.get(entry.id);
    if (!mirrored) notInMirror.push(entry.id);
    else if (resolveSourceUrl(mirrored.repo) !== resolveSourceUrl(entry.source))
      mirrorErrors.push(
        `Unexpected repository \`${mirrored.repo}\` for \`${entry.id}\` in \`SOURCES.tsv\`, expected \`${entry.source}\` as listed: not synced`,
      );
    else return true;
    return false;
  });
  const fetch: Fetcher = source
    ? (entry) => {
        // The filter above keeps only ids the mirror has.
        const mirrored = source.sources.get(entry.id) as MirrorSource;
        return Promise.resolve(readMirrorTree(source.dir, mirrored, perMarketplace));
      }
    : (entry, url, checkout) =>
        fetchMarketplace(url, entry.ref, checkout, {
          timeoutMs: options.timeoutMs,
          maxTotalBytes: perMarketplace,
        });
  const capturedAt = source?.capturedAt;
  const syncOptions: SyncOptions =
    capturedAt === undefined ? options : { ...options, now: () => new Date(capturedAt) };
  // Each marketplace holds at most `perMarketplace` bytes of files: the total stays under the cap.
  const concurrency = Math.max(
    1,
    Math.min(
      options.concurrency ?? os.availableParallelism(),
      Math.floor(maxTotalReadBytes / perMarketplace),
    ),
  );
  const snapshotDir = path.join(options.out, 'snapshots');
  mkdirSync(snapshotDir, { recursive: true });
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'agentops-federation-'));
  let outcomes: MarketplaceOutcome[];
  try {
    outcomes = await mapLimit(selected, concurrency, (entry) =>
      syncOne(entry, syncOptions, workDir, fetch),
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }

  const listed = new Set(list.entries.map((entry) => entry.id));
  const removed: string[] = [];
  const snapshots: Snapshot[] = [];
  for (const name of readdirSync(snapshotDir).sort()) {
    if (!name.endsWith('.json')) continue;
    const id = name.slice(0, -'.json'.length);
    // A list that failed to parse removes nothing.
    if (!listed.has(id)) {
      if (!only && listText !== undefined && list.entries.length > 0) {
        rmSync(path.join(snapshotDir, name), { force: true });
        removed.push(id);
      }
      continue;
    }
    const snapshot = readSnapshot(path.join(snapshotDir, name), id);
    if (snapshot) snapshots.push(snapshot);
  }
  const index = buildIndex(snapshots);
  const indexChanged = writeFileAtomic(path.join(options.out, 'index.json'), toJsonText(index));
  return {
    outcomes,
    listErrors,
    removed,
    indexChanged,
    indexPlugins: index.plugins.length,
    mirrorErrors,
    notInMirror,
  };
}

/** A mirror's trees, commits and capture date, or the problem that makes it unusable. */
function openMirror(dir: string):
  | { problem: string }
  | {
      problem?: undefined;
      dir: string;
      sources: Map<string, MirrorSource>;
      errors: string[];
      capturedAt: string;
    } {
  const { sources, errors } = readMirrorSources(dir);
  if (sources.size === 0) return { problem: errors[0] ?? 'Missing rows in `SOURCES.tsv`' };
  const capturedAt = readMirrorCapturedAt(dir);
  if (capturedAt === undefined) {
    return {
      problem:
        'Missing capture date of the mirror, expected a `Captured: YYYY-MM-DD` line in its `README.md` or a `CAPTURED` file',
    };
  }
  return { dir, sources, errors, capturedAt };
}
