import { code } from '../catalog/diagnostic.ts';
import {
  componentKey,
  componentKinds,
  componentNames,
  type ComponentKind,
} from '../catalog/component-keys.ts';
import { componentKeySets, pluginFactsOf } from '../catalog/facts.ts';
import type {
  Catalog,
  CatalogPattern,
  OutsidePlugin,
  PatternStep,
  Range,
} from '../catalog/model.ts';
import { defineRule } from '../rule.ts';

const kindLabel: Record<ComponentKind, string> = {
  agent: 'an agent',
  skill: 'a skill',
  command: 'a command',
};

export const stepTokenRe = /^(agent|skill|command):(.+)$/;
/** A component name as a step can write it; anything else (`a|b`, `{…}`) is not a single name. */
export const nameRe = /^[\w.:-]+$/;
/** A role written as a name: Title Case words (`Code Explorer`) or a kebab-case id (`code-explorer`). */
export const roleNameRe =
  /^(?:[A-Z][A-Za-z0-9]*(?:[ -][A-Z][A-Za-z0-9]*)*|[a-z0-9]+(?:-[a-z0-9]+)+)$/;

/** Claude Code's own subagents, which no plugin provides. */
export const builtInAgents = [
  'general-purpose',
  'explore',
  'plan',
  'statusline-setup',
  'output-style-setup',
  'claude-code-guide',
];

/** Keys of the loaded plugins' components by kind, and every plain name for suggestions. */
interface NameIndex {
  keys: Record<ComponentKind, Set<string>>;
  /** Plain names of loaded and outside plugins, listed on first use (only a report needs them). */
  plain: () => Record<ComponentKind, string[]>;
}

/** Indexes by catalog (outside plugins answer through the catalog's facts). */
const indexes = new WeakMap<Catalog, NameIndex>();

function plainNames(plugins: readonly OutsidePlugin[]): Record<ComponentKind, string[]> {
  const plain: Record<ComponentKind, string[]> = { agent: [], skill: [], command: [] };
  for (const plugin of plugins)
    for (const kind of componentKinds) plain[kind].push(...componentNames(plugin, kind));
  return plain;
}

function nameIndex(catalog: Catalog): NameIndex {
  let index = indexes.get(catalog);
  if (index) return index;
  const loaded = pluginFactsOf(catalog);
  const keys = componentKeySets(loaded);
  for (const agent of builtInAgents) keys.agent.add(agent);
  let plain: Record<ComponentKind, string[]> | undefined;
  index = {
    keys,
    plain: () => (plain ??= plainNames([...loaded, ...(catalog.outside?.plugins ?? [])])),
  };
  indexes.set(catalog, index);
  return index;
}

function exists(catalog: Catalog, index: NameIndex, kind: ComponentKind, name: string): boolean {
  const key = componentKey(name);
  return index.keys[kind].has(key) || (catalog.outside?.hasComponent(kind, key) ?? false);
}

/** Levenshtein distance, capped: returns `limit + 1` as soon as it must exceed `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/** A note naming the closest existing component, when one is a likely typo. */
function suggestion(name: string, kind: ComponentKind, index: NameIndex): string | undefined {
  const wanted = componentKey(name);
  const names = index.plain()[kind];
  const candidates = names
    .map((candidate) => ({ candidate, cost: distance(wanted, componentKey(candidate), 2) }))
    .filter(({ cost }) => cost <= 2)
    .sort((a, b) => a.cost - b.cost || (a.candidate < b.candidate ? -1 : 1));
  const best = candidates[0];
  return best ? `Did you mean ${kind} ${code(best.candidate)}?` : undefined;
}

/** The range of the role inside a step's trailing parentheses, or the step's line. */
function rolePlace(pattern: CatalogPattern, step: PatternStep, role: string): Range {
  const lineRange: Range = {
    start: { line: step.line, column: 1 },
    end: { line: step.line, column: 1 },
  };
  const text = pattern.doc.file.value;
  if (typeof text !== 'string') return lineRange;
  let offset = 0;
  for (let line = 1; line < step.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return lineRange;
    offset = next + 1;
  }
  const end = text.indexOf('\n', offset);
  const lineText = text.slice(offset, end === -1 ? text.length : end);
  const start = lineText.lastIndexOf(role);
  if (start === -1) return lineRange;
  return {
    start: { line: step.line, column: start + 1 },
    end: { line: step.line, column: start + role.length + 1 },
  };
}

export default defineRule({
  id: 'pattern-steps-exist',
  description:
    'Require the agents, skills and commands named by pattern workflow steps to exist in a plugin of the catalog',
  severity: 'warning',
  appliesTo: 'pattern',
  stage: 'stable',
  check(pattern, ctx) {
    // With no plugin in the catalog there is nothing to check names against.
    if (ctx.catalog.plugins.length === 0 && !ctx.catalog.outside?.pluginCount) return;
    const index = nameIndex(ctx.catalog);

    (pattern.doc.data?.steps ?? []).forEach((step, i) => {
      const match = stepTokenRe.exec(step.trim());
      const kind = match?.[1] as ComponentKind | undefined;
      const name = match?.[2]?.trim();
      if (!kind || !name || !nameRe.test(name) || exists(ctx.catalog, index, kind, name)) return;
      ctx.report({
        message: `Unexpected step ${code(step)}, expected ${kindLabel[kind]} ${code(name)} in a plugin of the catalog`,
        at: `/steps/${i}`,
        actual: step,
        note: suggestion(name, kind, index),
      });
    });

    for (const step of pattern.steps) {
      const role = step.actor;
      if (role === undefined) continue;
      const token = stepTokenRe.exec(role);
      let kind: ComponentKind;
      let name: string;
      if (token?.[1] && token[2] && nameRe.test(token[2].trim())) {
        kind = token[1] as ComponentKind;
        name = token[2].trim();
      } else if (roleNameRe.test(role)) {
        kind = 'agent';
        name = componentKey(role);
      } else {
        // Parenthesised asides such as `(optional)` or `(npm test)` name no component.
        continue;
      }
      if (exists(ctx.catalog, index, kind, name)) continue;
      ctx.report({
        message: `Unexpected workflow role ${code(role)}, expected ${kindLabel[kind]} ${code(name)} in a plugin of the catalog`,
        place: rolePlace(pattern, step, role),
        actual: role,
        note: suggestion(name, kind, index),
      });
    }
  },
});
