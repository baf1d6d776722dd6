import path from 'node:path/posix';
import type { CommandFrontmatter } from '../../generated/schema-types.ts';
import type { CommandComponent } from '../model.ts';
import { componentFiles, markdownComponent } from './markdown-components.ts';
import type { PluginScope } from './plugin-scope.ts';

/**
 * Slash commands: `commands/**.md`, or the manifest's `commands` paths or `{ name: { source } }`
 * map, plus entry paths. A file's path below its folder names it (`sub/deploy.md` is `sub:deploy`).
 */
export function discoverCommands(scope: PluginScope): CommandComponent[] {
  return componentFiles(scope, 'commands', 'commands', 'any').map((item) => {
    const doc = scope.reader.markdown<CommandFrontmatter>(item.path, 'command');
    const name = path.relative(item.root, item.path).replace(/\.md$/, '').split('/').join(':');
    return {
      kind: 'command',
      ...markdownComponent(item, doc, name),
      invocation: `/${scope.plugin.name}:${name}`,
    };
  });
}
