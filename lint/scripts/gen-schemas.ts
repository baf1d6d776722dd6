import fs from 'node:fs/promises';
import path from 'node:path';

/** A JSON Schema node, as read from `schemas/*.schema.json`. */
export type SchemaNode = { [keyword: string]: unknown };

/** One schema file: its kind (file name without `.schema.json`) and parsed content. */
export interface SchemaFile {
  kind: string;
  file: string;
  schema: SchemaNode;
}

/** Type name of each kind's root in `schema-types.ts`. */
export const typeNames: Record<string, string> = {
  marketplace: 'Marketplace',
  plugin: 'PluginManifest',
  hooks: 'HooksFile',
  mcp: 'McpConfig',
  lsp: 'LspConfig',
  command: 'CommandFrontmatter',
  agent: 'AgentFrontmatter',
  skill: 'SkillFrontmatter',
  'output-style': 'OutputStyleFrontmatter',
  pattern: 'PatternFrontmatter',
  'lint-config': 'LintConfig',
  execution: 'ExecutionRecord',
};

/** Annotation keywords our schemas use beside the JSON Schema vocabulary. */
export const annotationKeywords = ['x-severity', 'x-expected'];

const annotationOnly = new Set(['description', 'title', 'examples', '$comment', 'default']);

/** Reads every `schemas/*.schema.json`, sorted by kind. */
export async function readSchemas(schemaDir: string): Promise<SchemaFile[]> {
  const names = (await fs.readdir(schemaDir)).filter((n) => n.endsWith('.schema.json')).sort();
  const files: SchemaFile[] = [];
  for (const name of names) {
    const text = await fs.readFile(path.join(schemaDir, name), 'utf8');
    files.push({
      kind: name.slice(0, -'.schema.json'.length),
      file: name,
      schema: JSON.parse(text) as SchemaNode,
    });
  }
  return files;
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~'));
}

function splitRef(ref: string, currentFile: string): { file: string; pointer: string } {
  const hash = ref.indexOf('#');
  const file = hash === -1 ? ref : ref.slice(0, hash);
  const pointer = hash === -1 ? '' : ref.slice(hash + 1);
  return { file: file === '' ? currentFile : file, pointer };
}

function lookup(files: Map<string, SchemaFile>, file: string, pointer: string): SchemaNode {
  const doc = files.get(file);
  if (!doc) throw new Error(`Unresolved $ref to ${file}`);
  let node: unknown = doc.schema;
  for (const part of decodePointer(pointer)) {
    node = isNode(node) ? node[part] : Array.isArray(node) ? node[Number(part)] : undefined;
  }
  if (!isNode(node)) throw new Error(`Unresolved $ref ${file}#${pointer}`);
  return node;
}

/**
 * Replaces every `$ref` by the schema it points to, so that an error's `schemaPath` walks one
 * tree from the root (and passes through every `x-severity` on the way). Sibling keywords of a
 * `$ref` are merged; on a clash the target goes into `allOf`.
 */
export function dereference(files: SchemaFile[], kind: string): SchemaNode {
  const byFile = new Map(files.map((f) => [f.file, f]));
  const root = files.find((f) => f.kind === kind);
  if (!root) throw new Error(`No schema for ${kind}`);

  const walk = (value: unknown, file: string, seen: string[]): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, file, seen));
    if (!isNode(value)) return value;
    const ref = value.$ref;
    const rest: SchemaNode = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' || key === '$defs' || key === '$id' || key === '$schema') continue;
      rest[key] =
        key === 'properties' || key === 'patternProperties'
          ? Object.fromEntries(
              Object.entries(child as SchemaNode).map(([k, v]) => [k, walk(v, file, seen)]),
            )
          : key === 'examples' || key === 'enum' || key === 'const' || key === 'default'
            ? child
            : walk(child, file, seen);
    }
    if (typeof ref !== 'string') return rest;
    const target = splitRef(ref, file);
    const id = `${target.file}#${target.pointer}`;
    if (seen.includes(id)) throw new Error(`Recursive $ref ${id} is not supported`);
    const resolved = walk(lookup(byFile, target.file, target.pointer), target.file, [
      ...seen,
      id,
    ]) as SchemaNode;
    const merged: SchemaNode = { ...resolved };
    for (const [key, child] of Object.entries(rest)) {
      if (annotationOnly.has(key) || !(key in merged)) merged[key] = child;
      else if (key === 'allOf' && Array.isArray(merged.allOf) && Array.isArray(child))
        merged.allOf = [...(merged.allOf as unknown[]), ...(child as unknown[])];
      else return { ...rest, allOf: [...((rest.allOf as unknown[] | undefined) ?? []), resolved] };
    }
    return merged;
  };
  const out = walk(root.schema, root.file, []) as SchemaNode;
  return { ...(root.schema.$id ? { $id: root.schema.$id } : {}), ...out };
}

