import type { Heading, PatternStep } from './model.ts';

const atxRe = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const fenceOpenRe = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const listItemRe = /^ {0,3}(?:\d{1,9}[.)]|[-*+])[ \t]+(.*)$/;
const actorRe = /\(([^()]+)\)\s*$/;

/** Headings and `## Workflow` steps of a Markdown body. */
export interface MarkdownOutline {
  headings: Heading[];
  steps: PatternStep[];
}

/** The first character code from `start` after at most three spaces, before `end`; else -1. */
function leadCode(text: string, start: number, end: number): number {
  let i = start;
  while (i < start + 3 && i < end && text.charCodeAt(i) === 32) i++;
  return i < end ? text.charCodeAt(i) : -1;
}

const backtick = 96;
const tilde = 126;
const lessThan = 60;
const hash = 35;

/** True for the first character of a list item: a digit, `-`, `*` or `+`. */
function mayStartListItem(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 45 || code === 42 || code === 43;
}

/**
 * One pass over a Markdown body: its ATX headings and the list items of its `## Workflow`
 * section, skipping fenced code and HTML comment blocks; places are in the whole file (the body
 * starts on line `firstLine`). Lines are counted as the scan goes, so no line index is built, and
 * a line is copied out of the body only when its first character may start something we keep.
 * Setext headings are not recognised: patterns and components use ATX.
 */
export function scanMarkdown(body: string, firstLine: number): MarkdownOutline {
  const headings: Heading[] = [];
  const steps: PatternStep[] = [];
  let fence: RegExp | undefined;
  let fenceCode = -1;
  let comment = false;
  let inWorkflow = false;
  let offset = 0;
  let lineNumber = firstLine - 1;
  while (offset <= body.length) {
    lineNumber++;
    let next = body.indexOf('\n', offset);
    if (next === -1) next = body.length;
    const start = offset;
    const end = next > start && body.charCodeAt(next - 1) === 13 ? next - 1 : next;
    offset = next + 1;
    const first = leadCode(body, start, end);
    if (fence) {
      if (first === fenceCode && fence.test(body.slice(start, end))) fence = undefined;
      continue;
    }
    if (comment) {
      if (body.slice(start, end).includes('-->')) comment = false;
      continue;
    }
    if (first === backtick || first === tilde) {
      const open = fenceOpenRe.exec(body.slice(start, end));
      // A backtick fence's info string may not contain backticks (CommonMark §4.5).
      if (open?.[1] && !(open[1].startsWith('`') && open[2]?.includes('`'))) {
        fence = new RegExp(`^ {0,3}${open[1].charAt(0)}{${open[1].length},}[ \\t]*$`);
        fenceCode = first;
        continue;
      }
    } else if (first === lessThan) {
      const line = body.slice(start, end);
      if (/^ {0,3}<!--/.test(line) && !line.includes('-->')) comment = true;
      continue;
    } else if (first === hash) {
      const line = body.slice(start, end);
      const heading = atxRe.exec(line);
      if (heading?.[1]) {
        const text = (heading[2] ?? '').trim();
        headings.push({
          depth: heading[1].length,
          text,
          place: {
            start: { line: lineNumber, column: 1 },
            end: { line: lineNumber, column: line.length + 1 },
          },
        });
        if (heading[1].length <= 2) inWorkflow = heading[1].length === 2 && text === 'Workflow';
        continue;
      }
    }
    if (!inWorkflow || !mayStartListItem(first)) continue;
    const item = listItemRe.exec(body.slice(start, end));
    if (!item?.[1]) continue;
    const text = item[1].trim();
    steps.push({
      text,
      actor: actorRe.exec(text)?.[1]?.trim(),
      line: lineNumber,
    });
  }
  return { headings, steps };
}
