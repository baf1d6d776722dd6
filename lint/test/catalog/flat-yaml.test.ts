import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';
import { parseFlatYaml } from '../../src/catalog/flat-yaml.ts';
import { parseYamlDocument } from '../../src/catalog/frontmatter.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');

/** True when the fast path declines `yaml`, or returns exactly what `yaml` v2 returns. */
function agrees(yaml: string): { accepted: boolean; same: boolean } {
  const fast = parseFlatYaml(yaml, 4);
  if (!fast) return { accepted: false, same: true };
  const slow = parseYamlDocument(yaml, 4);
  const same =
    slow.errors.length === 0 &&
    slow.duplicates.length === 0 &&
    isDeepStrictEqual(fast.data, slow.data) &&
    isDeepStrictEqual(Object.fromEntries(fast.entries), Object.fromEntries(slow.entries));
  return { accepted: true, same };
}

function frontmattersUnder(dir: string): string[] {
  const out: string[] = [];
  const visit = (current: string): void => {
    for (const name of readdirSync(current)) {
      if (name === 'node_modules' || name === '.git' || name === 'dist') continue;
      const full = path.join(current, name);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (stat?.isDirectory()) visit(full);
      else if (stat?.isFile() && name.endsWith('.md')) {
        const text = readFileSync(full, 'utf8');
        const match = /^---\r?\n([\s\S]*?\r?\n)---/.exec(text);
        if (match?.[1]) out.push(match[1]);
      }
    }
  };
  visit(dir);
  return out;
}

