import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const repoRoot = path.resolve(import.meta.dirname, '..');
/** Every plugin in the repository: a folder under `plugins/` with a manifest. */
const pluginNames = fs
  .readdirSync(path.join(repoRoot, 'plugins'))
  .filter((name) =>
    fs.existsSync(path.join(repoRoot, 'plugins', name, '.claude-plugin', 'plugin.json')),
  )
  .sort();

test('the four AgentOps plugins are present', () => {
  expect(pluginNames).toEqual(
    expect.arrayContaining([
      'agentops-core',
      'agentops-devops',
      'agentops-meta-orchestrator',
      'agentops-product-dev',
    ]),
  );
});

/** The plugin folders this test owns: only the Claude Code surface, not the engine's sources. */
const contentDirs = ['.claude-plugin', 'commands', 'agents', 'skills', 'hooks'];

function pluginDir(plugin: string): string {
  return path.join(repoRoot, 'plugins', plugin);
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((rel) => fs.lstatSync(path.join(dir, rel)).isFile())
    .sort();
}

function contentFiles(plugin: string): string[] {
  const files = ['README.md'];
  for (const sub of contentDirs) {
    for (const rel of listFiles(path.join(pluginDir(plugin), sub))) files.push(`${sub}/${rel}`);
  }
  return files;
}

function mdFiles(plugin: string, kind: 'commands' | 'agents'): string[] {
  return listFiles(path.join(pluginDir(plugin), kind)).filter((f) => f.endsWith('.md'));
}

