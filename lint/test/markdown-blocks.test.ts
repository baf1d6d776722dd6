import { describe, expect, test } from 'vitest';
import { splitBlocks } from '../src/markdown-blocks.ts';

const lines = (text: string) => splitBlocks(text).map((block) => [block.line, block.text]);

describe('splitBlocks', () => {
  test('splits where a line at column 0 follows a blank line', () => {
    expect(lines('a [x](y)\nb\n\n> c\n\n\n- d\n')).toEqual([
      [1, 'a [x](y)\nb\n\n'],
      [4, '> c\n\n\n'],
      [7, '- d\n'],
    ]);
  });

  test('keeps indented lines after a blank line with the block above (list items, code)', () => {
    expect(lines('- a\n\n  b\n\n      code\nc\n')).toEqual([[1, '- a\n\n  b\n\n      code\nc\n']]);
  });

  test('never splits inside fenced code or HTML blocks that blank lines do not end', () => {
    const fenced = '```md\na\n\n[x](y)\n````\n\nb\n';
    expect(lines(fenced)).toEqual([
      [1, '```md\na\n\n[x](y)\n````\n\n'],
      [7, 'b\n'],
    ]);
    expect(lines('<!--\na\n\nb -->\n\nc\n').map(([line]) => line)).toEqual([1, 6]);
    expect(lines('<PRE>\na\n\nb</pre>\n\nc\n').map(([line]) => line)).toEqual([1, 6]);
    expect(lines('<div>\na\n\nb\n').map(([line]) => line)).toEqual([1, 4]);
    expect(lines('~~~\n\na\n\r\nb').map(([line]) => line)).toEqual([1]);
  });

  test('estimates the container depth of each block from its line prefixes', () => {
    const depths = (text: string) => splitBlocks(text).map((block) => block.depth);
    expect(depths('> > - 1. a\n\n\tb\n        c\n\nd\n')).toEqual([4, 0]);
    expect(depths(`${'>'.repeat(6000)} [x](y)\n`)).toEqual([6000]);
    expect(depths('```\n' + ' '.repeat(400) + 'x\n```\n')).toEqual([0]);
  });

  test('gives no block for an empty text', () => {
    expect(splitBlocks('')).toEqual([]);
  });
});
