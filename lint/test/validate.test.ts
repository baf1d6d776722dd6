import fs from 'node:fs';
import path from 'node:path';
import { VFile } from 'vfile';
import { describe, expect, test } from 'vitest';
import { schemaUrl } from '../src/catalog/diagnostic.ts';
import { parseJson } from '../src/catalog/json.ts';
import type { SchemaKind } from '../src/catalog/model.ts';
import { lazyLineIndex, OffsetPositionMap } from '../src/catalog/position-map.ts';
import { schemaProblems, validateDocument } from '../src/catalog/validate.ts';
// These tests call the loader's modules directly, not through an entry point that loads every
// validator, so they load them here.
import '../src/catalog/validators-all.ts';

interface ExpectedMessage {
  pointer: string;
  severity: 'error' | 'warning';
  message: string;
}

interface SchemaCase {
  description: string;
  data: unknown;
  valid: boolean;
  messages?: ExpectedMessage[];
}

const casesDir = path.join(import.meta.dirname, 'schemas');
const kinds = fs
  .readdirSync(casesDir)
  .filter((name) => name.endsWith('.cases.json'))
  .map((name) => name.slice(0, -'.cases.json'.length))
  .sort();

function readCases(kind: string): SchemaCase[] {
  return JSON.parse(
    fs.readFileSync(path.join(casesDir, `${kind}.cases.json`), 'utf8'),
  ) as SchemaCase[];
}

test('has a cases file for every schema we own', () => {
  const schemas = fs
    .readdirSync(path.resolve(import.meta.dirname, '../../schemas'))
    .filter(
      (name) =>
        name.endsWith('.schema.json') &&
        ![
          'execution.schema.json',
          'federation-index.schema.json',
          'federation-snapshot.schema.json',
        ].includes(name),
    )
    .map((name) => name.slice(0, -'.schema.json'.length))
    .sort();
  expect(kinds).toEqual(schemas);
});

type Node = { [key: string]: unknown };

const schemaDir = path.resolve(import.meta.dirname, '../../schemas');

function readSchema(file: string): Node {
  return JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8')) as Node;
}

/** The description a `$ref` ends at, following chains of references across files. */
function refDescription(ref: string, file: string): unknown {
  const [target = '', pointer = ''] = ref.split('#');
  const targetFile = target === '' ? file : target;
  let node: unknown = readSchema(targetFile);
  for (const part of pointer.split('/').slice(1)) {
    node = (node as Node | undefined)?.[decodeURIComponent(part)];
  }
  const found = node as Node | undefined;
  if (typeof found?.description === 'string') return found.description;
  return typeof found?.$ref === 'string' ? refDescription(found.$ref, targetFile) : undefined;
}

// Conditions and warning-only constraints restate fields; the fields are described where defined.
const constraintKeys = new Set(['if', 'then', 'else', 'not']);

/** JSON Pointers of properties without a `description` of their own or on their `$ref` target. */
function undocumented(node: unknown, file: string, at: string): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => undocumented(item, file, `${at}/${i}`));
  if (typeof node !== 'object' || node === null) return [];
  const missing: string[] = [];
  for (const [key, child] of Object.entries(node as Node)) {
    if (key === 'examples' || key === 'enum' || key === 'const' || key === 'default') continue;
    if (constraintKeys.has(key) || (node as Node)['x-severity'] !== undefined) continue;
    if (key === 'properties') {
      for (const [name, sub] of Object.entries(child as Node)) {
        const ref = (sub as Node).$ref;
        const description =
          (sub as Node).description ??
          (typeof ref === 'string' ? refDescription(ref, file) : undefined);
        if (typeof description !== 'string') missing.push(`${at}/properties/${name}`);
      }
    }
    missing.push(...undocumented(child, file, `${at}/${key}`));
  }
  return missing;
}

describe.for(kinds)('%s.schema.json', (kind) => {
  const file = `${kind}.schema.json`;

  test('has $id, title, description and examples', () => {
    const schema = readSchema(file);
    expect(schema.$id).toBe(
      `https://agentops-marketplace.github.io/agentops-marketplace/schemas/${file}`,
    );
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(typeof schema.title).toBe('string');
    expect(typeof schema.description).toBe('string');
    expect(Array.isArray(schema.examples) && schema.examples.length > 0).toBe(true);
  });

  test('describes every property', () => {
    expect(undocumented(readSchema(file), file, '#')).toEqual([]);
  });

  test('accepts its own examples without any message', () => {
    for (const example of readSchema(file).examples as unknown[]) {
      expect(schemaProblems(kind as SchemaKind, example)).toEqual([]);
    }
  });
});

