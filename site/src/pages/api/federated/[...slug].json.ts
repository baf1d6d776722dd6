import { jsonResponse } from '../../../lib/api.ts';
import { allFederated } from '../../../lib/collections.ts';
import { federatedPath, type FederatedPluginView } from '../../../lib/federated-view.ts';
import { withBase } from '../../../lib/paths.ts';

/** One JSON document per federated plugin. */
export async function getStaticPaths(): Promise<
  { params: { slug: string }; props: { plugin: FederatedPluginView } }[]
> {
  return (await allFederated()).map((plugin) => ({
    params: { slug: plugin.slug },
    props: { plugin },
  }));
}

/** The federated plugin page's JSON twin: everything the page shows, as data. */
export function GET({ props }: { props: { plugin: FederatedPluginView } }): Response {
  const base = import.meta.env.BASE_URL;
  const { plugin } = props;
  return jsonResponse(
    JSON.parse(
      JSON.stringify({ url: withBase(base, federatedPath(plugin.slug)), ...plugin }),
    ) as unknown,
  );
}
