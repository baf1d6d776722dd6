/**
 * Tags and categories across marketplaces: one spelling per meaning (case, separators, plurals,
 * synonyms), and only words that sort a catalog become search facets.
 */

/** Spellings that mean the same thing, each mapped to the one we show. */
const synonyms: ReadonlyMap<string, string> = new Map([
  ['docs', 'documentation'],
  ['doc', 'documentation'],
  ['test', 'testing'],
  ['tests', 'testing'],
  ['qa', 'testing'],
  ['pr', 'pull-request'],
  ['prs', 'pull-request'],
  ['pull-requests', 'pull-request'],
  ['ci', 'ci-cd'],
  ['cicd', 'ci-cd'],
  ['ci-cd-pipeline', 'ci-cd'],
  ['k8s', 'kubernetes'],
  ['js', 'javascript'],
  ['ts', 'typescript'],
  ['postgres', 'postgresql'],
  ['ml', 'machine-learning'],
  ['ai-ml', 'machine-learning'],
  ['slash-command', 'command'],
  ['subagent', 'agent'],
  ['sub-agent', 'agent'],
  ['mcp-server', 'mcp'],
  ['mcpservers', 'mcp'],
  ['utilities', 'utility'],
  ['util', 'utility'],
  ['utils', 'utility'],
  ['dev', 'development'],
  ['developer-tools', 'development-tools'],
  ['dev-tools', 'development-tools'],
  ['devtools', 'development-tools'],
  ['auth', 'authentication'],
  ['perf', 'performance'],
  ['optimisation', 'optimization'],
  ['code-reviews', 'code-review'],
  ['claude', 'claude-code'],
  ['next-js', 'nextjs'],
  ['node-js', 'nodejs'],
  ['node', 'nodejs'],
  ['vue-js', 'vue'],
  ['vuejs', 'vue'],
  ['react-js', 'react'],
  ['reactjs', 'react'],
]);

/** Words that end in `s` without being plurals, kept as they are. */
const notPlural = new Set([
  'analytics',
  'aws',
  'css',
  'devops',
  'docs',
  'gitops',
  'ios',
  'kubernetes',
  'macos',
  'mlops',
  'news',
  'nodejs',
  'ops',
  'postgres',
  'redis',
  'sales',
  'sass',
  'secops',
  'series',
  'status',
  'vitest',
  'windows',
  'express',
  'business',
  'access',
  'process',
  'progress',
  'success',
  'address',
  'canvas',
  'atlas',
  'alias',
  'bus',
  'corpus',
  'focus',
  'chaos',
  'physics',
  'mathematics',
  'economics',
  'ethics',
  'graphics',
  'logistics',
  'statistics',
  'diagnostics',
  'metrics',
  'observability-metrics',
]);

/**
 * Generic words that say nothing about what an entry is for: learned pattern keywords are full of
 * them (`fail`, `end`, `multi`), and a facet named after one would sort nothing.
 */
const notFacets = new Set([
  'a',
  'add',
  'all',
  'an',
  'and',
  'any',
  'app',
  'based',
  'best',
  'build',
  'change',
  'check',
  'claude-code',
  'code',
  'create',
  'custom',
  'end',
  'fail',
  'file',
  'files',
  'fix',
  'flow',
  'for',
  'general',
  'get',
  'help',
  'make',
  'misc',
  'miscellaneous',
  'move',
  'multi',
  'new',
  'of',
  'other',
  'plugin',
  'run',
  'set',
  'the',
  'to',
  'tool',
  'tools',
  'update',
  'use',
  'with',
]);

/** Singular of a kebab-case word's last part (`code-reviews` → `code-review`). */
function singular(word: string): string {
  const dash = word.lastIndexOf('-');
  const head = word.slice(0, dash + 1);
  const last = word.slice(dash + 1);
  if (last.length <= 3 || notPlural.has(last) || notPlural.has(word)) return word;
  if (/(ss|us|is|ics)$/.test(last)) return word;
  if (last.endsWith('ies')) return `${head}${last.slice(0, -3)}y`;
  if (/(ches|shes|xes|sses)$/.test(last)) return `${head}${last.slice(0, -2)}`;
  if (last.endsWith('s')) return `${head}${last.slice(0, -1)}`;
  return word;
}

/**
 * One spelling per meaning: lower case, words joined by `-`, `&` and `and` dropped between words,
 * plurals made singular and synonyms mapped; `''` when nothing is left.
 *
 * @example normaliseTerm('Code Reviews') === 'code-review'
 */
export function normaliseTerm(text: string): string {
  const kebab = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^\.net\b/, 'dotnet')
    .replace(/[^\p{L}\p{N}+#]+/gu, '-')
    .replace(/-(and)-/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  if (kebab === '') return '';
  const direct = synonyms.get(kebab);
  if (direct) return direct;
  const one = singular(kebab);
  return synonyms.get(one) ?? one;
}

/** Normalised, de-duplicated terms in first-seen order; empty ones are dropped. */
export function normaliseTerms(texts: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    const term = normaliseTerm(text);
    if (term !== '') seen.add(term);
  }
  return [...seen];
}

/** Whether a normalised term can be a facet at all (not a generic word, not a number). */
export function isFacetWord(term: string): boolean {
  return term.length >= 2 && !notFacets.has(term) && !/^[\d.+#-]+$/.test(term);
}

/**
 * The tags worth offering as facets: each carried by at least `minEntries` entries, counting
 * only authored tags (plugin keywords and tags). Derived words, such as a learned pattern's
 * keywords, add to the count of a tag an author already uses but never make a facet alone.
 * Most frequent first, ties by name.
 */
export function facetTags(
  authored: Iterable<readonly string[]>,
  derived: Iterable<readonly string[]> = [],
  minEntries = 3,
): [string, number][] {
  const counts = new Map<string, number>();
  for (const tags of authored)
    for (const tag of new Set(tags))
      if (isFacetWord(tag)) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  for (const tags of derived)
    for (const tag of new Set(tags)) {
      const count = counts.get(tag);
      if (count !== undefined) counts.set(tag, count + 1);
    }
  return [...counts]
    .filter(([, count]) => count >= minEntries)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A category in the one spelling every marketplace shares, or `undefined` when it is empty. */
export function normaliseCategory(text: string | undefined): string | undefined {
  const term = text === undefined ? '' : normaliseTerm(text);
  return term === '' ? undefined : term;
}
