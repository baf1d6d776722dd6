import { jsonResponse, pluginDocument } from '../../../lib/api.ts';
import type { PluginView } from '../../../lib/plugin-view.ts';
import { allPlugins } from '../../../lib/collections.ts';
import { pluginPath, withBase } from '../../../lib/paths.ts';

/** One JSON document per plugin. */
export async function getStaticPaths(): Promise<
  { params: { name: string }; props: { plugin: PluginView } }[]
> {
  return (await allPlugins()).map((plugin) => ({
    params: { name: plugin.name },
    props: { plugin },
  }));
}

/** The plugin page's JSON twin. */
export function GET({ props }: { props: { plugin: PluginView } }): Response {
  const base = import.meta.env.BASE_URL;
  const { plugin } = props;
  const document = pluginDocument(
    plugin,
    withBase(base, pluginPath(plugin.name)),
    withBase(base, 'schemas/api/plugin.schema.json'),
  );
  return jsonResponse(document);
}
