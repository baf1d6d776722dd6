import { apiSchemas, jsonBody } from '../../../lib/api.ts';

/** The schemas of the site's JSON API. */
export function getStaticPaths(): { params: { name: string } }[] {
  return Object.keys(apiSchemas).map((file) => ({
    params: { name: file.slice('api/'.length, -'.json'.length) },
  }));
}

/** One API schema. */
export function GET({ params }: { params: { name: string } }): Response {
  const schema = apiSchemas[`api/${params.name}.json` as keyof typeof apiSchemas];
  return new Response(jsonBody(schema), { headers: { 'content-type': 'application/schema+json' } });
}
