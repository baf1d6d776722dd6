/** Keeps only http(s) URLs; anything else (`javascript:`, relative paths) is dropped. */
export function safeHttpUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The fragment id of a component on its plugin page, e.g. `command-deploy`. */
export function componentAnchor(kind: string, name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${kind}-${slug || 'unnamed'}`;
}

/** Joins a repository path onto `sourceBase`; `undefined` when there is no base. */
export function sourceLink(sourceBase: string | undefined, path: string): string | undefined {
  if (!sourceBase) return undefined;
  const clean = path === '.' ? '' : path.split('/').map(encodeURIComponent).join('/');
  return `${sourceBase.replace(/\/?$/, '/')}${clean}`;
}

/**
 * Resolves a relative link in a document under `dir` against the repository's file URL base;
 * `undefined` (link dropped) when there is no base or the path climbs out of the repository.
 */
export function resolveRelativeUrl(
  sourceBase: string | undefined,
  dir: string,
  url: string,
): string | undefined {
  if (!sourceBase || url.startsWith('/')) return undefined;
  const [pathPart = '', fragment] = url.split('#', 2);
  const parts: string[] = [];
  for (const segment of `${dir}${pathPart}`.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  const link = sourceLink(sourceBase, parts.join('/'));
  return link && fragment !== undefined ? `${link}#${encodeURIComponent(fragment)}` : link;
}
