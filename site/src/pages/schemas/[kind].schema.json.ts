import { allSchemas, type SchemaEntry } from '../../lib/collections.ts';

/** One raw schema per `schemas/<kind>.schema.json`. */
export async function getStaticPaths(): Promise<
  { params: { kind: string }; props: { schema: SchemaEntry } }[]
> {
  return (await allSchemas()).map((schema) => ({
    params: { kind: schema.kind },
    props: { schema },
  }));
}

/** The schema file, byte for byte, at a stable URL usable as `$schema`. */
export function GET({ props }: { props: { schema: SchemaEntry } }): Response {
  return new Response(props.schema.raw, { headers: { 'content-type': 'application/schema+json' } });
}
