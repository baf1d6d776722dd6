import type { Point, PositionMap, Range } from './model.ts';

/** Converts string offsets of one text into 1-based line and column points. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
      this.#starts.push(i + 1);
  }

  /** The point of `offset`; offsets past the end clamp to the last line. */
  point(offset: number): Point {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      // The loop keeps mid within bounds, so the element exists.
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  }

  /** The range between two offsets. */
  range(start: number, end: number): Range {
    return { start: this.point(start), end: this.point(end) };
  }
}

/** Offsets of one value, and of its member name when it has one: `[start, end]` each. */
export interface OffsetEntry {
  value: [number, number];
  key?: [number, number];
}

/**
 * A `PositionMap` over pointer → offset entries, resolving to ranges through a `LineIndex`. The
 * entries may be given lazily: positions are needed only for the few values a message is about,
 * so a catalog of thousands of files keeps no offset tables until one is asked for.
 */
export class OffsetPositionMap implements PositionMap {
  #entries: Map<string, OffsetEntry> | (() => Map<string, OffsetEntry>);
  readonly #lines: () => LineIndex;

  constructor(
    entries: Map<string, OffsetEntry> | (() => Map<string, OffsetEntry>),
    lines: () => LineIndex,
  ) {
    this.#entries = entries;
    this.#lines = lines;
  }

  #get(pointer: string): OffsetEntry | undefined {
    if (typeof this.#entries === 'function') this.#entries = this.#entries();
    return this.#entries.get(pointer);
  }

  value(pointer: string): Range | undefined {
    const entry = this.#get(pointer);
    return entry ? this.#lines().range(entry.value[0], entry.value[1]) : undefined;
  }

  key(pointer: string): Range | undefined {
    const entry = this.#get(pointer);
    return entry?.key ? this.#lines().range(entry.key[0], entry.key[1]) : undefined;
  }
}

/** A position map with no entries, for documents that did not parse. */
export const emptyPositionMap: PositionMap = {
  value: () => undefined,
  key: () => undefined,
};

/** Escapes one JSON Pointer reference token. */
function escapePointerToken(token: string | number): string {
  if (typeof token === 'number') return String(token);
  // Nearly every key has nothing to escape: it is used as it is.
  return token.includes('~') || token.includes('/')
    ? token.replaceAll('~', '~0').replaceAll('/', '~1')
    : token;
}

/** Appends a reference token to a pointer. */
export function joinPointer(pointer: string, token: string | number): string {
  return `${pointer}/${escapePointerToken(token)}`;
}

/** Creates a lazily built line index for a text, shared by all maps of that text. */
export function lazyLineIndex(text: string): () => LineIndex {
  let index: LineIndex | undefined;
  return () => (index ??= new LineIndex(text));
}

/** The string offset of a 1-based line and column in `text`; `undefined` when the line is missing. */
export function offsetOf(text: string, point: Point): number | undefined {
  let offset = 0;
  for (let line = 1; line < point.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return undefined;
    offset = next + 1;
  }
  return offset + point.column - 1;
}

/** The `[start, end]` string offsets of a range in `text`; `undefined` when either is missing. */
export function offsetsOf(text: string, range: Range): [number, number] | undefined {
  const start = offsetOf(text, range.start);
  const end = offsetOf(text, range.end);
  return start === undefined || end === undefined ? undefined : [start, end];
}
