import type { SymlinkInfo } from './model.ts';

/** A directory entry as a source lists it. */
export interface SourceEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
}

/** What a path is, after following a symlink that stays inside the root. */
export type PathType = 'file' | 'dir' | 'missing' | 'other';

/** Why a file's bytes are not available. */
export type ReadFailure =
  | { problem: 'too-large'; size: number }
  | { problem: 'unreadable'; reason: string }
  | { problem: 'outside-root' };

/**
 * A tree of files the loader reads: the file system (`createFsSource` in read.ts) or memory
 * (`createMemorySource`). Paths are relative to the root with POSIX separators; `''` is the root.
 */
export interface CatalogSource {
  /** Absolute root (or a virtual name for memory sources); never printed. */
  readonly root: string;
  /** Entries of a directory, sorted by name; `[]` when it is missing or not a directory. */
  list(dir: string): SourceEntry[];
  /** The type of a path, following symlinks only while they stay inside the root. */
  type(path: string): PathType;
  /** Where a symlink leads, or why it cannot be followed. */
  link(path: string): SymlinkInfo;
  /**
   * The bytes of a file inside the root, at most `maxBytes` of them. They may be a view of a buffer
   * that the next read reuses: use them before reading again.
   */
  read(path: string, maxBytes: number): Uint8Array | ReadFailure;
}

const encoder = new TextEncoder();

/**
 * A source over in-memory files, for tests, stdin and builds that do not touch the disk.
 * Directories are implied by the file paths.
 */
export function createMemorySource(
  files: Record<string, string | Uint8Array>,
  root = '/memory',
): CatalogSource {
  const contents = new Map<string, Uint8Array>();
  const dirs = new Map<string, Map<string, SourceEntry['type']>>([['', new Map()]]);
  for (const [path, value] of Object.entries(files)) {
    const clean = path.replace(/^\.\//, '');
    contents.set(clean, typeof value === 'string' ? encoder.encode(value) : value);
    const parts = clean.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const entries = dirs.get(dir) ?? new Map<string, SourceEntry['type']>();
      dirs.set(dir, entries);
      // The loop index is within `parts`.
      entries.set(parts[i]!, i === parts.length - 1 ? 'file' : 'dir');
    }
  }
  return {
    root,
    list: (dir) =>
      [...(dirs.get(dir)?.entries() ?? [])]
        .map(([name, type]) => ({ name, type }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    type: (path) => (contents.has(path) ? 'file' : dirs.has(path) ? 'dir' : 'missing'),
    link: (path) => ({ path, target: '', resolved: undefined, problem: 'dangling' }),
    read: (path, maxBytes) => {
      const bytes = contents.get(path);
      if (!bytes) return { problem: 'unreadable', reason: 'missing' };
      return bytes.length > maxBytes ? { problem: 'too-large', size: bytes.length } : bytes;
    },
  };
}

/**
 * A source that answers from `overrides` (relative path → text or bytes) before `inner`: files
 * edited in memory (stdin, fixes not yet written) or taken from elsewhere (git's index).
 */
export function createOverlaySource(
  inner: CatalogSource,
  overrides: ReadonlyMap<string, string | Uint8Array>,
): CatalogSource {
  if (overrides.size === 0) return inner;
  return {
    root: inner.root,
    list(dir) {
      const entries = inner.list(dir);
      const names = new Set(entries.map((entry) => entry.name));
      const added: SourceEntry[] = [];
      for (const file of overrides.keys()) {
        const slash = file.lastIndexOf('/');
        const name = file.slice(slash + 1);
        if (file.slice(0, Math.max(slash, 0)) === dir && !names.has(name))
          added.push({ name, type: 'file' });
      }
      return added.length === 0
        ? entries
        : [...entries, ...added].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    type: (path) => (overrides.has(path) ? 'file' : inner.type(path)),
    link: (path) => inner.link(path),
    read(path, maxBytes) {
      const value = overrides.get(path);
      if (value === undefined) return inner.read(path, maxBytes);
      const bytes = typeof value === 'string' ? encoder.encode(value) : value;
      return bytes.length > maxBytes ? { problem: 'too-large', size: bytes.length } : bytes;
    },
  };
}
