import { code } from '../catalog/diagnostic.ts';
import type { Marketplace } from '../generated/schema-types.ts';
import { defineRule } from '../rule.ts';

/**
 * Names Claude Code registers only from the `anthropics` GitHub organization, compared in lower
 * case as Claude Code does (reference §1.3). The schema covers the names refused everywhere
 * (`claudeai-*`, `Object.prototype` members, built-in and impersonating names).
 */
const officialNames = new Set([
  'claude-code-marketplace',
  'claude-code-plugins',
  'claude-plugins-official',
  'anthropic-marketplace',
  'anthropic-plugins',
  'agent-skills',
  'anthropic-agent-skills',
  'life-sciences',
  'knowledge-work-plugins',
  'claude-for-legal',
  'claude-for-financial-services',
  'financial-services-plugins',
  'first-party-plugins',
  'claude-tag-plugins',
  'claude-community',
  'claude-plugins-community',
  'healthcare',
  'anthropic-plugin-directory',
  'claude-plugin-directory',
]);

/** True when the marketplace names Anthropic as its owner, as the official ones do. */
function isOwnedByAnthropic(owner: Marketplace['owner']): boolean {
  const email = typeof owner.email === 'string' ? owner.email.trim().toLowerCase() : '';
  return owner.name.trim().toLowerCase() === 'anthropic' || email.endsWith('@anthropic.com');
}

export default defineRule({
  id: 'no-reserved-marketplace-name',
  description: 'Disallow marketplace names reserved for official Anthropic marketplaces',
  severity: 'error',
  appliesTo: 'marketplace',
  stage: 'stable',
  check(marketplace, ctx) {
    const data = marketplace.data;
    if (!data || typeof data.name !== 'string' || !officialNames.has(data.name.toLowerCase()))
      return;
    // The rule cannot see where the repository is hosted; an Anthropic owner stands for it.
    if (isOwnedByAnthropic(data.owner)) return;
    ctx.report({
      message: `Unexpected marketplace name ${code(data.name)}, expected a name not reserved for official Anthropic marketplaces`,
      at: '/name',
      actual: data.name,
      note: 'Claude Code registers this name only from a repository of the `anthropics` GitHub organization: `claude plugin marketplace add` refuses it, and since 2.1.205 an existing registration stops loading.',
    });
  },
});
