import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Gzip-compressed bytes of a page and of the CSS and JavaScript it loads up front. */
export interface PageWeight {
  html: number;
  css: number;
  js: number;
  total: number;
  files: string[];
}

/** Size of `bytes` after gzip at the level static hosts use. */
export function gzipSize(bytes: Uint8Array | string): number {
  return gzipSync(bytes, { level: 9 }).length;
}

const stylesheetRe =
  /<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"|<link[^>]+href="([^"]+)"[^>]*rel="stylesheet"/g;
const scriptRe = /<script[^>]+src="([^"]+)"/g;
const staticImportRe = /(?:^|[;\s}])import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g;

/** Maps a URL in the site (with the base) to its file in `outDir`. */
function fileOf(outDir: string, base: string, url: string, from: string): string | undefined {
  if (/^[a-z]+:/i.test(url)) return undefined;
  const prefix = base.replace(/\/+$/, '');
  if (url.startsWith('/')) {
    if (!url.startsWith(`${prefix}/`)) return undefined;
    return path.join(outDir, url.slice(prefix.length));
  }
  return path.join(path.dirname(from), url);
}

/**
 * What a first visit to `htmlFile` downloads before any interaction: the page, its stylesheets,
 * its scripts and their static imports (Pagefind, loaded on search, is not counted).
 */
export function pageWeight(
  outDir: string,
  base: string,
  htmlFile: string,
  sizes = new Map<string, number>(),
): PageWeight {
  const html = readFileSync(htmlFile, 'utf8');
  const files = new Set<string>();
  let css = 0;
  let js = 0;
  // Pages share their stylesheets and scripts: each is compressed once per `sizes`.
  const sizeOf = (file: string): number => {
    let size = sizes.get(file);
    if (size === undefined) {
      size = gzipSize(readFileSync(file));
      sizes.set(file, size);
    }
    return size;
  };
  for (const match of html.matchAll(stylesheetRe)) {
    const file = fileOf(outDir, base, match[1] ?? match[2] ?? '', htmlFile);
    if (file && !files.has(file)) {
      files.add(file);
      css += sizeOf(file);
    }
  }
  const queue: string[] = [];
  for (const match of html.matchAll(scriptRe)) {
    const file = fileOf(outDir, base, match[1] ?? '', htmlFile);
    if (file) queue.push(file);
  }
  while (queue.length > 0) {
    const file = queue.shift() ?? '';
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    js += sizeOf(file);
    for (const match of text.matchAll(staticImportRe)) {
      const imported = fileOf(outDir, base, match[1] ?? '', file);
      if (imported) queue.push(imported);
    }
  }
  const htmlSize = gzipSize(html);
  return {
    html: htmlSize,
    css,
    js,
    total: htmlSize + css + js,
    files: [...files].map((file) => path.relative(outDir, file)),
  };
}

/** Every HTML file under `dir`. */
export function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.html'))
    .map((file) => path.join(dir, file));
}

/** The heaviest page of a built site, by `pageWeight`, and how many pages were weighed. */
export function heaviestPage(
  outDir: string,
  base: string,
): { file: string; weight: PageWeight; pages: number } {
  const sizes = new Map<string, number>();
  const files = htmlFiles(outDir).sort();
  let heaviest: { file: string; weight: PageWeight } | undefined;
  for (const file of files) {
    const weight = pageWeight(outDir, base, file, sizes);
    if (!heaviest || weight.total > heaviest.weight.total) heaviest = { file, weight };
  }
  if (!heaviest) throw new Error(`No HTML page in ${outDir}`);
  return {
    file: path.relative(outDir, heaviest.file),
    weight: heaviest.weight,
    pages: files.length,
  };
}

/** The page linking to the most plugin and pattern pages, and how many it links to. */
export function mostLinkedPage(outDir: string): {
  file: string;
  links: number;
  largestBytes: number;
  largestFile: string;
} {
  let best = { file: '', links: 0 };
  let largest = { file: '', bytes: 0 };
  for (const file of htmlFiles(outDir)) {
    const html = readFileSync(file, 'utf8');
    if (html.length > largest.bytes) largest = { file, bytes: html.length };
    const links = new Set(html.match(/href="[^"]*\/(?:plugins|patterns)\/[^"/]+\/"/g) ?? []).size;
    if (links > best.links) best = { file, links };
  }
  return {
    file: path.relative(outDir, best.file),
    links: best.links,
    largestBytes: largest.bytes,
    largestFile: path.relative(outDir, largest.file),
  };
}
