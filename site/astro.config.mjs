// @ts-check
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { extraIndexWords, indexedText } from './src/lib/search-words.ts';

const env = process.env;
const siteDir = path.dirname(fileURLToPath(import.meta.url));
const site = env.AGENTOPS_SITE || 'https://agentops-marketplace.github.io';
const base = env.AGENTOPS_BASE ?? '/agentops-marketplace';
const outDir = path.resolve(env.AGENTOPS_OUT || path.join(siteDir, 'dist'));

/** Word positions per Pagefind index chunk (see `pagefindIndex`). */
const indexChunkSize = 4000;

/**
 * The built pages the search covers, relative to `output`, sorted.
 * @param {string} output
 */
function indexedPages(output) {
  return ['plugins', 'patterns', 'federated']
    .filter((dir) => existsSync(path.join(output, dir)))
    .flatMap((dir) =>
      readdirSync(path.join(output, dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.html'))
        .map((file) => path.posix.join(dir, file.split(path.sep).join('/'))),
    )
    .sort();
}

/**
 * `html` with the search words Pagefind's splitting loses (`extraIndexWords`) in one more indexed
 * element at the end of its body, or as it is when it has none.
 * @param {string} html
 */
function withExtraWords(html) {
  const words = extraIndexWords(indexedText(html));
  const end = html.lastIndexOf('</body>');
  if (words.length === 0 || end === -1) return html;
  const body = html.includes('data-pagefind-body') ? ' data-pagefind-body' : '';
  return `${html.slice(0, end)}<div${body}>${words.join(' ')}</div>${html.slice(end)}`;
}

/** Indexes the built pages with Pagefind (chunked index) into `<outDir>/pagefind/`. */
function pagefindIndex() {
  return {
    name: 'agentops-pagefind',
    hooks: {
      /** @param {{ dir: URL, logger: { info(message: string): void } }} options */
      'astro:build:done': async ({ dir, logger }) => {
        // Pagefind fetches, for each word searched, the whole index chunk holding it. Its default
        // chunks (20,000 word positions, about 35 KB compressed) cost a session of ten searches of
        // the federated catalog over 400 KB in index alone; 4,000 positions make chunks of about
        // 7 KB. The cost: Pagefind looks a word up in the one chunk where it would sort, so longer
        // words it starts are missed when they fall in the next chunk, and chunk boundaries are
        // five times as many. The indexing service reads the variable when it starts.
        process.env.PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE ??= String(indexChunkSize);
        const pagefind = await import('pagefind');
        const output = fileURLToPath(dir);
        const { index, errors } = await pagefind.createIndex({});
        if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
        // Each page is added as built, plus the words Pagefind's splitting loses (Chinese,
        // Japanese and Korean runs, `C#` and `.NET`: see `search-words.ts`); the files on disk
        // stay as built.
        let pageCount = 0;
        for (const sourcePath of indexedPages(output)) {
          const html = readFileSync(path.join(output, sourcePath), 'utf8');
          const added = await index.addHTMLFile({ sourcePath, content: withExtraWords(html) });
          if (added.errors.length > 0)
            throw new Error(
              `Pagefind indexing failed on ${sourcePath}: ${added.errors.join('; ')}`,
            );
          pageCount++;
        }
        const written = await index.writeFiles({ outputPath: path.join(output, 'pagefind') });
        if (written.errors.length > 0)
          throw new Error(`Pagefind writing failed: ${written.errors.join('; ')}`);
        await pagefind.close();
        logger.info(`Pagefind indexed ${pageCount} pages`);
      },
    },
  };
}

const serverResolve = {
  noExternal: ['agentops-lint'],
  conditions: ['source', ...defaultServerConditions],
  externalConditions: ['source'],
};

export default defineConfig({
  root: siteDir,
  site,
  base,
  outDir,
  cacheDir: env.AGENTOPS_CACHE ? path.resolve(env.AGENTOPS_CACHE) : undefined,
  trailingSlash: 'ignore',
  build: { format: 'directory', inlineStylesheets: 'never' },
  devToolbar: { enabled: false },
  integrations: [pagefindIndex()],
  vite: {
    // Use agentops-lint's TypeScript sources (its `source` export condition), so the site needs no lint build.
    resolve: { conditions: ['source', ...defaultClientConditions] },
    environments: Object.fromEntries(
      ['ssr', 'prerender', 'astro'].map((name) => [name, { resolve: serverResolve }]),
    ),
  },
});
