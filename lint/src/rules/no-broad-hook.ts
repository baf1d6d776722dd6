import { code } from '../catalog/diagnostic.ts';
import type { CatalogPlugin, HookHandler, ParsedDocument } from '../catalog/model.ts';
import { defineRule, type RuleContext } from '../rule.ts';

/** The document that declares a hook handler: a hooks file, the manifest or the marketplace. */
function documentOf(
  plugin: CatalogPlugin,
  handler: HookHandler,
  ctx: RuleContext,
): ParsedDocument<unknown> | undefined {
  const file = plugin.hookFiles.find((doc) => doc.file.path === handler.path);
  if (file) return file.valid ? file : undefined;
  if (plugin.manifest?.file.path === handler.path) return plugin.manifest;
  const marketplace = ctx.catalog.marketplace;
  return marketplace?.file.path === handler.path ? marketplace : undefined;
}

function check(plugin: CatalogPlugin, ctx: RuleContext): void {
  for (const handler of plugin.hooks) {
    if (!handler.broad) continue;
    const doc = documentOf(plugin, handler, ctx);
    if (!doc) continue;
    // Point at a catch-all matcher when there is one, else at the handler itself.
    const group = handler.pointer.replace(/\/hooks\/\d+$/, '');
    const at = handler.matcher === undefined ? handler.pointer : `${group}/matcher`;
    ctx.report({
      doc,
      at,
      message: `Unexpected hook on every ${code(handler.event)} event, expected a \`matcher\` or \`if\` that narrows it`,
      actual: handler.matcher,
    });
  }
}

export default defineRule({
  id: 'no-broad-hook',
  description: 'Disallow hooks that run on every tool call or prompt with no `matcher` or `if`',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check,
});
