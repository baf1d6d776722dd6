/** A run of top-level Markdown blocks: parsed on its own, it gives the nodes it gives in place. */
export interface MarkdownBlock {
  text: string;
  /** The 1-based line of the whole text that the block starts on. */
  line: number;
  /** The deepest container nesting of its lines, estimated from their prefixes. */
  depth: number;
}

const fenceRe = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const listMarkerRe = /^(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)/;

/** HTML blocks that blank lines do not end (CommonMark §4.6, kinds 1 to 5), and their ends. */
const htmlBlocks: [RegExp, string][] = [
  [/^ {0,3}<(script|pre|style|textarea)(?:[\s>]|$)/i, '</$1>'],
  [/^ {0,3}<!--/, '-->'],
  [/^ {0,3}<\?/, '?>'],
  [/^ {0,3}<![A-Za-z]/, '>'],
  [/^ {0,3}<!\[CDATA\[/, ']]>'],
];

/**
 * The container depth a line opens or continues, from its prefix alone: one per `>` and list
 * marker, and one per four columns of indentation before them (a nested list needs two to four). An estimate
 * that is never below the real depth of quotes and markers on the line; linear in the prefix.
 */
function prefixDepth(line: string): number {
  let depth = 0;
  let columns = 0;
  for (let index = 0; index < line.length;) {
    const char = line.charAt(index);
    // Indentation before the first marker nests lists; spaces after a marker belong to it.
    if (char === ' ') columns += depth === 0 ? 1 : 0;
    else if (char === '\t') columns += depth === 0 ? 4 - (columns % 4) : 0;
    else if (char === '>') depth++;
    else {
      const marker = listMarkerRe.exec(line.slice(index, index + 11));
      if (!marker) break;
      depth++;
      index += marker[0].length;
      continue;
    }
    index++;
  }
  return depth + Math.floor(columns / 4);
}

/**
 * Splits a Markdown text where a line that starts at column 0 follows a blank line, outside fenced
 * code and outside HTML blocks that blank lines do not end: there every open block has ended, so
 * each part parses to the nodes it would give in the whole text (link reference definitions
 * aside, which are nodes of their own either way). One pass; no part is built for an empty text.
 *
 * @example
 * splitBlocks('See [a](a.md).\n\n> [b](b.md)\n').map((block) => block.line); // [1, 3]
 */
export function splitBlocks(text: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  let start = 0;
  let startLine = 1;
  let depth = 0;
  let fence: RegExp | undefined;
  let htmlEnd: string | undefined;
  let blank = false;
  let lineNumber = 0;
  for (let offset = 0; offset < text.length;) {
    lineNumber++;
    let next = text.indexOf('\n', offset);
    if (next === -1) next = text.length;
    const line = text.slice(offset, next);
    const first = line.charAt(0);
    const starts = first !== ' ' && first !== '\t' && first !== '\r' && first !== '';
    if (blank && starts && !fence && htmlEnd === undefined) {
      if (offset > start) blocks.push({ text: text.slice(start, offset), line: startLine, depth });
      start = offset;
      startLine = lineNumber;
      depth = 0;
    }
    blank = /^[ \t]*\r?$/.test(line);
    if (fence) {
      if (fence.test(line)) fence = undefined;
    } else if (htmlEnd !== undefined) {
      if (line.toLowerCase().includes(htmlEnd)) htmlEnd = undefined;
    } else {
      depth = Math.max(depth, prefixDepth(line));
      const open = fenceRe.exec(line);
      // A backtick fence's info string may not contain backticks (CommonMark §4.5).
      if (open?.[1] && !(open[1].startsWith('`') && open[2]?.includes('`'))) {
        fence = new RegExp(`^ {0,3}${open[1].charAt(0)}{${open[1].length},}[ \\t]*\\r?$`);
      } else {
        for (const [re, end] of htmlBlocks) {
          const match = re.exec(line);
          if (!match) continue;
          const close = end.replace('$1', match[1]?.toLowerCase() ?? '');
          if (!line.toLowerCase().includes(close, match[0].length)) htmlEnd = close;
          break;
        }
      }
    }
    offset = next + 1;
  }
  if (start < text.length) blocks.push({ text: text.slice(start), line: startLine, depth });
  return blocks;
}
