import { describe, expect, test } from 'vitest';
import {
  atomFeed,
  escapeXml,
  jsonFeed,
  jsonLd,
  latest,
  rssFeed,
  sitemap,
  type FeedItem,
} from '../../src/lib/feeds.ts';

const info = {
  title: 'Market <&>',
  description: 'News',
  home: 'https://x.test/m/',
  rss: 'https://x.test/m/feed.xml',
  atom: 'https://x.test/m/atom.xml',
  json: 'https://x.test/m/feed.json',
};
const items: FeedItem[] = [
  {
    id: 'a',
    title: 'A <b>',
    url: 'https://x.test/m/plugins/a/',
    summary: 'x & y',
    updated: '2026-01-02T00:00:00Z',
    created: '2026-01-02T00:00:00Z',
    kind: 'plugin',
  },
  {
    id: 'b',
    title: 'B',
    url: 'https://x.test/m/patterns/b/',
    summary: 's',
    updated: '2026-03-01T00:00:00Z',
    created: '2026-01-01T00:00:00Z',
    kind: 'pattern',
  },
];

describe('feeds', () => {
  test('escapeXml escapes markup and drops control characters', () => {
    expect(escapeXml('<a href="x">&\'\u0001')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });

  test('latest sorts newest first and cuts to the limit', () => {
    expect(latest(items, 1).map((item) => item.id)).toEqual(['b']);
  });

  test('RSS labels new and updated entries and escapes titles', () => {
    const rss = rssFeed(info, latest(items));
    expect(rss).toContain('<title>Updated pattern: B</title>');
    expect(rss).toContain('<title>New plugin: A &lt;b&gt;</title>');
    expect(rss).toContain('<title>Market &lt;&amp;&gt;</title>');
  });

  test('Atom takes the feed date from the newest entry', () => {
    expect(atomFeed(info, latest(items))).toContain(
      '<id>https://x.test/m/</id><updated>2026-03-01T00:00:00Z</updated>',
    );
  });

  test('JSON Feed is valid JSON with one item per entry', () => {
    const feed = JSON.parse(jsonFeed(info, items)) as { version: string; items: { id: string }[] };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items.map((item) => item.id)).toEqual([
      'plugin:a:2026-01-02T00:00:00Z',
      'pattern:b:2026-03-01T00:00:00Z',
    ]);
  });

  test('sitemap lists each URL', () => {
    expect(sitemap(['https://x.test/a?b&c'])).toContain(
      '<url><loc>https://x.test/a?b&amp;c</loc></url>',
    );
  });

  test('jsonLd cannot close its script element', () => {
    expect(jsonLd({ name: '</script><script>alert(1)</script>' })).toBe(
      '{"name":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"}',
    );
  });
});
