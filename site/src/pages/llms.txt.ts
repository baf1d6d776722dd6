import { allPatterns, allPlugins, marketplace } from '../lib/collections.ts';
import { absolute } from '../lib/feed-items.ts';
import { llmsText } from '../lib/llms.ts';

/** The catalog for language models, per llmstxt.org: a title, a summary and link lists. */
export async function GET(): Promise<Response> {
  const site = import.meta.env.SITE;
  const base = import.meta.env.BASE_URL;
  const text = llmsText(await marketplace(), await allPlugins(), await allPatterns(), (path) =>
    absolute(site, base, path),
  );
  return new Response(text, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
