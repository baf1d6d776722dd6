import { code } from '../catalog/diagnostic.ts';
import type { MarkdownDocument, Range } from '../catalog/model.ts';
import { offsetsOf } from '../catalog/position-map.ts';
import type { Fix } from '../rule.ts';
import { defineRule } from '../rule.ts';

const requiredSections = ['Workflow', 'Optimizations', 'Metrics'];

/** An edit replacing a heading line with the expected heading. */
function replaceHeading(
  doc: MarkdownDocument<unknown>,
  place: Range,
  heading: string,
): Fix | undefined {
  const text = doc.file.value;
  if (typeof text !== 'string') return undefined;
  const range = offsetsOf(text, place);
  return range ? { range, text: heading } : undefined;
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
