import path from 'node:path/posix';
import type {
  CatalogSource,
  PathType,
  ReadFailure,
  SourceEntry,
  SymlinkInfo,
} from '../../lint/src/catalog/index.ts';

/** A blob of a git tree: its bytes (`undefined` when the blob filter left it out), mode and id. */
export interface TreeFile {
  kind: 'file' | 'symlink';
  executable: boolean;
  oid: string;
  bytes: Uint8Array | undefined;
  /** Set when the file was left unread because the marketplace's read limit was reached. */
  unread?: 'budget';
}

/** Symlink chains longer than this are treated as loops, as the kernel does. */
const maxLinkDepth = 40;
const decoder = new TextDecoder();

function byName(a: SourceEntry, b: SourceEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * A catalog source over the files of a git tree held in memory (no checkout on disk). Symlinks
 * are resolved inside the tree and never lead out of it; blobs the fetch filtered out read as
 * too large.
 */
export function createTreeSource(
  root: string,
  files: ReadonlyMap<string, TreeFile>,
): CatalogSource {
  const dirs = new Map<string, Map<string, SourceEntry['type']>>([['', new Map()]]);
  for (const [file, entry] of files) {
    const parts = file.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const entries = dirs.get(dir) ?? new Map<string, SourceEntry['type']>();
      dirs.set(dir, entries);
      const last = i === parts.length - 1;
      // The loop index is within `parts`.
      entries.set(parts[i]!, last ? (entry.kind === 'symlink' ? 'symlink' : 'file') : 'dir');
    }
  }
  const links = new Map<string, SymlinkInfo>();

  /** Follows symlinks in every segment of `relative`; `undefined` when a link leaves or loops. */
  const real = (
    relative: string,
    depth = 0,
  ): string | { problem: 'outside-root' | 'loop' | 'dangling' } => {
    if (depth > maxLinkDepth) return { problem: 'loop' };
    const parts = relative === '' ? [] : relative.split('/');
    let current = '';
    for (let i = 0; i < parts.length; i++) {
      const next = current === '' ? (parts[i] ?? '') : `${current}/${parts[i] ?? ''}`;
      const entry = files.get(next);
      if (entry?.kind === 'symlink') {
        const target = entry.bytes ? decoder.decode(entry.bytes) : '';
        if (target === '' || path.isAbsolute(target))
          return { problem: target === '' ? 'dangling' : 'outside-root' };
        const joined = path.normalize(path.join(path.dirname(next), target));
        if (joined === '..' || joined.startsWith('../')) return { problem: 'outside-root' };
        const resolved = real(joined === '.' ? '' : joined, depth + 1);
        if (typeof resolved !== 'string') return resolved;
        current = resolved;
      } else {
        current = next;
      }
    }
    return current;
  };

  const typeOfReal = (relative: string): PathType =>
    files.get(relative)?.kind === 'file' ? 'file' : dirs.has(relative) ? 'dir' : 'missing';

  return {
    root,
    list(dir) {
      const resolved = real(dir);
      if (typeof resolved !== 'string') return [];
      return [...(dirs.get(resolved)?.entries() ?? [])]
        .map(([name, type]) => ({ name, type }))
        .sort(byName);
    },
    type(relative) {
      const resolved = real(relative);
      return typeof resolved === 'string' ? typeOfReal(resolved) : 'missing';
    },
    link(relative) {
      const known = links.get(relative);
      if (known) return known;
      const entry = files.get(relative);
      const target = entry?.bytes ? decoder.decode(entry.bytes) : '';
      const resolved = real(relative);
      const info: SymlinkInfo =
        typeof resolved !== 'string'
          ? { path: relative, target, resolved: undefined, problem: resolved.problem }
          : typeOfReal(resolved) === 'missing'
            ? { path: relative, target, resolved: undefined, problem: 'dangling' }
            : { path: relative, target, resolved, problem: undefined };
      links.set(relative, info);
      return info;
    },
    read(relative, maxBytes): Uint8Array | ReadFailure {
      const resolved = real(relative);
      if (typeof resolved !== 'string') return { problem: 'outside-root' };
      const entry = files.get(resolved);
      if (!entry || entry.kind !== 'file')
        return { problem: 'unreadable', reason: 'not a regular file' };
      if (entry.unread === 'budget')
        return { problem: 'unreadable', reason: "left unread: over the sync's read limit" };
      if (!entry.bytes) return { problem: 'too-large', size: maxBytes + 1 };
      return entry.bytes.length > maxBytes
        ? { problem: 'too-large', size: entry.bytes.length }
        : entry.bytes;
    },
  };
}