describe.for(kinds)('%s schema', (kind) => {
  test.for(readCases(kind))('$description', (item) => {
    const problems = schemaProblems(kind as SchemaKind, item.data);
    const actual = problems.map(({ pointer, severity, message }) => ({
      pointer,
      severity,
      message,
    }));
    expect(actual).toEqual(item.messages ?? []);
    expect(problems.some((p) => p.severity === 'error')).toBe(!item.valid);
  });
});

function validateText(kind: SchemaKind, text: string) {
  const parsed = parseJson(text);
  const file = new VFile({ path: 'plugin.json', value: text });
  const positions = new OffsetPositionMap(parsed.entries, lazyLineIndex(text));
  const counts = validateDocument(kind, parsed.data, file, positions);
  return { counts, messages: file.messages };
}

describe('validateDocument', () => {
  test('reports each problem once with rule id, source, url and severity', () => {
    const { counts, messages } = validateText(
      'plugin',
      '{\n  "name": "demo",\n  "version": 1\n}\n',
    );
    expect(counts).toEqual({ errors: 1, warnings: 2, errorPointers: ['/version'] });
    expect(messages.map((m) => [m.reason, m.ruleId, m.source, m.url, m.fatal])).toEqual([
      [
        'Missing recommended field `description`, expected a string',
        'schema',
        'agentops-lint',
        schemaUrl('plugin'),
        false,
      ],
      [
        'Missing recommended field `author`, expected an object',
        'schema',
        'agentops-lint',
        schemaUrl('plugin'),
        false,
      ],
      [
        'Unexpected type `integer` for `/version`, expected a string',
        'schema',
        'agentops-lint',
        schemaUrl('plugin'),
        true,
      ],
    ]);
  });

  test('places a wrong value on the value range', () => {
    const { messages } = validateText('plugin', '{\n  "name": "demo",\n  "version": 1\n}\n');
    const version = messages.find((m) => m.reason.includes('/version'));
    expect(version?.place).toEqual({
      start: { line: 3, column: 14 },
      end: { line: 3, column: 15 },
    });
    expect(version?.actual).toBe('1');
  });

  test('places an unknown field on its key', () => {
    const text =
      '{\n  "name": "demo",\n  "version": "1.0.0",\n  "description": "d",\n  "author": { "name": "a" },\n  "main": "x.js"\n}\n';
    const { counts, messages } = validateText('plugin', text);
    expect(counts).toEqual({ errors: 0, warnings: 1, errorPointers: [] });
    expect(messages[0]?.reason).toBe('Unexpected field `main`, Claude Code ignores it');
    expect(messages[0]?.place).toEqual({
      start: { line: 6, column: 3 },
      end: { line: 6, column: 9 },
    });
  });

  test('places a missing nested field on the parent key', () => {
    const text =
      '{\n  "name": "m",\n  "owner": {},\n  "description": "d",\n  "plugins": [{ "name": "a", "source": "./a" }]\n}\n';
    const { counts, messages } = validateText('marketplace', text);
    expect(counts).toEqual({ errors: 1, warnings: 0, errorPointers: ['/owner/name'] });
    expect(messages[0]?.reason).toBe('Missing required field `/owner/name`, expected a string');
    expect(messages[0]?.place).toEqual({
      start: { line: 3, column: 3 },
      end: { line: 3, column: 10 },
    });
  });

  test('places a missing top-level field at the document', () => {
    const { messages } = validateText('hooks', '{\n  "description": "x"\n}\n');
    expect(messages.map((m) => [m.reason, m.place])).toEqual([
      [
        'Missing required field `hooks`, expected an object',
        { start: { line: 1, column: 1 }, end: { line: 3, column: 2 } },
      ],
    ]);
  });

  test('sets expected values for an enumeration', () => {
    const { messages } = validateText('skill', '{ "description": "d", "shell": "zsh" }');
    expect(messages[0]?.reason).toBe(
      'Unexpected value `zsh` for `/shell`, expected `bash` or `powershell`',
    );
    expect(messages[0]?.expected).toEqual(['bash', 'powershell']);
  });

  test('returns zero counts for a valid document and adds no message', () => {
    const { counts, messages } = validateText(
      'lint-config',
      '{ "rules": { "no-secrets": "off" } }',
    );
    expect(counts).toEqual({ errors: 0, warnings: 0, errorPointers: [] });
    expect(messages).toEqual([]);
  });

  test('never crashes on data of any shape', () => {
    for (const data of [null, 0, 'x', [], [[]], { hooks: null }, { plugins: [null, 1, 'x'] }]) {
      for (const kind of ['marketplace', 'plugin', 'hooks', 'mcp', 'lsp', 'pattern'] as const) {
        expect(() => schemaProblems(kind, data)).not.toThrow();
      }
    }
    expect(schemaProblems('plugin', null)).toEqual([
      {
        pointer: '',
        severity: 'error',
        message: 'Unexpected type `null`, expected an object',
        at: 'value',
        actual: 'null',
        expected: undefined,
      },
    ]);
  });
});
