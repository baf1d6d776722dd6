import { createHash } from 'node:crypto';
import type { TreeFile } from './tree-source.ts';

/** Names that say nothing about a plugin's behaviour. */
const ignoredNames = new Set(['.DS_Store', 'Thumbs.db']);

/** The content hash of a plugin directory and how many files it covers. */
export interface ContentHash {
  hash: string;
  files: number;
}

/** Text is compared without a BOM and with LF line ends; binary bytes are taken as they are. */
function normalize(bytes: Uint8Array): Uint8Array {
  if (bytes.subarray(0, 8000).includes(0)) return bytes;
  let text = bytes;
  if (text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf) text = text.subarray(3);
  if (!text.includes(13)) return text;
  return Buffer.from(Buffer.from(text).toString('latin1').replace(/\r\n?/g, '\n'), 'latin1');
}

/**
 * Hashes a plugin directory's normalized files: sorted relative paths, each with its kind
 * (file, executable, symlink) and the SHA-256 of its bytes. Two plugins with the same files get
 * the same hash wherever they live. A blob the fetch left out (over 1 MiB) counts by its git id.
 * The marketplace file of a plugin at the repository root is left out.
 */
export function hashPluginFiles(files: ReadonlyMap<string, TreeFile>, dir: string): ContentHash {
  const prefix = dir === '.' || dir === '' ? '' : `${dir}/`;
  const lines: string[] = [];
  for (const [file, entry] of files) {
    if (!file.startsWith(prefix)) continue;
    const relative = file.slice(prefix.length);
    if (prefix === '' && relative === '.claude-plugin/marketplace.json') continue;
    if (ignoredNames.has(relative.slice(relative.lastIndexOf('/') + 1))) continue;
    const mode = entry.kind === 'symlink' ? 'l' : entry.executable ? 'x' : 'f';
    const digest = entry.bytes
      ? createHash('sha256')
          .update(entry.kind === 'symlink' ? entry.bytes : normalize(entry.bytes))
          .digest('hex')
      : `git:${entry.oid}`;
    lines.push(`${relative}\0${mode}\0${digest}`);
  }
  lines.sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return { hash: `sha256:${hash.digest('hex')}`, files: lines.length };
}
