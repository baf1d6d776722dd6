import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { marketplace } from '../lib/collections.ts';

/** `/marketplace.json`, only when the repository has one. */
export async function getStaticPaths(): Promise<{ params: { marketplace: string } }[]> {
  return (await marketplace()).path ? [{ params: { marketplace: 'marketplace' } }] : [];
}

/** `.claude-plugin/marketplace.json`, byte for byte. */
export async function GET(): Promise<Response> {
  const market = await marketplace();
  const bytes = await readFile(
    path.join(market.repo, market.path ?? '.claude-plugin/marketplace.json'),
  );
  return new Response(bytes, { headers: { 'content-type': 'application/json' } });
}
