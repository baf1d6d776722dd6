import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { openStoreFile, readHead } from '../src/store-file.ts';
import { tempDir } from './helpers/tree.ts';

// A store's file is held open and read in parts: its first two lines at once, wherever the
// second ends, and any other bytes when asked, as they were when the file was opened.

function file(text: string | Buffer): string {
  const name = path.join(tempDir('agentops-lint-store-file-'), 'staged.facts');
  writeFileSync(name, text);
  return name;
}

describe('a store file read in parts', () => {
  test('gives its first two lines and reads the rest where asked', () => {
    const open = openStoreFile(file('format\n{"a":1}\nbody one\nbody two'));
    expect(open && { size: open.size, lines: open.lines, bodyStart: open.bodyStart }).toEqual({
      size: 32,
      lines: ['format', '{"a":1}'],
      bodyStart: 15,
    });
    expect(open?.read(15, 8).toString()).toBe('body one');
    expect(open?.read(24, 8).toString()).toBe('body two');
    expect(() => open?.read(30, 10)).toThrow('shorter than its header says');
  });

  test('finds a second line far past the first bytes read', () => {
    const header = JSON.stringify({
      dirs: Array.from({ length: 20_000 }, (_, n) => `plugins/p-${n}`),
    });
    expect(header.length).toBeGreaterThan(4 * 65_536);
    const open = openStoreFile(file(`format\n${header}\nrest`));
    expect(open?.lines[1]).toBe(header);
    expect(open?.read(open.bodyStart, 4).toString()).toBe('rest');
  });

  test('keeps the bytes it was opened with when the file is replaced', () => {
    const name = file('format\nheader\nold body');
    const open = openStoreFile(name);
    const next = path.join(path.dirname(name), 'next');
    writeFileSync(next, 'format\nheader\nnew body');
    renameSync(next, name);
    expect(open?.read(14, 8).toString()).toBe('old body');
    expect(openStoreFile(name)?.read(14, 8).toString()).toBe('new body');
  });

  test('is nothing without two lines, or when missing', () => {
    expect(openStoreFile(file('format only'))).toBeUndefined();
    expect(openStoreFile(file('format\nno second line break'))).toBeUndefined();
    expect(openStoreFile(file(''))).toBeUndefined();
    expect(openStoreFile(path.join(tempDir('agentops-lint-store-file-'), 'gone'))).toBeUndefined();
  });

  test('reads the first line of an index copy, line break included', () => {
    expect(
      readHead(file(Buffer.concat([Buffer.from('0123abcd 20\n'), Buffer.alloc(500, 7)]))),
    ).toBe('0123abcd 20\n');
    expect(readHead(file(Buffer.alloc(500, 7)))).toBe('');
  });
});
