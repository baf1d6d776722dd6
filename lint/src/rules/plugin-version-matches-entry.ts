import { code } from '../catalog/diagnostic.ts';
import type { Point } from '../catalog/model.ts';
import { defineRule, type Fix } from '../rule.ts';

/** The offset of a 1-based line and column in `text`. */
function offsetAt(text: string, point: Point): number {
  let offset = 0;
  for (let line = 1; line < point.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset + point.column - 1;
}

export default defineRule({
  id: 'plugin-version-matches-entry',
  description: 'Require the marketplace entry `version` to equal the `plugin.json` `version`',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check(plugin, ctx) {
    const { entry, manifest } = plugin;
    const marketplace = ctx.catalog.marketplace;
    const own = manifest?.data?.version;
    const listed: unknown = entry?.data.version;
    if (!entry || !manifest || !marketplace || typeof own !== 'string') return;
    if (typeof listed !== 'string' || listed === own) return;
    const at = `/plugins/${entry.index}/version`;
    const place = marketplace.positions.value(at);
    const text = marketplace.file.value;
    let fix: Fix | undefined;
    // Rewrite the value only where the file spells it as the plain JSON string it parsed from.
    if (place && typeof text === 'string') {
      const start = offsetAt(text, place.start);
      const end = offsetAt(text, place.end);
      if (text.slice(start, end) === JSON.stringify(listed)) {
        fix = { range: [start, end], text: JSON.stringify(own) };
      }
    }
    ctx.report({
      doc: marketplace,
      at,
      message: `Unexpected entry version ${code(listed)}, expected ${code(own)} (the \`version\` in its \`plugin.json\`, which wins at install)`,
      actual: listed,
      expected: [own],
      fix,
      cause: { doc: manifest, at: '/version', message: 'The plugin declares its version here' },
    });
  },
});
