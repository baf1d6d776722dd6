import { renderMarkdown } from './markdown.ts';
import { withBase } from './paths.ts';

/** A rendered page of `docs/`. */
export interface DocPage {
  /** Path under `docs/` without `.md`, e.g. `rules/plugin-name-matches-dir`. */
  id: string;
  /** Path of the page inside the site, e.g. `rules/plugin-name-matches-dir/`. */
  route: string;
  title: string;
  /** The first paragraph, as text. */
  description: string;
  html: string;
  section: 'rules' | 'docs';
}

const frontmatterRe = /^---\r?\n[\s\S]*?\r?\n---\r?\n/;

/** The site route of a file under `docs/`: rule docs live at `/rules/<id>/`, others under `/docs/`. */
export function docRoute(file: string): string {
  const id = file.replace(/\.md$/, '').replace(/(^|\/)(index|README)$/, '');
  if (id === 'rules' || id.startsWith('rules/')) return `${id}/`;
  return id === '' ? 'docs/' : `docs/${id}/`;
}

function resolveDocLink(
  file: string,
  url: string,
  base: string,
  exists: (file: string) => boolean,
): string | undefined {
  const [target = '', fragment] = url.split('#', 2);
  if (!target.endsWith('.md')) return undefined;
  const parts = file.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  const targetFile = parts.join('/');
  if (!exists(targetFile)) return undefined;
  const route = withBase(base, docRoute(targetFile));
  return fragment === undefined ? route : `${route}#${fragment}`;
}

/**
 * Renders one Markdown file of `docs/` (path relative to `docs/`) into a sanitized page. Links to
 * other docs become site links when `exists` says the target is there, and plain text otherwise.
 */
export function renderDoc(
  file: string,
  text: string,
  base: string,
  exists: (file: string) => boolean = () => true,
): DocPage {
  const body = text.replace(frontmatterRe, '');
  const title = /^#\s+(.+)$/m.exec(body)?.[1]?.trim() ?? file.replace(/\.md$/, '');
  const description =
    body
      .split(/\r?\n\r?\n/)
      .map((block) => block.trim())
      .find((block) => block !== '' && !/^(#|```|[-*|>]|<!--)/.test(block))
      ?.replace(/\s+/g, ' ')
      .replace(/[`*_]/g, '') ?? '';
  const id = file.replace(/\.md$/, '');
  return {
    id,
    route: docRoute(file),
    title,
    description,
    html: renderMarkdown(body, {
      headingIds: true,
      resolveRelative: (url) => resolveDocLink(file, url, base, exists),
    }),
    section: id.startsWith('rules/') || id === 'rules' ? 'rules' : 'docs',
  };
}
