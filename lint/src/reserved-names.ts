/**
 * Marketplace names Claude Code registers only from the `anthropics` GitHub organization,
 * compared in lower case (reference §1.3).
 */
const officialMarketplaceNames: ReadonlySet<string> = new Set([
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

/** Official names whose marketplace gets no waiver for reserved plugin names: community, directory. */
const unwaivedMarketplaceNames: ReadonlySet<string> = new Set([
  'claude-community',
  'claude-plugins-community',
  'anthropic-plugin-directory',
  'claude-plugin-directory',
]);

/** True when `name` is an official Anthropic marketplace name, in any letter case. */
export function isOfficialMarketplaceName(name: string): boolean {
  return officialMarketplaceNames.has(name.toLowerCase());
}

/** True when a marketplace of this name may list plugins whose names pass as Anthropic's own. */
export function isReservedPluginNameWaived(marketplaceName: string): boolean {
  // `claude plugin validate` 2.1.330 waives the check for the other official names.
  const name = marketplaceName.toLowerCase();
  return officialMarketplaceNames.has(name) && !unwaivedMarketplaceNames.has(name);
}

// Tokens are runs of letters and digits; a name is reserved when its tokens, joined from the
// start, spell a reserved lead (`claude-…`, `cc-plugin-…`) or, joined whole, a reserved name.
const reservedLeads: ReadonlySet<string> = new Set([
  'claude',
  'anthropic',
  'anthropics',
  'ccplugin',
]);
const reservedWholeNames: ReadonlySet<string> = new Set([
  'claude',
  'anthropic',
  'anthropics',
  'claudecode',
  'claudemods',
]);
const longestReserved = Math.max(
  ...[...reservedLeads, ...reservedWholeNames].map((name) => name.length),
);
const officialBesideMarkRe =
  /official[^a-z0-9]*(?:anthropic|claude)|(?:anthropic|claude)[^a-z0-9]*official/;

function tokensOf(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token !== '');
}

/**
 * True when a plugin name passes as one of Anthropic's own, as `claude plugin validate` judges
 * it: it starts with `claude-`, `anthropic-`, `anthropics-` or `cc-plugin-`, is `claude`,
 * `anthropic`, `anthropics`, `claude-code` or `claude-mods`, or puts `official` beside `claude`
 * or `anthropic` (reference §4).
 */
export function isReservedPluginName(name: string): boolean {
  const tokens = tokensOf(name);
  let joined = '';
  for (const [index, token] of tokens.entries()) {
    joined += token;
    const isWhole = index === tokens.length - 1;
    if ((isWhole ? reservedWholeNames : reservedLeads).has(joined)) return true;
    if (joined.length > longestReserved) break;
  }
  return (
    officialBesideMarkRe.test(name.toLowerCase()) || officialBesideMarkRe.test(tokens.join(''))
  );
}
