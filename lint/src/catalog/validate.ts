import type { ErrorObject } from 'ajv';
import type { VFile } from 'vfile';
import { code, report, schemaUrl, typeName, type Severity } from './diagnostic.ts';
import type { PositionMap, Range, SchemaKind } from './model.ts';
import { moduleOf } from './validator-modules.ts';

type SchemaNode = { [keyword: string]: unknown };

/** One schema problem, worded and placed, before it becomes a `VFileMessage`. */
export interface SchemaProblem {
  /** JSON Pointer of the value the message is about. */
  pointer: string;
  severity: Severity;
  message: string;
  /** Where to put it: the value, or the member name (unknown fields, missing fields). */
  at: 'value' | 'key' | 'parent';
  actual?: string | undefined;
  expected?: string[] | undefined;
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeSegment(segment: string): string {
  return segment.includes('~') ? segment.replaceAll('~1', '/').replaceAll('~0', '~') : segment;
}

/** Ajv URI-encodes schema paths (not instance paths); a stray `%` must not throw. */
function decodeSchemaSegment(segment: string): string {
  try {
    return decodeSegment(decodeURIComponent(segment));
  } catch {
    return decodeSegment(segment);
  }
}

function encodeSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Trails already walked, by schema and path: a catalog repeats the same few thousand errors. */
const trails = new WeakMap<SchemaNode, Map<string, readonly SchemaNode[]>>();

/**
 * The schema nodes a `schemaPath` (`#/properties/a/allOf/0/pattern`) walks through, root first;
 * shared between calls, so never changed by a caller.
 */
function schemaTrail(root: SchemaNode, schemaPath: string): readonly SchemaNode[] {
  let known = trails.get(root);
  if (!known) trails.set(root, (known = new Map<string, readonly SchemaNode[]>()));
  let trail = known.get(schemaPath);
  if (!trail) known.set(schemaPath, (trail = walkSchemaPath(root, schemaPath)));
  return trail;
}

function walkSchemaPath(root: SchemaNode, schemaPath: string): SchemaNode[] {
  const trail: SchemaNode[] = [root];
  let node: unknown = root;
  const segments = schemaPath
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map(decodeSchemaSegment);
  for (const segment of segments.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isNode(node)) node = node[segment];
    else break;
    if (isNode(node)) trail.push(node);
  }
  return trail;
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const segment of pointer.split('/').slice(1).map(decodeSegment)) {
    if (Array.isArray(value)) value = value[Number(segment)];
    else if (isNode(value) && Object.hasOwn(value, segment)) value = value[segment];
    else return undefined;
  }
  return value;
}

const article: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  null: '`null`',
};

function joinOr(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? '';
  return `${unique.slice(0, -1).join(', ')} or ${unique.at(-1) ?? ''}`;
}

/** Describes what a schema node accepts, by type: `a string or an array`. */
function typeWords(node: unknown): string {
  if (!isNode(node)) return 'a value';
  const types = node.type;
  if (typeof types === 'string') return article[types] ?? types;
  if (Array.isArray(types)) return joinOr(types.map((t) => article[String(t)] ?? String(t)));
  if (node.const !== undefined) return code(node.const);
  if (Array.isArray(node.enum)) return joinOr(node.enum.map((v) => code(v)));
  const branches = node.anyOf ?? node.oneOf;
  if (Array.isArray(branches)) return joinOr(branches.map((b) => typeWords(b)));
  return 'a value';
}

function fieldName(pointer: string): string {
  const segments = pointer.split('/');
  return segments.length === 2 ? decodeSegment(segments[1] ?? '') : pointer;
}

function forPointer(pointer: string): string {
  return pointer === '' ? '' : ` for ${code(pointer)}`;
}

function childPointer(pointer: string, key: string): string {
  return `${pointer}/${encodeSegment(key)}`;
}

function isBelow(pointer: string, parent: string): boolean {
  return pointer === parent || pointer.startsWith(`${parent}/`);
}

