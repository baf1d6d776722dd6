/** One entry of the feeds: a plugin or pattern that was added or changed. */
export interface FeedItem {
  id: string;
  title: string;
  /** Absolute URL of the page. */
  url: string;
  summary: string;
  /** ISO 8601 dates. */
  updated: string;
  created: string;
  kind: 'plugin' | 'pattern';
}

/** The feed's own identity. */
export interface FeedInfo {
  title: string;
  description: string;
  /** Absolute URL of the home page. */
  home: string;
  /** Absolute URLs of the three feeds. */
  rss: string;
  atom: string;
  json: string;
}

/** Escapes text for XML element content and attribute values. */
export function escapeXml(value: string): string {
  return (
    value
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      .replaceAll("'", '&apos;')
      // XML 1.0 forbids these code points even as character references.
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
  );
}

/** The newest `limit` items by update date (then id), newest first. */
export function latest(items: readonly FeedItem[], limit = 50): FeedItem[] {
  return [...items]
    .sort((a, b) =>
      a.updated === b.updated ? (a.id < b.id ? -1 : 1) : a.updated < b.updated ? 1 : -1,
    )
    .slice(0, limit);
}

function isNew(item: FeedItem): boolean {
  return item.created === item.updated;
}

function label(item: FeedItem): string {
  return `${isNew(item) ? 'New' : 'Updated'} ${item.kind}: ${item.title}`;
}

const epoch = '1970-01-01T00:00:00.000Z';

/** RSS 2.0 of the items, newest first. */
export function rssFeed(info: FeedInfo, items: readonly FeedItem[]): string {
  const entries = items.map(
    (item) =>
      `<item><title>${escapeXml(label(item))}</title><link>${escapeXml(item.url)}</link>` +
      `<guid isPermaLink="false">${escapeXml(`${item.kind}:${item.id}:${item.updated}`)}</guid>` +
      `<pubDate>${new Date(item.updated).toUTCString()}</pubDate>` +
      `<description>${escapeXml(item.summary)}</description></item>`,
  );
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>` +
    `<title>${escapeXml(info.title)}</title><link>${escapeXml(info.home)}</link>` +
    `<description>${escapeXml(info.description)}</description>` +
    `<atom:link href="${escapeXml(info.rss)}" rel="self" type="application/rss+xml"/>` +
    `${entries.join('')}</channel></rss>\n`
  );
}

/** Atom 1.0 of the items, newest first. */
export function atomFeed(info: FeedInfo, items: readonly FeedItem[]): string {
  const entries = items.map(
    (item) =>
      `<entry><title>${escapeXml(label(item))}</title><link href="${escapeXml(item.url)}"/>` +
      `<id>${escapeXml(`${item.url}#${item.updated}`)}</id><published>${escapeXml(item.created)}</published>` +
      `<updated>${escapeXml(item.updated)}</updated><summary>${escapeXml(item.summary)}</summary></entry>`,
  );
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">` +
    `<title>${escapeXml(info.title)}</title><subtitle>${escapeXml(info.description)}</subtitle>` +
    `<link href="${escapeXml(info.home)}"/><link rel="self" href="${escapeXml(info.atom)}"/>` +
    `<id>${escapeXml(info.home)}</id><updated>${escapeXml(items[0]?.updated ?? epoch)}</updated>` +
    `<author><name>${escapeXml(info.title)}</name></author>${entries.join('')}</feed>\n`
  );
}

/** JSON Feed 1.1 of the items, newest first. */
export function jsonFeed(info: FeedInfo, items: readonly FeedItem[]): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: info.title,
    description: info.description,
    home_page_url: info.home,
    feed_url: info.json,
    items: items.map((item) => ({
      id: `${item.kind}:${item.id}:${item.updated}`,
      url: item.url,
      title: label(item),
      summary: item.summary,
      content_text: item.summary,
      date_published: item.created,
      date_modified: item.updated,
      tags: [item.kind],
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

/** A sitemap of absolute URLs. */
export function sitemap(urls: readonly string[]): string {
  const body = urls.map((url) => `<url><loc>${escapeXml(url)}</loc></url>`).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`;
}

/** Serialises JSON-LD for a `<script type="application/ld+json">`: `<` escaped so no text closes the tag. */
export function jsonLd(data: unknown): string {
  return JSON.stringify(data)
    .replaceAll('<', '\\u003c')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}
