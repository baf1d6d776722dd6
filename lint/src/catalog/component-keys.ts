import type { OutsidePlugin } from './model.ts';

/** The kinds of component a pattern's workflow step can name. */
export type ComponentKind = 'agent' | 'skill' | 'command';

/** The kinds, in the order facts list them. */
export const componentKinds: readonly ComponentKind[] = ['agent', 'skill', 'command'];

/** A name `componentKey` leaves as it is: allowed characters only, no `-` at either end. */
const normalRe = /^(?:[a-z0-9_.]|[a-z0-9_.][a-z0-9_.-]*[a-z0-9_.])$/;

/**
 * The form component names are compared in: lower case, runs of other characters as `-`. The
 * learning engine writes step tokens this way (`agent:core-code-explorer` for the agent
 * `core:code-explorer`), and the role `Code Explorer` becomes `code-explorer`.
 */
export function componentKey(name: string): string {
  // Most names already have that form; a catalog holds tens of thousands of them.
  if (normalRe.test(name)) return name;
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `componentKey(`${plugin}:${name}`)`, without the regular expressions when both are normal. */
function qualifiedKey(plugin: string, name: string): string {
  return normalRe.test(plugin) && normalRe.test(name)
    ? `${plugin}-${name}`
    : componentKey(`${plugin}:${name}`);
}

/** The names of a plugin's components of one kind. */
export function componentNames(plugin: OutsidePlugin, kind: ComponentKind): string[] {
  return kind === 'agent' ? plugin.agents : kind === 'skill' ? plugin.skills : plugin.commands;
}

/** Calls `add` with each key a plugin's components of `kind` answer to: plain and qualified. */
export function forEachComponentKey(
  plugin: OutsidePlugin,
  kind: ComponentKind,
  add: (key: string) => void,
): void {
  for (const name of componentNames(plugin, kind)) {
    add(componentKey(name));
    add(qualifiedKey(plugin.name, name));
  }
}
