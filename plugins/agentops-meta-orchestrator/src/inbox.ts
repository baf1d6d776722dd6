import fs from 'node:fs';
import path from 'node:path';
import { eventFromPayload, hookEvents } from './hook.ts';
import type { StoreLayout } from './store.ts';
import { writeSpoolEvent } from './spool.ts';
import { sha256 } from './text.ts';
import { ulidFrom } from './ulid.ts';

/** Raw hook payloads written by `hooks/record.sh`: `<ns>-<pid>-<Event>.json`. */
const rawNameRe = /^(\d{10,20})-(\d{1,10})-([A-Za-z]{1,40})\.json$/;

const maxPayloadBytes = 10 * 1024 * 1024;

/** The folder where the shell hooks drop raw payloads. */
function inboxDir(layout: StoreLayout): string {
  return path.join(layout.spoolDir, '.inbox');
}

function sortKey(name: string, dir: string): bigint {
  const ns = BigInt(rawNameRe.exec(name)![1]!);
  if (ns % 1_000_000_000n !== 0n) return ns;
  // `date` without nanoseconds: order events of the same second by when their file was written.
  try {
    return ns + (fs.statSync(path.join(dir, name), { bigint: true }).mtimeNs % 1_000_000_000n);
  } catch {
    return ns;
  }
}

/**
 * Turns the raw payloads the shell hooks wrote into spool events (reading only what a Node hook
 * would have kept) and removes them. Ids come from the file's time and name, so two processes
 * draining at once write the same event files. Returns how many events were added.
 */
export function drainInbox(layout: StoreLayout): number {
  const dir = inboxDir(layout);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => rawNameRe.test(name));
  } catch {
    return 0;
  }
  const keyed = names.map((name) => ({ name, key: sortKey(name, dir) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.name < b.name ? -1 : 1));
  let added = 0;
  for (const { name, key } of keyed) {
    const file = path.join(dir, name);
    const hook = hookEvents.find((event) => event === rawNameRe.exec(name)![3]);
    try {
      if (hook !== undefined && fs.statSync(file).size <= maxPayloadBytes) {
        let payload: unknown = {};
        try {
          payload = JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch {
          payload = {};
        }
        const ms = Number(key / 1_000_000n);
        writeSpoolEvent(layout, {
          ...eventFromPayload(hook, payload, layout.repoRoot),
          id: ulidFrom(ms, name, sha256),
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
