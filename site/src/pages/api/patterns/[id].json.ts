import { jsonResponse, patternDocument } from '../../../lib/api.ts';
import type { PatternView } from '../../../lib/pattern-view.ts';
import { allPatterns } from '../../../lib/collections.ts';
import { patternPath, withBase } from '../../../lib/paths.ts';

/** One JSON document per pattern. */
export async function getStaticPaths(): Promise<{ params: { id: string }; props: { pattern: PatternView } }[]> {
  return (await allPatterns()).map((pattern) => ({ params: { id: pattern.id }, props: { pattern } }));
}

/** The pattern page's JSON twin. */
export function GET({ props }: { props: { pattern: PatternView } }): Response {
  const base = import.meta.env.BASE_URL;
  const { pattern } = props;
  const document = patternDocument(pattern, withBase(base, patternPath(pattern.id)), withBase(base, 'schemas/api/pattern.schema.json'));
  return jsonResponse(document);
}
