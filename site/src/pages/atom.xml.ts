import { allPatterns, allPlugins, marketplace } from '../lib/collections.ts';
import { feedInfo, feedItems } from '../lib/feed-items.ts';
import { latest, atomFeed } from '../lib/feeds.ts';

/** New and updated plugins and patterns. */
export async function GET(): Promise<Response> {
  const site = import.meta.env.SITE;
  const base = import.meta.env.BASE_URL;
  const items = latest(feedItems(site, base, await allPlugins(), await allPatterns()));
  const info = feedInfo(site, base, (await marketplace()).title);
  return new Response(atomFeed(info, items), {
    headers: { 'content-type': 'application/atom+xml; charset=utf-8' },
  });
}
