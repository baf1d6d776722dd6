import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { marketplacePath } from './catalog/discover.ts';
import { parseJsonData } from './catalog/json.ts';
import type { Marketplace } from './generated/schema-types.ts';
import type { ParsedDocument } from './catalog/model.ts';
import type { RememberedDocuments } from './catalog/parse.ts';
import { isStrings } from './store-file.ts';
import { writeAtomic } from './write-atomic.ts';

/**
 * The marketplace as a full `--staged` load checked it, kept beside the stored facts: its exact
 * bytes and its schema verdict. A partial load that reads the same bytes takes its data from
 * `parseJsonData` and its verdict from here, instead of parsing it with positions and validating it
 * again (a marketplace of thousands of entries costs a one-file run most of its time). A partial
 * load never reports on the marketplace (a change to it loads everything), so its messages are not
 * kept; positions inside it, which messages elsewhere may point at, are rebuilt from the text when
 * one is asked for.
 */

/** The first line names the format and the token of the facts the memo belongs to. */
const formatLine = 'agentops-lint marketplace 1';

/** A stored marketplace: its bytes and its verdict. */
export interface MarketplaceMemo {
  bytes: Buffer;
  valid: boolean;
  invalidAt: string[] | undefined;
}

const bom = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The memo of a fully loaded marketplace, or `undefined` when `parseJsonData` would not give its
 * data exactly (it did not parse, or had duplicate keys): such a marketplace is checked every time.
 */
export function memoOf(
  marketplace: ParsedDocument<Marketplace> | undefined,
): MarketplaceMemo | undefined {
  const text = marketplace?.file.value;
  if (!marketplace || marketplace.data === undefined || typeof text !== 'string') return undefined;
  if (marketplace.file.messages.some((message) => message.ruleId === 'parse')) return undefined;
  try {
    if (!isDeepStrictEqual(parseJsonData(text), marketplace.data)) return undefined;
  } catch {
    return undefined;
  }
  const utf8 = Buffer.from(text, 'utf8');
  return {
    // The bytes as read: the reader drops a byte order mark from the text and notes it.
    bytes: marketplace.file.data.bom === true ? Buffer.concat([bom, utf8]) : utf8,
    valid: marketplace.valid,
    invalidAt: marketplace.invalidAt,
  };
}

/** Writes a memo that belongs to the facts with `token`. */
export function writeMemo(file: string, token: string, memo: MarketplaceMemo): void {
  const verdict = JSON.stringify({ valid: memo.valid, invalidAt: memo.invalidAt ?? null });
  writeAtomic(
    file,
    Buffer.concat([Buffer.from(`${formatLine} ${token}\n${verdict}\n`), memo.bytes]),
  );
}

/** The memo stored with the facts of `token`, or `undefined` when there is none that fits. */
export function readMemo(file: string, token: string): MarketplaceMemo | undefined {
  try {
    const data = readFileSync(file);
    const first = data.indexOf(10);
    const second = data.indexOf(10, first + 1);
    if (first === -1 || second === -1) return undefined;
    if (data.toString('utf8', 0, first) !== `${formatLine} ${token}`) return undefined;
    const verdict = JSON.parse(data.toString('utf8', first + 1, second)) as unknown;
    if (typeof verdict !== 'object' || verdict === null) return undefined;
    const { valid, invalidAt } = verdict as { valid?: unknown; invalidAt?: unknown };
    if (typeof valid !== 'boolean' || !(invalidAt === null || isStrings(invalidAt)))
      return undefined;
    return { bytes: data.subarray(second + 1), valid, invalidAt: invalidAt ?? undefined };
  } catch {
    return undefined;
  }
}

/**
 * The verdicts a reader takes for the marketplace when its bytes are the memo's: `bytes` must be
 * what the reader will read (pinned in its source), so that the text it decodes is the memo's.
 */
export function rememberMarketplace(memo: MarketplaceMemo): RememberedDocuments {
  return (file, kind, text) =>
    file === marketplacePath && kind === 'marketplace'
      ? { data: parseJsonData(text), valid: memo.valid, invalidAt: memo.invalidAt }
      : undefined;
}
