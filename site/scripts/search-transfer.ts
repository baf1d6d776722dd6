import type { BrowserContext, Page, Request } from 'playwright-core';
import { gzipSize } from './budgets.ts';

/** Bytes a browser downloaded, as a static host serving text gzip-compressed would send them. */
interface Transfer {
  bytes: number;
  requests: number;
  /** Bytes per kind of file: `page`, `pagefind.js`, `wasm`, `meta`, `index`, `filter`, `fragment`. */
  byKind: Map<string, number>;
}

/** Counts what a browser context downloads, from the moment it is called. */
interface TransferMeter {
  /** What was counted so far (after `settle`, every finished response is in it). */
  read: () => Transfer;
  /** Resolves once no request has been in flight for `quietMs` milliseconds. */
  settle: (quietMs?: number) => Promise<void>;
}

const kindOf = (url: string): string =>
  /pagefind\/(fragment|index|filter)\//.exec(url)?.[1] ??
  (/\.pf_meta$/.test(url)
    ? 'meta'
    : /wasm/.test(url)
      ? 'wasm'
      : /pagefind[\w-]*\.js$/.test(url)
        ? 'pagefind.js'
        : 'page');

/**
 * Starts counting the responses of `context` (its pages and their workers, where Pagefind
 * searches). Text is counted gzip-compressed, as static hosts serve it; Pagefind's binary chunks
 * are compressed already and count as they are.
 */
export function meterTransfer(context: BrowserContext): TransferMeter {
  const transfer: Transfer = { bytes: 0, requests: 0, byKind: new Map() };
  const inFlight = new Set<Request>();
  const reading = new Set<Promise<void>>();
  let lastActivity = performance.now();
  context.on('request', (request) => {
    inFlight.add(request);
    lastActivity = performance.now();
  });
  const done = (request: Request): void => {
    inFlight.delete(request);
    lastActivity = performance.now();
  };
  context.on('requestfailed', done);
  context.on('requestfinished', (request) => {
    const counted = request
      .response()
      .then(async (response) => {
        if (!response) return;
        const body = await response.body();
        const type = response.headers()['content-type'] ?? '';
        const bytes = /text|javascript|json|xml|svg/.test(type) ? gzipSize(body) : body.length;
        const kind = kindOf(request.url());
        transfer.bytes += bytes;
        transfer.requests += 1;
        transfer.byKind.set(kind, (transfer.byKind.get(kind) ?? 0) + bytes);
      })
      .catch(() => undefined)
      .finally(() => {
        reading.delete(counted);
        done(request);
      });
    reading.add(counted);
  });
  return {
    read: () => ({ ...transfer, byKind: new Map(transfer.byKind) }),
    settle: async (quietMs = 400) => {
      for (;;) {
        await Promise.all([...reading]);
        const quiet = performance.now() - lastActivity;
        if (inFlight.size === 0 && reading.size === 0 && quiet >= quietMs) return;
        await new Promise((resolve) => setTimeout(resolve, Math.max(50, quietMs - quiet)));
      }
    },
  };
}

/** One line: total, requests and the bytes of each kind of file. */
export function formatTransfer(transfer: Transfer): string {
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
  const kinds = [...transfer.byKind]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, bytes]) => `${kind} ${kb(bytes)}`)
    .join(', ');
  return `${kb(transfer.bytes)} in ${transfer.requests} requests (${kinds})`;
}

/** Types `query` into the home page's search box and waits for its results and their downloads. */
async function typeQuery(page: Page, meter: TransferMeter, query: string): Promise<string> {
  const input = page.locator('#search-input');
  await input.fill('');
  await input.pressSequentially(query, { delay: 40 });
  await page.waitForFunction(
    (typed) => {
      const status = document.getElementById('search-status')?.textContent ?? '';
      return (
        new URLSearchParams(location.search).get('q') === typed && /\d+ results?$/.test(status)
      );
    },
    query,
    { timeout: 60_000 },
  );
  await meter.settle();
  return (await page.locator('#search-status').textContent()) ?? '';
}

/** What a search session downloaded. */
export interface SearchSession {
  /** Opening the home page and typing the first query. */
  first: Transfer;
  /** Opening the home page and typing every query, one after the other. */
  session: Transfer;
  /** The status line after each query (`12 results`). */
  statuses: string[];
}

/**
 * Opens the home page at `url` in `context` (a fresh one: nothing cached), types each of
 * `queries` in turn and measures the bytes downloaded for the first query and for the session.
 */
export async function measureSearchSession(
  context: BrowserContext,
  url: string,
  queries: readonly string[],
): Promise<SearchSession> {
  const meter = meterTransfer(context);
  const page = await context.newPage();
  await page.goto(url);
  const statuses: string[] = [];
  let first: Transfer | undefined;
  for (const query of queries) {
    statuses.push(await typeQuery(page, meter, query));
    first ??= meter.read();
  }
  await page.close();
  return { first: first ?? meter.read(), session: meter.read(), statuses };
}
