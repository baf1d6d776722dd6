import { readFileSync } from 'node:fs';
import path from 'node:path';
import { componentKey, type ComponentKind } from './catalog/component-keys.ts';
import { diffSnapshots } from './index-diff.ts';
import type { IndexSnapshot } from './index-snapshot.ts';
import { builtInAgents, nameRe, roleNameRe, stepTokenRe } from './rules/pattern-steps-exist.ts';
import { folderFinder, partialLimit, readStore, storeFiles } from './staged-store.ts';
import { storeKey } from './store-key.ts';

/**
 * The plugins a pattern file's messages can depend on, so that a file-argument run checks only
 * those for work-tree changes, besides `patterns/` (every pattern id and folder counts) and the
 * marketplace. A pattern is checked against the plugins for one thing: whether the components its
 * steps name exist. When each name it could hold has a provider in the stored facts, no change
 * outside those providers can make one missing; a name with no provider would need every plugin
 * (a new file anywhere could add it, and the message suggests names from all of them).
 *
 * The facts answer for the index they were taken with: they count only when the index has not
 * changed since outside `patterns/` (and for this version of the tool).
 */

/** An id or role in a step's trailing parentheses, as `catalog/markdown.ts` takes it. */
const actorRe = /\(([^()\n]+)\)[^\S\n]*$/gm;

/** A step token of the frontmatter (`agent:code-reviewer`), anywhere in the text. */
const tokenRe = /\b(agent|skill|command):\s*([^\s,'"[\]{}()]+)/g;

/**
 * Every component a pattern text could name, as `kind` and `componentKey`: a superset of what the
 * steps rule looks up, with its own tests of what a name is (a role in parentheses at the end of
 * any line, a step token anywhere), Claude Code's own agents left out. `undefined` when the text
 * has an escape, which a YAML string could decode into another name.
 */
export function namedComponents(text: string): Map<ComponentKind, Set<string>> | undefined {
  if (text.includes('\\')) return undefined;
  const named = new Map<ComponentKind, Set<string>>([
    ['agent', new Set()],
    ['skill', new Set()],
    ['command', new Set()],
  ]);
  const add = (kind: string, written: string): void => {
    const name = written.trim();
    if (!nameRe.test(name)) return;
    const key = componentKey(name);
    if (kind === 'agent' && builtInAgents.includes(key)) return;
    named.get(kind as ComponentKind)?.add(key);
  };
  for (const [, written = ''] of text.matchAll(actorRe)) {
    const role = written.trim();
    const token = stepTokenRe.exec(role);
    if (token) add(token[1] ?? '', token[2] ?? '');
    else if (roleNameRe.test(role)) add('agent', componentKey(role));
  }
  for (const [, kind = '', name = ''] of text.matchAll(tokenRe)) add(kind, name);
  return named;
}

/**
 * The plugin folders (relative to the catalog root) that provide every component the pattern file
 * could name, by the stored facts of `root`, or `undefined` when the whole catalog must be checked:
 * no usable facts, the index changed outside `patterns/` since they were taken, the file lies in a
 * plugin folder, or a name has no provider.
 */
export function patternProviders(
  paths: { top: string; privateDir: string },
  index: IndexSnapshot,
  root: string,
  file: string,
): string[] | undefined {
  const prefix = path.relative(paths.top, root).split(path.sep).join('/');
  if (prefix.startsWith('..') || path.isAbsolute(prefix)) return undefined;
  const rootKey = prefix || '.';
  const store = readStore(storeFiles(paths.privateDir, rootKey), rootKey);
  if (!store) return undefined;
  const [stored, before] = store;
  const relative = path.relative(root, file).split(path.sep).join('/');
  const pluginDirOf = folderFinder([...stored.pluginDirs, ...stored.missingDirs]);
  const inPlugin = (name: string): boolean => pluginDirOf(name) !== undefined;
  if (stored.rootPlugin || stored.key !== storeKey() || inPlugin(relative)) return undefined;
  const changes = diffSnapshots(before, index, prefix, partialLimit);
  if (!changes) return undefined;
  for (const name of changes.keys())
    if (!name.startsWith('patterns/') || inPlugin(name)) return undefined;
  let named;
  try {
    named = namedComponents(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!named) return undefined;
  // The store lists the providers of each component key: a few bisections, whatever the number
  // of plugins.
  const providers = new Set<string>();
  for (const [kind, keys] of named) {
    for (const key of keys) {
      const dirs = stored.providersOf(kind, key);
      if (dirs.length === 0) return undefined;
      for (const dir of dirs) providers.add(dir);
    }
  }
  return [...providers];
}
