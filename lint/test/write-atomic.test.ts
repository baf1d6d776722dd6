import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { writeAtomic } from '../src/write-atomic.ts';
import { tempDir } from './helpers/tree.ts';

test('writeAtomic replaces a file whole, with the mode asked for, and leaves no temporary', () => {
  const dir = tempDir('agentops-write-atomic-');
  const file = path.join(dir, 'out.txt');
  writeAtomic(file, 'first');
  writeAtomic(file, new TextEncoder().encode('second'), 0o600);
  expect(readFileSync(file, 'utf8')).toBe('second');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir)).toEqual(['out.txt']);
});

test('writeAtomic throws when the rename fails and removes its temporary file', () => {
  const dir = tempDir('agentops-write-atomic-');
  const target = path.join(dir, 'taken');
  mkdirSync(path.join(target, 'inside'), { recursive: true });
  expect(() => writeAtomic(target, 'text')).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
  expect(readdirSync(dir)).toEqual(['taken']);
  expect(readdirSync(target)).toEqual(['inside']);
});
