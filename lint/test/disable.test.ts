import { describe, expect, test } from 'vitest';
import { describeDirectiveProblem, parseDisableDirectives } from '../src/disable.ts';

const known = (id: string): boolean => ['schema', 'pattern-sections'].includes(id);

describe('parseDisableDirectives', () => {
  test('finds an HTML comment directive on its own line in the body', () => {
    const text =
      '# Title\n\n<!-- agentops-lint-disable-next-line schema -- imported as is -->\n## Workflow\n';
    expect(parseDisableDirectives(text)).toEqual([
      {
        place: { start: { line: 3, column: 1 }, end: { line: 3, column: 66 } },
        target: 4,
        keyword: 'agentops-lint-disable-next-line',
        ruleIds: ['schema'],
        reason: 'imported as is',
        lineRange: [9, 75],
      },
    ]);
  });

  test('finds a YAML comment directive inside the frontmatter', () => {
    const text =
      '---\nid: x\n  # agentops-lint-disable-next-line schema -- legacy key\nlegacy: 1\n---\nBody\n';
    const [directive] = parseDisableDirectives(text);
    expect(directive?.target).toBe(4);
    expect(directive?.place).toEqual({
      start: { line: 3, column: 3 },
      end: { line: 3, column: 57 },
    });
    expect(directive?.reason).toBe('legacy key');
  });

  test('reads several rule ids separated by commas or spaces', () => {
    const text =
      '<!-- agentops-lint-disable-next-line schema, pattern-sections parse -- why -->\nx\n';
    expect(parseDisableDirectives(text)[0]?.ruleIds).toEqual([
      'schema',
      'pattern-sections',
      'parse',
    ]);
  });

  test('leaves the reason undefined when the separator or the text after it is missing', () => {
    const text =
      '<!-- agentops-lint-disable-next-line schema -->\n<!-- agentops-lint-disable-next-line schema --   -->\n';
    expect(parseDisableDirectives(text).map((directive) => directive.reason)).toEqual([
      undefined,
      undefined,
    ]);
  });

  test('ignores directives inside fenced code blocks', () => {
    const text =
      '```md\n<!-- agentops-lint-disable-next-line schema -- example -->\n```\n~~~~\n<!-- agentops-lint-disable-next-line schema -- x -->\n```\n~~~~\n';
    expect(parseDisableDirectives(text)).toEqual([]);
  });

  test('ignores a comment that shares its line with other text', () => {
    expect(
      parseDisableDirectives('Text <!-- agentops-lint-disable-next-line schema -- x -->\n'),
    ).toEqual([]);
  });

  test('handles CRLF line endings', () => {
    const text = 'a\r\n<!-- agentops-lint-disable-next-line schema -- crlf -->\r\nb\r\n';
    const [directive] = parseDisableDirectives(text);
    expect(directive?.target).toBe(3);
    expect(directive?.lineRange).toEqual([3, 60]);
    expect(text.slice(...(directive?.lineRange ?? [0, 0]))).toBe(
      '<!-- agentops-lint-disable-next-line schema -- crlf -->\r\n',
    );
  });

  test('returns nothing quickly for text without the marker', () => {
    expect(parseDisableDirectives('# Title\n\n<!-- a comment -->\n')).toEqual([]);
  });
});

describe('describeDirectiveProblem', () => {
  const parse = (comment: string) => {
    const [directive] = parseDisableDirectives(`<!-- ${comment} -->\n`);
    if (!directive) throw new Error('no directive');
    return directive;
  };

  test('accepts a known rule with a reason', () => {
    expect(
      describeDirectiveProblem(parse('agentops-lint-disable-next-line schema -- why'), known),
    ).toBeUndefined();
  });

  test('reports a missing reason', () => {
    expect(
      describeDirectiveProblem(parse('agentops-lint-disable-next-line schema'), known),
    ).toEqual({
      message: 'Missing reason, expected ` -- <why this rule does not apply here>`',
    });
  });

  test('reports an unknown rule id', () => {
    expect(
      describeDirectiveProblem(parse('agentops-lint-disable-next-line schemas -- why'), known),
    ).toEqual({
      message: 'Unexpected rule id `schemas`, expected a rule of agentops-lint',
      actual: 'schemas',
    });
  });

  test('reports a missing rule id', () => {
    expect(
      describeDirectiveProblem(parse('agentops-lint-disable-next-line -- why'), known)?.message,
    ).toBe('Missing rule id, expected the id of the rule to disable');
  });

  test('reports another directive keyword', () => {
    expect(
      describeDirectiveProblem(parse('agentops-lint-disable schema -- why'), known)?.message,
    ).toBe(
      'Unexpected directive `agentops-lint-disable`, expected `agentops-lint-disable-next-line`',
    );
  });
});
