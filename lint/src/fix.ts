import type { Range } from './catalog/model.ts';
import { offsetsOf } from './catalog/position-map.ts';
import type { Fix } from './rule.ts';

/** Applies non-overlapping fixes to a text (in offset order; a fix overlapping an earlier one is skipped). */
export function applyFixes(
  text: string,
  fixes: readonly Fix[],
): { output: string; applied: number } {
  const sorted = [...fixes].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let output = '';
  let cursor = 0;
  let applied = 0;
  for (const fix of sorted) {
    const [start, end] = fix.range;
    if (start < cursor || end < start || end > text.length) continue;
    output += text.slice(cursor, start) + fix.text;
    cursor = end;
    applied++;
  }
  return { output: output + text.slice(cursor), applied };
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

type Op = [' ' | '-' | '+', string];

/**
 * A line diff: the common head and tail are kept, and the changed middle (small for fixes) is
 * aligned by a longest common subsequence, or replaced whole when it is too large to align.
 */
function diffLines(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const oldMiddle = a.slice(head, a.length - tail);
  const newMiddle = b.slice(head, b.length - tail);
  const ops: Op[] = a.slice(0, head).map((line): Op => [' ', line]);
  const rows = oldMiddle.length;
  const columns = newMiddle.length;
  if (rows * columns > 4_000_000) {
    ops.push(
      ...oldMiddle.map((line): Op => ['-', line]),
      ...newMiddle.map((line): Op => ['+', line]),
    );
  } else {
    // lengths[i * (columns + 1) + j]: LCS length of oldMiddle[i..] and newMiddle[j..].
    const lengths = new Uint32Array((rows + 1) * (columns + 1));
    const at = (i: number, j: number): number => lengths[i * (columns + 1) + j] ?? 0;
    for (let i = rows - 1; i >= 0; i--) {
      for (let j = columns - 1; j >= 0; j--) {
        lengths[i * (columns + 1) + j] =
          oldMiddle[i] === newMiddle[j]
            ? at(i + 1, j + 1) + 1
            : Math.max(at(i + 1, j), at(i, j + 1));
      }
    }
    let i = 0;
    let j = 0;
    while (i < rows || j < columns) {
      if (i < rows && j < columns && oldMiddle[i] === newMiddle[j]) {
        ops.push([' ', oldMiddle[i++] ?? '']);
        j++;
      } else if (i < rows && (j === columns || at(i + 1, j) >= at(i, j + 1))) {
        ops.push(['-', oldMiddle[i++] ?? '']);
      } else {
        ops.push(['+', newMiddle[j++] ?? '']);
      }
    }
  }
  ops.push(...a.slice(a.length - tail).map((line): Op => [' ', line]));
  return ops;
}

/** A unified diff (`--- a/path`, `+++ b/path`, hunks with 3 lines of context); `''` when equal. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const ops = diffLines(splitLines(before), splitLines(after));
  const context = 3;
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let index = 0;
  let oldLine = 1;
  let newLine = 1;
  while (index < ops.length) {
    const change = ops.findIndex((op, at) => at >= index && op[0] !== ' ');
    if (change === -1) break;
    const skip = Math.max(0, change - context - index);
    for (let at = index; at < index + skip; at++) {
      oldLine++;
      newLine++;
    }
    const start = index + skip;
    let end = change;
    let lastChange = change;
    while (end < ops.length && end - lastChange <= context * 2) {
      if (ops[end]![0] !== ' ') lastChange = end;
      end++;
    }
    end = Math.min(ops.length, lastChange + context + 1);
    const hunk = ops.slice(start, end);
    const oldCount = hunk.filter((op) => op[0] !== '+').length;
    const newCount = hunk.filter((op) => op[0] !== '-').length;
    out.push(
      `@@ -${oldCount === 0 ? oldLine - 1 : oldLine},${oldCount} +${newCount === 0 ? newLine - 1 : newLine},${newCount} @@`,
    );
    for (const [sign, line] of hunk) out.push(`${sign}${line}`);
    oldLine += oldCount;
    newLine += newCount;
    index = end;
  }
  return `${out.join('\n')}\n`;
}

/**
 * A fix that rewrites the JSON string at `place` from `from` to `to`, only where the file spells
 * it as the plain JSON string it parsed from (no escapes that the new text would drop).
 */
export function jsonStringFix(
  text: unknown,
  place: Range | undefined,
  from: string,
  to: string,
): Fix | undefined {
  if (!place || typeof text !== 'string') return undefined;
  const range = offsetsOf(text, place);
  if (!range || text.slice(...range) !== JSON.stringify(from)) return undefined;
  return { range, text: JSON.stringify(to) };
}