function sameType(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

/** Whether a union branch fits the value's type and its discriminators (`const`/`enum`). */
function branchApplies(branch: unknown, value: unknown): boolean {
  if (!isNode(branch)) return true;
  const actual = typeName(value);
  const types = typeof branch.type === 'string' ? [branch.type] : branch.type;
  if (Array.isArray(types) && !types.some((t) => sameType(String(t), actual))) return false;
  const listed = branch.const !== undefined ? [branch.const] : branch.enum;
  if (types === undefined && Array.isArray(listed)) {
    if (!listed.some((v) => sameType(typeName(v), actual))) return false;
  }
  if (isNode(value) && isNode(branch.properties)) {
    // A `const` member, or an `enum` member the branch requires, tells the forms apart.
    const required = Array.isArray(branch.required) ? branch.required : [];
    for (const [key, sub] of Object.entries(branch.properties)) {
      if (!Object.hasOwn(value, key) || !isNode(sub)) continue;
      if (sub.const !== undefined && sub.const !== value[key]) return false;
      if (required.includes(key) && Array.isArray(sub.enum) && !sub.enum.includes(value[key]))
        return false;
    }
  }
  return true;
}

/** How many of the value's members match a `const` of the branch: the closer fit wins. */
function constMatches(branch: unknown, value: unknown): number {
  if (!isNode(branch) || !isNode(branch.properties) || !isNode(value)) return 0;
  let count = 0;
  for (const [key, sub] of Object.entries(branch.properties)) {
    if (
      Object.hasOwn(value, key) &&
      isNode(sub) &&
      sub.const !== undefined &&
      sub.const === value[key]
    )
      count += 1;
  }
  return count;
}

function discriminator(branches: unknown[], value: unknown): string | undefined {
  if (!isNode(value)) return undefined;
  for (const branch of branches) {
    if (!isNode(branch) || !isNode(branch.properties)) continue;
    for (const [key, sub] of Object.entries(branch.properties)) {
      if (
        Object.hasOwn(value, key) &&
        isNode(sub) &&
        (sub.const !== undefined || Array.isArray(sub.enum))
      )
        return key;
    }
  }
  return undefined;
}

/**
 * Keeps, for each failed `anyOf`/`oneOf`, only the errors of the branch that fits the value
 * (by type, then by a `const` discriminator such as `source`), or replaces them all by one
 * synthetic error when no branch fits.
 */
function collapseBranches(errors: ErrorObject[], root: SchemaNode, data: unknown): ErrorObject[] {
  let current = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames');
  const unions = current
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (!current.includes(union)) continue;
    const prefix = `${union.schemaPath}/`;
    const inside = (e: ErrorObject) =>
      e !== union && e.schemaPath.startsWith(prefix) && isBelow(e.instancePath, union.instancePath);
    const members = current.filter(inside);
    const trail = schemaTrail(root, `${union.schemaPath}/x`);
    const node = trail.at(-1);
    const branches =
      isNode(node) && Array.isArray(node[union.keyword]) ? (node[union.keyword] as unknown[]) : [];
    const value = valueAt(data, union.instancePath);
    const fitting = branches
      .map((branch, index) => ({ branch, index }))
      .filter(({ branch }) => branchApplies(branch, value));
    let keep: ErrorObject[];
    if (union.keyword === 'oneOf' && isNode(union.params) && union.params.passingSchemas) {
      keep = [{ ...union, keyword: 'oneOf-ambiguous' }];
    } else if (fitting.length === 0) {
      const key = discriminator(branches, value);
      keep = [
        { ...union, keyword: key === undefined ? 'union-type' : 'union-value', params: { key } },
      ];
    } else {
      let best: { errors: ErrorObject[]; score: number } | undefined;
      for (const { branch, index } of fitting) {
        const own = members.filter((e) => e.schemaPath.startsWith(`${prefix}${index}/`));
        if (own.length === 0) continue;
        const score = constMatches(branch, value);
        if (
          !best ||
          score > best.score ||
          (score === best.score && own.length < best.errors.length)
        )
          best = { errors: own, score };
      }
      keep = best?.errors ?? [{ ...union, keyword: 'union-type', params: {} }];
    }
    current = current.filter((e) => e !== union && !inside(e)).concat(keep);
  }
  return current;
}

function severityOf(root: SchemaNode, error: ErrorObject): Severity {
  const trail = schemaTrail(root, error.schemaPath);
  return trail.some((node) => node['x-severity'] === 'warning') ? 'warning' : 'error';
}

function expectedWords(node: SchemaNode | undefined): string | undefined {
  const words = node?.['x-expected'];
  return typeof words === 'string' ? words : undefined;
}

