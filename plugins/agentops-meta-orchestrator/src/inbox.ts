import fs from 'node:fs';
import path from 'node:path';
import { eventFromPayload, hookEvents } from './hook.ts';
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

/**
 * Turns the raw payloads the shell hooks wrote into spool events (reading only what a Node hook
 * would have kept) and removes them, in the order their files were written. A file that does not
 * parse as JSON is still being written and is left for the next drain, unless it is older than
 * {@link incompleteGraceMs}: then it is recorded as an event of an unknown session, as any other
 * unreadable payload. Returns how many events were added.
 */
export function drainInbox(layout: StoreLayout, now: number = Date.now()): number {
  const dir = inboxDir(layout);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  const files = names
    .map((name) => rawFile(dir, name, now))
    .filter((file) => file !== undefined)
    .sort(compareRaw);
  let added = 0;
  for (const raw of files) {
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
