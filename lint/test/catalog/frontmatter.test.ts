import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { lenientYaml, parseFrontmatter } from '../../src/catalog/frontmatter.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'agentops-fm-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('parseFrontmatter', () => {
  test('parses YAML with value offsets in the whole text', () => {
    const text = '---\nname: demo\ntools:\n  - Read\n---\n# Body\n';
    const result = parseFrontmatter(text);
    expect(result.data).toEqual({ name: 'demo', tools: ['Read'] });
    expect(result.body).toBe('# Body\n');
    expect(result.bodyOffset).toBe(35);
    expect(result.entries.get('/name')).toEqual({ value: [10, 14], key: [4, 8] });
    expect(text.slice(...result.entries.get('/tools/0')!.value)).toBe('Read');
    expect(result.problems).toEqual([]);
  });

  test('returns empty data and the whole text as body without a block', () => {
    expect(parseFrontmatter('# Title\n')).toEqual({
      hasFrontmatter: false,
      data: {},
      entries: new Map(),
      body: '# Title\n',
      bodyOffset: 0,
      problems: [],
    });
  });

  test('never evaluates `---js` frontmatter and reports it', () => {
    const marker = path.join(scratch, 'ran-js');
    const text = `---js\n{ name: (require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'), 'x') }\n---\nbody`;
    const result = parseFrontmatter(text);
    expect(existsSync(marker)).toBe(false);
    expect(result.data).toBeUndefined();
    expect(result.problems).toEqual([
      {
        reason: 'Unexpected executable frontmatter `---js`, expected YAML frontmatter (`---`)',
        severity: 'error',
        offset: 0,
        end: 5,
        note: 'Frontmatter is data: agentops-lint never runs code in it, and Claude Code reads only YAML.',
      },
    ]);
  });

  test('never evaluates `--- JavaScript ` frontmatter either', () => {
    const marker = path.join(scratch, 'ran-javascript');
    const result = parseFrontmatter(
      `--- JavaScript \nrequire('fs').writeFileSync(${JSON.stringify(marker)}, 'x')\n---\n`,
    );
    expect(existsSync(marker)).toBe(false);
    expect(result.problems.map((p) => p.reason)).toEqual([
      'Unexpected executable frontmatter `---JavaScript`, expected YAML frontmatter (`---`)',
    ]);
  });

  test('refuses other frontmatter languages', () => {
    expect(parseFrontmatter('---toml\na = 1\n---\n').problems).toEqual([
      {
        reason: 'Unexpected frontmatter language `toml`, expected YAML frontmatter (`---`)',
        severity: 'error',
        offset: 0,
        end: 7,
      },
    ]);
  });

  test('rejects a 1 KB alias bomb', { timeout: 1000 }, () => {
    const levels = 'abcdefghi'.split('');
    const lines = [`a: &a [${Array(9).fill('"lol"').join(',')}]`];
    for (let i = 1; i < levels.length; i++)
      lines.push(
        `${levels[i]}: &${levels[i]} [${Array(9)
          .fill(`*${levels[i - 1]}`)
          .join(',')}]`,
      );
    const text = `---\n${lines.join('\n')}\n---\n`;
    expect(text.length).toBeLessThan(1024);
    const result = parseFrontmatter(text);
    expect(result.data).toBeUndefined();
    expect(result.problems).toEqual([
      {
        reason:
          'Unexpected expansion of YAML aliases beyond 100, expected plain values (an alias bomb)',
        severity: 'error',
        offset: 4,
        end: 5,
      },
    ]);
  });

  test('reports duplicate keys as a warning and keeps the data', () => {
    const result = parseFrontmatter('---\nname: a\nname: b\n---\n');
    expect(result.problems).toEqual([
      {
        reason: 'Unexpected duplicate key in frontmatter, expected each key once',
        severity: 'warning',
        offset: 12,
        end: 13,
      },
    ]);
    expect(result.data).toEqual({ name: 'b' });
  });

  test('accepts what Claude Code accepts through its lenient retry', () => {
    const result = parseFrontmatter('---\ndescription: Use when: deploying\n---\n');
    expect(result.data).toEqual({ description: 'Use when: deploying' });
    expect(result.problems).toEqual([]);
    expect(lenientYaml('a: x: y\n\tb: [c')).toBe('a: "x: y"\n  b: [c');
    expect(
      parseFrontmatter('---\nargument-hint: "<description>" [--framework react|vue]\n---\n').data,
    ).toEqual({
      'argument-hint': '"<description>" [--framework react|vue]',
    });
  });

  test('rewrites only top-level lines in the lenient retry, as Claude Code does', () => {
    expect(lenientYaml('a: x: y\nb:\n  c: d: e\n\te: [f')).toBe(
      'a: "x: y"\nb:\n  c: d: e\n  e: [f',
    );
    const text = '---\nname: run\nmetadata:\n  description: Run it (default: off)\n---\n';
    const result = parseFrontmatter(text);
    expect(result.data).toBeUndefined();
    expect(result.problems).toEqual([
      {
        reason:
          'Unexpected YAML in frontmatter (Nested mappings are not allowed in compact mappings), expected the value of `description` in quotes or as a block (`description: |`)',
        severity: 'error',
        offset: 39,
        end: 40,
      },
    ]);
    expect(text.slice(39)).toMatch(/^Run it \(default: off\)/);
  });

  test('reports multi-line plain descriptions that Claude Code cannot parse', () => {
    const text =
      '---\nname: x\ndescription: Use this agent when\n<example>\nuser: "hi"\n</example>\n---\n';
    const result = parseFrontmatter(text);
    expect(result.data).toBeUndefined();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({
      severity: 'error',
      reason:
        'Unexpected YAML in frontmatter (Implicit keys need to be on a single line), expected the lines that go on a value indented, or the value as a block (`key: |`)',
    });
    expect(text.slice(result.problems[0]!.offset, result.problems[0]!.end)).toBe('<example>\nuser');
  });

  test('reports only the first error of a block that does not parse, not the keys its value repeats', () => {
    // Real agents write examples into a plain description: `Examples:` ends its first line, and
    // every example repeats `user:` and `assistant:` at the left margin.
    const text = [
      '---',
      'name: reviewer',
      'description: Use this agent to review. Examples:',
      '',
      '<example>',
      'user: "Review it"',
      'assistant: "On it"',
      '</example>',
      '<example>',
      'user: "Again"',
      'assistant: "Sure"',
      '</example>',
      '---',
      '',
    ].join('\n');
    const result = parseFrontmatter(text);
    expect(result.data).toBeUndefined();
    expect(result.problems).toEqual([
      {
        reason:
          'Unexpected YAML in frontmatter (Nested mappings are not allowed in compact mappings), expected the value of `description` in quotes or as a block (`description: |`)',
        severity: 'error',
        offset: 32,
        end: 33,
      },
    ]);
    expect(text.slice(32)).toMatch(/^Use this agent/);
    // A block that parses still gets its duplicate keys.
    expect(parseFrontmatter('---\nname: a\nname: b\n---\n').problems).toEqual([
      {
        reason: 'Unexpected duplicate key in frontmatter, expected each key once',
        severity: 'warning',
        offset: 12,
        end: 13,
      },
    ]);
  });

  test('keeps the parser reason alone where no fix is likely: a quoted value, a flow list', () => {
    expect(parseFrontmatter('---\ntools: "Read", "Grep"\n---\n').problems[0]?.reason).toBe(
      'Unexpected YAML in frontmatter, expected valid YAML (Unexpected scalar at node end)',
    );
    expect(
      parseFrontmatter('---\nallowed-tools:\n  [\n    Bash(${X}/a.sh *),\n    Read,\n  ]\n---\n')
        .problems[0]?.reason,
    ).toBe(
      'Unexpected YAML in frontmatter, expected valid YAML (Missing , or : between flow sequence items)',
    );
  });

  test('loads CRLF frontmatter', () => {
    const result = parseFrontmatter('---\r\nname: x\r\n---\r\nbody\r\n');
    expect(result.data).toEqual({ name: 'x' });
    expect(result.body).toBe('body\r\n');
  });

  test('refuses frontmatter over 64 KiB', () => {
    const result = parseFrontmatter(`---\nd: "${'x'.repeat(70_000)}"\n---\n`);
    expect(result.problems.map((p) => p.reason)).toEqual([
      'Unexpected frontmatter of 69 KiB, expected at most 64 KiB',
    ]);
  });

  test('ends the block at the first `---`, even in the middle of a line, as Claude Code does', () => {
    const text =
      '---\ndescription: Bump versions\naliases: "/bump"---\n\n# Bump\nlist:\n  - [x\n---\n';
    const result = parseFrontmatter(text);
    expect(result.data).toEqual({ description: 'Bump versions', aliases: '/bump' });
    expect(result.problems).toEqual([]);
    expect(result.bodyOffset).toBe(51);
    expect(result.body).toBe('\n# Bump\nlist:\n  - [x\n---\n');
    expect(parseFrontmatter('---\ndescription: x\nfoo: bar---baz\n---\n').data).toEqual({
      description: 'x',
      foo: 'bar',
    });
  });

  test("ends a pattern's block only at a `---` line, as other readers of our own format do", () => {
    const text = '---\ndescription: "a --- b"\nfoo: bar---baz\n---\n# Body\n';
    const result = parseFrontmatter(text, { close: 'line' });
    expect(result.data).toEqual({ description: 'a --- b', foo: 'bar---baz' });
    expect(result.problems).toEqual([]);
    expect(result.body).toBe('# Body\n');
    // Read as Claude Code reads a command, the same text ends inside the quoted value.
    expect(parseFrontmatter(text).problems).toEqual([
      {
        reason: 'Unexpected YAML in frontmatter, expected valid YAML (Missing closing "quote)',
        severity: 'error',
        offset: 20,
        end: 21,
      },
    ]);
  });

  test('warns about an unterminated block', () => {
    expect(parseFrontmatter('---\na: 1\n').problems).toEqual([
      {
        reason: 'Missing closing `---` of the frontmatter block, expected one after the YAML',
        severity: 'warning',
        offset: 0,
        end: 3,
      },
    ]);
  });
});
