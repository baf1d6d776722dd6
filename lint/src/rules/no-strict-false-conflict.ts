import { code } from '../catalog/diagnostic.ts';
import { manifestAndEntry } from '../manifest-entry.ts';
import { defineRule } from '../rule.ts';

/** Entry fields that make Claude Code refuse `strict: false` beside a `plugin.json`. */
const componentFields = [
  'commands',
  'agents',
  'skills',
  'hooks',
  'outputStyles',
  'themes',
] as const;

export default defineRule({
  id: 'no-strict-false-conflict',
  description:
    'Disallow `strict: false` on an entry that declares components while the plugin has its own `plugin.json`',
  severity: 'error',
  appliesTo: 'plugin',
  stage: 'stable',
  check(plugin, ctx) {
    const both = manifestAndEntry(plugin, ctx.catalog);
    if (!both || both.entry.data.strict !== false) return;
    const { entry, manifest, marketplace } = both;
    const data: Record<string, unknown> = entry.data;
    const declared = componentFields.filter((field) => data[field] !== undefined);
    if (declared.length === 0) return;
    ctx.report({
      doc: marketplace,
      at: `/plugins/${entry.index}/strict`,
      message: `Unexpected \`strict: false\` beside entry components ${declared.map((field) => code(field)).join(', ')}, expected \`strict: true\` or the components only in \`plugin.json\``,
      actual: 'false',
      expected: ['true'],
      note: 'Claude Code refuses to load the plugin: `conflicting manifests: both plugin.json and marketplace entry specify components`.',
      cause: { doc: manifest, at: '', message: "The plugin's own `plugin.json`" },
    });
  },
});
