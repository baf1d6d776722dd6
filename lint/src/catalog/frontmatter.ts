import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Severity } from './diagnostic.ts';
import { parseFlatYaml } from './flat-yaml.ts';
import { joinPointer, type OffsetEntry } from './position-map.ts';

/** Largest frontmatter block parsed; real ones are a few hundred bytes. */
const maxFrontmatterBytes = 64 * 1024;
/** Aliases expanded per document before it counts as an alias bomb. */
const maxAliasCount = 100;

/** One problem found while splitting or parsing frontmatter, at offsets of the whole text. */
interface FrontmatterProblem {
  reason: string;
  severity: Severity;
  offset: number;
  end: number;
  note?: string;
}

/** The result of `parseFrontmatter`. */
export interface FrontmatterResult {
  hasFrontmatter: boolean;
  /** The frontmatter data (`{}` without a block); `undefined` when it could not be parsed. */
  data: unknown;
  entries: Map<string, OffsetEntry>;
  body: string;
  /** Offset of the body in the text. */
  bodyOffset: number;
  problems: FrontmatterProblem[];
}

class RefusedEngineError extends Error {}

type GrayMatter = (input: string, options: object) => { language?: string };
let grayMatterModule: GrayMatter | undefined;

/** gray-matter, loaded on first use: most frontmatter has no language tag and never needs it. */
function grayMatter(): GrayMatter {
  grayMatterModule ??= createRequire(import.meta.url)('gray-matter') as GrayMatter;
  return grayMatterModule;
}

let yamlLoaded: typeof Yaml | undefined;

/**
 * Loads `yaml` v2 ahead of parsing (as an ES module, bundled with the command): for runs that
 * parse many files, some of which will need it.
 */
export async function loadYaml(): Promise<void> {
  yamlLoaded ??= await import('yaml');
}

/**
 * `yaml` v2: as `loadYaml` loaded it, else required on first use. Nearly all frontmatter takes
 * the flat path (`parseFlatYaml`), so a run of a few files mostly never loads it.
 */
function yamlModule(): typeof Yaml {
  yamlLoaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yamlLoaded;
}

const refuse = (): never => {
  throw new RefusedEngineError('refused');
};

/** gray-matter engines: every non-YAML language refuses, YAML returns the raw text for our parser. */
const engines = {
  javascript: { parse: refuse },
  js: { parse: refuse },
  json: { parse: refuse },
  coffee: { parse: refuse },
  yaml: { parse: (): Record<string, never> => ({}) },
};

