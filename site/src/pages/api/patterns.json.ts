import { indexResponse } from '../../lib/api.ts';
import { allPatterns } from '../../lib/collections.ts';
import { patternPath, withBase } from '../../lib/paths.ts';

/** Every pattern, summarised, with the URL of its page and its JSON document. */
export async function GET(): Promise<Response> {
  const base = import.meta.env.BASE_URL;
  const patterns = await allPatterns();
  const items = patterns.map((pattern) => ({
    id: pattern.id,
    title: pattern.title,
    description: pattern.description,
    url: withBase(base, patternPath(pattern.id)),
    api: withBase(base, `api/patterns/${encodeURIComponent(pattern.id)}.json`),
    ...(pattern.category ? { category: pattern.category } : {}),
    tags: pattern.tags,
    ...(pattern.stats.successRate === undefined ? {} : { successRate: pattern.stats.successRate }),
    ...(pattern.stats.executions === undefined ? {} : { executions: pattern.stats.executions }),
    ...(pattern.stats.status ? { status: pattern.stats.status } : {}),
    ...(pattern.updated ? { updated: pattern.updated } : {}),
  }));
  return indexResponse(base, items);
}
