import { Marked, type Tokens } from 'marked';

/** How to render one Markdown document. */
export interface MarkdownOptions {
  /** Added to every heading depth (1 turns `#` into `<h2>`), capped at 6. */
  headingOffset?: number;
  /**
   * Resolves a relative link or image path (as written) to an absolute URL, or `undefined` to
   * drop the link (its text stays) or the image.
   */
  resolveRelative?: (url: string) => string | undefined;
  /** Give headings `id`s (slugs of their text) so they can be linked to. */
  headingIds?: boolean;
}

const safeUrlRe = /^(?:https?:|mailto:|#)/i;
const schemeRe = /^[a-z][a-z0-9+.-]*:/i;
// eslint-disable-next-line no-control-regex -- browsers drop these characters from URLs, so must we
const controlRe = /[\u0000-\u0020\u007f-\u009f]/g;

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Turns heading text into a URL fragment: lower case, words joined by `-`. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

/**
 * Classifies a URL: kept when it is `http(s)`, `mailto` or a fragment, resolved through
 * `resolveRelative` when it is relative, dropped otherwise (`javascript:`, `data:`, `//host`).
 */
export function safeUrl(
  url: string,
  resolveRelative: MarkdownOptions['resolveRelative'],
): string | undefined {
  // Browsers ignore control characters and spaces inside a scheme (`java\tscript:`).
  const compact = url.replace(controlRe, '');
  if (safeUrlRe.test(compact)) return url.trim();
  if (schemeRe.test(compact) || compact.startsWith('//') || compact.startsWith('\\'))
    return undefined;
  const resolved = resolveRelative?.(url.trim());
  if (resolved === undefined) return undefined;
  // The resolver may answer with a path on this site; anything else must be a safe absolute URL.
  const isSitePath = resolved.startsWith('/') && !resolved.startsWith('//');
  return isSitePath || safeUrlRe.test(resolved) ? resolved : undefined;
}

/** The options of the document being rendered; `parse` is synchronous, so one at a time. */
let current: MarkdownOptions = {};
let slugs = new Map<string, number>();

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    // Raw HTML, inline or block, never reaches the page: Markdown alone is rendered.
    html: () => '',
    heading({ tokens, depth, text }: Tokens.Heading): string {
      const level = Math.min(6, depth + (current.headingOffset ?? 0));
      let id = '';
      if (current.headingIds) {
        const base = slugify(text.replace(/[`*_~[\]]/g, '')) || 'section';
        const seen = slugs.get(base) ?? 0;
        slugs.set(base, seen + 1);
        id = ` id="${escapeHtml(seen === 0 ? base : `${base}-${seen}`)}"`;
      }
      return `<h${level}${id}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      const url = safeUrl(href, current.resolveRelative);
      if (url === undefined) return inner;
      const rel = /^https?:/i.test(url) ? ' rel="nofollow ugc noopener"' : '';
      const titled = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(url)}"${titled}${rel}>${inner}</a>`;
    },
    image({ href, title, text }: Tokens.Image): string {
      const url = safeUrl(href, current.resolveRelative);
      if (url === undefined || !/^https?:/i.test(url)) return '';
      const titled = title ? ` title="${escapeHtml(title)}"` : '';
      return `<img src="${escapeHtml(url)}" alt="${escapeHtml(text)}"${titled} loading="lazy">`;
    },
  },
});

/**
 * Renders untrusted Markdown (a README, a pattern body, a doc) to safe HTML: raw HTML is
 * dropped, text is escaped, and only `http(s)`, `mailto` and fragment URLs survive (relative
 * ones only through `resolveRelative`).
 */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): string {
  current = options;
  slugs = new Map();
  try {
    return marked.parse(markdown, { async: false });
  } finally {
    current = {};
  }
}