function countWord(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Words one Ajv error with our templates (STYLE.md §4); never Ajv's own text. */
function describe(error: ErrorObject, root: SchemaNode, data: unknown): SchemaProblem {
  const severity = severityOf(root, error);
  const pointer = error.instancePath;
  const value = valueAt(data, pointer);
  const trail = schemaTrail(root, error.schemaPath);
  const holder = trail.at(-1);
  const params = error.params as Record<string, unknown>;
  const problem = (message: string, at: SchemaProblem['at'] = 'value', expected?: string[]) => ({
    pointer,
    severity,
    message,
    at,
    actual:
      value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value),
    expected,
  });
  const unexpectedValue = (expected: string) =>
    `Unexpected value ${code(value)}${forPointer(pointer)}, expected ${expected}`;

  // A propertyNames failure is about a key: Ajv gives the object's pointer plus the name.
  if (typeof error.propertyName === 'string') {
    const key = childPointer(pointer, error.propertyName);
    const expected =
      expectedWords(holder) ??
      (Array.isArray(params.allowedValues)
        ? joinOr(params.allowedValues.map((v) => code(v)))
        : 'a valid name');
    return {
      ...problem(`Unexpected field ${code(fieldName(key))}, expected ${expected}`, 'key'),
      pointer: key,
      actual: error.propertyName,
    };
  }

  switch (error.keyword) {
    case 'type':
      return problem(
        `Unexpected type ${code(typeName(value))}${forPointer(pointer)}, expected ${typeWords(holder)}`,
      );
    case 'required': {
      const name = String(params.missingProperty);
      const field = childPointer(pointer, name);
      const properties = [...trail].reverse().find((n) => isNode(n.properties))?.properties;
      const sub = isNode(properties) ? properties[name] : undefined;
      // A field that is only recommended carries its warning on the `required` itself.
      const label = holder?.['x-severity'] === 'warning' ? 'recommended' : 'required';
      return {
        ...problem(
          `Missing ${label} field ${code(fieldName(field))}, expected ${typeWords(sub)}`,
          'parent',
        ),
        pointer: field,
        actual: undefined,
      };
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const field = childPointer(pointer, name);
      const known =
        isNode(holder) && isNode(holder.properties) ? Object.keys(holder.properties) : [];
      const expected = known.length > 0 ? joinOr(known.map((k) => code(k))) : 'no other field';
      return {
        ...problem(`Unexpected field ${code(fieldName(field))}, expected ${expected}`, 'key'),
        pointer: field,
        actual: name,
        expected: known,
      };
    }
    case 'not': {
      const inner = isNode(holder) ? holder.not : undefined;
      const words = expectedWords(isNode(inner) ? inner : undefined) ?? expectedWords(holder);
      if (isNode(inner) && Object.keys(inner).length === 0) {
        return problem(
          `Unexpected field ${code(fieldName(pointer))}, ${words ? `expected ${words}` : 'Claude Code ignores it'}`,
          'key',
        );
      }
      const innerKeys = isNode(inner) ? Object.keys(inner).filter((k) => !k.startsWith('x-')) : [];
      if (isNode(inner) && Array.isArray(inner.required) && innerKeys.length === 1) {
        const names = joinOr(inner.required.map((n) => code(n))).replace(/ or (?=[^ ]*$)/, ' and ');
        return problem(
          `Unexpected fields ${names} together${forPointer(pointer)}, expected ${words ?? 'only one of them'}`,
        );
      }
      return problem(unexpectedValue(words ?? 'a different value'));
    }
    case 'enum':
    case 'const': {
      const allowed =
        error.keyword === 'enum' ? (params.allowedValues as unknown[]) : [params.allowedValue];
      const words = expectedWords(holder) ?? joinOr(allowed.map((v) => code(v)));
      return problem(
        unexpectedValue(words),
        'value',
        allowed.map((v) => String(v)),
      );
    }
    case 'pattern':
      return problem(
        unexpectedValue(expectedWords(holder) ?? `a value matching ${code(params.pattern)}`),
      );
    case 'format':
      return problem(unexpectedValue(expectedWords(holder) ?? `a valid ${String(params.format)}`));
    case 'minLength':
      return Number(params.limit) === 1
        ? problem(`Unexpected empty string${forPointer(pointer)}, expected a non-empty string`)
        : problem(
            unexpectedValue(
              `at least ${countWord(Number(params.limit), 'character', 'characters')}`,
            ),
          );
    case 'maxLength':
      return problem(
        `Unexpected ${countWord(String(value).length, 'character', 'characters')}${forPointer(pointer)}, expected at most ${Number(params.limit)}`,
      );
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const bound = {
        minimum: 'at least',
        exclusiveMinimum: 'more than',
        maximum: 'at most',
        exclusiveMaximum: 'less than',
      }[error.keyword];
      return problem(
        `Unexpected value ${code(value)}${forPointer(pointer)}, expected ${bound} ${Number(params.limit)}`,
      );
    }
    case 'minItems':
    case 'maxItems': {
      const count = Array.isArray(value) ? value.length : 0;
      const bound = error.keyword === 'minItems' ? 'at least' : 'at most';
      const limit = Number(params.limit);
      return problem(
        `Unexpected ${countWord(count, 'item', 'items')}${forPointer(pointer)}, expected ${bound} ${countWord(limit, 'item', 'items')}`,
      );
    }
    case 'minProperties':
      return problem(
        `Unexpected empty object${forPointer(pointer)}, expected at least ${countWord(Number(params.limit), 'field', 'fields')}`,
      );
    case 'multipleOf':
      return problem(unexpectedValue(`a multiple of ${Number(params.multipleOf)}`));
    case 'uniqueItems':
      return problem(`Unexpected duplicate items${forPointer(pointer)}, expected each item once`);
    case 'union-value': {
      const key = String(params.key);
      const branches = isNode(holder) ? (holder.anyOf ?? holder.oneOf) : undefined;
      const allowed = (Array.isArray(branches) ? branches : []).flatMap((b) => {
        const sub = isNode(b) && isNode(b.properties) ? b.properties[key] : undefined;
        if (!isNode(sub)) return [];
        if (sub.const !== undefined) return [sub.const];
        return Array.isArray(sub.enum) ? (sub.enum as unknown[]) : [];
      });
      const keyPointer = childPointer(pointer, key);
      const keyValue = isNode(value) ? value[key] : undefined;
      return {
        ...problem(
          `Unexpected value ${code(keyValue)} for ${code(keyPointer)}, expected ${joinOr(allowed.map((v) => code(v)))}`,
        ),
        pointer: keyPointer,
        actual: typeof keyValue === 'string' ? keyValue : JSON.stringify(keyValue),
        expected: allowed.map((v) => String(v)),
      };
    }
    case 'union-type':
    case 'anyOf':
    case 'oneOf':
      return problem(
        `Unexpected type ${code(typeName(value))}${forPointer(pointer)}, expected ${typeWords(holder)}`,
      );
    case 'oneOf-ambiguous':
      return problem(
        `Unexpected value${forPointer(pointer)}, expected it to match exactly one form`,
      );
    default:
      return problem(unexpectedValue(expectedWords(holder) ?? 'a value the schema allows'));
  }
}

