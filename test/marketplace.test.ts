import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { planLinks } from '../scripts/marketplace.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const script = path.join(repoRoot, 'scripts', 'marketplace.ts');
const temps: string[] = [];

afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function run(root: string, ...args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--conditions=source', script, '--root', root, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Writes a minimal plugin into a fixture repository. */
function writePlugin(root: string, name: string, files: Record<string, string> = {}): void {
  const dir = path.join(root, 'plugins', name);
  fs.mkdirSync(path.join(dir, '.claude-plugin'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, '.claude-plugin', 'plugin.json'),
    JSON.stringify({ name, version: '1.0.0', description: `${name} plugin`, license: 'MIT' }),
  );
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

function fixtureRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-marketplace-'));
  temps.push(root);
  return root;
}

function linksUnder(root: string): string[] {
  const claude = path.join(root, '.claude');
  if (!fs.existsSync(claude)) return [];
  return fs
    .readdirSync(claude, { recursive: true, encoding: 'utf8' })
    .filter((rel) => fs.lstatSync(path.join(claude, rel)).isSymbolicLink())
    .map((rel) => `.claude/${rel} -> ${fs.readlinkSync(path.join(claude, rel))}`)
    .sort();
}

describe('the committed marketplace', () => {
  test('is current: `--check` reports no drift', () => {
    const r = run(repoRoot, '--check');
    expect(r.err).toBe('');
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  test('lists every plugin, sorted, with relative sources and plugin.json versions', () => {
    const marketplace = readJson(path.join(repoRoot, '.claude-plugin', 'marketplace.json')) as {
      plugins: Record<string, unknown>[];
    };
    expect(marketplace).toMatchObject({
      $schema:
        'https://agentops-marketplace.github.io/agentops-marketplace/schemas/marketplace.schema.json',
      name: 'agentops-marketplace',
      owner: { name: 'AgentOps Marketplace', url: 'https://github.com/agentops-marketplace' },
    });
    const names = marketplace.plugins.map((p) => p.name);
    expect(names).toEqual([
      'agentops-core',
      'agentops-devops',
      'agentops-meta-orchestrator',
      'agentops-product-dev',
    ]);
    for (const entry of marketplace.plugins) {
      const name = String(entry.name);
      const manifest = readJson(
        path.join(repoRoot, 'plugins', name, '.claude-plugin', 'plugin.json'),
      ) as Record<string, unknown>;
      expect(Object.keys(entry)).toEqual([
        'name',
        'source',
        'description',
        'version',
        'author',
        'homepage',
        'repository',
        'license',
        'keywords',
        'category',
      ]);
      expect(entry.source).toBe(`./plugins/${name}`);
      for (const field of ['description', 'version', 'author', 'homepage', 'repository']) {
        expect(entry[field]).toEqual(manifest[field]);
      }
    }
  });

  test('every .claude symlink is relative and resolves inside the repository', () => {
    const links = linksUnder(repoRoot);
    expect(links.length).toBeGreaterThan(0);
    const realRoot = fs.realpathSync(repoRoot);
    for (const line of links) {
      const [link = '', target = ''] = line.split(' -> ');
      expect(path.isAbsolute(target), link).toBe(false);
      const resolved = fs.realpathSync(path.join(repoRoot, link));
      expect(resolved.startsWith(realRoot + path.sep), link).toBe(true);
      expect(resolved.startsWith(path.join(realRoot, 'plugins') + path.sep), link).toBe(true);
    }
  });

  test('commands that need their plugin root are not exposed under .claude', () => {
    const links = linksUnder(repoRoot).join('\n');
    expect(links).not.toContain('agentops-meta-orchestrator/commands/');
    expect(links).toContain(
      '.claude/skills/using-patterns -> ../../plugins/agentops-meta-orchestrator/skills/using-patterns',
    );
  });
});

describe('generating into a fixture repository', () => {
  test('writes the marketplace and links, then has nothing to do', () => {
    const root = fixtureRepo();
    writePlugin(root, 'agentops-devops', {
      'commands/release.md': '---\ndescription: Release\n---\nRelease $ARGUMENTS\n',
      'agents/ci-engineer.md': '---\nname: ci-engineer\n---\nBody\n',
      'skills/blameless-postmortem/SKILL.md': '---\nname: blameless-postmortem\n---\nBody\n',
    });
    writePlugin(root, 'agentops-core');

    const first = run(root);
    expect(first.err).toBe('');
    expect(first.out).toBe(
      [
        'wrote .claude-plugin/marketplace.json',
        'linked .claude/agents/ci-engineer.md -> ../../plugins/agentops-devops/agents/ci-engineer.md',
        'linked .claude/commands/release.md -> ../../plugins/agentops-devops/commands/release.md',
        'linked .claude/skills/blameless-postmortem -> ../../plugins/agentops-devops/skills/blameless-postmortem',
        '',
      ].join('\n'),
    );
    expect(first.status).toBe(0);
    const text = fs.readFileSync(path.join(root, '.claude-plugin', 'marketplace.json'), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "name": "agentops-marketplace",\n');
    const marketplace = JSON.parse(text) as { plugins: Record<string, unknown>[] };
    expect(marketplace.plugins).toEqual([
      {
        name: 'agentops-core',
        source: './plugins/agentops-core',
        description: 'agentops-core plugin',
        version: '1.0.0',
        license: 'MIT',
        category: 'development',
      },
      {
        name: 'agentops-devops',
        source: './plugins/agentops-devops',
        description: 'agentops-devops plugin',
        version: '1.0.0',
        license: 'MIT',
        category: 'devops',
      },
    ]);
    expect(fs.readdirSync(path.join(root, '.claude-plugin'))).toEqual(['marketplace.json']);

    const second = run(root);
    expect(second).toEqual({ status: 0, out: '', err: '' });
    expect(run(root, '--check')).toEqual({ status: 0, out: '', err: '' });
  });

  test('`--check` reports a version bump, a missing link and a stale link, and changes nothing', () => {
    const root = fixtureRepo();
    writePlugin(root, 'agentops-core', {
      'agents/reviewer.md': '---\nname: reviewer\n---\nBody\n',
      'agents/code-explorer.md': '---\nname: code-explorer\n---\nBody\n',
    });
    expect(run(root).status).toBe(0);
    const manifestFile = path.join(root, 'plugins/agentops-core/.claude-plugin/plugin.json');
    fs.writeFileSync(
      manifestFile,
      JSON.stringify({ name: 'agentops-core', version: '1.1.0', description: 'x' }),
    );
    fs.rmSync(path.join(root, 'plugins/agentops-core/agents/reviewer.md'));
    fs.writeFileSync(
      path.join(root, 'plugins/agentops-core/agents/spec-architect.md'),
      '---\nname: spec-architect\n---\nBody\n',
    );
    const before = linksUnder(root);

    const r = run(root, '--check');
    expect(r.status).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      [
        '.claude-plugin/marketplace.json is out of date',
        '.claude/agents/spec-architect.md: missing link to ../../plugins/agentops-core/agents/spec-architect.md',
        '.claude/agents/reviewer.md: stale link',
        'Run `npm run marketplace` to regenerate.',
        '',
      ].join('\n'),
    );
    expect(linksUnder(root)).toEqual(before);

    expect(run(root).status).toBe(0);
    expect(linksUnder(root)).toEqual([
      '.claude/agents/code-explorer.md -> ../../plugins/agentops-core/agents/code-explorer.md',
      '.claude/agents/spec-architect.md -> ../../plugins/agentops-core/agents/spec-architect.md',
    ]);
    const marketplace = readJson(path.join(root, '.claude-plugin', 'marketplace.json')) as {
      plugins: { version: string }[];
    };
    expect(marketplace.plugins[0]?.version).toBe('1.1.0');
  });

  test('prefixes clashing file names with each plugin’s short name', () => {
    const root = fixtureRepo();
    const command = '---\ndescription: Orchestrate\n---\n$ARGUMENTS\n';
    writePlugin(root, 'agentops-core', { 'commands/orchestrate.md': command });
    writePlugin(root, 'agentops-devops', { 'commands/orchestrate.md': command });
    writePlugin(root, 'agentops-product-dev', { 'commands/prd.md': command });
    expect(run(root).status).toBe(0);
    expect(linksUnder(root)).toEqual([
      '.claude/commands/core-orchestrate.md -> ../../plugins/agentops-core/commands/orchestrate.md',
      '.claude/commands/devops-orchestrate.md -> ../../plugins/agentops-devops/commands/orchestrate.md',
      '.claude/commands/prd.md -> ../../plugins/agentops-product-dev/commands/prd.md',
    ]);
  });

  test('leaves out components that need ${CLAUDE_PLUGIN_ROOT}, huge files and symlinked sources', () => {
    const root = fixtureRepo();
    writePlugin(root, 'agentops-meta-orchestrator', {
      'commands/learn.md':
        '---\ndescription: Learn\n---\nnode "${CLAUDE_PLUGIN_ROOT}/dist/agentops-learn.mjs" extract\n',
      'skills/using-patterns/SKILL.md': '---\nname: using-patterns\n---\nBody\n',
    });
    fs.symlinkSync(
      '/etc/hostname',
      path.join(root, 'plugins/agentops-meta-orchestrator/commands/x.md'),
    );
    fs.writeFileSync(
      path.join(root, 'plugins/agentops-meta-orchestrator/commands/huge.md'),
      `---\ndescription: Huge\n---\n${'x'.repeat(1024 * 1024)}\n`,
    );
    const outside = fixtureRepo();
    writePlugin(outside, 'agentops-elsewhere', { 'agents/spy.md': '---\nname: spy\n---\nBody\n' });
    fs.symlinkSync(
      path.join(outside, 'plugins/agentops-elsewhere'),
      path.join(root, 'plugins/agentops-elsewhere'),
    );
    expect(run(root).status).toBe(0);
    const marketplace = readJson(path.join(root, '.claude-plugin', 'marketplace.json')) as {
      plugins: { name: string }[];
    };
    expect(marketplace.plugins.map((p) => p.name)).toEqual(['agentops-meta-orchestrator']);
    expect(linksUnder(root)).toEqual([
      '.claude/skills/using-patterns -> ../../plugins/agentops-meta-orchestrator/skills/using-patterns',
    ]);
  });

  test('never overwrites a regular file, and keeps links it does not own', () => {
    const root = fixtureRepo();
    writePlugin(root, 'agentops-core', {
      'agents/reviewer.md': '---\nname: reviewer\n---\nBody\n',
    });
    fs.mkdirSync(path.join(root, '.claude', 'agents'), { recursive: true });
    fs.writeFileSync(path.join(root, '.claude/agents/reviewer.md'), 'my own reviewer\n');
    fs.symlinkSync('../../shared/mine.md', path.join(root, '.claude/agents/mine.md'));
    const r = run(root);
    expect(r.status).toBe(1);
    expect(r.err).toBe(
      '.claude/agents/reviewer.md: a file or folder is in the way, expected a symlink\n',
    );
    expect(fs.readFileSync(path.join(root, '.claude/agents/reviewer.md'), 'utf8')).toBe(
      'my own reviewer\n',
    );
    expect(linksUnder(root)).toEqual(['.claude/agents/mine.md -> ../../shared/mine.md']);
  });

  test('refuses to write links through a symlinked .claude folder', () => {
    const root = fixtureRepo();
    const elsewhere = fixtureRepo();
    writePlugin(root, 'agentops-core', {
      'agents/reviewer.md': '---\nname: reviewer\n---\nBody\n',
    });
    fs.mkdirSync(path.join(root, '.claude'));
    fs.symlinkSync(elsewhere, path.join(root, '.claude', 'agents'));
    const r = run(root);
    expect(r.status).toBe(1);
    expect(r.err).toBe('.claude/agents: not a folder, expected a folder for the links\n');
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  test('reports bad manifests with the loader’s diagnostics, without a stack trace', () => {
    const root = fixtureRepo();
    writePlugin(root, 'agentops-core');
    const manifest = path.join(root, 'plugins/agentops-core/.claude-plugin/plugin.json');
    fs.writeFileSync(manifest, '{"name":');
    const broken = run(root);
    expect(broken.status).toBe(1);
    expect(broken.err).toBe(
      'plugins/agentops-core/.claude-plugin/plugin.json:1:9: Unexpected end of file, expected `}`\n',
    );

    fs.writeFileSync(manifest, '{"name":"core","version":"1.0.0"}');
    expect(run(root).err).toBe(
      'plugins/agentops-core/.claude-plugin/plugin.json:1:9: Unexpected plugin name `core`, expected `agentops-core` (its folder name)\n',
    );

    fs.writeFileSync(manifest, '["agentops-core"]');
    expect(run(root).err).toBe(
      'plugins/agentops-core/.claude-plugin/plugin.json:1:1: Unexpected type `array`, expected an object\n',
    );

    writePlugin(root, 'agentops-devops');
    fs.writeFileSync(manifest, '{\n  "name": "agentops-core",\n  "version": 3\n}\n');
    fs.writeFileSync(
      path.join(root, 'plugins/agentops-devops/.claude-plugin/plugin.json'),
      '{"name":"agentops-devops"}',
    );
    expect(run(root).err).toBe(
      [
        'plugins/agentops-core/.claude-plugin/plugin.json:3:14: Unexpected type `integer` for `/version`, expected a string',
        'plugins/agentops-devops/.claude-plugin/plugin.json:1:1: Missing `version`, expected a string such as `1.0.0`',
        '',
      ].join('\n'),
    );

    fs.rmSync(path.join(root, 'plugins/agentops-devops'), { recursive: true });
    writePlugin(root, 'agentops-unknown');
    fs.writeFileSync(manifest, '{"name":"agentops-core","version":"1.0.0"}');
    expect(run(root).err).toBe(
      'plugins/agentops-unknown: missing category, expected an entry in `categories` in scripts/marketplace.ts\n',
    );
    expect(fs.existsSync(path.join(root, '.claude-plugin'))).toBe(false);
  });

  test('rejects unknown options with a usage line', () => {
    const r = run(fixtureRepo(), '--write');
    expect(r.status).toBe(2);
    expect(r.err.split('\n').slice(0, 3)).toEqual([
      "Unknown option '--write'",
      '',
      'Usage: npm run marketplace -- [options]',
    ]);
  });
});

describe('planLinks', () => {
  test('is independent of input order', () => {
    const components = [
      { plugin: 'agentops-devops', kind: 'skills', fileName: 'release' },
      { plugin: 'agentops-core', kind: 'skills', fileName: 'release' },
      { plugin: 'agentops-core', kind: 'agents', fileName: 'reviewer.md' },
    ] as const;
    const forward = planLinks(components);
    expect(planLinks([...components].reverse())).toEqual(forward);
    expect(forward).toEqual([
      {
        link: '.claude/agents/reviewer.md',
        target: '../../plugins/agentops-core/agents/reviewer.md',
      },
      { link: '.claude/skills/core-release', target: '../../plugins/agentops-core/skills/release' },
      {
        link: '.claude/skills/devops-release',
        target: '../../plugins/agentops-devops/skills/release',
      },
    ]);
  });

  test('refuses two components that still collide after prefixing', () => {
    expect(() =>
      planLinks([
        { plugin: 'agentops-core', kind: 'commands', fileName: 'core-plan.md' },
        { plugin: 'agentops-core', kind: 'commands', fileName: 'plan.md' },
        { plugin: 'core', kind: 'commands', fileName: 'plan.md' },
      ]),
    ).toThrow(
      '.claude/commands/core-plan.md: both ../../plugins/agentops-core/commands/core-plan.md and ../../plugins/agentops-core/commands/plan.md want this name, expected distinct file names',
    );
  });
});
