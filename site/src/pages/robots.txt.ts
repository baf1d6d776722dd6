import { absolute } from '../lib/feed-items.ts';

/** Lets every crawler in and points at the sitemap. */
export function GET(): Response {
  const sitemap = absolute(import.meta.env.SITE, import.meta.env.BASE_URL, 'sitemap.xml');
  return new Response(`User-agent: *\nAllow: /\nSitemap: ${sitemap}\n`, {
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}
