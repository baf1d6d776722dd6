// Federation sync benchmark, three scenarios, each in its own process so each peak is its own:
//   mirror      syncs every marketplace of ../shared/mirror (or --mirror <dir>): time and peak
//   hostile     one git remote holding 400 compressible 1 MB files: peak memory under the cap
//   synthetic   N generated marketplaces holding P plugins as local git remotes (one plugin in
//               ten also listed by a second marketplace, one entry in twenty external), synced twice
//
//   npm run bench:federation                                   all three
//   npm run bench:federation -- --scenario mirror              one of them
//   npm run bench:federation -- --marketplaces 30 --plugins 500 --concurrency 4
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readScriptOptions } from '../script-options.ts';
import { concurrencyOption, syncFederation } from './sync.ts';

const options = readScriptOptions({
  usage: 'Usage: npm run bench:federation -- [options]',
  summary:
    'Times federation syncs: a mirror, a hostile remote and generated marketplaces, each in its own process.',
  options: {
    marketplaces: {
      type: 'string',
      default: '300',
      value: '<n>',
      description: 'generated marketplaces (synthetic scenario)',
      min: 1,
    },
    plugins: {
      type: 'string',
      default: '5000',
      value: '<n>',
      description: 'generated plugins across them (synthetic scenario)',
      min: 1,
    },
    concurrency: concurrencyOption,
    keep: {
      type: 'boolean',
      default: false,
      description: 'keep the generated marketplaces and print where they are',
    },
    scenario: {
      type: 'string',
      value: '<name>',
      description: 'run one scenario: mirror, hostile or synthetic',
      shownDefault: 'all three',
      choices: ['mirror', 'hostile', 'synthetic'],
    },
    mirror: {
      type: 'string',
      default: path.resolve(import.meta.dirname, '../../../shared/mirror'),
      value: '<dir>',
      description: 'the mirror the mirror scenario syncs',
      shownDefault: '../shared/mirror, beside the repository',
    },
  },
});
const peakMiB = (): string => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`;

const marketplaceCount = Number(options?.values.marketplaces);
const pluginCount = Number(options?.values.plugins);
const concurrency =
  options?.values.concurrency === undefined ? undefined : Number(options.values.concurrency);

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

/** The generated marketplaces, synced twice. */
async function benchSynthetic(): Promise<void> {
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
    if (options?.values.keep !== true) rmSync(root, { recursive: true, force: true });
  }
}

if (options === undefined) {
  // `--help`, or a bad command line: answered already.
} else if (options.values.scenario === undefined) {
  // Each scenario in a child process with the same Node flags, so peaks do not add up.
  for (const scenario of ['mirror', 'hostile', 'synthetic']) {
    spawnSync(
      process.execPath,
      [...process.execArgv, import.meta.filename, ...process.argv.slice(2), '--scenario', scenario],
      { stdio: 'inherit' },
    );
  }
} else if (options.values.scenario === 'mirror') {
  if (!existsSync(path.join(options.values.mirror, 'SOURCES.tsv'))) {
    console.log(`Mirror sync: skipped, no SOURCES.tsv in ${options.values.mirror}`);
  } else {
    const out = mkdtempSync(path.join(os.tmpdir(), 'agentops-federation-bench-mirror-'));
    try {
      const t0 = performance.now();
      const result = await syncFederation({
        list: path.resolve(import.meta.dirname, '../../federation/marketplaces.json'),
        out,
        mirror: options.values.mirror,
      });
      const seconds = (performance.now() - t0) / 1000;
      const statuses = new Map<string, number>();
      for (const o of result.outcomes) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
      console.log(
        `Mirror sync: ${seconds.toFixed(1)} s wall for ${result.outcomes.length} marketplaces (${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')}), index ${result.indexPlugins} canonical plugins; peak RSS ${peakMiB()} (targets ≤ 120 s, ≤ 500 MiB)`,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
} else if (options.values.scenario === 'hostile') {
  const root = mkdtempSync(path.join(os.tmpdir(), 'agentops-federation-bench-hostile-'));
  try {
    const repo = path.join(root, 'remote');
    const body = `---\ndescription: Bloat\n---\n${'a'.repeat(1_000_000 - 30)}\n`;
    mkdirSync(path.join(repo, 'plugins/bloat/commands'), { recursive: true });
    for (let i = 0; i < 400; i++)
      writeFileSync(path.join(repo, 'plugins/bloat/commands', `c${i}.md`), body);
    write(
      path.join(repo, '.claude-plugin/marketplace.json'),
      `${JSON.stringify({ name: 'bloat', owner: { name: 'B' }, plugins: [{ name: 'bloat', source: './plugins/bloat' }] })}\n`,
    );
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'uploadpack.allowFilter', 'true');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'Bloat');
    const list = path.join(root, 'list.json');
    writeFileSync(list, JSON.stringify([{ id: 'bloat__market', source: `file://${repo}` }]));
    const t0 = performance.now();
    const result = await syncFederation({
      list,
      out: path.join(root, 'out'),
      allowLocal: true,
    });
    const outcome = result.outcomes[0];
    console.log(
      `Hostile remote (400 compressible 1 MB files): ${((performance.now() - t0) / 1000).toFixed(1)} s, ${outcome?.status ?? 'none'}, ${outcome?.errors[0] ?? 'no error'}; peak RSS ${peakMiB()} (target ≤ 500 MiB)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
} else {
  await benchSynthetic();
}
