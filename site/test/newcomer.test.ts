import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite, siteDir } from '../scripts/build-site.ts';
import { builtBase } from '../scripts/static-server.ts';
import { fixtureFiles, writeFixtureRepo } from './helpers/fixture-repo.ts';

const serveScript = path.join(siteDir, 'scripts', 'serve.ts');
let work: string;
let outDir: string;
let output: string;

/** Starts `serve.ts`, fetches the address it prints, stops it: its first line and the page status. */
function serveOnce(args: string[]): Promise<{ line: string; status: number | undefined }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serveScript, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n')[0] ?? '';
      if (!text.includes('\n')) return;
      const url = /at (http:\S+)$/.exec(line)?.[1];
      void (url ? fetch(url).then((response) => response.status) : Promise.resolve(undefined))
        .then((status) => resolve({ line, status }), reject)
        .finally(() => child.kill());
    });
    child.on('error', reject);
  });
}

describe('building someone else’s catalog: no remote, no setting, no patterns', () => {
  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'site-newcomer-'));
    const repo = path.join(work, 'repo');
    outDir = path.join(work, 'out');
    const files = Object.fromEntries(
      Object.entries(fixtureFiles()).filter(([file]) => !file.startsWith('patterns/')),
    );
    writeFixtureRepo(repo, files);
    ({ output } = await buildSite({
      repo,
      outDir,
      cacheDir: path.join(work, 'cache'),
      base: '/their-market',
    }));
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('warns once that the marketplace can only be added from a clone, and about nothing else', () => {
    const warnings = output.split('\n').filter((line) => /\[WARN\]|warn/i.test(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /has no GitHub remote \(git config remote\.origin\.url\) and AGENTOPS_ADD_SOURCE is not set: install commands add the marketplace from a clone$/,
    );
    expect(output).not.toMatch(/does not exist or is empty/);
  });

  test('the plugin page says how to add the marketplace from a clone', () => {
    const html = readFileSync(path.join(outDir, 'plugins', 'quill-docs', 'index.html'), 'utf8');
    expect(html).toContain(
      '<p id="install-from-clone">This catalog\'s repository has no published address: clone it, then give <code>/plugin marketplace add</code> the folder of your clone instead of <code>&lt;path-to-your-clone&gt;</code>.</p>',
    );
    expect(html).toContain(
      '<pre id="install-slash">/plugin marketplace add &lt;path-to-your-clone&gt;\n/plugin install quill-docs@fixture-market</pre>',
    );
    expect(html).not.toContain('agentops-marketplace/agentops-marketplace');
  });

  test('the brand is the catalog’s own marketplace', () => {
    const home = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    expect(home).toContain('<title>Fixture Market</title>');
    expect(home).toMatch(/<a class="brand" href="\/their-market\/"[^>]*>Fixture Market<\/a>/);
    expect(home).toContain('<h1>Fixture Market</h1>');
  });

  test('`npm run serve` prints the address the built site works at, base path included', async () => {
    expect(builtBase(outDir)).toBe('/their-market/');
    const { line, status } = await serveOnce(['--dir', outDir, '--port', '0']);
    expect(line).toMatch(/^Serving .+ at http:\/\/127\.0\.0\.1:\d+\/their-market\/$/);
    expect(line.startsWith(`Serving ${outDir} at `)).toBe(true);
    expect(status).toBe(200);
  });

  test('`npm run serve` without a build says to build first', () => {
    const empty = path.join(work, 'empty');
    const result = spawnSync(process.execPath, [serveScript, '--dir', empty], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `No built site in ${empty}: run \`npm start\` (or \`npm run build\`) first.\n`,
    );
  });
});
