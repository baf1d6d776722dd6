import { describe, expect, test } from 'vitest';
import { applyFixes, jsonStringFix, unifiedDiff } from '../src/fix.ts';

describe('applyFixes', () => {
  test('applies fixes in offset order whatever order they come in', () => {
    const fixes = [
      { range: [8, 9] as [number, number], text: 'C' },
      { range: [0, 1] as [number, number], text: 'A' },
    ];
    expect(applyFixes('a-b-c-d-e', fixes)).toEqual({ output: 'A-b-c-d-C', applied: 2 });
  });

  test('skips a fix that overlaps an earlier one or lies outside the text', () => {
    const fixes = [
      { range: [0, 4] as [number, number], text: 'X' },
      { range: [2, 6] as [number, number], text: 'Y' },
      { range: [8, 20] as [number, number], text: 'Z' },
    ];
    expect(applyFixes('0123456789', fixes)).toEqual({ output: 'X456789', applied: 1 });
  });
});

describe('unifiedDiff', () => {
  test('prints nothing for equal texts', () => {
    expect(unifiedDiff('a.md', 'x\n', 'x\n')).toBe('');
  });

  test('prints a removed line with three lines of context', () => {
    const before = 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n';
    const after = 'l1\nl2\nl3\nl4\nl6\nl7\nl8\nl9\n';
    expect(unifiedDiff('a.md', before, after)).toBe(
      [
        '--- a/a.md',
        '+++ b/a.md',
        '@@ -2,7 +2,6 @@',
        ' l2',
        ' l3',
        ' l4',
        '-l5',
        ' l6',
        ' l7',
        ' l8',
        '',
      ].join('\n'),
    );
  });

  test('prints replaced lines as removals before additions', () => {
    expect(unifiedDiff('a.md', 'a\nb\nc\n', 'x\nb\ny\n')).toBe(
      ['--- a/a.md', '+++ b/a.md', '@@ -1,3 +1,3 @@', '-a', '+x', ' b', '-c', '+y', ''].join('\n'),
    );
  });

  test('splits distant changes into separate hunks', () => {
    const lines = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`);
    const after = lines.filter((line) => line !== 'line 2' && line !== 'line 19');
    expect(unifiedDiff('a.md', `${lines.join('\n')}\n`, `${after.join('\n')}\n`)).toBe(
      [
        '--- a/a.md',
        '+++ b/a.md',
        '@@ -1,5 +1,4 @@',
        ' line 1',
        '-line 2',
        ' line 3',
        ' line 4',
        ' line 5',
        '@@ -16,5 +15,4 @@',
        ' line 16',
        ' line 17',
        ' line 18',
        '-line 19',
        ' line 20',
        '',
      ].join('\n'),
    );
  });

  test('prints an insertion into an empty file', () => {
    expect(unifiedDiff('a.md', '', 'new\n')).toBe(
      ['--- a/a.md', '+++ b/a.md', '@@ -0,0 +1,1 @@', '+new', ''].join('\n'),
    );
  });
});

describe('jsonStringFix', () => {
  const place = { start: { line: 1, column: 7 }, end: { line: 1, column: 14 } };

  test('rewrites a JSON string written plainly', () => {
    expect(jsonStringFix('{"v": "1.0.0"}', place, '1.0.0', '2.0.0')).toEqual({
      range: [6, 13],
      text: '"2.0.0"',
    });
  });

  test('leaves a string spelled with escapes alone', () => {
    expect(jsonStringFix('{"v": "1\\u002e0"}', place, '1.0', '2.0')).toBeUndefined();
  });

  test('offers nothing without a position or a text', () => {
    expect(jsonStringFix('{"v": "1.0.0"}', undefined, '1.0.0', '2.0.0')).toBeUndefined();
    expect(jsonStringFix(undefined, place, '1.0.0', '2.0.0')).toBeUndefined();
  });
});
