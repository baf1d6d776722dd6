import type { CatalogPlugin } from '../catalog/model.ts';
import { defineRule, type RuleContext } from '../rule.ts';

/** The Agent Skills specification's limit. */
const maxLength = 1024;
/** Where Claude Code's skill listing cuts a description (setting `skillListingMaxDescChars`). */
const listingLimit = 1536;

function check(plugin: CatalogPlugin, ctx: RuleContext): void {
  for (const skill of plugin.skills) {
    if (!skill.doc.valid) continue;
    const description: unknown = (skill.doc.data as Record<string, unknown> | undefined)
      ?.description;
    if (typeof description !== 'string') continue;
    const length = [...description].length;
    if (length <= maxLength) continue;
    ctx.report({
      doc: skill.doc,
      at: '/description',
      message: `Unexpected description of ${length} characters, expected at most ${maxLength}`,
      actual: String(length),
      expected: [String(maxLength)],
      note:
        length > listingLimit
          ? `Claude Code's skill listing shows only the first ${listingLimit} characters, so the rest never reaches Claude.`
          : undefined,
    });
  }
}

export default defineRule({
  id: 'skill-description-length',
  description: 'Limit skill descriptions to the 1024 characters of the Agent Skills specification',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check,
});
