import path from 'node:path/posix';
import type { ComponentOrigin, MarkdownDocument, PathProblem, TokenCost } from '../model.ts';
import { joinPointer } from '../position-map.ts';
import { isObject, isWithin, resolveInside, type PluginScope } from './plugin-scope.ts';

/** A Markdown component file to load, with the folder its name is taken relative to. */
export interface ComponentFile {
  path: string;
  origin: ComponentOrigin;
  root: string;
}

/** Approximate tokens of a text (about four characters each, the usual rule for English prose and code). */
export function estimateTokens(text: string | undefined): number {
  return text ? Math.ceil(text.length / 4) : 0;
}

/**
 * The files of a Markdown component kind (commands, agents, output styles), with Claude Code's
 * precedence: a manifest field replaces the default folder (reference §2.3), and entry paths add
 * to either. Default folders that a manifest field hides are recorded in `shadowedFolders`.
 */
export function componentFiles(
  scope: PluginScope,
  field: 'commands' | 'agents' | 'outputStyles',
  folder: string,
  expect: 'file' | 'any',
): ComponentFile[] {
  const { plugin, manifestData, entryData, at } = scope;
  const out: ComponentFile[] = [];
  if (
    manifestData[field] !== undefined &&
    !(field === 'commands' && isObject(manifestData[field]))
  ) {
    for (const target of scope.declared('manifest', field, expect)) {
      for (const file of scope.markdownIn([target]))
        out.push({
          path: file,
          origin: 'manifest',
          root: target.type === 'dir' ? target.path : path.dirname(target.path),
        });
    }
    // Shadowed only when the folder holds a Markdown file that no declared path loads.
    if (
      scope
        .under(folder)
        .some((file) => file.endsWith('.md') && !out.some((item) => item.path === file))
    )
      plugin.shadowedFolders.push(at(folder));
  } else if (field === 'commands' && isObject(manifestData.commands)) {
    out.push(...inlineCommandFiles(scope, manifestData.commands));
  } else {
    for (const file of scope.under(folder).filter((f) => f.endsWith('.md')))
      out.push({ path: file, origin: 'default', root: at(folder) });
  }
  if (plugin.entry && entryData[field] !== undefined && !isObject(entryData[field])) {
    for (const file of scope.markdownIn(scope.declared('entry', field, expect)))
      out.push({ path: file, origin: 'entry', root: path.dirname(file) });
  }
  const seen = new Set<string>();
  return out.filter((item) => !seen.has(item.path) && seen.add(item.path));
}

/** The files of a manifest's `commands` object (`{ name: { source } }`), each one file. */
function inlineCommandFiles(
  scope: PluginScope,
  commands: Record<string, unknown>,
): ComponentFile[] {
  const { plugin, base } = scope;
  const out: ComponentFile[] = [];
  for (const [key, spec] of Object.entries(commands)) {
    if (!isObject(spec) || typeof spec.source !== 'string') continue;
    const written = spec.source;
    const resolved = resolveInside(plugin.dir, written);
    const pointer = joinPointer(joinPointer('/commands', key), 'source');
    const problem = (kind: PathProblem['problem']): void => {
      plugin.pathProblems.push({
        declaredIn: 'manifest',
        pointer,
        path: written,
        problem: kind,
      });
    };
    if (resolved === undefined || !isWithin(base, resolved)) problem('outside-plugin');
    else if (scope.source.type(resolved) !== 'file') problem('missing');
    else out.push({ path: resolved, origin: 'manifest', root: path.dirname(resolved) });
  }
  return out;
}

/** A component's description: frontmatter `description`, else its first body line (as Claude Code does). */
export function describe(doc: MarkdownDocument<unknown>): string | undefined {
  const fm = doc.data;
  if (isObject(fm) && typeof fm.description === 'string' && fm.description.trim() !== '')
    return fm.description.trim();
  const first = doc.body.split('\n').find((line) => line.trim() !== '');
  return first
    ? first
        .replace(/^#+\s*/, '')
        .trim()
        .slice(0, 100)
    : undefined;
}

/** A component's token cost: its name and description every session, its body on activation. */
export function tokensOf(
  name: string,
  description: string | undefined,
  doc: MarkdownDocument<unknown>,
): TokenCost {
  return {
    session: estimateTokens(`${name} ${description ?? ''}`),
    activation: estimateTokens(doc.body),
  };
}

/** The frontmatter `name` of a component when it is a non-empty string, else its file name. */
export function frontmatterName(doc: MarkdownDocument<unknown>, file: string): string {
  const fm = doc.data;
  return isObject(fm) && typeof fm.name === 'string' && fm.name !== ''
    ? fm.name
    : path.basename(file, '.md');
}

/** What every Markdown component has: its name, file, origin, document, description and cost. */
export function markdownComponent<T>(item: ComponentFile, doc: MarkdownDocument<T>, name: string) {
  const description = describe(doc);
  return {
    name,
    path: item.path,
    origin: item.origin,
    doc,
    description,
    tokens: tokensOf(name, description, doc),
  };
}
