import { code } from '../catalog/diagnostic.ts';
import type { MarkdownDocument, Point, Range } from '../catalog/model.ts';
import type { Fix } from '../rule.ts';
import { defineRule } from '../rule.ts';

const requiredSections = ['Workflow', 'Optimizations', 'Metrics'];

function offsetOf(text: string, point: Point): number | undefined {
  let offset = 0;
  for (let line = 1; line < point.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return undefined;
    offset = next + 1;
  }
  return offset + point.column - 1;
}

/** An edit replacing a heading line with the expected heading. */
function replaceHeading(
  doc: MarkdownDocument<unknown>,
  place: Range,
  heading: string,
): Fix | undefined {
  const text = doc.file.value;
  if (typeof text !== 'string') return undefined;
  const start = offsetOf(text, place.start);
  const end = offsetOf(text, place.end);
  return start === undefined || end === undefined
    ? undefined
    : { range: [start, end], text: heading };
}

export default defineRule({
  id: 'pattern-sections',
  description:
    'Require the `## Workflow`, `## Optimizations` and `## Metrics` sections in a pattern',
  severity: 'error',
  appliesTo: 'pattern',
  stage: 'stable',
  check(pattern, ctx) {
    const title = pattern.headings.find((heading) => heading.depth === 1);
    // Point at the title, or the body's first line, so a disable comment can sit above it.
    const anchor: Range = title?.place ?? {
      start: { line: pattern.doc.bodyLine, column: 1 },
      end: { line: pattern.doc.bodyLine, column: 1 },
    };
    for (const section of requiredSections) {
      if (pattern.headings.some((heading) => heading.depth === 2 && heading.text === section)) {
        continue;
      }
      const expected = `## ${section}`;
      const nearMiss = pattern.headings.find(
        (heading) => heading.text.toLowerCase() === section.toLowerCase(),
      );
      if (nearMiss) {
        const actual = `${'#'.repeat(nearMiss.depth)} ${nearMiss.text}`;
        ctx.report({
          message: `Unexpected heading ${code(actual)}, expected ${code(expected)}`,
          place: nearMiss.place,
          actual,
          expected: [expected],
          fix: replaceHeading(pattern.doc, nearMiss.place, expected),
        });
        continue;
      }
      ctx.report({
        message: `Missing section ${code(expected)}, expected a level-2 heading ${code(expected)} outside code blocks`,
        place: anchor,
        expected: [expected],
      });
    }
  },
});
