import { isUtf8 } from 'node:buffer';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { code, report } from './diagnostic.ts';
import { parseFrontmatter } from './frontmatter.ts';
import { parseJson, parseJsonQuickly } from './json.ts';
import type { MarkdownDocument, ParsedDocument, SchemaKind } from './model.ts';
import {
  emptyPositionMap,
  lazyLineIndex,
  OffsetPositionMap,
  type LineIndex,
  type OffsetEntry,
} from './position-map.ts';
import type { CatalogSource } from './source.ts';
import { validateDocument } from './validate.ts';

/** Claude Code skips component and manifest files larger than this (reference §4). */
export const maxFileBytes = 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** What the reader keeps for each file. */
interface FileRecord {
  file: VFile;
  text: string | undefined;
  lines: () => LineIndex;
  document?: ParsedDocument<unknown>;
}

/**
 * The verdict of a JSON document checked before, for exactly the text given: its data, and whether
 * (and where) it failed its schema. Its messages are not kept: a reader given verdicts serves
 * documents that are context for what is reported, never reported themselves.
 */
interface RememberedVerdict {
  data: unknown;
  valid: boolean;
  invalidAt: string[] | undefined;
}

/** Looks up the verdict of a JSON document by path, kind and text; `undefined` checks it again. */
export type RememberedDocuments = (
  path: string,
  kind: SchemaKind,
  text: string,
) => RememberedVerdict | undefined;

/** Decoded text of a file and its line index, as read once by a `DocumentReader`. */
export interface TextFile {
  file: VFile;
  text: string | undefined;
  lines: () => LineIndex;
}

