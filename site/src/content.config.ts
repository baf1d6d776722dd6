import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { defineCollection } from 'astro/content/config';
import type { Loader } from 'astro/loaders';
import type { SiteData } from './lib/catalog-view.ts';
import { renderDoc } from './lib/docs.ts';
import { buildFederatedViews, presenceMarkerId } from './lib/federated-view.ts';
import { readFederationIndex } from './lib/federation-index.ts';
import { describeSchema } from './lib/schema-doc.ts';
import { readSiteConfig } from './lib/site-config.ts';
import { loadSiteData } from './lib/site-data.ts';

const config = readSiteConfig(process.env);
let siteData: Promise<SiteData> | undefined;

/** Loads the catalog once for all collections; a catalog with errors fails the build. */
function catalogData(): Promise<SiteData> {
  siteData ??= loadSiteData(config);
  return siteData;
}

/** Stores each plugin, pattern or the marketplace from the shared loader's catalog. */
function catalogLoader(part: 'plugins' | 'patterns' | 'marketplace'): Loader {
  return {
    name: `agentops-catalog-${part}`,
    load: async ({ store, logger }) => {
      const data = await catalogData();
      store.clear();
      if (part === 'marketplace') {
        store.set({ id: 'marketplace', data: { ...data.marketplace, repo: config.repo } });
        if (data.marketplace.addSource === undefined)
          logger.warn(
            `${config.repo} has no GitHub remote (git config remote.origin.url) and AGENTOPS_ADD_SOURCE is not set: install commands add the marketplace from a clone`,
          );
        return;
      }
      for (const entry of part === 'plugins' ? data.plugins : data.patterns) {
        store.set({ id: 'name' in entry ? entry.name : entry.id, data: { ...entry } });
      }
      // A catalog without patterns (or plugins) is normal: never empty, so Astro does not warn.
      store.set({ id: presenceMarkerId, data: {} });
    },
  };
}

async function markdownFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir, { recursive: true });
    return names
      .filter((name) => name.endsWith('.md'))
      .map((name) => name.split(path.sep).join('/'))
      .sort();
  } catch {
    return [];
  }
}

/** Federated plugins and marketplaces from the repository's validated `federation/index.json`. */
function federatedLoader(part: 'plugins' | 'marketplaces'): Loader {
  return {
    name: `agentops-federated-${part}`,
    load: async ({ store }) => {
      const views = buildFederatedViews(await readFederationIndex(config.repo));
      store.clear();
      for (const entry of views[part]) store.set({ id: entry.id, data: { ...entry } });
      // Never empty, so that Astro does not warn (see `presenceMarkerId`).
      store.set({ id: presenceMarkerId, data: {} });
    },
  };
}

/** The project's docs (`docs/**\/*.md`), rendered and sanitized like catalog text. */
const docsLoader: Loader = {
  name: 'agentops-docs',
  load: async ({ store, config: astro }) => {
    store.clear();
    const files = await markdownFiles(config.docsDir);
    const known = new Set(files);
    for (const file of files) {
      const text = await readFile(path.join(config.docsDir, file), 'utf8');
      const doc = renderDoc(file, text, astro.base, (target) => known.has(target));
      store.set({ id: doc.id, data: { ...doc } });
    }
  },
};

/** The JSON Schemas, raw (published byte for byte) and described for the reference pages. */
const schemasLoader: Loader = {
  name: 'agentops-schemas',
  load: async ({ store }) => {
    store.clear();
    let names: string[];
    try {
      names = (await readdir(config.schemasDir))
        .filter((name) => name.endsWith('.schema.json'))
        .sort();
    } catch {
      return;
    }
    for (const name of names) {
      const kind = name.slice(0, -'.schema.json'.length);
      const raw = await readFile(path.join(config.schemasDir, name), 'utf8');
      store.set({
        id: kind,
        data: { raw, doc: { ...describeSchema(kind, JSON.parse(raw) as unknown) } },
      });
    }
  },
};

export const collections = {
  plugins: defineCollection({ loader: catalogLoader('plugins') }),
  patterns: defineCollection({ loader: catalogLoader('patterns') }),
  marketplace: defineCollection({ loader: catalogLoader('marketplace') }),
  federated: defineCollection({ loader: federatedLoader('plugins') }),
  federatedMarketplaces: defineCollection({ loader: federatedLoader('marketplaces') }),
  docs: defineCollection({ loader: docsLoader }),
  schemas: defineCollection({ loader: schemasLoader }),
};