/** Drops the keywords that only document (descriptions, examples), keeping what validation needs. */
export function stripDocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDocs);
  if (!isNode(value)) return value;
  const out: SchemaNode = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'description' || key === 'examples' || key === 'title' || key === '$comment')
      continue;
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(
        Object.entries(child as SchemaNode).map(([k, v]) => [k, stripDocs(v)]),
      );
    } else if (key === 'enum' || key === 'const' || key === 'default') out[key] = child;
    else out[key] = stripDocs(child);
  }
  return out;
}

/**
 * Merges all schema files into one document for json-schema-to-typescript: each kind becomes
 * `$defs/<TypeName>` and its own `$defs` move to `$defs/<TypeName>__<name>`, with every `$ref`
 * rewritten to match.
 */
export function bundleForTypes(files: SchemaFile[]): SchemaNode {
  const fileType = new Map(files.map((f) => [f.file, typeNames[f.kind] ?? pascal(f.kind)]));
  const defs: SchemaNode = {};
  const rewrite = (value: unknown, file: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => rewrite(item, file));
    if (!isNode(value)) return value;
    const out: SchemaNode = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === '$defs' || key === '$id' || key === '$schema') continue;
      if (key === '$ref' && typeof child === 'string') {
        const target = splitRef(child, file);
        const typeName = fileType.get(target.file);
        if (!typeName) throw new Error(`Unresolved $ref ${child}`);
        const parts = decodePointer(target.pointer);
        if (parts[0] === '$defs' && parts.length >= 2) {
          out.$ref = `#/$defs/${typeName}__${parts.slice(1).join('/')}`;
        } else {
          out.$ref = `#/$defs/${typeName}${target.pointer}`;
        }
        continue;
      }
      if (key === 'examples' || key === 'enum' || key === 'const' || key === 'default') {
        out[key] = child;
        continue;
      }
      if (key.startsWith('x-') || typesIgnore.has(key)) continue;
      if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(child)) {
        // Members that only constrain (warnings, `if`/`then`, bare `required`) add no shape.
        const kept = child
          .filter((sub) => isNode(sub) && sub['x-severity'] === undefined)
          .map((sub) => rewrite(sub, file) as SchemaNode)
          .filter((sub) => Object.keys(sub).some((k) => shaping.has(k)));
        if (kept.length > 0) out[key] = kept;
        continue;
      }
      out[key] =
        key === 'properties' || key === 'patternProperties'
          ? Object.fromEntries(
              Object.entries(child as SchemaNode).map(([k, v]) => [k, rewrite(v, file)]),
            )
          : rewrite(child, file);
    }
    // A schema that only documents (such as `not: {}` for an unknown field) accepts any value.
    if (Object.keys(out).every((k) => annotationOnly.has(k))) out.tsType = 'unknown';
    // A reference with its own description would become a numbered copy of the target type
    // (`HookEvents3`); keeping the bare reference keeps one stable name per definition.
    if (
      typeof out.$ref === 'string' &&
      Object.keys(out).every((k) => k === '$ref' || annotationOnly.has(k))
    )
      return { $ref: out.$ref };
    return out;
  };
  for (const f of files) {
    const typeName = fileType.get(f.file) ?? pascal(f.kind);
    const rootNode = rewrite(f.schema, f.file) as SchemaNode;
    // The root of a JSON document we describe is an object; `.mcp.json` also tolerates an array
    // (with a warning), which the types leave out.
    if (rootNode.properties && (!rootNode.type || Array.isArray(rootNode.type)))
      rootNode.type = 'object';
    defs[typeName] = { ...rootNode, title: typeName };
    const ownDefs = f.schema.$defs;
    if (isNode(ownDefs)) {
      for (const [name, def] of Object.entries(ownDefs)) {
        const node = rewrite(def, f.file) as SchemaNode;
        defs[`${typeName}__${name}`] = {
          ...node,
          title: typeof node.title === 'string' ? node.title : `${typeName} ${name}`,
        };
      }
    }
  }
  return {
    title: 'SchemaDocument',
    description: 'Any document one of the schemas describes.',
    anyOf: files.map((f) => ({ $ref: `#/$defs/${fileType.get(f.file)}` })),
    $defs: defs,
  };
}

const typesIgnore = new Set(['propertyNames', 'not', 'if', 'then', 'else']);
const shaping = new Set([
  'properties',
  'items',
  'prefixItems',
  '$ref',
  'anyOf',
  'oneOf',
  'allOf',
  'enum',
  'const',
  'additionalProperties',
]);

/** `output-style` → `OutputStyle`. */
export function pascal(kind: string): string {
  return kind
    .split(/[^a-zA-Z0-9]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** Export name of a kind's validator in `validators.js` (`output-style` → `outputStyle`). */
export function validatorName(kind: string): string {
  const p = pascal(kind);
  return p.charAt(0).toLowerCase() + p.slice(1);
}