/** The number of line breaks in `text` before `end`. */
function countLineBreaks(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * Reads, decodes and parses catalog files through a source, each file once; every problem becomes a
 * diagnostic on the file's `VFile`, and nothing here throws on content.
 */
export class DocumentReader {
  readonly #source: CatalogSource;
  readonly #files = new Map<string, FileRecord>();
  readonly #remembered: RememberedDocuments | undefined;

  constructor(source: CatalogSource, remembered?: RememberedDocuments) {
    this.#source = source;
    this.#remembered = remembered;
  }

  /** Every file read so far, sorted by path. */
  files(): VFile[] {
    // Sorted by the keys, which are the paths: `VFile#path` is a getter, slow in a sort.
    return [...this.#files.keys()]
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((path) => this.#files.get(path)!.file);
  }

  /** A file that is not read but still needs diagnostics (e.g. a symlink), created once. */
  placeholder(path: string): VFile {
    return this.#record(path, () => undefined).file;
  }

  /** The decoded text of a file (BOM removed, flagged in `file.data.bom`). */
  text(path: string): TextFile {
    return this.#record(path, (file) => this.#decode(path, file));
  }

  #record(path: string, load: (file: VFile) => string | undefined): FileRecord {
    const known = this.#files.get(path);
    if (known) return known;
    const file = new VFile({ path, cwd: this.#source.root });
    const text = load(file);
    file.value = text ?? '';
    const record: FileRecord = { file, text, lines: lazyLineIndex(text ?? '') };
    this.#files.set(path, record);
    return record;
  }

  #decode(path: string, file: VFile): string | undefined {
    const bytes = this.#source.read(path, maxFileBytes);
    if (!(bytes instanceof Uint8Array)) {
      const reason =
        bytes.problem === 'too-large'
          ? `Unexpected file of ${(bytes.size / 1024 / 1024).toFixed(1)} MiB, expected at most 1 MiB (Claude Code skips larger files)`
          : bytes.problem === 'outside-root'
            ? 'Unexpected path leading outside the repository, expected a file inside it'
            : `Unexpected unreadable file (${bytes.reason}), expected a readable regular file`;
      report(file, { reason, ruleId: 'parse', severity: 'error' });
      return undefined;
    }
    const nul = bytes.subarray(0, 8192).indexOf(0);
    if (nul !== -1) {
      report(file, {
        reason: 'Unexpected binary content, expected UTF-8 text',
        ruleId: 'parse',
        severity: 'error',
      });
      return undefined;
    }
    // Validated natively first: no second decode, no allocation.
    if (!isUtf8(bytes)) {
      const text = decoder.decode(bytes);
      const at = text.indexOf('\uFFFD');
      const point = lazyLineIndex(text)().point(Math.max(at, 0));
      report(file, {
        reason: 'Unexpected invalid UTF-8 byte sequence, expected UTF-8 text',
        ruleId: 'parse',
        severity: 'error',
        place: { start: point, end: { line: point.line, column: point.column + 1 } },
      });
      return undefined;
    }
    let text = decoder.decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) {
      text = text.slice(1);
      file.data.bom = true;
    }
    return text;
  }

  /** Parses a JSON file with positions and validates it against the schema of `kind`. */
  json<T>(path: string, kind: SchemaKind): ParsedDocument<T> {
    const record = this.text(path) as FileRecord;
    if (record.document) return record.document as ParsedDocument<T>;
    const { file, text } = record;
    const document: ParsedDocument<T> = {
      kind,
      file,
      data: undefined,
      positions: emptyPositionMap,
      valid: false,
    };
    record.document = document;
    if (text === undefined) return document;
    if (kind === 'mcp' && file.data.bom === true) {
      report(file, {
        reason:
          'Unexpected byte order mark, expected `.mcp.json` to start with `{` (Claude Code refuses it here)',
        ruleId: 'parse',
        severity: 'error',
      });
      return document;
    }
    const lines = record.lines;
    const known = this.#remembered?.(path, kind, text);
    if (known) {
      document.data = known.data as T;
      document.positions = new OffsetPositionMap(() => parseJson(text).entries, lines);
      document.valid = known.valid;
      if (!known.valid) document.invalidAt = known.invalidAt;
      return document;
    }
    // Most documents parse with no problem: the built-in parser then gives the same data at a
    // fraction of the cost, and offsets come from a full parse only if a message needs them.
    const quick = parseJsonQuickly(text);
    if (quick) {
      const positions = new OffsetPositionMap(() => parseJson(text).entries, lines);
      document.data = quick.data as T;
      document.positions = positions;
      const verdict = validateDocument(kind, quick.data, file, positions);
      document.valid = verdict.errors === 0;
      if (!document.valid) document.invalidAt = verdict.errorPointers;
      return document;
    }
    const parsed = parseJson(text);
    if (!parsed.ok || parsed.error) {
      const error = parsed.error ?? { reason: 'Unexpected JSON', offset: 0, end: 0 };
      report(file, {
        reason: error.reason,
        ruleId: 'parse',
        severity: 'error',
        place: lines().range(error.offset, error.end),
      });
      return document;
    }
    // Schema messages take offsets from this parse; after validation its table is let go, and a
    // later first use rebuilds the offsets from the text.
    let entries: Map<string, OffsetEntry> | undefined = parsed.entries;
    const positions = new OffsetPositionMap(() => entries ?? parseJson(text).entries, lines);
    for (const duplicate of parsed.duplicates) {
      const first = new VFileMessage(`First definition of ${code(duplicate.key)}`, {
        place: lines().range(...duplicate.first),
        ruleId: 'parse',
        source: 'agentops-lint',
      });
      report(file, {
        reason: `Unexpected duplicate key ${code(duplicate.key)}, expected each key once (the last one wins)`,
        ruleId: 'parse',
        severity: 'warning',
        place: lines().range(...duplicate.at),
        cause: first,
      });
    }
    document.data = parsed.data as T;
    document.positions = positions;
    const verdict = validateDocument(kind, parsed.data, file, positions);
    entries = undefined;
    document.valid = verdict.errors === 0;
    if (!document.valid) document.invalidAt = verdict.errorPointers;
    return document;
  }

  /** Parses a Markdown file's frontmatter with positions and validates it against `kind`. */
  markdown<T>(path: string, kind: SchemaKind): MarkdownDocument<T> {
    const record = this.text(path) as FileRecord;
    if (record.document) return record.document as MarkdownDocument<T>;
    const { file, text } = record;
    const document: MarkdownDocument<T> = {
      kind,
      file,
      data: undefined,
      positions: emptyPositionMap,
      valid: false,
      hasFrontmatter: false,
      body: '',
      bodyLine: 1,
    };
    record.document = document;
    if (text === undefined) return document;
    // Patterns are our own format, read by several YAML readers: a duplicate key there is an error,
    // and the block ends only at a `---` line, as those readers end it.
    const options = kind === 'pattern' ? ({ duplicateKeys: 'error', close: 'line' } as const) : {};
    const result = parseFrontmatter(text, options);
    const lines = record.lines;
    document.hasFrontmatter = result.hasFrontmatter;
    document.body = result.body;
    // Counted directly: building the file's line index is left to files that get a message.
    document.bodyLine = 1 + countLineBreaks(text, result.bodyOffset);
    for (const problem of result.problems) {
      report(file, {
        reason: problem.reason,
        ruleId: 'parse',
        severity: problem.severity,
        place: lines().range(problem.offset, problem.end),
        note: problem.note,
      });
    }
    if (result.data === undefined) return document;
    // As for JSON: this parse's offsets serve validation, later ones come from a new parse.
    let entries: Map<string, OffsetEntry> | undefined = result.entries;
    const positions = new OffsetPositionMap(
      () => entries ?? parseFrontmatter(text, options).entries,
      lines,
    );
    document.data = result.data as T;
    document.positions = positions;
    const verdict = validateDocument(kind, result.data, file, positions);
    entries = undefined;
    document.valid = verdict.errors === 0;
    if (!document.valid) document.invalidAt = verdict.errorPointers;
    return document;
  }
}
