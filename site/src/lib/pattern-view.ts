import type { CatalogPattern } from 'agentops-lint/catalog';
import type { ViewOptions } from './catalog-view.ts';
import type { Check } from './checklist.ts';
import { resolveRelativeUrl, sourceLink } from './links.ts';
import { isObject, str, strings, type Json } from './manifest-fields.ts';
import { renderMarkdown } from './markdown.ts';
import { normaliseCategory, normaliseTerms } from './taxonomy.ts';
import { readPatternStats, type PatternStats } from './pattern-stats.ts';
import type { ComponentView, PluginView } from './plugin-view.ts';

/** A workflow step, with the catalog components it names. */
export interface StepView {
  text: string;
  actor: string | undefined;
  /** Plugin pages (with fragment) of the agents, skills or commands the step uses. */
  uses: ComponentRef[];
}

/** A component of some plugin, referenced from a pattern step. */
interface ComponentRef {
  plugin: string;
  kind: ComponentView['kind'];
  name: string;
  anchor: string;
}

/** Everything a pattern page, its JSON twin and the search index need; plain data only. */
export interface PatternView {
  id: string;
  slug: string;
  path: string;
  title: string;
  description: string;
  category: string | undefined;
  tags: string[];
  stats: PatternStats;
  steps: StepView[];
  /** Plugins whose agents, skills or commands the steps use. */
  plugins: string[];
  agents: ComponentRef[];
  skills: ComponentRef[];
  sourceUrl: string | undefined;
  updated: string | undefined;
  created: string | undefined;
  bodyHtml: string;
  checks: Check[];
}

/** Lower-cases and joins words with `-`, so `Code Explorer` matches an agent `code-explorer`. */
function normalizeName(text: string): string {
  return text
    .toLowerCase()
    .replace(/^\/|^(agent|skill|command):/, '')
    .replace(/[^a-z0-9:]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Agents, skills and commands by every name a pattern step might use for them. */
export type ComponentIndex = Map<string, ComponentRef[]>;

/** Index of every agent, skill and command by the names a step might use for it. */
export function componentIndex(plugins: readonly PluginView[]): ComponentIndex {
  const index: ComponentIndex = new Map();
  const add = (key: string, ref: ComponentRef): void => {
    const list = index.get(key) ?? [];
    if (!list.some((known) => known.plugin === ref.plugin && known.anchor === ref.anchor))
      list.push(ref);
    index.set(key, list);
  };
  for (const plugin of plugins) {
    for (const component of plugin.components) {
      if (component.kind === 'output-style') continue;
      const ref = {
        plugin: plugin.name,
        kind: component.kind,
        name: component.name,
        anchor: component.anchor,
      };
      add(normalizeName(component.name), ref);
      if (component.invocation) add(normalizeName(component.invocation), ref);
    }
  }
  return index;
}

const codeSpanRe = /`([^`]+)`/g;

function stepUses(
  step: { text: string; actor: string | undefined },
  index: ComponentIndex,
): ComponentRef[] {
  const names = [step.actor, ...[...step.text.matchAll(codeSpanRe)].map((match) => match[1])];
  const uses: ComponentRef[] = [];
  for (const name of names) {
    if (!name) continue;
    for (const ref of index.get(normalizeName(name)) ?? []) {
      if (!uses.some((known) => known.plugin === ref.plugin && known.anchor === ref.anchor))
        uses.push(ref);
    }
  }
  return uses;
}

function uniqueRefs(refs: ComponentRef[]): ComponentRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = `${ref.plugin}#${ref.anchor}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * A pattern as its page shows it: statistics, steps linked to the components they use, and the
 * body as safe HTML. Checks are filled in by the caller.
 */
export function patternView(
  pattern: CatalogPattern,
  index: ComponentIndex,
  options: ViewOptions,
): PatternView {
  const data: Json = isObject(pattern.doc.data) ? pattern.doc.data : {};
  const stats = readPatternStats(data, pattern.interval);
  const steps = pattern.steps.map((step) => ({
    text: step.text,
    actor: step.actor,
    uses: stepUses(step, index),
  }));
  const canonical = stats.canonicalSteps.flatMap((step) => index.get(normalizeName(step)) ?? []);
  const used = uniqueRefs([...steps.flatMap((step) => step.uses), ...canonical]);
  const history = options.history?.get(pattern.path);
  const dir = pattern.path.includes('/')
    ? pattern.path.slice(0, pattern.path.lastIndexOf('/') + 1)
    : '';
  return {
    id: pattern.id,
    slug: pattern.slug,
    path: pattern.path,
    title: pattern.title ?? str(data.title) ?? pattern.id,
    description: str(data.description) ?? str(data.summary) ?? '',
    category: normaliseCategory(str(data.category)),
    tags: normaliseTerms([...strings(data.tags), ...strings(data.keywords)]),
    stats,
    steps,
    plugins: [...new Set(used.map((ref) => ref.plugin))].sort(),
    agents: used.filter((ref) => ref.kind === 'agent'),
    skills: used.filter((ref) => ref.kind === 'skill'),
    sourceUrl: sourceLink(options.sourceBase, pattern.path),
    updated: history?.updated,
    created: history?.created,
    bodyHtml: renderMarkdown(pattern.doc.body, {
      headingOffset: 2,
      resolveRelative: (url) => resolveRelativeUrl(options.sourceBase, dir, url),
    }),
    checks: [],
  };
}
