import { code } from '../catalog/diagnostic.ts';
import type { Marketplace } from '../generated/schema-types.ts';
import { isOfficialMarketplaceName } from '../reserved-names.ts';
import { defineRule } from '../rule.ts';

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
    if (!data || typeof data.name !== 'string' || !isOfficialMarketplaceName(data.name)) return;
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
