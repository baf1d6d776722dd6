import type { Range } from './catalog/model.ts';

/** The one directive keyword; anything else starting with `agentops-lint-` is a mistake. */
export const disableKeyword = 'agentops-lint-disable-next-line';

/** An inline `agentops-lint-disable-next-line` comment of a Markdown file. */
export interface DisableDirective {
  /** The range of the comment. */
  place: Range;
  /** The 1-based line whose messages it suppresses. */
  target: number;
  /** The directive keyword as written (`agentops-lint-disable-line` is a mistake). */
  keyword: string;
  ruleIds: string[];
  /** The text after ` -- `, trimmed; `undefined` when missing or empty. */
  reason: string | undefined;
  /** Offsets of the whole line, its line ending included: removing them removes the directive. */
  lineRange: [number, number];
}

const fenceRe = /^ {0,3}(`{3,}|~{3,})/;
const htmlCommentRe = /^(\s*)<!--(.*?)-->\s*$/;
const yamlCommentRe = /^(\s*)#(.*)$/;
const directiveRe = /^\s*(agentops-lint-[a-z-]*)(.*)$/s;
const reasonSeparatorRe = /(?:^|\s)--(?:\s|$)/;

function parseDirective(
  body: string,
  line: number,
  column: number,
  length: number,
  lineRange: [number, number],
): DisableDirective | undefined {
  const match = directiveRe.exec(body);
  if (!match) return undefined;
  const keyword = match[1] ?? '';
  const rest = match[2] ?? '';
  const separator = reasonSeparatorRe.exec(rest);
  const list = separator ? rest.slice(0, separator.index) : rest;
  const reason = separator ? rest.slice(separator.index + separator[0].length).trim() : '';
  return {
    place: { start: { line, column }, end: { line, column: column + length } },
    target: line + 1,
    keyword,
    ruleIds: list.split(/[\s,]+/).filter((id) => id !== ''),
    reason: reason === '' ? undefined : reason,
    lineRange,
  };
}

/**
 * Finds the disable directives of a Markdown file: `<!-- agentops-lint-disable-next-line <rule>
 * -- <reason> -->` on a line of its own in the body (not inside a code fence), and
 * `# agentops-lint-disable-next-line <rule> -- <reason>` comment lines in the YAML frontmatter.
 */
export function parseDisableDirectives(text: string): DisableDirective[] {
  if (!text.includes('agentops-lint-')) return [];
  const directives: DisableDirective[] = [];
  const lines: { text: string; start: number; end: number }[] = [];
  const lineRe = /([^\r\n]*)(\r\n|\r|\n|$)/gy;
  for (let match = lineRe.exec(text); match; match = lineRe.exec(text)) {
    lines.push({ text: match[1] ?? '', start: match.index, end: match.index + match[0].length });
    if (match[0] === '' || lineRe.lastIndex >= text.length) break;
  }
  let inFrontmatter = lines[0]?.text.trimEnd() === '---';
  let fence: string | undefined;
  for (let index = inFrontmatter ? 1 : 0; index < lines.length; index++) {
    const { text: line, start, end } = lines[index] ?? { text: '', start: 0, end: 0 };
    const lineNumber = index + 1;
    const length = line.trimEnd().length;
    if (inFrontmatter) {
      if (line.trimEnd() === '---' || line.trimEnd() === '...') {
        inFrontmatter = false;
        continue;
      }
      const comment = yamlCommentRe.exec(line);
      if (!comment || !line.includes('agentops-lint-')) continue;
      const indent = comment[1]?.length ?? 0;
      const directive = parseDirective(comment[2] ?? '', lineNumber, indent + 1, length - indent, [
        start,
        end,
      ]);
      if (directive) directives.push(directive);
      continue;
    }
    const fenceMatch = fenceRe.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1] ?? '';
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker)
        fence = undefined;
      continue;
    }
    if (fence !== undefined || !line.includes('agentops-lint-')) continue;
    const comment = htmlCommentRe.exec(line);
    if (!comment) continue;
    const indent = comment[1]?.length ?? 0;
    const directive = parseDirective(comment[2] ?? '', lineNumber, indent + 1, length - indent, [
      start,
      end,
    ]);
    if (directive) directives.push(directive);
  }
  return directives;
}

/** What is wrong with a directive, in message wording, or `undefined` when it is well formed. */
export function describeDirectiveProblem(
  directive: DisableDirective,
  isKnownRule: (id: string) => boolean,
): { message: string; actual?: string; expected?: string[] } | undefined {
  if (directive.keyword !== disableKeyword) {
    return {
      message: `Unexpected directive \`${directive.keyword}\`, expected \`${disableKeyword}\``,
      actual: directive.keyword,
      expected: [disableKeyword],
    };
  }
  if (directive.ruleIds.length === 0) {
    return { message: 'Missing rule id, expected the id of the rule to disable' };
  }
  const unknown = directive.ruleIds.find((id) => !isKnownRule(id));
  if (unknown !== undefined) {
    return {
      message: `Unexpected rule id \`${unknown}\`, expected a rule of agentops-lint`,
      actual: unknown,
    };
  }
  if (directive.reason === undefined) {
    return { message: 'Missing reason, expected ` -- <why this rule does not apply here>`' };
  }
  return undefined;
}
