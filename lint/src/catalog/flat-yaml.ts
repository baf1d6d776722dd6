import { joinPointer, type OffsetEntry } from './position-map.ts';

/**
 * A fast path for the frontmatter nearly every file has: a flat mapping of plain scalars, one-line
 * quoted strings without escapes, flow lists of single words and block lists of plain scalars,
 * e.g. `pattern_id: pat_2025-11-07_oauth`, `name: "Fix it"`, `tags: [go, api]` or
 * `tools:\n  - Read`. It returns exactly what `yaml` v2 (core schema) returns for such text,
 * data and offsets alike, and `undefined` for anything else (escapes, nested or multi-word flow
 * collections, anchors, tags, comments, block scalars, nesting, duplicate keys …), which then
 * goes to `yaml` v2. A differential test holds the two equal.
 */
export interface FlatYaml {
  data: Record<string, unknown>;
  entries: Map<string, OffsetEntry>;
}

const keyLineRe = /^([A-Za-z_][A-Za-z0-9_-]*):(?:( +)(.*))?$/;
const itemLineRe = /^( +)- (.*)$/;
// A plain scalar we accept: no indicator at its start, no `: ` or ` #` inside, no trailing `:`.
const plainRe = /^(?:[A-Za-z0-9_./(<$]|[-?:][A-Za-z0-9_./])(?:[^:#\t]|:(?! |$)|(?<! )#)*$/;
// A quoted string on one line with nothing to unescape or fold: its text is what the quotes hold.
const doubleQuotedRe = /^"[^"\\\p{Cc}\u2028\u2029\uFEFF]*"$/u;
const singleQuotedRe = /^'[^'\p{Cc}\u2028\u2029\uFEFF]*'$/u;
// A flow list of single words separated by a comma and one space: `[a, b.c, d-e]` or `[]`.
const flowListRe = /^\[(?:[A-Za-z0-9_][A-Za-z0-9_./-]*(?:, [A-Za-z0-9_][A-Za-z0-9_./-]*)*)?\]$/;
const intRe = /^[-+]?[0-9]+$/;
const octRe = /^0o[0-7]+$/;
const hexRe = /^0x[0-9a-fA-F]+$/;
const floatRe = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const infRe = /^[-+]?\.(?:inf|Inf|INF)$/;
const nanRe = /^\.(?:nan|NaN|NAN)$/;

/** Resolves a plain scalar with the YAML 1.2 core schema, as `yaml` v2 does by default. */
function resolvePlain(text: string): unknown {
  switch (text) {
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  if (intRe.test(text)) return Number(text);
  if (octRe.test(text)) return parseInt(text.slice(2), 8);
  if (hexRe.test(text)) return parseInt(text.slice(2), 16);
  if (floatRe.test(text)) return Number(text);
  if (infRe.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (nanRe.test(text)) return NaN;
  return text;
}

/** Parses `yaml` (starting at offset `base` of the file) when it is a flat mapping of plain scalars. */
export function parseFlatYaml(yaml: string, base: number): FlatYaml | undefined {
  const data: Record<string, unknown> = {};
  const entries = new Map<string, OffsetEntry>();
  let list:
    | {
        items: unknown[];
        pointer: string;
        indent: number;
        key: [number, number];
        start: number;
        end: number;
      }
    | undefined;
  let firstStart = -1;
  let lastLineEnd = -1;
  let offset = 0;

  const closeList = (): void => {
    if (!list) return;
    entries.set(list.pointer, { value: [base + list.start, base + list.end], key: list.key });
    list = undefined;
  };

  while (offset < yaml.length) {
    let next = yaml.indexOf('\n', offset);
    if (next === -1) next = yaml.length;
    const line =
      yaml.charCodeAt(next - 1) === 13 ? yaml.slice(offset, next - 1) : yaml.slice(offset, next);
    const lineStart = offset;
    offset = next + 1;
    if (line === '') continue;
    if (line.trim() === '') return undefined;
    lastLineEnd = Math.min(next + 1, yaml.length);

    const item = itemLineRe.exec(line);
    if (item) {
      const indent = item[1]!.length;
      const value = item[2]!;
      if (
        !list ||
        (list.items.length > 0 && indent !== list.indent) ||
        !plainRe.test(value) ||
        value !== value.trimEnd()
      )
        return undefined;
      list.indent = indent;
      const start = lineStart + indent + 2;
      if (list.items.length === 0) list.start = lineStart + indent;
      entries.set(joinPointer(list.pointer, list.items.length), {
        value: [base + start, base + start + value.length],
      });
      list.items.push(resolvePlain(value));
      list.end = lastLineEnd;
      continue;
    }

    const match = keyLineRe.exec(line);
    if (!match) return undefined;
    if (list?.items.length === 0) return undefined;
    closeList();
    const key = match[1]!;
    if (Object.hasOwn(data, key) || key === '__proto__') return undefined;
    const keyRange: [number, number] = [base + lineStart, base + lineStart + key.length];
    if (firstStart === -1) firstStart = lineStart;
    const pointer = joinPointer('', key);
    const value = match[3];
    if (value === undefined || value === '') {
      if (match[2] !== undefined) return undefined;
      // A key with nothing after it opens a block list on the next lines.
      const items: unknown[] = [];
      data[key] = items;
      list = { items, pointer, indent: 0, key: keyRange, start: 0, end: 0 };
      continue;
    }
    const start = lineStart + key.length + 1 + match[2]!.length;
    if (doubleQuotedRe.test(value) || singleQuotedRe.test(value)) {
      data[key] = value.slice(1, -1);
    } else if (flowListRe.test(value)) {
      const items: unknown[] = [];
      let itemStart = start + 1;
      for (const item of value === '[]' ? [] : value.slice(1, -1).split(', ')) {
        entries.set(joinPointer(pointer, items.length), {
          value: [base + itemStart, base + itemStart + item.length],
        });
        items.push(resolvePlain(item));
        itemStart += item.length + 2;
      }
      data[key] = items;
    } else if (plainRe.test(value) && value === value.trimEnd()) {
      data[key] = resolvePlain(value);
    } else return undefined;
    entries.set(pointer, { value: [base + start, base + start + value.length], key: keyRange });
  }
  if (list?.items.length === 0) return undefined;
  closeList();
  if (firstStart === -1) return undefined;
  entries.set('', { value: [base + firstStart, base + lastLineEnd] });
  return { data, entries };
}
