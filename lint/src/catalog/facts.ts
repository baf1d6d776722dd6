import type { Catalog, CatalogPattern, OutsideFacts, OutsidePlugin } from './model.ts';

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

/** The facts of a fully loaded catalog, as a partial load of it needs them. */
export function outsideFactsOf(catalog: Catalog): OutsideFacts {
  return {
    patterns: catalog.patterns.map((pattern) => ({
      path: pattern.path,
      folder: pattern.folder,
      id: validPatternId(pattern),
    })),
    plugins: pluginFactsOf(catalog),
  };
}
