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
export function pageWeight(outDir: string, base: string, htmlFile: string): PageWeight {
  const html = readFileSync(htmlFile, 'utf8');
  const files = new Set<string>();
  let css = 0;
  let js = 0;
  for (const match of html.matchAll(stylesheetRe)) {
    const file = fileOf(outDir, base, match[1] ?? match[2] ?? '', htmlFile);
    if (file && !files.has(file)) {
      files.add(file);
      css += gzipSize(readFileSync(file));
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
    js += gzipSize(text);
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
