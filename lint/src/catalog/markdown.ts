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

/** The first non-space character of a line (after at most three spaces), or `''`. */
function lead(line: string): string {
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === 32) i++;
  return line.charAt(i);
}

/**
 * One pass over a Markdown body: its ATX headings and the list items of its `## Workflow`
 * section, skipping fenced code and HTML comment blocks; places are in the whole file (the body
 * starts on line `firstLine`). Lines are counted as the scan goes, so no line index is built.
 * Setext headings are not recognised: patterns and components use ATX.
 */
export function scanMarkdown(body: string, firstLine: number): MarkdownOutline {
  const headings: Heading[] = [];
  const steps: PatternStep[] = [];
  let fence: RegExp | undefined;
  let comment = false;
  let inWorkflow = false;
  let offset = 0;
  let lineNumber = firstLine - 1;
  while (offset <= body.length) {
    lineNumber++;
    let next = body.indexOf('\n', offset);
    if (next === -1) next = body.length;
    const raw = body.slice(offset, next);
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    offset = next + 1;
    if (fence) {
      if (fence.test(line)) fence = undefined;
      continue;
    }
    if (comment) {
      if (line.includes('-->')) comment = false;
      continue;
    }
    const first = lead(line);
    if (first === '`' || first === '~') {
      const open = fenceOpenRe.exec(line);
      // A backtick fence's info string may not contain backticks (CommonMark §4.5).
      if (open?.[1] && !(open[1].startsWith('`') && open[2]?.includes('`'))) {
        fence = new RegExp(`^ {0,3}${open[1].charAt(0)}{${open[1].length},}[ \\t]*$`);
        continue;
      }
    } else if (first === '<') {
      if (/^ {0,3}<!--/.test(line) && !line.includes('-->')) comment = true;
      continue;
    } else if (first === '#') {
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
    if (!inWorkflow) continue;
    const item = listItemRe.exec(line);
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