function skillDirs(plugin: string): string[] {
  const dir = path.join(pluginDir(plugin), 'skills');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

interface Frontmatter {
  raw: string;
  data: Record<string, unknown>;
  body: string;
}

function readFrontmatter(file: string): Frontmatter {
  const text = fs.readFileSync(file, 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (match === null) throw new Error(`${file}: no frontmatter block at byte 0`);
  const raw = match[1] ?? '';
  const data: unknown = parse(raw, { uniqueKeys: true, maxAliasCount: 0 });
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Error(`${file}: frontmatter is not a mapping`);
  }
  return { raw, data: data as Record<string, unknown>, body: match[2] ?? '' };
}

function stringField(fm: Frontmatter, key: string): string {
  const value = fm.data[key];
  if (typeof value !== 'string') throw new Error(`\`${key}\` is not a string`);
  return value.trim();
}

/** Says when to use the component, in one of the phrasings the plugins use. */
const whenRe = /\bUse (it |them |when |before |after |to |for |once |while |instead )/;
// Upper-case markers only: "todo list" is ordinary prose.
const placeholderRes = [/\b(TODO|FIXME|TBD|XXX)\b/, /lorem ipsum|\bexample\.(com|org|net)\b/i];

describe.each(pluginNames)('%s', (plugin) => {
  test('plugin.json has the marketplace fields and no component paths', () => {
    const manifest: unknown = JSON.parse(
      fs.readFileSync(path.join(pluginDir(plugin), '.claude-plugin', 'plugin.json'), 'utf8'),
    );
    expect(Object.keys(manifest as object)).toEqual([
      'name',
      'version',
      'description',
      'author',
      'homepage',
      'repository',
      'license',
      'keywords',
    ]);
    expect(manifest).toMatchObject({
      name: plugin,
      version: '1.0.0',
      author: { name: 'AgentOps Marketplace', url: 'https://github.com/agentops-marketplace' },
      homepage: `https://agentops-marketplace.github.io/agentops-marketplace/plugins/${plugin}/`,
      repository: 'https://github.com/agentops-marketplace/agentops-marketplace',
      license: 'MIT',
    });
    const { description, keywords } = manifest as { description: string; keywords: string[] };
    expect(description).toMatch(whenRe);
    expect(keywords.length).toBeGreaterThanOrEqual(3);
    for (const keyword of keywords) expect(keyword).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test('no placeholder text in any plugin file', () => {
    const offenders = contentFiles(plugin).filter((rel) => {
      const text = fs.readFileSync(path.join(pluginDir(plugin), rel), 'utf8');
      return placeholderRes.some((re) => re.test(text));
    });
    expect(offenders).toEqual([]);
  });

  test.each(mdFiles(plugin, 'commands'))(
    'command %s has its frontmatter and uses $ARGUMENTS',
    (file) => {
      const fm = readFrontmatter(path.join(pluginDir(plugin), 'commands', file));
      expect(Object.keys(fm.data).sort()).toEqual([
        'allowed-tools',
        'argument-hint',
        'description',
      ]);
      expect(stringField(fm, 'description')).toMatch(whenRe);
      expect(stringField(fm, 'description').length).toBeLessThanOrEqual(250);
      expect(stringField(fm, 'argument-hint').length).toBeGreaterThan(0);
      expect(stringField(fm, 'allowed-tools').length).toBeGreaterThan(0);
      expect(fm.body).toContain('$ARGUMENTS');
    },
  );

  test.each(mdFiles(plugin, 'agents'))(
    'agent %s is named after its file and says when to use it',
    (file) => {
      const fm = readFrontmatter(path.join(pluginDir(plugin), 'agents', file));
      expect(stringField(fm, 'name')).toBe(file.replace(/\.md$/, ''));
      expect(stringField(fm, 'description')).toMatch(whenRe);
      expect(stringField(fm, 'tools').length).toBeGreaterThan(0);
      expect(['sonnet', 'opus', 'haiku', 'inherit']).toContain(stringField(fm, 'model'));
      // A description is one line or a `|` block: a multi-line plain scalar breaks the loader.
      const lines = fm.raw.split('\n');
      const at = lines.findIndex((l) => l.startsWith('description:'));
      const isBlock = lines[at] === 'description: |';
      expect(isBlock || /^[a-z-]+:/.test(lines[at + 1] ?? 'end:')).toBe(true);
      expect(fm.raw).not.toMatch(/<example>/);
    },
  );

  test.each(skillDirs(plugin))('skill %s follows the agentskills.io limits', (dir) => {
    const fm = readFrontmatter(path.join(pluginDir(plugin), 'skills', dir, 'SKILL.md'));
    const name = stringField(fm, 'name');
    expect(name).toBe(dir);
    expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(stringField(fm, 'description').length).toBeLessThanOrEqual(1024);
    expect(stringField(fm, 'description')).toMatch(whenRe);
  });

  test('README names every command, agent and skill with a usage example', () => {
    const readme = fs.readFileSync(path.join(pluginDir(plugin), 'README.md'), 'utf8');
    const prose = readme
      .split('\n')
      .filter((l) => !l.startsWith('|'))
      .join('\n');
    for (const file of mdFiles(plugin, 'commands')) {
      const usage = new RegExp(`^/${plugin}:${file.replace(/\.md$/, '')}( |$)`, 'm');
      expect(prose).toMatch(usage);
    }
    // Each agent and skill has a table row ending in a quoted example request.
    const exampleRow = (name: string) =>
      new RegExp(`^\\| \`${name}\` \\| .+ \\| "[^"]+" \\|$`, 'm');
    for (const file of mdFiles(plugin, 'agents')) {
      expect(readme).toMatch(exampleRow(file.replace(/\.md$/, '')));
    }
    for (const dir of skillDirs(plugin)) expect(readme).toMatch(exampleRow(dir));
  });
});

describe('agentops-core', () => {
  test('ships the six roles that learned patterns name', () => {
    expect(mdFiles('agentops-core', 'agents')).toEqual([
      'change-executor.md',
      'code-explorer.md',
      'doc-generator.md',
      'reviewer.md',
      'spec-architect.md',
      'test-generator.md',
    ]);
  });
});

describe('agentops-meta-orchestrator', () => {
  const dir = pluginDir('agentops-meta-orchestrator');
  const engine = 'node "${CLAUDE_PLUGIN_ROOT}/dist/agentops-learn.mjs"';

  test('has exactly the five commands and the using-patterns skill', () => {
    expect(mdFiles('agentops-meta-orchestrator', 'commands')).toEqual([
      'execution.md',
      'learn.md',
      'metrics.md',
      'orchestrate.md',
      'patterns.md',
    ]);
    expect(skillDirs('agentops-meta-orchestrator')).toEqual(['using-patterns']);
    expect(mdFiles('agentops-meta-orchestrator', 'agents')).toEqual([]);
  });

  test('commands call the bundled engine with its real subcommands only', () => {
    const used = new Map<string, string[]>();
    for (const file of mdFiles('agentops-meta-orchestrator', 'commands')) {
      const text = fs.readFileSync(path.join(dir, 'commands', file), 'utf8');
      const calls = [...text.matchAll(/agentops-learn\.mjs"?\s+(\S+)/g)].map((m) => m[1] ?? '');
      // Every mention of the engine uses the quoted plugin-root form.
      const mentions = text.split('agentops-learn.mjs').length - 1;
      const quoted = text.split(`${engine} `).length - 1;
      const inRules = text.split('agentops-learn.mjs":*)').length - 1;
      expect(quoted + inRules, file).toBe(mentions);
      used.set(file, [...new Set(calls.filter((c) => c !== ':*)'))].sort());
    }
    expect(Object.fromEntries(used)).toEqual({
      'execution.md': ['end', 'start'],
      'learn.md': ['commit', 'extract', 'status'],
      'metrics.md': ['metrics'],
      'orchestrate.md': ['end', 'start', 'suggest'],
      'patterns.md': ['list', 'show'],
    });
  });

  test('hooks record every execution event with a quoted shell script, narrowly matched', () => {
    const hooks: unknown = JSON.parse(
      fs.readFileSync(path.join(dir, 'hooks', 'hooks.json'), 'utf8'),
    );
    // `exec`: the shell Claude Code starts (`/bin/sh -c`) becomes the script's, not its parent.
    // The session waits only for its start and its prompts; the rest run in the background.
    const hook = (script: string, event: string, background = true) => ({
      type: 'command',
      command: `exec sh "\${CLAUDE_PLUGIN_ROOT}/hooks/${script}" ${event}`,
      timeout: 10,
      ...(background ? { async: true } : {}),
    });
    const matcher = 'Task|Agent|Skill|Bash|Edit|Write|MultiEdit|NotebookEdit';
    for (const script of ['record.sh', 'session.sh', 'prompt.sh', 'store.sh', 'prompt-gate.awk'])
      expect(fs.existsSync(path.join(dir, 'hooks', script))).toBe(true);
    expect(hooks).toEqual({
      description: expect.stringContaining('Never blocks or fails the session') as unknown,
      hooks: {
        SessionStart: [{ hooks: [hook('session.sh', 'SessionStart', false)] }],
        UserPromptSubmit: [{ hooks: [hook('prompt.sh', 'UserPromptSubmit', false)] }],
        SubagentStart: [{ hooks: [hook('record.sh', 'SubagentStart')] }],
        SubagentStop: [{ hooks: [hook('record.sh', 'SubagentStop')] }],
        PostToolUse: [{ matcher, hooks: [hook('record.sh', 'PostToolUse')] }],
        PostToolUseFailure: [{ matcher, hooks: [hook('record.sh', 'PostToolUseFailure')] }],
        SessionEnd: [{ hooks: [hook('session.sh', 'SessionEnd')] }],
      },
    });
  });
});
