import type { Heading, PatternStep } from './model.ts';
import type { LineIndex } from './position-map.ts';

const atxRe = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const fenceOpenRe = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const listItemRe = /^ {0,3}(?:\d{1,9}[.)]|[-*+])[ \t]+(.*)$/;
const actorRe = /\(([^()]+)\)\s*$/;

/** One line of a Markdown body with its offset in the whole file, classified block by block. */
interface Line {
  text: string;
  offset: number;
  /** True inside a fenced code block (fence lines included) or an HTML comment block. */
  literal: boolean;
}

function* lines(body: string, bodyOffset: number): Generator<Line> {
  let fence: { char: string; length: number } | undefined;
  let comment = false;
  let offset = 0;
  while (offset <= body.length) {
    const next = body.indexOf('\n', offset);
    const end = next === -1 ? body.length : next;
    const text = body.slice(offset, end).replace(/\r$/, '');
    let literal = fence !== undefined || comment;
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence.char === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
      if (close.test(text)) fence = undefined;
    } else if (comment) {
      if (text.includes('-->')) comment = false;
    } else {
      const open = fenceOpenRe.exec(text);
      // A backtick fence's info string may not contain backticks (CommonMark §4.5).
      if (open?.[1] && !(open[1].startsWith('`') && open[2]?.includes('`'))) {
        fence = { char: open[1].charAt(0), length: open[1].length };
        literal = true;
      } else if (/^ {0,3}<!--/.test(text) && !text.includes('-->')) {
        comment = true;
        literal = true;
      }
    }
    yield { text, offset: bodyOffset + offset, literal };
    if (next === -1) break;
    offset = next + 1;
  }
}

/**
 * The ATX headings of a Markdown body, skipping fenced code and HTML comment blocks; places are in
 * the whole file. (Setext headings are not recognised: patterns and components use ATX.)
 */
export function scanHeadings(body: string, bodyOffset: number, index: LineIndex): Heading[] {
  const headings: Heading[] = [];
  for (const line of lines(body, bodyOffset)) {
    if (line.literal) continue;
    const match = atxRe.exec(line.text);
    if (!match?.[1]) continue;
    headings.push({
      depth: match[1].length,
      text: (match[2] ?? '').trim(),
      place: index.range(line.offset, line.offset + line.text.length),
    });
  }
  return headings;
}

/** The list items of the `## Workflow` section, with the role named in trailing parentheses. */
export function scanWorkflowSteps(body: string, bodyOffset: number, index: LineIndex): PatternStep[] {
  const steps: PatternStep[] = [];
  let inWorkflow = false;
  for (const line of lines(body, bodyOffset)) {
    if (line.literal) continue;
    const heading = atxRe.exec(line.text);
    if (heading?.[1]) {
      if (heading[1].length <= 2) inWorkflow = heading[1].length === 2 && (heading[2] ?? '').trim() === 'Workflow';
      continue;
    }
    if (!inWorkflow) continue;
    const item = listItemRe.exec(line.text);
    if (!item?.[1]) continue;
    const text = item[1].trim();
    const actor = actorRe.exec(text)?.[1]?.trim();
    steps.push({ text, actor, line: index.point(line.offset).line });
  }
  return steps;
}
