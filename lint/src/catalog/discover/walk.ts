import { code, report } from '../diagnostic.ts';
import type { SymlinkInfo } from '../model.ts';
import type { DocumentReader } from '../parse.ts';
import type { CatalogSource } from '../source.ts';

/** A walked entry: symlinks are already resolved (or dropped when they lead nowhere safe). */
export interface WalkEntry {
  path: string;
  type: 'file' | 'dir';
}

const skippedDirs = new Set(['node_modules', '.git']);

/**
 * Lists folders of a source for discovery, recording every symlink met once and reporting the ones
 * that lead outside the root, loop or dangle.
 */
export class TreeWalker {
  readonly #source: CatalogSource;
  readonly #reader: DocumentReader;
  readonly #symlinks = new Map<string, SymlinkInfo>();

  constructor(source: CatalogSource, reader: DocumentReader) {
    this.#source = source;
    this.#reader = reader;
  }

  /** Every symlink met so far, sorted by path. */
  symlinks(): SymlinkInfo[] {
    return [...this.#symlinks.values()].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    );
  }

  /** Records a symlink and reports it when it leads outside the root, loops or dangles. */
  link(linkPath: string): SymlinkInfo {
    const known = this.#symlinks.get(linkPath);
    if (known) return known;
    const info = this.#source.link(linkPath);
    this.#symlinks.set(linkPath, info);
    if (info.problem) {
      const reason =
        info.problem === 'outside-root'
          ? `Unexpected symlink to ${code(info.target)} outside the repository, expected a target inside it`
          : info.problem === 'loop'
            ? `Unexpected symlink loop through ${code(info.target)}, expected a link that resolves`
            : `Unexpected dangling symlink to ${code(info.target)}, expected an existing target`;
      report(this.#reader.placeholder(linkPath), { reason, ruleId: 'symlink', severity: 'error' });
    }
    return info;
  }

  /** Lists a directory tree (files and dirs, sorted), never descending into symlinked dirs. */
  walk(dir: string, depth = Infinity): WalkEntry[] {
    const out: WalkEntry[] = [];
    const visit = (current: string, level: number): void => {
      for (const entry of this.#source.list(current)) {
        const entryPath = current === '' ? entry.name : `${current}/${entry.name}`;
        if (entry.type === 'symlink') {
          const info = this.link(entryPath);
          if (info.problem) continue;
          const type = this.#source.type(entryPath);
          if (type === 'file' || type === 'dir') out.push({ path: entryPath, type });
        } else if (entry.type === 'dir') {
          if (skippedDirs.has(entry.name)) continue;
          out.push({ path: entryPath, type: 'dir' });
          if (level < depth) visit(entryPath, level + 1);
        } else if (entry.type === 'file') {
          out.push({ path: entryPath, type: 'file' });
        }
      }
    };
    visit(dir, 1);
    return out;
  }
}
