import { createRequire } from 'node:module';
import type { Root } from 'mdast';
import type remarkParseModule from 'remark-parse';
import type { unified as unifiedFunction } from 'unified';

/** A frozen unified processor with remark-parse: `parse` only. */
interface MarkdownParser {
  parse(text: string): Root;
}

let parser: MarkdownParser | undefined;

/**
 * Constructs no rule that reads a tree needs: without them micromark does less work, and none of
 * them can hold or hide a link (their text is still parsed as paragraphs).
 */
const unusedConstructs = ['headingAtx', 'setextUnderline', 'thematicBreak'];

/**
 * The mdast of a Markdown text, for the rules that need one. remark and unified load on the first
 * call only (synchronously: `require` of ES modules, Node >= 20.19), so runs whose files never need
 * a tree never load them.
 *
 * @example
 * const tree = parseMarkdownTree('See [the guide](./guide.md).');
 */
export function parseMarkdownTree(text: string): Root {
  parser ??= createParser();
  return parser.parse(text);
}

function createParser(): MarkdownParser {
  const require = createRequire(import.meta.url);
  const { unified } = require('unified') as { unified: typeof unifiedFunction };
  const remarkParse = (require('remark-parse') as { default: typeof remarkParseModule }).default;
  return unified()
    .use(remarkParse)
    .data('micromarkExtensions', [{ disable: { null: unusedConstructs } }])
    .freeze();
}
