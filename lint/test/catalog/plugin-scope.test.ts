import { expect, test } from 'vitest';
import { resolveInside } from '../../src/catalog/discover/plugin-scope.ts';

// Paths already in normal form are joined as they stand; everything else is normalized. Both give
// the same answers: the table holds each kind of input with what it resolves to.
test.each([
  ['', './plugins/a', 'plugins/a'],
  ['.', './plugins/a', 'plugins/a'],
  ['plugins/a', './commands', 'plugins/a/commands'],
  ['plugins/a', './.hidden/..x/a.', 'plugins/a/.hidden/..x/a.'],
  ['plugins/a', './commands/', 'plugins/a/commands'],
  ['plugins/a', './commands//b', 'plugins/a/commands/b'],
  ['plugins/a', './x/./y', 'plugins/a/x/y'],
  ['plugins/a', './x/../y', 'plugins/a/y'],
  ['plugins/a', './../b', 'plugins/b'],
  ['plugins/a', './../../..', undefined],
  ['', './..', undefined],
  ['', '.', ''],
  ['', './', '.'],
  ['./plugins/a', './b', 'plugins/a/b'],
  ['plugins/../a', './b', 'a/b'],
  ['plugins/a', 'commands', 'plugins/a/commands'],
  ['plugins/a', '/etc', undefined],
  ['plugins/a', './a\\b', undefined],
])('in %j, %j is %j', (dir, written, expected) => {
  expect(resolveInside(dir, written)).toBe(expected);
});
