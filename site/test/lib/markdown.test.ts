import { describe, expect, test } from 'vitest';
import { escapeHtml, renderMarkdown, safeUrl, slugify } from '../../src/lib/markdown.ts';

describe('renderMarkdown', () => {
  test('drops raw HTML script tags, keeping no trace of the script', () => {
    expect(renderMarkdown('a\n\n<script>alert(1)</script>\n\nb')).toBe('<p>a</p>\n<p>b</p>\n');
  });

  test('drops inline HTML with event handlers, keeping the text between tags', () => {
    expect(renderMarkdown('x <img src=x onerror="alert(1)"> <b onclick="x">bold</b>')).toBe(
      '<p>x  bold</p>\n',
    );
  });

  test('drops iframes', () => {
    expect(renderMarkdown('<iframe src="https://example.com"></iframe>')).toBe('');
  });

  test('turns a javascript: link into its text, whatever its case', () => {
    expect(renderMarkdown('[go](javascript:alert(1)) [x](JaVaScRiPt:1)')).toBe('<p>go x</p>\n');
  });

  test('drops a javascript: or data: image', () => {
    expect(renderMarkdown('![a](javascript:alert(1)) ![b](data:image/png;base64,AAAA)')).toBe(
      '<p> </p>\n',
    );
  });

  test('keeps https links, marks them nofollow and escapes quotes in them', () => {
    expect(renderMarkdown('[site](https://example.com/a"onmouseover="x)')).toBe(
      '<p><a href="https://example.com/a&quot;onmouseover=&quot;x" rel="nofollow ugc noopener">site</a></p>\n',
    );
  });

  test('escapes text and code', () => {
    expect(renderMarkdown('`<b>` & "q" \\<i>')).toBe(
      '<p><code>&lt;b&gt;</code> &amp; &quot;q&quot; &lt;i&gt;</p>\n',
    );
  });

  test('resolves relative links through the callback, or drops them', () => {
    const resolveRelative = (url: string): string | undefined =>
      url === 'docs.md' ? 'https://x.test/docs.md' : undefined;
    expect(renderMarkdown('[a](docs.md) [b](other.md)', { resolveRelative })).toBe(
      '<p><a href="https://x.test/docs.md" rel="nofollow ugc noopener">a</a> b</p>\n',
    );
  });

  test('shifts headings by the offset, capped at h6', () => {
    expect(renderMarkdown('# One\n\n###### Six', { headingOffset: 2 })).toBe(
      '<h3>One</h3>\n<h6>Six</h6>\n',
    );
  });

  test('gives headings unique ids when asked', () => {
    expect(renderMarkdown('## Why\n\n## Why', { headingIds: true })).toBe(
      '<h2 id="why">Why</h2>\n<h2 id="why-1">Why</h2>\n',
    );
  });

  test('renders GFM tables', () => {
    expect(renderMarkdown('| a |\n| - |\n| 1 |')).toContain('<td>1</td>');
  });
});

describe('safeUrl', () => {
  test('refuses schemes hidden by control characters and protocol-relative URLs', () => {
    expect([
      safeUrl('java\tscript:alert(1)', undefined),
      safeUrl(' javascript:x', undefined),
      safeUrl('//evil.test/x', undefined),
    ]).toEqual([undefined, undefined, undefined]);
  });

  test('refuses a relative URL that resolves to an unsafe one', () => {
    expect(safeUrl('a.md', () => 'javascript:alert(1)')).toBeUndefined();
  });

  test('keeps fragments and mailto', () => {
    expect([safeUrl('#x', undefined), safeUrl('mailto:a@b.test', undefined)]).toEqual([
      '#x',
      'mailto:a@b.test',
    ]);
  });
});

describe('text helpers', () => {
  test('slugify lower-cases, strips punctuation and joins words with -', () => {
    expect(slugify('When not to use it?')).toBe('when-not-to-use-it');
  });

  test('escapeHtml escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
