import { code } from '../catalog/diagnostic.ts';
import type { Catalog, CatalogPattern, PatternStep, Range } from '../catalog/model.ts';
import { defineRule } from '../rule.ts';

type ComponentKind = 'agent' | 'skill' | 'command';

const kindLabel: Record<ComponentKind, string> = {
  agent: 'an agent',
  skill: 'a skill',
  command: 'a command',
};

const stepTokenRe = /^(agent|skill|command):(.+)$/;
/** A component name as a step can write it; anything else (`a|b`, `{…}`) is not a single name. */
const nameRe = /^[\w.:-]+$/;
/** A role written as a name: Title Case words (`Code Explorer`) or a kebab-case id (`code-explorer`). */
const roleNameRe = /^(?:[A-Z][A-Za-z0-9]*(?:[ -][A-Z][A-Za-z0-9]*)*|[a-z0-9]+(?:-[a-z0-9]+)+)$/;

/** Claude Code's own subagents, which no plugin provides. */
const builtInAgents = [
  'general-purpose',
  'explore',
  'plan',
  'statusline-setup',
  'output-style-setup',
  'claude-code-guide',
];

/** Normalized names by kind (plain and plugin-qualified), and the plain names for suggestions. */
interface NameIndex {
  names: Record<ComponentKind, Set<string>>;
  plain: Record<ComponentKind, string[]>;
}

/** A name `normalize` leaves as it is: allowed characters only, no `-` at either end. */
const normalRe = /^(?:[a-z0-9_.]|[a-z0-9_.][a-z0-9_.-]*[a-z0-9_.])$/;

/** `normalize(`${plugin}:${name}`)`, without the regular expressions when both are normal. */
function normalizeQualified(plugin: string, name: string): string {
  return normalRe.test(plugin) && normalRe.test(name)
    ? `${plugin}-${name}`
    : normalize(`${plugin}:${name}`);
}

/** Indexes by catalog, or by the outside plugins of partial catalogs that load no plugin. */
const indexes = new WeakMap<object, NameIndex>();

/**
 * The form names are compared in: lower case, runs of other characters as `-`. The learning
 * engine writes step tokens this way (`agent:core-code-explorer` for the agent
 * `core:code-explorer`), and the role `Code Explorer` becomes `code-explorer`.
 */
function normalize(name: string): string {
  // Most names already have that form; a catalog holds tens of thousands of them.
  if (normalRe.test(name)) return name;
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function nameIndex(catalog: Catalog): NameIndex {
  // Batches of patterns share one list of outside plugins: one index serves them all.
  const key = catalog.plugins.length === 0 && catalog.outside ? catalog.outside.plugins : catalog;
  let index = indexes.get(key);
  if (index) return index;
  index = {
    names: { agent: new Set(builtInAgents), skill: new Set(), command: new Set() },
    plain: { agent: [], skill: [], command: [] },
  };
  const plugins: { name: string; agents: string[]; skills: string[]; commands: string[] }[] = [
    ...catalog.plugins.map((plugin) => ({
      name: plugin.name,
      agents: plugin.agents.map((agent) => agent.name),
      skills: plugin.skills.map((skill) => skill.name),
      commands: plugin.commands.map((command) => command.name),
    })),
    ...(catalog.outside?.plugins ?? []),
  ];
  for (const plugin of plugins) {
    const groups: [ComponentKind, string[]][] = [
      ['agent', plugin.agents],
      ['skill', plugin.skills],
      ['command', plugin.commands],
    ];
    for (const [kind, names] of groups) {
      for (const name of names) {
        index.names[kind].add(normalize(name));
        index.names[kind].add(normalizeQualified(plugin.name, name));
        index.plain[kind].push(name);
      }
    }
  }
  indexes.set(key, index);
  return index;
}

function exists(index: NameIndex, kind: ComponentKind, name: string): boolean {
  return index.names[kind].has(normalize(name));
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
  const wanted = normalize(name);
  const candidates = index.plain[kind]
    .map((candidate) => ({ candidate, cost: distance(wanted, normalize(candidate), 2) }))
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
    if (ctx.catalog.plugins.length === 0 && !ctx.catalog.outside?.plugins.length) return;
    const index = nameIndex(ctx.catalog);

    (pattern.doc.data?.steps ?? []).forEach((step, i) => {
      const match = stepTokenRe.exec(step.trim());
      const kind = match?.[1] as ComponentKind | undefined;
      const name = match?.[2]?.trim();
      if (!kind || !name || !nameRe.test(name) || exists(index, kind, name)) return;
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
        name = normalize(role);
      } else {
        // Parenthesised asides such as `(optional)` or `(npm test)` name no component.
        continue;
      }
      if (exists(index, kind, name)) continue;
      ctx.report({
        message: `Unexpected workflow role ${code(role)}, expected ${kindLabel[kind]} ${code(name)} in a plugin of the catalog`,
        place: rolePlace(pattern, step, role),
        actual: role,
        note: suggestion(name, kind, index),
      });
    }
  },
});