// Claude Code's lenient retry quotes single-line values holding YAML indicators (reference §3.1),
// on top-level lines only: an indented `key: value` is left as written, so it still fails there.
const lenientLineRe = /^([A-Za-z0-9_-]+):[ \t]+(.+?)[ \t]*$/;
const lenientValueRe = /[{}[\]*&#!|>%@`]|": "|: /;

/** Applies Claude Code's lenient frontmatter retry to a YAML block. */
export function lenientYaml(yaml: string): string {
  return yaml
    .split('\n')
    .map((line) => {
      const untabbed = line.replace(/^\t+/, (tabs) => '  '.repeat(tabs.length));
      const match = lenientLineRe.exec(untabbed.replace(/\r$/, ''));
      if (!match) return untabbed;
      const [, key = '', value = ''] = match;
      if (!lenientValueRe.test(value)) return untabbed;
      return `${key}: "${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
    })
    .join('\n');
}

/** The result of parsing one YAML block. */
export interface YamlParse {
  data: unknown;
  /** The document expanded too many aliases: never retried. */
  bomb: boolean;
  entries: Map<string, OffsetEntry>;
  errors: FrontmatterProblem[];
  duplicates: FrontmatterProblem[];
}

function collectOffsets(
  node: Yaml.Node | null | undefined,
  pointer: string,
  base: number,
  entries: Map<string, OffsetEntry>,
  key?: [number, number],
): void {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlModule();
  if (!node?.range) return;
  const value: [number, number] = [base + node.range[0], base + node.range[1]];
  entries.set(pointer, key ? { value, key } : { value });
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
      const keyRange: [number, number] = [base + pair.key.range[0], base + pair.key.range[1]];
      const child = pair.value as Yaml.Node | null;
      const childPointer = joinPointer(pointer, String(pair.key.value));
      if (child?.range) collectOffsets(child, childPointer, base, entries, keyRange);
      else entries.set(childPointer, { value: keyRange, key: keyRange });
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      if (!isAlias(item))
        collectOffsets(item as Yaml.Node, joinPointer(pointer, index), base, entries);
    });
  }
}

/** How strictly frontmatter is read. */
export interface FrontmatterOptions {
  /**
   * Severity of a duplicate key: a warning where Claude Code reads the file (the last value wins
   * there), an error in our own formats, whose readers disagree on which value wins.
   */
  duplicateKeys?: Severity;
  /**
   * Where the block may end: at the first `---` after the opening line, even in the middle of a
   * line, as Claude Code reads commands, agents, skills and output styles
   * (`/^---\s*\n([\s\S]*?)---\s*\n?/`, the default); or only at a line that starts with `---`, as
   * every other reader of our own pattern files does (a value such as `"a --- b"` stays whole).
   */
  close?: 'anywhere' | 'line';
}

const duplicateKeyNote =
  'Pattern files are read by the learning engine and by other YAML readers, which disagree on which value wins.';

/** Parses a YAML block with `yaml` v2 (offsets relative to `base`): the general, slower path. */
export function parseYamlDocument(
  yaml: string,
  base: number,
  options: FrontmatterOptions = {},
): YamlParse {
  const duplicateKeys = options.duplicateKeys ?? 'warning';
  const entries = new Map<string, OffsetEntry>();
  const doc = yamlModule().parseDocument(yaml, {
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  const errors: FrontmatterProblem[] = [];
  const duplicates: FrontmatterProblem[] = [];
  for (const error of doc.errors) {
    const problem: FrontmatterProblem = {
      reason: '',
      severity: 'error',
      offset: base + error.pos[0],
      end: base + Math.max(error.pos[1], error.pos[0] + 1),
    };
    if (error.code === 'DUPLICATE_KEY') {
      duplicates.push({
        ...problem,
        reason: 'Unexpected duplicate key in frontmatter, expected each key once',
        severity: duplicateKeys,
        ...(duplicateKeys === 'error' ? { note: duplicateKeyNote } : {}),
      });
    } else {
      errors.push({
        ...problem,
        reason: `Unexpected YAML in frontmatter, expected valid YAML (${firstSentence(error.message)})`,
      });
    }
  }
  if (errors.length > 0) return { data: undefined, bomb: false, entries, errors, duplicates };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount });
  } catch (error) {
    const exhausted = error instanceof Error && /alias|resource/i.test(error.message);
    errors.push({
      reason: exhausted
        ? `Unexpected expansion of YAML aliases beyond ${maxAliasCount}, expected plain values (an alias bomb)`
        : 'Unexpected YAML in frontmatter, expected plain values',
      severity: 'error',
      offset: base,
      end: base + Math.min(yaml.length, 1),
    });
    return { data: undefined, bomb: exhausted, entries, errors, duplicates };
  }
  collectOffsets(doc.contents, '', base, entries);
  return { data: data ?? {}, bomb: false, entries, errors, duplicates };
}

function parseYaml(yaml: string, base: number, options: FrontmatterOptions): YamlParse {
  const flat = parseFlatYaml(yaml, base);
  if (flat)
    return { data: flat.data, bomb: false, entries: flat.entries, errors: [], duplicates: [] };
  return parseYamlDocument(yaml, base, options);
}

function firstSentence(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line
    .replace(/ at line \d+, column \d+.*$/, '')
    .replace(/\.$/, '')
    .replaceAll('`', "'");
}

/**
 * Splits a Markdown text's frontmatter with gray-matter, refusing every engine but YAML (so `---js`
 * is reported and never evaluated), and parses the YAML with `yaml` v2: aliases capped, duplicate
 * keys reported, a size cap, and Claude Code's lenient retry. Never throws.
 */
export function parseFrontmatter(
  text: string,
  options: FrontmatterOptions = {},
): FrontmatterResult {
  const none: FrontmatterResult = {
    hasFrontmatter: false,
    data: {},
    entries: new Map(),
    body: text,
    bodyOffset: 0,
    problems: [],
  };
  if (!text.startsWith('---') || text.charAt(3) === '-') return none;
  const firstBreak = text.indexOf('\n');
  // `key: "v"---` closes a block that ends anywhere, and its YAML ends before the `---`.
  const closeAt =
    firstBreak === -1
      ? -1
      : options.close === 'line'
        ? text.indexOf('\n---', firstBreak) + 1 || -1
        : text.indexOf('---', firstBreak + 1);
  if (closeAt === -1) {
    return {
      ...none,
      problems: [
        {
          reason: 'Missing closing `---` of the frontmatter block, expected one after the YAML',
          severity: 'warning',
          offset: 0,
          end: 3,
        },
      ],
    };
  }
  const closeLineEnd = text.indexOf('\n', closeAt);
  const bodyOffset = closeLineEnd === -1 ? text.length : closeLineEnd + 1;
  const body = text.slice(bodyOffset);
  const yamlStart = firstBreak + 1;
  const yaml = text.slice(yamlStart, closeAt);

  /** A block that is there but not parsed, with the one problem that says why. */
  const refused = (problem: FrontmatterProblem): FrontmatterResult => ({
    hasFrontmatter: true,
    data: undefined,
    entries: new Map(),
    body,
    bodyOffset,
    problems: [problem],
  });
  let language = 'yaml';
  try {
    // A bare `---` line is YAML; gray-matter (loaded on first use) decides what any tag means.
    if (text.slice(3, firstBreak).trim() !== '') {
      const file = grayMatter()(text.slice(0, bodyOffset), { engines, language: 'yaml' });
      language = file.language ?? '';
    }
  } catch (error) {
    const tag = text.slice(3, firstBreak).trim();
    const executable = error instanceof RefusedEngineError;
    return refused({
      reason: executable
        ? `Unexpected executable frontmatter \`---${tag}\`, expected YAML frontmatter (\`---\`)`
        : `Unexpected frontmatter language \`${tag.replaceAll('`', "'")}\`, expected YAML frontmatter (\`---\`)`,
      severity: 'error',
      offset: 0,
      end: firstBreak,
      ...(executable
        ? {
            note: 'Frontmatter is data: agentops-lint never runs code in it, and Claude Code reads only YAML.',
          }
        : {}),
    });
  }
  if (language.toLowerCase() !== 'yaml' && language.toLowerCase() !== 'yml') {
    return refused({
      reason: `Unexpected frontmatter language \`${language}\`, expected YAML frontmatter (\`---\`)`,
      severity: 'error',
      offset: 0,
      end: firstBreak,
    });
  }
  if (yaml.length > maxFrontmatterBytes) {
    return refused({
      reason: `Unexpected frontmatter of ${Math.ceil(yaml.length / 1024)} KiB, expected at most ${maxFrontmatterBytes / 1024} KiB`,
      severity: 'error',
      offset: 0,
      end: 3,
    });
  }

  const strict = parseYaml(yaml, yamlStart, options);
  if (strict.errors.length === 0) {
    return {
      hasFrontmatter: true,
      data: strict.data,
      entries: strict.entries,
      body,
      bodyOffset,
      problems: strict.duplicates,
    };
  }
  const retried = strict.bomb ? yaml : lenientYaml(yaml);
  if (retried !== yaml) {
    const lenient = parseYamlDocument(retried, yamlStart, options);
    if (lenient.errors.length === 0) {
      return {
        hasFrontmatter: true,
        data: lenient.data,
        entries: lenient.entries,
        body,
        bodyOffset,
        problems: lenient.duplicates,
      };
    }
  }
  // Duplicate keys are left out: in a block that does not parse they are mostly lines of a value
  // read as keys (`user:` in an `<example>`), and Claude Code drops the whole block anyway.
  const [first] = strict.errors;
  return {
    hasFrontmatter: true,
    data: undefined,
    entries: strict.entries,
    body,
    bodyOffset,
    problems: first ? [explained(first, yaml, yamlStart)] : [],
  };
}

/** A key and its plain (unquoted, not block) value on one line, the key possibly a list item's. */
const plainPairRe = /^[ \t]*(?:- +)?([A-Za-z_][\w.-]*):[ \t]+(?!["'|>[{&*!%@`])\S/;

/**
 * A YAML error with the fix it most likely needs. On a line `key: value` the value is a plain
 * scalar holding `: ` or other YAML syntax (`description: Run it (default: off)`): quote it or make
 * it a block. On an unindented line that is not a key, a value went on over lines that start at
 * the left margin (`<example>` after `description: Use this agent when`): those lines need
 * indenting, or the value a block. Otherwise the parser's reason stands alone.
 */
function explained(error: FrontmatterProblem, yaml: string, base: number): FrontmatterProblem {
  const at = error.offset - base;
  const lineStart = yaml.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = yaml.indexOf('\n', lineStart);
  const line = yaml.slice(lineStart, lineEnd === -1 ? yaml.length : lineEnd);
  const detail = /\(([^]*)\)$/.exec(error.reason)?.[1] ?? '';
  const key = plainPairRe.exec(line)?.[1];
  if (key !== undefined)
    return {
      ...error,
      reason: `Unexpected YAML in frontmatter (${detail}), expected the value of \`${key}\` in quotes or as a block (\`${key}: |\`)`,
    };
  if (/^[^\s#-]/.test(line) && !/^[\w.-]+:(\s|$)/.test(line))
    return {
      ...error,
      reason: `Unexpected YAML in frontmatter (${detail}), expected the lines that go on a value indented, or the value as a block (\`key: |\`)`,
    };
  return error;
}
