import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/** A file's content, or a symlink to create with this target. */
export type TreeEntry = string | Uint8Array | { symlink: string };

/** Creates a directory tree in a fresh temporary directory and returns its path. */
export function makeTree(entries: Record<string, TreeEntry>, prefix = 'agentops-tree-'): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  writeTree(root, entries);
  return root;
}

/** Writes entries (files and symlinks) under an existing directory. */
export function writeTree(root: string, entries: Record<string, TreeEntry>): void {
  for (const [relative, entry] of Object.entries(entries)) {
    const target = path.join(root, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    if (typeof entry === 'object' && 'symlink' in entry) symlinkSync(entry.symlink, target);
    else writeFileSync(target, entry);
  }
}

/** Removes a tree made by `makeTree`. */
export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** Pretty JSON text of a value, as a file would hold it. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A fresh temporary directory, removed when the current test finishes. */
export function tempDir(prefix = 'agentops-lint-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A tree made like `makeTree`, in a temporary directory removed when the current test finishes. */
export function tempTree(entries: Record<string, TreeEntry>, prefix = 'agentops-tree-'): string {
  const root = tempDir(prefix);
  writeTree(root, entries);
  return root;
}
