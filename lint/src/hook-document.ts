import type { Catalog, CatalogPlugin, HookHandler, ParsedDocument } from './catalog/model.ts';

/**
 * The document that declares a hook handler: a hooks file (when it passed its schema), the
 * plugin's manifest or the marketplace.
 */
export function hookDocumentOf(
  plugin: CatalogPlugin,
  handler: HookHandler,
  catalog: Catalog,
): ParsedDocument<unknown> | undefined {
  const file = plugin.hookFiles.find((doc) => doc.file.path === handler.path);
  if (file) return file.valid ? file : undefined;
  if (plugin.manifest?.file.path === handler.path) return plugin.manifest;
  const marketplace = catalog.marketplace;
  return marketplace?.file.path === handler.path ? marketplace : undefined;
}