describe('parseFlatYaml', () => {
  test('parses flat scalars and block lists with core-schema types and offsets', () => {
    const yaml = 'name: demo\nrate: 0.95\ncount: 20\nok: true\ntools:\n  - Read\n  - Grep\n';
    expect(parseFlatYaml(yaml, 4)).toEqual({
      data: { name: 'demo', rate: 0.95, count: 20, ok: true, tools: ['Read', 'Grep'] },
      entries: new Map([
        ['/name', { value: [10, 14], key: [4, 8] }],
        ['/rate', { value: [21, 25], key: [15, 19] }],
        ['/count', { value: [33, 35], key: [26, 31] }],
        ['/ok', { value: [40, 44], key: [36, 38] }],
        ['/tools/0', { value: [56, 60] }],
        ['/tools/1', { value: [65, 69] }],
        ['/tools', { value: [54, 70], key: [45, 50] }],
        ['', { value: [4, 70] }],
      ]),
    });
  });

  test('parses one-line quoted strings and flow lists of words, offsets including the brackets', () => {
    const yaml = 'name: "Fix: it #1"\nnote: \'a\\b\'\ntags: [go, 1.5, true]\nnone: []\n';
    expect(parseFlatYaml(yaml, 4)).toEqual({
      data: { name: 'Fix: it #1', note: 'a\\b', tags: ['go', 1.5, true], none: [] },
      entries: new Map([
        ['/name', { value: [10, 22], key: [4, 8] }],
        ['/note', { value: [29, 34], key: [23, 27] }],
        ['/tags/0', { value: [42, 44] }],
        ['/tags/1', { value: [46, 49] }],
        ['/tags/2', { value: [51, 55] }],
        ['/tags', { value: [41, 56], key: [35, 39] }],
        ['/none', { value: [63, 65], key: [57, 61] }],
        ['', { value: [4, 66] }],
      ]),
    });
  });

  test('declines what it does not handle', () => {
    for (const yaml of [
      'a: "q\\n"\n',
      'a: "q" \n',
      "a: 'it''s'\n",
      'a: "q\tr"\n',
      'a: [1, [2]]\n',
      'a: [b c]\n',
      'a: [b,c]\n',
      'a: [b, ]\n',
      'a: [ ]\n',
      'a: {b: 1}\n',
      'a: &x 1\n',
      'a: 1 # c\n',
      'a: |\n  b\n',
      'a:\n  b: 1\n',
      'a: 1\na: 2\n',
      'a: b: c\n',
      '# c\na: 1\n',
      '__proto__: 1\n',
      'a:\n',
      '',
    ]) {
      expect([yaml, parseFlatYaml(yaml, 0)]).toEqual([yaml, undefined]);
    }
  });

  test('agrees with yaml v2 on 100,000 random flat documents', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const atoms = [
      'a',
      'Z',
      '0',
      '9',
      '.',
      '-',
      '+',
      '_',
      ' ',
      ':',
      '#',
      '/',
      '(',
      ')',
      'e',
      'x',
      'o',
      '~',
      "'",
      '"',
      '@',
      '`',
      '!',
      '&',
      '*',
      '[',
      ']',
      '{',
      '}',
      ',',
      '?',
      '|',
      '>',
      '%',
      '\t',
      '\\',
      'é',
      'null',
      'True',
      '.inf',
      '.NaN',
      '0x1F',
      '0o17',
      '1e3',
      '.5',
      '-1',
    ];
    const word = (n: number): string =>
      Array.from(
        { length: 1 + Math.floor(random() * n) },
        () => atoms[Math.floor(random() * atoms.length)],
      ).join('');
    let accepted = 0;
    let acceptedQuoted = 0;
    let acceptedFlow = 0;
    const disagreements: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const lines: string[] = [];
      for (let j = 0; j < 1 + Math.floor(random() * 4); j++) {
        const key = ['name', 'a', 'b_c', 'd-e', 'X1'][Math.floor(random() * 5)]!;
        const kind = random();
        if (kind < 0.2) {
          lines.push(`${key}:`);
          for (let q = Math.floor(random() * 3); q > 0; q--)
            lines.push(`${' '.repeat(random() < 0.8 ? 2 : 4)}- ${word(6)}`);
        } else if (kind < 0.32) {
          const quote = random() < 0.7 ? '"' : "'";
          lines.push(`${key}: ${quote}${word(8)}${random() < 0.9 ? quote : ''}`);
        } else if (kind < 0.44) {
          const items = Array.from({ length: Math.floor(random() * 4) }, () => word(4));
          lines.push(`${key}: [${items.join(random() < 0.8 ? ', ' : ',')}]`);
        } else lines.push(`${key}:${random() < 0.9 ? ' ' : '  '}${word(8)}`);
        if (random() < 0.05) lines.push('');
      }
      const yaml = `${lines.join(random() < 0.1 ? '\r\n' : '\n')}\n`;
      const result = agrees(yaml);
      if (result.accepted) {
        accepted++;
        if (/: ["']/.test(yaml)) acceptedQuoted++;
        if (/: \[./.test(yaml)) acceptedFlow++;
      }
      if (!result.same) disagreements.push(yaml);
    }
    expect(disagreements).toEqual([]);
    expect(accepted).toBeGreaterThan(10_000);
    expect(acceptedQuoted).toBeGreaterThan(500);
    expect(acceptedFlow).toBeGreaterThan(500);
  });

  test("agrees with yaml v2 on every frontmatter of this repository's plugins and patterns", () => {
    const blocks = [
      ...frontmattersUnder(path.join(repoRoot, 'plugins')),
      ...frontmattersUnder(path.join(repoRoot, 'patterns')),
    ];
    expect(blocks.length).toBeGreaterThan(50);
    expect(blocks.filter((yaml) => !agrees(yaml).same)).toEqual([]);
  });

  test.skipIf(!statSync(corpus, { throwIfNoEntry: false }))(
    'agrees with yaml v2 on every frontmatter of the corpus (skipped only without ../shared/corpus)',
    () => {
      const blocks = frontmattersUnder(corpus);
      expect(blocks.length).toBeGreaterThan(500);
      expect(blocks.filter((yaml) => !agrees(yaml).same)).toEqual([]);
    },
  );
});
