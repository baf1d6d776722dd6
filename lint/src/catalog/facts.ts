import { componentKinds, forEachComponentKey, type ComponentKind } from './component-keys.ts';
import type {
  Catalog,
  CatalogPattern,
  OutsideFacts,
  OutsidePattern,
  OutsidePlugin,
} from './model.ts';

/** The `pattern_id` of a schema-valid pattern, else `undefined`: what duplicate checks compare. */
export function validPatternId(pattern: CatalogPattern): string | undefined {
  const id = pattern.doc.data?.pattern_id;
  return pattern.doc.valid && typeof id === 'string' ? id : undefined;
}

/** The component names of the catalog's plugins, as a partial catalog needs them. */
export function pluginFactsOf(catalog: Catalog): OutsidePlugin[] {
  return catalog.plugins.map((plugin) => ({
    dir: plugin.dir,
    name: plugin.name,
    agents: plugin.agents.map((agent) => agent.name),
    skills: plugin.skills.map((skill) => skill.name),
    commands: plugin.commands.map((command) => command.name),
  }));
}

/** The patterns of a fully loaded catalog, as a partial load of it needs them. */
export function patternFactsOf(catalog: Catalog): OutsidePattern[] {
  return catalog.patterns.map((pattern) => ({
    path: pattern.path,
    folder: pattern.folder,
    id: validPatternId(pattern),
  }));
}

/** The component keys of some plugins by kind (`componentKey` forms, plain and qualified). */
export function componentKeySets(
  plugins: readonly OutsidePlugin[],
): Record<ComponentKind, Set<string>> {
  const sets = { agent: new Set<string>(), skill: new Set<string>(), command: new Set<string>() };
  for (const plugin of plugins)
    for (const kind of componentKinds)
      forEachComponentKey(plugin, kind, (key) => sets[kind].add(key));
  return sets;
}

/** Key sets by plugin list: batches of patterns share one list of outside plugins. */
const keySets = new WeakMap<readonly OutsidePlugin[], Record<ComponentKind, Set<string>>>();

/** Outside facts held in memory, with lookups indexed on first use. */
export function outsideFacts(
  patterns: readonly OutsidePattern[],
  plugins: readonly OutsidePlugin[],
): OutsideFacts {
  let byId: Map<string, OutsidePattern[]> | undefined;
  return {
    patterns,
    plugins,
    pluginCount: plugins.length,
    withId(id) {
      if (!byId) {
        byId = new Map();
        for (const pattern of patterns) {
          if (pattern.id === undefined) continue;
          const list = byId.get(pattern.id);
          if (list) list.push(pattern);
          else byId.set(pattern.id, [pattern]);
        }
      }
      return byId.get(id) ?? [];
    },
    hasComponent(kind, key) {
      let sets = keySets.get(plugins);
      if (!sets) keySets.set(plugins, (sets = componentKeySets(plugins)));
      return sets[kind].has(key);
    },
  };
}
