/** A JSON object as manifests and frontmatter hold it. */
export type Json = Record<string, unknown>;

/** A person or organisation as manifests write it. */
export interface PersonView {
  name: string;
  email?: string;
  url?: string;
}

/** Whether a value is a plain JSON object (not an array, not `null`). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-blank string, or `undefined`. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The strings of an array; anything else gives an empty list. */
export function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** A person written as a string or as `{ name, email, url }`; `undefined` without a name. */
export function person(value: unknown): PersonView | undefined {
  if (typeof value === 'string') return str(value) ? { name: value } : undefined;
  if (!isObject(value)) return undefined;
  const name = str(value.name);
  if (!name) return undefined;
  const email = str(value.email);
  const url = str(value.url);
  return { name, ...(email ? { email } : {}), ...(url ? { url } : {}) };
}

/** The URL of a `repository` field written as a string or as `{ url }`. */
export function repositoryUrl(value: unknown): string | undefined {
  if (typeof value === 'string') return str(value);
  return isObject(value) ? str(value.url) : undefined;
}

/** Orders entries by `name`, by code unit so the order is the same on every machine. */
export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
