import path from 'node:path/posix';
import type { Definition, Image, Link, Nodes } from 'mdast';
import type { VFile } from 'vfile';
import { code } from '../catalog/diagnostic.ts';
import type { CatalogPlugin, Range } from '../catalog/model.ts';
import { splitBlocks, type MarkdownBlock } from '../markdown-blocks.ts';
import { parseMarkdownTree } from '../markdown-tree.ts';
import { defineRule } from '../rule.ts';

/** A Markdown file of a plugin: its text, and the line its Markdown body starts on. */
interface MarkdownFile {
  file: VFile;
  body: string;
  firstLine: number;
}

/** The Markdown a plugin ships and Claude Code or its users read: components and README. */
function markdownFiles(plugin: CatalogPlugin): MarkdownFile[] {
  const components = [
    ...plugin.commands,
    ...plugin.agents,
    ...plugin.skills,
    ...plugin.outputStyles,
  ].map(({ doc }) => ({ file: doc.file, body: doc.body, firstLine: doc.bodyLine }));
  const readme = plugin.readme;
  return typeof readme?.value === 'string'
    ? [...components, { file: readme, body: readme.value, firstLine: 1 }]
    : components;
}

/** Links, images and link definitions of a tree in document order, however deep they sit. */
function linksOf(tree: Nodes): (Link | Image | Definition)[] {
  const found: (Link | Image | Definition)[] = [];
  // A stack, not recursion: the depth of a tree is the author's to choose.
  const stack: Nodes[] = [tree];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'link' || node.type === 'image' || node.type === 'definition')
      found.push(node);
    if ('children' in node)
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  return found;
}

/**
 * What a Markdown parse may cost in one file. The parser's time and memory grow with nesting
 * (quadratically), with a block's size and with the text parsed, so each is capped: past a cap
 * the file gets one message and its remaining links go unchecked.
 */
const limits = { depth: 32, blockSize: 32 * 1024, fileSize: 64 * 1024 };

/** Why a block is not parsed, as a message, or `undefined` when it may be. */
function limitMessage(block: MarkdownBlock, parsed: number): string | undefined {
  const rest = '(links from here on are not checked)';
  if (block.depth > limits.depth)
    return `Unexpected Markdown nested ${block.depth} levels deep, expected at most ${limits.depth} levels ${rest}`;
  if (block.text.length > limits.blockSize)
    return `Unexpected Markdown block of ${block.text.length} characters between blank lines, expected at most ${limits.blockSize} ${rest}`;
  if (parsed + block.text.length > limits.fileSize)
    return `Unexpected more than ${limits.fileSize} characters of Markdown with links to check in one file, expected fewer ${rest}`;
  return undefined;
}

/**
 * The file a link leads to, relative to the plugin's file, or `undefined` for what this rule does
 * not judge: URLs with a scheme, `//host`, fragments, site-absolute paths, templates.
 */
