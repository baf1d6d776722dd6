import type { MarketplaceListEntry } from './types.ts';

/** A marketplace id: a safe file name (`<owner>__<repo>` by convention). */
export const idRe = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
/** GitHub shorthand `owner/repo`. */
export const shorthandRe = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/;
/** Git URLs we fetch: https, ssh, git and git@host:path. */
const urlRe = /^(?:https:\/\/|ssh:\/\/|git:\/\/|git@[A-Za-z0-9.-]+:)[^\s]+$/;
/** Local remotes (`file://`), accepted only when asked for: tests and benchmarks. */
const fileUrlRe = /^file:\/\/\/[^\s]+$/;
/** A branch or tag name git accepts, and never an option. */
const refRe = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/+-]{1,200}$/;

/** The result of reading the list: the usable entries and one message per rejected line. */
export interface MarketplaceList {
  entries: MarketplaceListEntry[];
  errors: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The git URL of a list source: `owner/repo` means GitHub over https. */
export function resolveSourceUrl(source: string): string {
  const short = shorthandRe.exec(source);
  if (short) return `https://github.com/${short[1]}/${short[2]}.git`;
  return source;
}

/**
 * True when `source` is `owner/repo` or a git URL we can fetch (never a git option); `file://`
 * URLs only with `allowLocal`, so a committed list never reads the machine it runs on.
 */
export function isValidSource(source: string, allowLocal = false): boolean {
  return (
    !source.startsWith('-') &&
    source.length <= 500 &&
    (shorthandRe.test(source) || urlRe.test(source) || (allowLocal && fileUrlRe.test(source)))
  );
}

/**
 * Parses `federation/marketplaces.json`. Bad lines are reported and left out; they never stop
 * the others.
 */
export function parseMarketplaceList(text: string, allowLocal = false): MarketplaceList {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { entries: [], errors: [`Unexpected invalid JSON (${reason}), expected an array`] };
  }
  if (!Array.isArray(data)) {
    return { entries: [], errors: ['Unexpected top-level value, expected an array'] };
  }
  const entries: MarketplaceListEntry[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  data.forEach((item: unknown, index) => {
    const at = `\`/${index}\``;
    if (!isObject(item)) {
      errors.push(`Unexpected ${at}, expected an object`);
      return;
    }
    const { id, source, ref } = item;
    if (typeof id !== 'string' || !idRe.test(id)) {
      errors.push(`Unexpected ${at}/id, expected a file-name-safe id such as \`owner__repo\``);
      return;
    }
    if (seen.has(id.toLowerCase())) {
      errors.push(`Unexpected duplicate id \`${id}\` at ${at}, expected unique ids`);
      return;
    }
    if (typeof source !== 'string' || !isValidSource(source, allowLocal)) {
      errors.push(`Unexpected ${at}/source, expected \`owner/repo\` or a git URL`);
      return;
    }
    if (ref !== undefined && (typeof ref !== 'string' || !refRe.test(ref))) {
      errors.push(`Unexpected ${at}/ref, expected a branch or tag name`);
      return;
    }
    const unknown = Object.keys(item).filter((key) => !['id', 'source', 'ref'].includes(key));
    if (unknown.length > 0) {
      errors.push(
        `Unexpected field \`${unknown[0]}\` at ${at}, expected \`id\`, \`source\`, \`ref\``,
      );
      return;
    }
    seen.add(id.toLowerCase());
    entries.push(typeof ref === 'string' ? { id, source, ref } : { id, source });
  });
  return { entries, errors };
}
