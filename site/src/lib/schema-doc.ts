/** One property row of a schema reference page. */
interface SchemaRow {
  /** JSON Pointer-like path of the property, e.g. `/plugins/*\/source` (`*` for array items). */
  path: string;
  type: string;
  required: boolean;
  description: string;
  /** Allowed values, for enumerations and constants, as JSON. */
  values: string[];
  /** Examples, as JSON. */
  examples: string[];
  /** Words for `pattern`, or the pattern itself. */
  pattern: string | undefined;
}

/** A schema's page content: title, description and property rows. */
export interface SchemaDoc {
  kind: string;
  id: string | undefined;
  title: string;
  description: string;
  rows: SchemaRow[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function resolveRef(root: Json, node: Json): Json {
  let current = node;
  for (let hops = 0; hops < 8 && typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) break;
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) {
      const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
      target = isObject(target) ? target[key] : undefined;
    }
    if (!isObject(target)) break;
    const rest = { ...current };
    delete rest.$ref;
    current = { ...target, ...rest };
  }
  return current;
}

function typeOf(node: Json): string {
  if (Array.isArray(node.type))
    return node.type.filter((item) => typeof item === 'string').join(' | ');
  if (typeof node.type === 'string') return node.type;
  if ('const' in node) return 'constant';
  if (Array.isArray(node.enum)) return 'enum';
  const variants: unknown = node.oneOf ?? node.anyOf;
  if (Array.isArray(variants)) return variants.filter(isObject).map(typeOf).join(' | ') || 'any';
  return 'any';
}

/**
 * Flattens a JSON Schema into rows: every property (following local `$ref`s, array `items`
 * and `oneOf`/`anyOf` object variants) with its type, whether it is required and its
 * description. Stops at a depth of 6 so recursive schemas end.
 */
export function describeSchema(kind: string, schema: unknown): SchemaDoc {
  const root = isObject(schema) ? schema : {};
  const rows: SchemaRow[] = [];
  const seen = new Set<string>();
  const walk = (raw: Json, path: string, depth: number): void => {
    if (depth > 6) return;
    const node = resolveRef(root, raw);
    const required = new Set(
      Array.isArray(node.required) ? node.required.filter((item) => typeof item === 'string') : [],
    );
    if (isObject(node.properties)) {
      for (const [name, value] of Object.entries(node.properties)) {
        if (!isObject(value)) continue;
        const child = resolveRef(root, value);
        const childPath = `${path}/${name}`;
        if (seen.has(childPath)) continue;
        seen.add(childPath);
        rows.push({
          path: childPath,
          type: typeOf(child),
          required: required.has(name),
          description: text(child.description) || text(value.description),
          values: [
            ...(Array.isArray(child.enum) ? (child.enum as unknown[]) : []),
            ...('const' in child ? [child.const] : []),
          ].map((item) => JSON.stringify(item)),
          examples: (Array.isArray(child.examples) ? child.examples : [])
            .slice(0, 3)
            .map((item) => JSON.stringify(item)),
          pattern:
            typeof child.pattern === 'string'
              ? text(child['x-expected']) || child.pattern
              : undefined,
        });
        walk(child, childPath, depth + 1);
      }
    }
    if (isObject(node.items)) walk(node.items, `${path}/*`, depth + 1);
    if (isObject(node.additionalProperties))
      walk(node.additionalProperties, `${path}/<name>`, depth + 1);
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
      const variants = node[key];
      if (Array.isArray(variants))
        for (const variant of variants) if (isObject(variant)) walk(variant, path, depth + 1);
    }
  };
  walk(root, '', 0);
  return {
    kind,
    id: typeof root.$id === 'string' ? root.$id : undefined,
    title: text(root.title) || kind,
    description: text(root.description),
    rows,
  };
}
