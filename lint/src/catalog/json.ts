import { joinPointer, type OffsetEntry } from './position-map.ts';

/** Deepest nesting accepted; deeper documents are refused instead of exhausting memory or stack. */
const maxJsonDepth = 256;

/** A syntax problem at an offset. */
interface JsonSyntaxError {
  reason: string;
  offset: number;
  end: number;
}

/** A member name that appears twice in one object. */
interface JsonDuplicateKey {
  pointer: string;
  key: string;
  /** Offsets of the repeated name and of the first one. */
  at: [number, number];
  first: [number, number];
}

/** The result of `parseJson`: data (when it parsed), pointer offsets and problems. */
export interface JsonParseResult {
  data: unknown;
  ok: boolean;
  entries: Map<string, OffsetEntry>;
  error: JsonSyntaxError | undefined;
  duplicates: JsonDuplicateKey[];
}

interface Frame {
  kind: 'object' | 'array';
  value: Record<string, unknown> | unknown[];
  pointer: string;
  start: number;
  /** Member names seen so far, with their offsets (objects only). */
  seen: Map<string, [number, number]> | undefined;
  /** The pending member name and its offsets (objects only). */
  key: string | undefined;
  keyAt: [number, number] | undefined;
  /** What the next token may be. */
  expect: 'key-or-end' | 'key' | 'colon' | 'value' | 'value-or-end' | 'comma-or-end';
}

const numberRe = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Sets a property without ever invoking the `__proto__` setter. */
function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

function describeToken(text: string, offset: number): string {
  if (offset >= text.length) return 'end of file';
  const char = text.charAt(offset);
  return `\`${char === '`' ? "'" : char}\``;
}

/**
 * Parses JSON text iteratively (no recursion, so any depth is safe), recording the offsets of every
 * value and member name by JSON Pointer, and every duplicate member name. Never throws.
 */
export function parseJson(text: string): JsonParseResult {
  const entries = new Map<string, OffsetEntry>();
  const duplicates: JsonDuplicateKey[] = [];
  const stack: Frame[] = [];
  let pos = 0;
  let root: unknown;
  let haveRoot = false;

  const fail = (reason: string, offset: number, end = offset + 1): JsonParseResult => ({
    data: undefined,
    ok: false,
    entries,
    error: { reason, offset, end: Math.min(end, Math.max(text.length, offset)) },
    duplicates,
  });

  const skipWhitespace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      pos++;
    }
  };

  const readString = (): { value: string; end: number } | JsonSyntaxError => {
    const start = pos;
    let i = pos + 1;
    let escaped = false;
    for (;;) {
      if (i >= text.length)
        return { reason: 'Unterminated string, expected a closing `"`', offset: start, end: i };
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        i += 2;
      } else if (c < 0x20)
        return {
          reason: 'Unexpected control character in string, expected it escaped',
          offset: i,
          end: i + 1,
        };
      else i++;
    }
    // Without a backslash the text between the quotes is the value (control characters were
    // refused above).
    if (!escaped) return { value: text.slice(start + 1, i), end: i + 1 };
    const raw = text.slice(start, i + 1);
    try {
      return { value: JSON.parse(raw) as string, end: i + 1 };
    } catch {
      return {
        reason: 'Unexpected escape sequence in string, expected a valid JSON escape',
        offset: start,
        end: i + 1,
      };
    }
  };

  /** Places a finished value into its parent (or as the root) and records its offsets. */
  const place = (value: unknown, start: number, end: number): void => {
    const parent = stack.at(-1);
    if (!parent) {
      root = value;
      haveRoot = true;
      entries.set('', { value: [start, end] });
      return;
    }
    if (parent.kind === 'array') {
      const list = parent.value as unknown[];
      const pointer = joinPointer(parent.pointer, list.length);
      list.push(value);
      entries.set(pointer, { value: [start, end] });
    } else {
      // A value inside an object always follows a member name, so `key` and `keyAt` are set.
      const key = parent.key!;
      const pointer = joinPointer(parent.pointer, key);
      setMember(parent.value as Record<string, unknown>, key, value);
      entries.set(pointer, { value: [start, end], key: parent.keyAt! });
      parent.key = undefined;
      parent.keyAt = undefined;
    }
    if (parent) parent.expect = 'comma-or-end';
  };

  const childPointer = (): string => {
    const parent = stack.at(-1);
    if (!parent) return '';
    if (parent.kind === 'array')
      return joinPointer(parent.pointer, (parent.value as unknown[]).length);
    return joinPointer(parent.pointer, parent.key ?? '');
  };

  for (;;) {
    skipWhitespace();
    const frame = stack.at(-1);
    if (!frame && haveRoot) {
      if (pos < text.length)
        return fail(
          `Unexpected ${describeToken(text, pos)} after the JSON value, expected end of file`,
          pos,
        );
      return { data: root, ok: true, entries, error: undefined, duplicates };
    }
    if (pos >= text.length) {
      return fail(
        frame
          ? `Unexpected end of file, expected \`${frame.kind === 'object' ? '}' : ']'}\``
          : 'Unexpected end of file, expected a JSON value',
        pos,
        pos,
      );
    }
    const char = text.charAt(pos);

    if (
      frame &&
      (frame.expect === 'comma-or-end' ||
        frame.expect === 'key-or-end' ||
        frame.expect === 'value-or-end')
    ) {
      const close = frame.kind === 'object' ? '}' : ']';
      if (char === close) {
        stack.pop();
        pos++;
        place(frame.value, frame.start, pos);
        continue;
      }
      if (frame.expect === 'comma-or-end') {
        if (char !== ',')
          return fail(
            `Unexpected ${describeToken(text, pos)}, expected \`,\` or \`${close}\``,
            pos,
          );
        pos++;
        frame.expect = frame.kind === 'object' ? 'key' : 'value';
        continue;
      }
      frame.expect = frame.kind === 'object' ? 'key' : 'value';
    }

    if (frame?.expect === 'key') {
      if (char !== '"')
        return fail(
          `Unexpected ${describeToken(text, pos)}, expected a member name in double quotes`,
          pos,
        );
      const keyStart = pos;
      const result = readString();
      if ('reason' in result) return fail(result.reason, result.offset, result.end);
      pos = result.end;
      const at: [number, number] = [keyStart, pos];
      const first = frame.seen?.get(result.value);
      if (first)
        duplicates.push({
          pointer: joinPointer(frame.pointer, result.value),
          key: result.value,
          at,
          first,
        });
      else frame.seen?.set(result.value, at);
      frame.key = result.value;
      frame.keyAt = at;
      frame.expect = 'colon';
      continue;
    }

    if (frame?.expect === 'colon') {
      if (char !== ':') return fail(`Unexpected ${describeToken(text, pos)}, expected \`:\``, pos);
      pos++;
      frame.expect = 'value';
      continue;
    }

    // A value is expected here.
    const start = pos;
    if (char === '{' || char === '[') {
      if (stack.length >= maxJsonDepth) {
        return fail(
          `Unexpected nesting deeper than ${maxJsonDepth} levels, expected a shallower document`,
          pos,
        );
      }
      const isObject = char === '{';
      stack.push({
        kind: isObject ? 'object' : 'array',
        value: isObject ? {} : [],
        pointer: childPointer(),
        start,
        seen: isObject ? new Map() : undefined,
        key: undefined,
        keyAt: undefined,
        expect: isObject ? 'key-or-end' : 'value-or-end',
      });
      pos++;
      continue;
    }
    if (char === '"') {
      const result = readString();
      if ('reason' in result) return fail(result.reason, result.offset, result.end);
      pos = result.end;
      place(result.value, start, pos);
      continue;
    }
    const literal = text.startsWith('true', pos)
      ? 'true'
      : text.startsWith('false', pos)
        ? 'false'
        : text.startsWith('null', pos)
          ? 'null'
          : undefined;
    if (literal) {
      pos += literal.length;
      place(literal === 'null' ? null : literal === 'true', start, pos);
      continue;
    }
    numberRe.lastIndex = pos;
    const number = numberRe.exec(text);
    if (number) {
      pos = numberRe.lastIndex;
      place(Number(number[0]), start, pos);
      continue;
    }
    return fail(`Unexpected ${describeToken(text, pos)}, expected a JSON value`, pos);
  }
}

