import type { AgentFrontmatter } from '../../generated/schema-types.ts';
import type { AgentComponent } from '../model.ts';
import { componentFiles, frontmatterName, markdownComponent } from './markdown-components.ts';
import type { PluginScope } from './plugin-scope.ts';

/**
 * Subagents: `agents/**.md`, or the manifest's `agents` file paths, plus entry paths. The
 * frontmatter `name` names an agent, else its file name.
 */
export function discoverAgents(scope: PluginScope): AgentComponent[] {
  return componentFiles(scope, 'agents', 'agents', 'file').map((item) => {
    const doc = scope.reader.markdown<AgentFrontmatter>(item.path, 'agent');
    const name = frontmatterName(doc, item.path);
    return {
      kind: 'agent',
      ...markdownComponent(item, doc, name),
      id: `${scope.plugin.name}:${name}`,
    };
  });
}