/** Validates `data` against the schema of `kind` and words the problems; pure, no positions. */
export function schemaProblems(kind: SchemaKind, data: unknown): SchemaProblem[] {
  const module = moduleOf(kind);
  const validate = module?.validate;
  const root = module?.schema as SchemaNode | undefined;
  if (!validate || !root || validate(data)) return [];
  const errors = collapseBranches(validate.errors ?? [], root, data);
  const seen = new Map<string, SchemaProblem>();
  for (const error of errors) {
    const item = describe(error, root, data);
    const id = `${item.pointer}\u0000${item.message}`;
    const previous = seen.get(id);
    if (!previous || (previous.severity === 'warning' && item.severity === 'error'))
      seen.set(id, item);
  }
  const items = [...seen.values()];
  // An unknown field is reported once, not again for its contents; an error on a value
  // makes warnings about the same value noise.
  const unknownKeys = items.filter((i) => i.at === 'key').map((i) => i.pointer);
  const failed = new Set(items.filter((i) => i.severity === 'error').map((i) => i.pointer));
  return items.filter(
    (i) =>
      !(i.at !== 'key' && unknownKeys.some((k) => isBelow(i.pointer, k))) &&
      !(i.severity === 'warning' && failed.has(i.pointer)),
  );
}

function placeOf(item: SchemaProblem, positions: PositionMap): Range | undefined {
  if (item.at === 'key') return positions.key(item.pointer) ?? positions.value(item.pointer);
  if (item.at === 'parent') {
    const parent = item.pointer.slice(0, item.pointer.lastIndexOf('/'));
    return positions.key(parent) ?? positions.value(parent);
  }
  return positions.value(item.pointer);
}

/** Validates `data` against the schema of `kind`, attaching messages to `file`; returns counts. */
export function validateDocument(
  kind: SchemaKind,
  data: unknown,
  file: VFile,
  positions: PositionMap,
): { errors: number; warnings: number; errorPointers: string[] } {
  let errors = 0;
  let warnings = 0;
  const errorPointers: string[] = [];
  for (const item of schemaProblems(kind, data)) {
    report(file, {
      reason: item.message,
      ruleId: 'schema',
      severity: item.severity,
      place: placeOf(item, positions),
      url: schemaUrl(kind),
      actual: item.actual,
      expected: item.expected,
    });
    if (item.severity === 'error') {
      errors += 1;
      errorPointers.push(item.pointer);
    } else warnings += 1;
  }
  return { errors, warnings, errorPointers };
}