/**
 * The number of member names in valid JSON text (its colons outside strings), or `-1` when a name
 * is written with a backslash: V8's parser can take such a name for another one already in use
 * (on Node 24, the text `{"\\":1}` then `{"\"":2}` gives the second object the first one's name).
 */
function countMemberNames(text: string): number {
  let count = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) {
      // In valid JSON, the string before a colon outside strings is the member name.
      if (escaped) return -1;
      count++;
    } else if (c === 0x22) {
      escaped = false;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) {
          escaped = true;
          i++;
        } else if (d === 0x22) break;
      }
    }
  }
  return count;
}

/**
 * The data of JSON text when `parseJson` would give it with no problem (it parses, no member name
 * repeats in its object, no nesting too deep), from the built-in parser and without offsets;
 * `undefined` leaves the text to `parseJson`. Both build the same values in the same order (a
 * `__proto__` member is an own property either way), so only the offsets differ, and those are
 * needed only where a message is placed.
 */
export function parseJsonQuickly(text: string): { data: unknown } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Every member, counted once per object: fewer than the names written means a repeated one.
  let members = 0;
  const values: unknown[] = [data];
  const depths: number[] = [1];
  for (;;) {
    const value = values.pop();
    const depth = depths.pop();
    if (depth === undefined) break;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxJsonDepth) return undefined;
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) {
        values.push(item);
        depths.push(depth + 1);
      }
    } else {
      for (const key in value) {
        members++;
        values.push((value as Record<string, unknown>)[key]);
        depths.push(depth + 1);
      }
    }
  }
  return members === countMemberNames(text) ? { data } : undefined;
}

/**
 * The data of JSON text as `JSON.parse` gives it, for text from a user's file: one with a member
 * name written with a backslash is read by `parseJson` (the built-in parser can take such a name
 * for another one, see `countMemberNames`). Throws the built-in parser's own `SyntaxError` for text
 * that does not parse, so a message quoting it reads as before.
 */
export function parseJsonData(text: string): unknown {
  if (countMemberNames(text) !== -1) return JSON.parse(text);
  const parsed = parseJson(text);
  // The two accept the same texts but for nesting past 256 levels, which only the built-in takes.
  return parsed.ok ? parsed.data : JSON.parse(text);
}
