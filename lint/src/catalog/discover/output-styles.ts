import path from 'node:path/posix';
import type { OutputStyleFrontmatter } from '../../generated/schema-types.ts';
import type { OutputStyleComponent } from '../model.ts';
import { componentFiles, describe, tokensOf } from './markdown-components.ts';
import { isObject, type Json, type PluginScope } from './plugin-scope.ts';

/**
 * Output styles: `output-styles/**.md`, or the manifest's `outputStyles` paths, plus entry paths.
 * The frontmatter `name` names a style, else its file name.
 */
export function discoverOutputStyles(scope: PluginScope): OutputStyleComponent[] {
  return componentFiles(scope, 'outputStyles', 'output-styles', 'any').map((item) => {
    const doc = scope.reader.markdown<OutputStyleFrontmatter>(item.path, 'output-style');
    const fm: Json = isObject(doc.data) ? doc.data : {};
    const name =
      typeof fm.name === 'string' && fm.name !== '' ? fm.name : path.basename(item.path, '.md');
    const description = describe(doc);
    return {
      kind: 'output-style',
      name,
      path: item.path,
      origin: item.origin,
      doc,
      description,
      tokens: tokensOf(name, description, doc),
    };
  });
}
