import path from 'node:path/posix';
import type { AgentFrontmatter } from '../../generated/schema-types.ts';
import type { AgentComponent } from '../model.ts';
import { componentFiles, describe, tokensOf } from './markdown-components.ts';
import { isObject, type Json, type PluginScope } from './plugin-scope.ts';

/**
 * Subagents: `agents/**.md`, or the manifest's `agents` file paths, plus entry paths. The
 * frontmatter `name` names an agent, else its file name.
 */
export function discoverAgents(scope: PluginScope): AgentComponent[] {
  return componentFiles(scope, 'agents', 'agents', 'file').map((item) => {
    const doc = scope.reader.markdown<AgentFrontmatter>(item.path, 'agent');
    const fm: Json = isObject(doc.data) ? doc.data : {};
    const name =
      typeof fm.name === 'string' && fm.name !== '' ? fm.name : path.basename(item.path, '.md');
    const description = describe(doc);
    return {
      kind: 'agent',
      name,
      path: item.path,
      origin: item.origin,
      doc,
      description,
      tokens: tokensOf(name, description, doc),
      id: `${scope.plugin.name}:${name}`,
    };
  });
}
