import { code } from '../catalog/diagnostic.ts';
import type { CatalogPlugin } from '../catalog/model.ts';
import { hookDocumentOf } from '../hook-document.ts';
import { defineRule, type RuleContext } from '../rule.ts';

/**
 * Events Claude Code gives no matcher (and no tool for an `if` to filter): every hook on them runs
 * each time, and the plugin cannot narrow it, so there is nothing to warn about.
 */
const matcherlessEvents = new Set(['UserPromptSubmit', 'PostToolBatch']);

function check(plugin: CatalogPlugin, ctx: RuleContext): void {
  for (const handler of plugin.hooks) {
    if (!handler.broad || matcherlessEvents.has(handler.event)) continue;
    const doc = hookDocumentOf(plugin, handler, ctx.catalog);
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
  description: 'Disallow hooks that run on every tool call with no `matcher` or `if`',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check,
});
