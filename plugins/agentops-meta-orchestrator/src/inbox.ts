import fs from 'node:fs';
import path from 'node:path';
import { editTools, eventFromPayload, hookEvents, touchedPath } from './hook.ts';
import type { StoreLayout } from './store.ts';
import { writeSpoolEvent } from './spool.ts';
import { sha256 } from './text.ts';
import { digestDigits, encodeBase32 } from './ulid.ts';

/**
 * Raw hook payloads written by the shell hooks: `<pid>-<n>-<Event>.json`, where `n` counts the
 * names the writer found taken. The file's time orders them; see the protocol in hooks/record.sh.
 */
const rawNameRe = /^(\d{1,9})-(\d{1,3})-([A-Za-z]{1,40})\.json$/;

/** Raw payloads of earlier versions: `<ns>-<pid>-<Event>.json`, renamed into place complete. */
const datedNameRe = /^(\d{10,20})-(\d{1,10})-([A-Za-z]{1,40})\.json$/;

const maxPayloadBytes = 10 * 1024 * 1024;

/**
 * How long a file that does not parse may still be being written. A hook has 10 seconds before
 * Claude Code stops it; a file unchanged for longer belongs to a writer that is gone.
 */
export const incompleteGraceMs = 60_000;

/** The folder where the shell hooks drop raw payloads. */
function inboxDir(layout: StoreLayout): string {
  return path.join(layout.spoolDir, '.inbox');
}

/** An inbox file and where it goes in the session's order. */
interface RawFile {
  name: string;
  hook: string;
  /** Nanoseconds since the epoch: the file's modification time (or its name's time). */
  ns: bigint;
  pid: number;
  n: number;
  /** Milliseconds since the file was last written. */
  age: number;
}

function rawFile(dir: string, name: string, now: number): RawFile | undefined {
  const fresh = rawNameRe.exec(name);
  const dated = fresh === null ? datedNameRe.exec(name) : null;
  const match = fresh ?? dated;
  if (match === null) return undefined;
  let mtimeNs: bigint;
  try {
    mtimeNs = fs.statSync(path.join(dir, name), { bigint: true }).mtimeNs;
  } catch {
    return undefined;
  }
  const age = now - Number(mtimeNs / 1_000_000n);
  if (fresh !== null)
    return { name, hook: fresh[3]!, ns: mtimeNs, pid: Number(fresh[1]), n: Number(fresh[2]), age };
  // `date` without nanoseconds wrote whole seconds: order events of one second by file time.
  let ns = BigInt(dated![1]!);
  if (ns % 1_000_000_000n === 0n) ns += mtimeNs % 1_000_000_000n;
  return { name, hook: dated![3]!, ns, pid: Number(dated![2]), n: 0, age };
}

/** Time, then writer's process id (they mostly grow), then retry count, then name. */
function compareRaw(a: RawFile, b: RawFile): number {
  if (a.ns !== b.ns) return a.ns < b.ns ? -1 : 1;
  if (a.pid !== b.pid) return a.pid - b.pid;
  if (a.n !== b.n) return a.n - b.n;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * A ULID-shaped spool id that sorts as {@link compareRaw} does: milliseconds (10 digits), the
 * rest of the nanoseconds (4), process id (6), retry count (2), and 4 digits of the name's hash.
 * It depends only on the file's time and name, so two processes draining at once write the same
 * event file.
 */
export function inboxEventId(file: Pick<RawFile, 'name' | 'ns' | 'pid' | 'n'>): string {
  const ms = Number(file.ns / 1_000_000n);
  const subMs = Number(file.ns % 1_000_000n);
  return (
    encodeBase32(ms, 10) +
    encodeBase32(subMs, 4) +
    encodeBase32(Math.min(file.pid, 32 ** 6 - 1), 6) +
    encodeBase32(Math.min(file.n, 32 ** 2 - 1), 2) +
    digestDigits(sha256(file.name), 4)
  );
}

/** The inbox's files in the order they were written. */
function inboxFiles(dir: string, now: number): RawFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => rawFile(dir, name, now))
    .filter((file) => file !== undefined)
    .sort(compareRaw);
}

const editToolNames = editTools.map((name) => Buffer.from(JSON.stringify(name)));

/**
 * Whether a payload's text can name an editing tool: a JSON string equal to one of their names is
 * written as the name in quotes, or with a `\u` escape. The inbox keeps a session's events until
 * its end, and most (a file read, a command's output) need no parsing to be passed over.
 */
function mayNameEditTool(bytes: Buffer): boolean {
  return bytes.includes('\\u') || editToolNames.some((name) => bytes.includes(name));
}

/**
 * The paths a session touched by the events the inbox still holds, as {@link drainInbox} would
 * record them, leaving the inbox as it is: a prompt asks what its session touched without the
 * drain's writes (and hashes), which the session's end does anyway. A file that does not parse
 * records no path, whether the drain would wait for it or record it as unreadable.
 */
export function inboxPaths(
  layout: StoreLayout,
  session: string,
  now: number = Date.now(),
): string[] {
  const dir = inboxDir(layout);
  const paths: string[] = [];
  for (const raw of inboxFiles(dir, now)) {
    const hook = hookEvents.find((event) => event === raw.hook);
    if (hook !== 'PostToolUse' && hook !== 'PostToolUseFailure') continue;
    try {
      const file = path.join(dir, raw.name);
      if (fs.statSync(file).size > maxPayloadBytes) continue;
      const bytes = fs.readFileSync(file);
      if (!mayNameEditTool(bytes)) continue;
      const touched = touchedPath(hook, JSON.parse(bytes.toString('utf8')), layout.repoRoot);
      if (touched?.session_id === session) paths.push(touched.path);
    } catch {
      // Gone (drained meanwhile: its event is in the spool), half written or never JSON.
    }
  }
  return paths;
}

/**
 * Turns the raw payloads the shell hooks wrote into spool events (reading only what a Node hook
 * would have kept) and removes them, in the order their files were written. A file that does not
 * parse as JSON is still being written and is left for the next drain, unless it is older than
 * {@link incompleteGraceMs}: then it is recorded as an event of an unknown session, as any other
 * unreadable payload. Returns how many events were added.
 */
export function drainInbox(layout: StoreLayout, now: number = Date.now()): number {
  const dir = inboxDir(layout);
  let added = 0;
  for (const raw of inboxFiles(dir, now)) {
    const file = path.join(dir, raw.name);
    const hook = hookEvents.find((event) => event === raw.hook);
    try {
      if (hook !== undefined && fs.statSync(file).size <= maxPayloadBytes) {
        let payload: unknown;
        try {
          payload = JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch {
          // Half written, or never JSON: wait for its writer while it may still be running.
          if (raw.age < incompleteGraceMs) continue;
          payload = {};
        }
        const ms = Number(raw.ns / 1_000_000n);
        writeSpoolEvent(layout, {
          ...eventFromPayload(hook, payload, layout.repoRoot),
          id: inboxEventId(raw),
          at: new Date(ms).toISOString(),
        });
        added++;
      }
      fs.unlinkSync(file);
    } catch {
      // Gone already (another process drained it) or unreadable: the next drain retries.
    }
  }
  return added;
}
