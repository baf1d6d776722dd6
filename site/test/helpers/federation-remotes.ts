import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { commitAll } from '../../../test/helpers/remotes.ts';
import { hostile } from './fixture-repo.ts';

/** A description carrying a script, an image with a handler and a `javascript:` text. */
export const hostileDescription = `Evil ${hostile.script} ${hostile.img} javascript:alert(1)`;
/** A marketplace name carrying markup: invalid, so it shows up in the first error too. */
export const hostileName = `evil${hostile.img}`;

/**
 * Writes the git remotes the federated site test syncs, under `<work>/remotes`: two corpus
 * marketplaces, a mirror of one of their plugins with a hostile external entry, and a broken
 * marketplace whose name and description carry markup. Returns the list file naming them.
 */
export function writeFederationRemotes(
  work: string,
  corpus: string,
): { list: string; remotes: string } {
  const remotes = path.join(work, 'remotes');
  const url = (id: string): string => `file://${path.join(remotes, id)}`;
  for (const id of ['kecbigmt__cc-plugins', 'yshrsmz__cc-plugins']) {
    cpSync(path.join(corpus, id), path.join(remotes, id), { recursive: true });
    commitAll(path.join(remotes, id));
  }
  // A mirror: a byte-identical copy of story-driven (one canonical entry, two marketplaces)
  // and an external entry without a commit (unpinned) whose description is hostile.
  const mirror = path.join(remotes, 'mirror__plugins');
  cpSync(
    path.join(corpus, 'kecbigmt__cc-plugins/plugins/story-driven'),
    path.join(mirror, 'plugins/story-driven'),
    { recursive: true },
  );
  mkdirSync(path.join(mirror, '.claude-plugin'), { recursive: true });
  writeFileSync(
    path.join(mirror, '.claude-plugin/marketplace.json'),
    `${JSON.stringify({
      name: 'mirror-market',
      owner: { name: 'Mirror' },
      plugins: [
        { name: 'story-driven', source: './plugins/story-driven', description: 'A copy' },
        {
          name: 'evil-ext',
          source: { source: 'github', repo: 'evil/ext' },
          description: hostileDescription,
          homepage: 'javascript:window.__pwned=3',
        },
      ],
    })}\n`,
  );
  commitAll(mirror);
  // A broken marketplace whose name, description and so first error carry markup.
  const broken = path.join(remotes, 'broken__hostile');
  mkdirSync(path.join(broken, '.claude-plugin'), { recursive: true });
  writeFileSync(
    path.join(broken, '.claude-plugin/marketplace.json'),
    `${JSON.stringify({ name: hostileName, owner: { name: 'B' }, description: hostileDescription, plugins: [] })}\n`,
  );
  commitAll(broken);

  const list = path.join(work, 'marketplaces.json');
  writeFileSync(
    list,
    JSON.stringify(
      ['broken__hostile', 'kecbigmt__cc-plugins', 'mirror__plugins', 'yshrsmz__cc-plugins'].map(
        (id) => ({
          id,
          source: url(id),
        }),
      ),
    ),
  );
  return { list, remotes };
}

/** What injected markup could have done on a page: a set global, `javascript:` URLs, handlers. */
export function injectionFindings(
  page: Page,
): Promise<{ pwned: unknown; javascriptUrls: number; handlers: number }> {
  return page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
    javascriptUrls: [...document.querySelectorAll('[href], [src]')].filter((element) =>
      /^\s*javascript:/i.test(element.getAttribute('href') ?? element.getAttribute('src') ?? ''),
    ).length,
    handlers: [...document.querySelectorAll('*')].filter((element) =>
      [...element.attributes].some((attribute) => /^on/i.test(attribute.name)),
    ).length,
  }));
}

/**
 * Fetches `start` and every same-origin page it links to, following links only from pages whose
 * URL contains `within` (others are checked, not crawled). Returns the URLs that did not answer
 * 200 and every URL seen.
 */
export async function crawl(
  start: string,
  within: string,
): Promise<{ broken: string[]; seen: Set<string> }> {
  const origin = new URL(start).origin;
  const seen = new Set<string>();
  const queue = [start];
  const broken: string[] = [];
  while (queue.length > 0) {
    const url = queue.shift() ?? '';
    if (seen.has(url)) continue;
    seen.add(url);
    const response = await fetch(url);
    if (response.status !== 200) {
      broken.push(url);
      continue;
    }
    if (!url.includes(within)) continue;
    const html = await response.text();
    for (const match of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
      const target = new URL((match[1] ?? '').replaceAll('&amp;', '&'), url);
      target.hash = '';
      if (target.origin === origin && target.search === '') queue.push(target.href);
    }
  }
  return { broken, seen };
}