function localTarget(url: string): string | undefined {
  if (url === '' || url.startsWith('#') || url.startsWith('/') || url.includes('${')) return;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) return;
  const bare = url.replace(/[?#].*$/, '');
  if (bare === '') return;
  try {
    return decodeURI(bare);
  } catch {
    return bare;
  }
}

/** Inline links in their simplest form: `](target)` with no title, space, escape or entity. */
const simpleInlineRe = /\]\(([^()\s\\&<>"']*)\)/g;
/** Link definitions in their simplest form: `[label]: target` alone on a line. */
const simpleDefinitionRe = /^ {0,3}\[[^\]\n]+\]:[ \t]*([^\s\\&<>"'()]+)[ \t]*$/gm;

const count = (text: string, token: string): number => text.split(token).length - 1;

/**
 * The link targets of a Markdown body when every `](` and `]:` in it is a link in its simplest
 * form, whose written target is then exactly the link's URL; else `undefined`. Matches inside
 * code are included: they only ever add targets to look at.
 */
function simpleTargets(body: string): string[] | undefined {
  const inline = [...body.matchAll(simpleInlineRe)].map((match) => match[1] ?? '');
  const definitions = [...body.matchAll(simpleDefinitionRe)].map((match) => match[1] ?? '');
  return inline.length === count(body, '](') && definitions.length === count(body, ']:')
    ? [...inline, ...definitions]
    : undefined;
}

/** A link label as Markdown matches it: case and runs of white space do not count. */
const labelKey = (label: string): string => label.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The labels a text refers to: every `[label]` not followed by `:` (so `[label]`, `[text][label]`
 * and `[label][]`, but not the definition `[label]: target` itself), by `labelKey`. A definition
 * nothing refers to is no link: real plugins write templates such as `- [Service]: $X,XXX` or
 * `- [source]: ...`, which Markdown reads as definitions. One pass over the text.
 */
function referencedLabels(text: string): Set<string> {
  const labels = new Set<string>();
  for (const match of text.matchAll(/\[([^[\]]{1,999})\](?!:)/g)) labels.add(labelKey(match[1]!));
  return labels;
}

const hasLinkSyntax = (text: string): boolean => text.includes('](') || text.includes(']:');

function placeOf(node: Nodes, firstLine: number): Range | undefined {
  const position = node.position;
  if (!position) return undefined;
  return {
    start: { line: position.start.line + firstLine - 1, column: position.start.column },
    end: { line: position.end.line + firstLine - 1, column: position.end.column },
  };
}

export default defineRule({
  id: 'link-targets-exist',
  description:
    'Require relative links and images in plugin Markdown to lead to files inside the plugin',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check(plugin, ctx) {
    // The repository root as a plugin is installed whole: its links may lead anywhere in it.
    if (plugin.dir === '.') return;
    // Built on first use: most plugins have no link to look up.
    let present: Set<string> | undefined;
    let links: Set<string> | undefined;
    const behindLink = (file: string): boolean => {
      for (let dir = path.dirname(file); dir !== '.' && dir !== plugin.dir; dir = path.dirname(dir))
        if ((links ??= new Set(ctx.catalog.symlinks.map((link) => link.path))).has(dir))
          return true;
      return false;
    };
    const resolve = (file: VFile, target: string): string =>
      path.normalize(path.join(path.dirname(file.path), target)).replace(/\/$/, '');
    const problemOf = (file: VFile, url: string): 'outside' | 'missing' | undefined => {
      const target = localTarget(url);
      if (target === undefined) return undefined;
      const resolved = resolve(file, target);
      if (resolved !== plugin.dir && !resolved.startsWith(`${plugin.dir}/`)) return 'outside';
      present ??= new Set(plugin.paths);
      if (resolved === plugin.dir || present.has(resolved) || behindLink(resolved))
        return undefined;
      return 'missing';
    };
    const isFine = (file: VFile, text: string): boolean =>
      !hasLinkSyntax(text) ||
      simpleTargets(text)?.every((url) => problemOf(file, url) === undefined) === true;
    for (const { file, body, firstLine } of markdownFiles(plugin)) {
      // A tree is built only where it can change the answer: in a block with link syntax, unless
      // every link in it is in its simplest form and leads somewhere fine.
      if (isFine(file, body)) continue;
      let parsed = 0;
      // Read once per file, and only when it has a definition to check.
      let labels: Set<string> | undefined;
      const isReferenced = (label: string) =>
        (labels ??= referencedLabels(body)).has(labelKey(label));
      for (const block of splitBlocks(body)) {
        if (isFine(file, block.text)) continue;
        const blockLine = firstLine + block.line - 1;
        const limit = limitMessage(block, parsed);
        if (limit) {
          const start = { line: blockLine, column: 1 };
          ctx.report({ doc: file, place: { start, end: start }, message: limit });
          break;
        }
        parsed += block.text.length;
        reportLinks(file, isReferenced, parseMarkdownTree(block.text), blockLine);
      }
    }

    function reportLinks(
      file: VFile,
      isReferenced: (label: string) => boolean,
      tree: Nodes,
      firstLine: number,
    ): void {
      for (const node of linksOf(tree)) {
        if (node.type === 'definition' && !isReferenced(node.label ?? node.identifier)) continue;
        const problem = problemOf(file, node.url);
        if (!problem) continue;
        const place = placeOf(node, firstLine);
        ctx.report({
          doc: file,
          place,
          message:
            problem === 'outside'
              ? `Unexpected link to ${code(node.url)} outside the plugin folder, expected a file inside \`${plugin.dir}/\` (Claude Code installs only the plugin folder)`
              : `Missing ${code(path.relative(plugin.dir, resolve(file, localTarget(node.url) ?? '')))}, expected the file this link leads to in the plugin`,
          actual: node.url,
        });
      }
    }
  },
});
