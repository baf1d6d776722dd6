import type { ComponentView } from './plugin-view.ts';
import type { FootprintLabel } from 'agentops-lint/catalog';
import type { PluginFlags } from './runs-view.ts';

/** How a result's name matches the query: 0 exactly, 1 as a prefix, 2 not by name. */
function nameMatch(name: string | undefined, query: string): 0 | 1 | 2 {
  const wanted = query.trim().toLowerCase();
  const have = name?.trim().toLowerCase();
  if (!have || wanted === '') return 2;
  if (have === wanted) return 0;
  return have.startsWith(wanted) ? 1 : 2;
}

/** Plugins (ours and federated) before patterns and other pages that mention them. */
function kindRank(kind: string | undefined): number {
  return kind === 'plugin' || kind === 'federated plugin' ? 0 : 1;
}

/**
 * Puts the results whose name is the query first, then those whose name starts with it, then
 * plugins before patterns and other pages, keeping Pagefind's order otherwise (a stable sort): a
 * plugin named like the query, or described by it, comes before pages that merely mention it.
 */
export function rankByName<T>(
  items: readonly T[],
  nameOf: (item: T) => string | undefined,
  query: string,
  kindOf: (item: T) => string | undefined = () => undefined,
): T[] {
  return items
    .map((item, index) => ({
      item,
      index,
      match: nameMatch(nameOf(item), query),
      kind: kindRank(kindOf(item)),
    }))
    .sort((a, b) => a.match - b.match || a.kind - b.kind || a.index - b.index)
    .map(({ item }) => item);
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 commands · 1 agent · 3 skills`, leaving out kinds the plugin has none of. */
export function componentSummary(components: readonly Pick<ComponentView, 'kind'>[]): string {
  const kinds = [
    ['command', 'command'],
    ['agent', 'agent'],
    ['skill', 'skill'],
    ['output-style', 'output style'],
  ] as const;
  const parts = kinds.flatMap(([kind, word]) => {
    const n = components.filter((component) => component.kind === kind).length;
    return n > 0 ? [count(n, word)] : [];
  });
  return parts.length > 0 ? parts.join(' · ') : 'no components';
}

/**
 * What runs on the user's machine, in the words of the "Runs on your machine" facet; a plugin
 * the loader could not judge (scripts it cannot read, a missing folder) says so.
 */
export function runsLabel(flags: PluginFlags, label?: FootprintLabel): string {
  if (label === 'unknown') return 'runs code we cannot read';
  if (flags.promptOnly) return 'prompt-only';
  if (flags.noNetwork) return flags.noHooks ? 'runs local code, no network' : 'hooks, no network';
  return flags.noHooks ? 'runs code that uses the network' : 'hooks that use the network';
}
