import type { OutputStyleFrontmatter } from '../../generated/schema-types.ts';
import type { OutputStyleComponent } from '../model.ts';
import { componentFiles, frontmatterName, markdownComponent } from './markdown-components.ts';
import type { PluginScope } from './plugin-scope.ts';

/**
 * Output styles: `output-styles/**.md`, or the manifest's `outputStyles` paths, plus entry paths.
 * The frontmatter `name` names a style, else its file name.
 */
export function discoverOutputStyles(scope: PluginScope): OutputStyleComponent[] {
  return componentFiles(scope, 'outputStyles', 'output-styles', 'any').map((item) => {
    const doc = scope.reader.markdown<OutputStyleFrontmatter>(item.path, 'output-style');
    const name = frontmatterName(doc, item.path);
    return { kind: 'output-style', ...markdownComponent(item, doc, name) };
  });
}
