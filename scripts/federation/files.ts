import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Snapshot and index files larger than this are not read back (a corrupted or foreign file). */
const maxReadBytes = 256 * 1024 * 1024;

/**
 * The bytes written for a JSON document: one field per line, and each item of an array field on a
 * line of its own (a changed plugin is a changed line), with a final newline. Anything but an
 * object is written with a two-space indent.
 */
export function toJsonText(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `${JSON.stringify(value, null, 2)}\n`;
  const fields = Object.entries(value)
    .filter(([, item]) => item !== undefined)
    .map(([key, item]) => {
      const name = JSON.stringify(key);
      if (!Array.isArray(item) || item.length === 0) return `  ${name}: ${JSON.stringify(item)}`;
      return `  ${name}: [\n${item.map((entry) => `    ${JSON.stringify(entry)}`).join(',\n')}\n  ]`;
    });
  return `{\n${fields.join(',\n')}\n}\n`;
}

/**
 * Writes a file atomically (a temporary file in the same directory, then a rename) and only when
 * its bytes change. Returns true when the file was written.
 */
export function writeFileAtomic(file: string, content: string): boolean {
  if (readTextFile(file) === content) return false;
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temporary, content, { flag: 'wx' });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return true;
}

/** A regular file's text, or `undefined` when it is missing, not a regular file or too large. */
export function readTextFile(file: string): string | undefined {
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.size > maxReadBytes) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A JSON file's value, or `undefined` when it cannot be read or parsed. */
export function readJsonFile(file: string): unknown {
  const text = readTextFile(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
