// Federation sync benchmark: generates N marketplaces holding P plugins in total as local git
// remotes (about one plugin in ten also listed by a second marketplace, one entry in twenty
// external), syncs them twice and prints the wall times.
//
//   npm run bench:federation                                   300 marketplaces, 5,000 plugins
//   npm run bench:federation -- --marketplaces 30 --plugins 500 --concurrency 4
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { syncFederation } from './sync.ts';

const { values } = parseArgs({
  options: {
    marketplaces: { type: 'string', default: '300' },
    plugins: { type: 'string', default: '5000' },
    concurrency: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const marketplaceCount = Number(values.marketplaces);
const pluginCount = Number(values.plugins);
const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);

const words =
  'api auth cache deploy docs event feature graph http index job kube log metric node oauth queue release schema test token user vault webhook'.split(
    ' ',
  );

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Writes one plugin folder; the same `seed` gives the same bytes (for cross-listed copies). */
function writePlugin(dir: string, name: string, seed: number): string {
  const word = (k: number): string => words[(seed * 7 + k * 13) % words.length] ?? 'api';
  const description = `Helps with ${word(1)} and ${word(2)} work in ${word(3)} projects`;
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  write(
    path.join(dir, '.claude-plugin/plugin.json'),
    json({ name, version: '1.0.0', description, author: { name: 'Bench' }, license: 'MIT' }),
  );
  for (const command of ['run', 'check']) {
    write(
      path.join(dir, 'commands', `${command}.md`),
      `---\ndescription: ${command} the ${word(4)} workflow\nargument-hint: <target>\n---\n\n# ${command}\n\nDo the ${command} step for $ARGUMENTS.\n`,
    );
  }
  write(
    path.join(dir, 'agents/helper.md'),
    `---\nname: helper\ndescription: Use when the ${word(5)} work needs a second pair of eyes\ntools: Read, Grep\n---\n\nYou are a careful helper.\n`,
  );
  write(
    path.join(dir, 'skills/guide/SKILL.md'),
    `---\nname: guide\ndescription: Guides ${word(6)} tasks step by step\n---\n\n# Guide\n\n1. Read.\n2. Plan.\n3. Do.\n`,
  );
  if (seed % 3 === 0) {
    write(
      path.join(dir, 'hooks/hooks.json'),
      json({
        hooks: {
          PostToolUse: [
            {
              matcher: 'Edit|Write',
              hooks: [{ type: 'command', command: '"${CLAUDE_PLUGIN_ROOT}/bin/check"' }],
            },
          ],
        },
      }),
    );
  }
  if (seed % 5 === 0)
    write(
      path.join(dir, '.mcp.json'),
      json({
        mcpServers: { [word(7)]: { type: 'http', url: `https://${word(7)}.example.com/mcp` } },
      }),
    );
  return description;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', ...args], {
    cwd,
    stdio: 'ignore',
  });
}

const root = mkdtempSync(path.join(os.tmpdir(), 'agentops-federation-bench-'));
try {
  const started = performance.now();
  const list: { id: string; source: string }[] = [];
  const perMarketplace = Math.ceil(pluginCount / marketplaceCount);
  let made = 0;
  for (let m = 0; m < marketplaceCount; m++) {
    const id = `owner${m}__market${m}`;
    const repo = path.join(root, 'remotes', id);
    const entries: unknown[] = [];
    for (let k = 0; k < perMarketplace && made < pluginCount; k++, made++) {
      const seed = made;
      const external = seed % 20 === 19;
      const name = `plugin-${String(seed).padStart(5, '0')}`;
      if (external) {
        entries.push({
          name,
          source: { source: 'github', repo: `someone/${name}` },
          description: 'An external plugin',
        });
        continue;
      }
      const description = writePlugin(path.join(repo, 'plugins', name), name, seed);
      entries.push({ name, source: `./plugins/${name}`, description, version: '1.0.0' });
    }
    // Cross-list: every tenth marketplace also carries a copy of two plugins of the previous one.
    if (m % 10 === 5) {
      for (const seed of [made - perMarketplace - 1, made - perMarketplace - 2]) {
        if (seed < 0 || seed % 20 === 19) continue;
        const name = `plugin-${String(seed).padStart(5, '0')}`;
        const description = writePlugin(path.join(repo, 'plugins', name), name, seed);
        entries.push({ name, source: `./plugins/${name}`, description, version: '1.0.0' });
      }
    }
    write(
      path.join(repo, '.claude-plugin/marketplace.json'),
      `${JSON.stringify({ name: `market-${m}`, owner: { name: `Owner ${m}` }, description: 'Benchmark marketplace', plugins: entries }, null, 2)}\n`,
    );
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'uploadpack.allowFilter', 'true');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'Bench marketplace');
    list.push({ id, source: `file://${repo}` });
  }
  const listFile = path.join(root, 'marketplaces.json');
  writeFileSync(listFile, `${JSON.stringify(list, null, 2)}\n`);
  console.log(
    `Generated ${list.length} marketplaces with ${made} plugins in ${((performance.now() - started) / 1000).toFixed(1)} s (${root})`,
  );

  const out = path.join(root, 'federation');
  for (const run of ['first', 'second']) {
    const t0 = performance.now();
    const result = await syncFederation({ list: listFile, out, concurrency, allowLocal: true });
    const seconds = (performance.now() - t0) / 1000;
    const changed = result.outcomes.filter((o) => o.changed).length;
    const ok = result.outcomes.filter((o) => o.status === 'ok').length;
    console.log(
      `${run} sync: ${seconds.toFixed(1)} s wall for ${result.outcomes.length} marketplaces (${ok} ok, ${changed} snapshots written), index ${result.indexPlugins} canonical plugins (target ≤ 120 s on 2 cores)`,
    );
  }
  const indexBytes = readFileSync(path.join(out, 'index.json')).length;
  console.log(
    `index.json: ${(indexBytes / 1024 / 1024).toFixed(1)} MiB; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
} finally {
  if (!values.keep) rmSync(root, { recursive: true, force: true });
}
