import type { FederationIndexPlugin } from '../../../lint/src/generated/schema-types.ts';
import { componentAnchor } from './catalog-view.ts';

/** One command, agent, skill or output style of a federated plugin. */
export interface FederatedComponent {
  kind: 'command' | 'agent' | 'skill' | 'output-style';
  name: string;
  invocation: string | undefined;
  description: string | undefined;
  anchor: string;
}

function text(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A federated plugin's commands, agents, skills and output styles, each sorted by name. */
export function federatedComponents(plugin: FederationIndexPlugin): FederatedComponent[] {
  const found = plugin.components;
  if (!found) return [];
  const byName = <T extends { name: string }>(list: readonly T[]): T[] =>
    [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const item = (
    kind: FederatedComponent['kind'],
    name: string,
    invocation: string | undefined,
    description: string | null,
  ): FederatedComponent => ({
    kind,
    name,
    invocation,
    description: text(description),
    anchor: componentAnchor(kind, name),
  });
  return [
    ...byName(found.commands).map((c) => item('command', c.name, c.invocation, c.description)),
    ...byName(found.agents).map((a) => item('agent', a.name, a.id, a.description)),
    ...byName(found.skills).map((s) => item('skill', s.name, s.invocation, s.description)),
    ...byName(found.outputStyles).map((o) =>
      item('output-style', o.name, undefined, o.description),
    ),
  ];
}
