import { code } from '../catalog/diagnostic.ts';
import type { CatalogPlugin, Range } from '../catalog/model.ts';
import { LineIndex, offsetsOf } from '../catalog/position-map.ts';
import { hookDocumentOf } from '../hook-document.ts';
import { defineRule, type Fix, type RuleContext } from '../rule.ts';

/** The placeholder, braced or bare (the shell expands `$CLAUDE_PLUGIN_ROOT` the same way). */
const placeholderRe = /\$\{CLAUDE_PLUGIN_ROOT\}|\$CLAUDE_PLUGIN_ROOT(?![A-Za-z0-9_])/y;
const anyPlaceholderRe = /\$\{CLAUDE_PLUGIN_ROOT\}|\$CLAUDE_PLUGIN_ROOT(?![A-Za-z0-9_])/g;
/** Characters that end a shell word outside quotes. */
const wordBreakRe = /[\s;&|<>()`]/;
/** What a path word may hold besides the placeholder for quoting it to change nothing else. */
const plainWordRe = /^[A-Za-z0-9_./:@%+,-]*$/;

/** A run of a shell command holding an unquoted placeholder: `[start, end)` in the command. */
interface UnquotedWord {
  start: number;
  end: number;
  /** The word's first unquoted placeholder: offset and as written. */
  first: number;
  written: string;
}

/** An unquoted placeholder: where it starts and how it is written. */
interface Occurrence {
  offset: number;
  text: string;
}

/** The placeholders outside single and double quotes, in shell lexing order. */
function unquotedPlaceholders(command: string): Occurrence[] {
  const found: Occurrence[] = [];
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i];
    if (quote === "'") {
      if (char === "'") quote = undefined;
    } else if (char === '\\') {
      i++;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '$') {
      placeholderRe.lastIndex = i;
      const match = placeholderRe.exec(command);
      if (match) {
        found.push({ offset: i, text: match[0] });
        i += match[0].length - 1;
      }
    }
  }
  return found;
}

/** Groups unquoted placeholders by the shell word around them. */
function unquotedWords(command: string): UnquotedWord[] {
  const words: UnquotedWord[] = [];
  for (const { offset, text } of unquotedPlaceholders(command)) {
    const last = words.at(-1);
    if (last && offset < last.end) continue;
    let start = offset;
    while (start > 0 && !wordBreakRe.test(command[start - 1] ?? ' ')) start--;
    let end = offset + text.length;
    while (end < command.length && !wordBreakRe.test(command[end] ?? ' ')) end++;
    words.push({ start, end, first: offset, written: text });
  }
  return words;
}

/** Offsets in a JSON string literal (quotes included) of each decoded UTF-16 unit, plus the end. */
function literalOffsets(literal: string): number[] | undefined {
  if (!literal.startsWith('"') || !literal.endsWith('"') || literal.length < 2) return undefined;
  const offsets: number[] = [];
  let i = 1;
  while (i < literal.length - 1) {
    offsets.push(i);
    if (literal[i] !== '\\') i += 1;
    else i += literal[i + 1] === 'u' ? 6 : 2;
  }
  offsets.push(literal.length - 1);
  return offsets;
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(value)) value = value[Number(key)];
    else if (typeof value === 'object' && value !== null)
      value = (value as Record<string, unknown>)[key];
    else return undefined;
  }
  return value;
}

function check(plugin: CatalogPlugin, ctx: RuleContext): void {
  for (const handler of plugin.hooks) {
    const command = handler.command;
    if (
      handler.type !== 'command' ||
      command === undefined ||
      !command.includes('CLAUDE_PLUGIN_ROOT')
    )
      continue;
    // Nearly every command quotes it: its place in the file (a parse of the file with offsets)
    // is looked up only for one that does not.
    const words = unquotedWords(command);
    if (words.length === 0) continue;
    const doc = hookDocumentOf(plugin, handler, ctx.catalog);
    // With `args`, Claude Code runs `command` directly, without a shell, so nothing is split.
    if (!doc || valueAt(doc.data, `${handler.pointer}/args`) !== undefined) continue;
    const at = `${handler.pointer}/command`;
    const text = doc.file.value;
    const literalPlace = doc.positions.value(at);
    let offsets: number[] | undefined;
    let literalStart = 0;
    const literal =
      literalPlace && typeof text === 'string' ? offsetsOf(text, literalPlace) : undefined;
    if (literal && typeof text === 'string') {
      literalStart = literal[0];
      offsets = literalOffsets(text.slice(literal[0], literal[1]));
      if (offsets?.length !== command.length + 1) offsets = undefined;
    }
    const lines = typeof text === 'string' ? new LineIndex(text) : undefined;
    for (const word of words) {
      const written = command.slice(word.start, word.end);
      const safe = plainWordRe.test(written.replace(anyPlaceholderRe, ''));
      const quoted = `"${written}"`;
      let place: Range | undefined;
      let fix: Fix | undefined;
      if (offsets && lines) {
        const raw = (index: number): number => literalStart + (offsets?.[index] ?? 0);
        place = lines.range(raw(word.first), raw(word.first + word.written.length));
        if (safe && typeof text === 'string') {
          const [start, end] = [raw(word.start), raw(word.end)];
          fix = { range: [start, end], text: `\\"${text.slice(start, end)}\\"` };
        }
      }
      ctx.report({
        doc,
        at,
        place,
        message: safe
          ? `Unexpected unquoted ${code(written)}, expected ${code(quoted)}`
          : `Unexpected unquoted ${code(word.written)} in ${code(written)}, expected it inside double quotes`,
        actual: written,
        expected: safe ? [quoted] : undefined,
        fix,
      });
    }
  }
}

export default defineRule({
  id: 'hook-command-quotes-plugin-root',
  description: 'Require `${CLAUDE_PLUGIN_ROOT}` in shell-form hook commands to be double-quoted',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check,
});
