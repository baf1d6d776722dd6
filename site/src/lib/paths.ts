/** Joins the site base (`/agentops-marketplace` or `/`) and a path inside the site. */
export function withBase(base: string, path: string): string {
  const head = base.replace(/\/+$/, '');
  const tail = path.replace(/^\/+/, '');
  return `${head}/${tail}`;
}

/** The page of a plugin, relative to the site root. */
export function pluginPath(name: string): string {
  return `plugins/${encodeURIComponent(name)}/`;
}

/** The page of a pattern, relative to the site root. */
export function patternPath(id: string): string {
  return `patterns/${encodeURIComponent(id)}/`;
}

/** A tag, category or other free text as a URL segment: lower case, `-` between words. */
export function segment(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'other';
}

/** The published site's address, which the linter's rule and schema URLs start with. */
export const publishedSite = 'https://agentops-marketplace.github.io/agentops-marketplace/';

/** Turns a URL into the published site into a path on this build (so previews link locally). */
export function localizeUrl(base: string, url: string): string {
  return url.startsWith(publishedSite) ? withBase(base, url.slice(publishedSite.length)) : url;
}
