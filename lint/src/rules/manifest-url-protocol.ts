import { code } from '../catalog/diagnostic.ts';
import type { ParsedDocument } from '../catalog/model.ts';
import { defineRule, type RuleContext } from '../rule.ts';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` parses as an `http:` or `https:` URL. */
function isWebUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The URL fields of a manifest or entry object (`homepage` is left to the schema, which already
 * requires `http(s)`), as pointers relative to `base`.
 */
function urlFields(data: Json, base: string): { at: string; value: unknown }[] {
  const fields = [{ at: `${base}/repository`, value: data.repository }];
  if (isObject(data.author)) fields.push({ at: `${base}/author/url`, value: data.author.url });
  return fields;
}

function checkFields(
  doc: ParsedDocument<unknown>,
  fields: { at: string; value: unknown }[],
  ctx: RuleContext,
): void {
  for (const { at, value } of fields) {
    // An empty string is no link at all, and Claude Code accepts it: only a URL is checked.
    if (typeof value !== 'string' || value === '' || isWebUrl(value)) continue;
    ctx.report({
      doc,
      at,
      message: `Unexpected URL ${code(value)}, expected an \`http://\` or \`https://\` URL`,
      actual: value,
    });
  }
}

export default defineRule({
  id: 'manifest-url-protocol',
  description: 'Require URLs in `marketplace.json` and `plugin.json` to use `http:` or `https:`',
  severity: 'error',
  appliesTo: 'catalog',
  stage: 'stable',
  check(catalog, ctx) {
    const marketplace = catalog.marketplace;
    if (marketplace?.valid && isObject(marketplace.data)) {
      const data: Json = marketplace.data;
      const fields = isObject(data.owner) ? [{ at: '/owner/url', value: data.owner.url }] : [];
      if (Array.isArray(data.plugins)) {
        data.plugins.forEach((entry, index) => {
          if (isObject(entry)) fields.push(...urlFields(entry, `/plugins/${index}`));
        });
      }
      checkFields(marketplace, fields, ctx);
    }
    for (const plugin of catalog.plugins) {
      const manifest = plugin.manifest;
      if (manifest?.valid && isObject(manifest.data))
        checkFields(manifest, urlFields(manifest.data, ''), ctx);
    }
  },
});
