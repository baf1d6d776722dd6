import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { VFile } from 'vfile';
import {
  createMemorySource,
  loadCatalog,
  parseCatalog,
  type Catalog,
} from '../../src/catalog/index.ts';
import { createFsSource } from '../../src/catalog/read.ts';
import { json, makeTree, removeTree } from '../helpers/tree.ts';

const trees: string[] = [];
afterAll(() => trees.forEach(removeTree));
function tree(entries: Parameters<typeof makeTree>[0]): string {
  const root = makeTree(entries);
  trees.push(root);
  return root;
}

/** Every message of a catalog as `path:line:col-line:col severity ruleId reason`, sorted. */
function messages(catalog: Catalog): string[] {
  return catalog.files
    .flatMap((file: VFile) =>
      file.messages.map((m) => {
        const p =
          m.place && 'start' in m.place
            ? m.place
            : { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
        return `${file.path}:${p.start.line}:${p.start.column}-${p.end.line}:${p.end.column} ${m.fatal ? 'error' : 'warning'} ${m.ruleId} ${m.reason}`;
      }),
    )
    .sort();
}

const plugin = (name: string, extra: Record<string, unknown> = {}): string =>
  json({
    name,
    version: '1.0.0',
    description: `The ${name} plugin`,
    author: { name: 'Ada' },
    ...extra,
  });

const marketplace = (plugins: unknown[]): string =>
  json({ name: 'acme-tools', owner: { name: 'Acme' }, description: 'Tools', plugins });

describe('loadCatalog', () => {
  test('discovers plugins from the marketplace and plugins/*, with components and invocation names', async () => {
    const root = tree({
      '.claude-plugin/marketplace.json': marketplace([
        { name: 'alpha', source: './plugins/alpha', version: '1.0.0' },
        { name: 'beta', source: './extra/beta' },
      ]),
      'plugins/alpha/.claude-plugin/plugin.json': plugin('alpha'),
      'plugins/alpha/commands/deploy.md':
        '---\ndescription: Deploy the app\n---\nDeploy $ARGUMENTS\n',
      'plugins/alpha/commands/db/migrate.md': '---\ndescription: Run migrations\n---\nMigrate.\n',
      'plugins/alpha/agents/reviewer.md':
        '---\nname: code-reviewer\ndescription: Reviews diffs\n---\nYou review.\n',
      'plugins/alpha/skills/api-design/SKILL.md':
        '---\nname: api-design\ndescription: Design APIs\n---\nSteps.\n',
      'plugins/alpha/README.md': '# Alpha\n',
      'plugins/alpha/bin/alpha-tool': '#!/bin/sh\n',
      'extra/beta/.claude-plugin/plugin.json': plugin('beta'),
      'plugins/gamma/.claude-plugin/plugin.json': plugin('gamma'),
    });
    const catalog = await loadCatalog(root);
    expect(messages(catalog)).toEqual([]);
    expect(catalog.plugins.map((p) => [p.dir, p.name, p.discoveredBy])).toEqual([
      ['extra/beta', 'beta', 'marketplace'],
      ['plugins/alpha', 'alpha', 'both'],
      ['plugins/gamma', 'gamma', 'folder'],
    ]);
    const alpha = catalog.plugins[1]!;
    expect(alpha.entry?.index).toBe(0);
    expect(alpha.commands.map((c) => [c.path, c.invocation, c.description])).toEqual([
      ['plugins/alpha/commands/db/migrate.md', '/alpha:db:migrate', 'Run migrations'],
      ['plugins/alpha/commands/deploy.md', '/alpha:deploy', 'Deploy the app'],
    ]);
    expect(alpha.agents.map((a) => [a.id, a.origin])).toEqual([['alpha:code-reviewer', 'default']]);
    expect(alpha.skills.map((s) => [s.invocation, s.dir])).toEqual([
      ['/alpha:api-design', 'plugins/alpha/skills/api-design'],
    ]);
    expect(alpha.bin).toEqual(['plugins/alpha/bin/alpha-tool']);
    expect(alpha.readme?.path).toBe('plugins/alpha/README.md');
    expect(alpha.tokens).toEqual({
      session:
        alpha.commands.concat().reduce((s, c) => s + c.tokens.session, 0) +
        alpha.agents[0]!.tokens.session +
        alpha.skills[0]!.tokens.session,
      activation:
        Math.ceil('Deploy $ARGUMENTS\n'.length / 4) +
        Math.ceil('Migrate.\n'.length / 4) +
        Math.ceil('You review.\n'.length / 4) +
        Math.ceil('Steps.\n'.length / 4),
    });
    expect(alpha.commands[1]!.tokens).toEqual({
      session: Math.ceil('deploy Deploy the app'.length / 4),
      activation: 5,
    });
  });

  test('applies Claude Code precedence: manifest commands and agents replace the folder, skills add to it', async () => {
    const root = tree({
      'plugins/p/.claude-plugin/plugin.json': plugin('p', {
        commands: ['./custom/run.md'],
        agents: ['./custom/helper.md'],
        skills: ['./more-skills'],
      }),
      'plugins/p/commands/ignored.md': '---\ndescription: Not loaded\n---\n',
      'plugins/p/agents/ignored.md': '---\ndescription: Not loaded\n---\n',
      'plugins/p/custom/run.md': '---\ndescription: Run it\n---\n',
      'plugins/p/custom/helper.md': '---\ndescription: Helps\n---\n',
      'plugins/p/skills/one/SKILL.md': '---\nname: one\ndescription: One\n---\n',
      'plugins/p/more-skills/two/SKILL.md': '---\nname: two\ndescription: Two\n---\n',
    });
    const [p] = (await loadCatalog(root)).plugins;
    expect(p!.commands.map((c) => [c.invocation, c.origin])).toEqual([['/p:run', 'manifest']]);
    expect(p!.agents.map((a) => a.id)).toEqual(['p:helper']);
    expect(p!.skills.map((s) => [s.invocation, s.origin])).toEqual([
      ['/p:one', 'default'],
      ['/p:two', 'manifest'],
    ]);
    expect(p!.shadowedFolders).toEqual(['plugins/p/commands', 'plugins/p/agents']);
  });

  test('records component paths that lead nowhere, and skill files Claude Code skips', async () => {
    const root = tree({
      'plugins/p/.claude-plugin/plugin.json': plugin('p', {
        commands: './missing.md',
        skills: ['./skills/solo/SKILL.md'],
      }),
      'plugins/p/skills/flat.md': '---\ndescription: flat\n---\n',
      'plugins/p/skills/solo/SKILL.md': '---\nname: solo\ndescription: Solo\n---\n',
      'plugins/p/skills/deep/nested/SKILL.md': '---\nname: nested\ndescription: Deep\n---\n',
      'plugins/p/skills/lower/skill.md': '---\nname: lower\ndescription: Lower\n---\n',
    });
    const [p] = (await loadCatalog(root)).plugins;
    expect(p!.pathProblems).toEqual([
      { declaredIn: 'manifest', pointer: '/commands', path: './missing.md', problem: 'missing' },
      {
        declaredIn: 'manifest',
        pointer: '/skills/0',
        path: './skills/solo/SKILL.md',
        problem: 'not-a-directory',
      },
    ]);
    expect(p!.unloaded).toEqual([
      { path: 'plugins/p/skills/deep/nested/SKILL.md', reason: 'skill-too-deep' },
      { path: 'plugins/p/skills/flat.md', reason: 'skill-not-in-folder' },
      { path: 'plugins/p/skills/lower/skill.md', reason: 'skill-file-name-case' },
    ]);
    expect(p!.skills.map((s) => s.name)).toEqual(['solo']);
  });

  test('flattens hooks from the hooks file, the manifest and the marketplace entry, flagging broad ones', async () => {
    const root = tree({
      '.claude-plugin/marketplace.json': marketplace([
        {
          name: 'h',
          source: './plugins/h',
          hooks: { Stop: [{ hooks: [{ type: 'command', command: 'echo bye' }] }] },
        },
      ]),
      'plugins/h/.claude-plugin/plugin.json': plugin('h', {
        hooks: { UserPromptSubmit: [{ hooks: [{ type: 'prompt', prompt: 'check' }] }] },
      }),
      'plugins/h/hooks/hooks.json': json({
        hooks: {
          PreToolUse: [
            {
              matcher: 'Bash',
              hooks: [{ type: 'command', command: '"${CLAUDE_PLUGIN_ROOT}/check.sh"' }],
            },
          ],
          PostToolUse: [{ hooks: [{ type: 'http', url: 'https://hooks.acme.dev/post' }] }],
        },
      }),
    });
    const [h] = (await loadCatalog(root)).plugins;
    expect(h!.hooks.map((x) => [x.event, x.matcher, x.type, x.broad, x.path, x.pointer])).toEqual([
      [
        'PreToolUse',
        'Bash',
        'command',
        false,
        'plugins/h/hooks/hooks.json',
        '/hooks/PreToolUse/0/hooks/0',
      ],
      [
        'PostToolUse',
        undefined,
        'http',
        true,
        'plugins/h/hooks/hooks.json',
        '/hooks/PostToolUse/0/hooks/0',
      ],
      [
        'UserPromptSubmit',
        undefined,
        'prompt',
        true,
        'plugins/h/.claude-plugin/plugin.json',
        '/hooks/UserPromptSubmit/0/hooks/0',
      ],
      [
        'Stop',
        undefined,
        'command',
        false,
        '.claude-plugin/marketplace.json',
        '/plugins/0/hooks/Stop/0/hooks/0',
      ],
    ]);
    expect(h!.hooks[1]!.url).toBe('https://hooks.acme.dev/post');
  });

  test('describes MCP and LSP servers as local commands or remote hosts', async () => {
    const root = tree({
      'plugins/m/.claude-plugin/plugin.json': plugin('m', {
        mcpServers: { inline: { type: 'sse', url: 'https://mcp.acme.dev/sse' } },
      }),
      'plugins/m/.mcp.json': json({
        mcpServers: {
          local: { command: 'npx', args: ['-y', 'acme-mcp'] },
          remote: { type: 'http', url: 'https://api.acme.dev/mcp' },
        },
      }),
      'plugins/m/.lsp.json': json({
        go: { command: 'gopls', extensionToLanguage: { '.go': 'go', '.mod': 'go.mod' } },
      }),
    });
    const [m] = (await loadCatalog(root)).plugins;
    expect(m!.mcpServers).toEqual([
      {
        name: 'local',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', 'acme-mcp'],
        host: undefined,
        path: 'plugins/m/.mcp.json',
        pointer: '/mcpServers/local',
      },
      {
        name: 'remote',
        transport: 'http',
        command: undefined,
        args: [],
        host: 'api.acme.dev',
        path: 'plugins/m/.mcp.json',
        pointer: '/mcpServers/remote',
      },
      {
        name: 'inline',
        transport: 'sse',
        command: undefined,
        args: [],
        host: 'mcp.acme.dev',
        path: 'plugins/m/.claude-plugin/plugin.json',
        pointer: '/mcpServers/inline',
      },
    ]);
    expect(m!.lspServers).toEqual([
      {
        name: 'go',
        command: 'gopls',
        languages: ['go', 'go.mod'],
        path: 'plugins/m/.lsp.json',
        pointer: '/go',
      },
    ]);
  });

  test('gives each pattern its interval: written, estimated from counts, or none', () => {
    const fm = (extra: string): string =>
      `---\npattern_id: pat_2025-01-01_x\ncategory: testing\nsuccess_rate: 0.75\nexecutions: 4\nvalidated: false\n${extra}---\n`;
    const catalog = parseCatalog(
      createMemorySource({
        'patterns/testing/a.md': fm('interval:\n  - 0.5\n  - 0.9\n'),
        'patterns/testing/b.md': fm('failures: 1\n'),
        'patterns/testing/c.md': fm('successes: 3\nfailures: 1\n'),
        'patterns/testing/d.md': fm(''),
      }),
    );
    expect(catalog.patterns.map((p) => [p.slug, p.interval])).toEqual([
      ['a', { range: [0.5, 0.9], estimated: false }],
      ['b', { range: [0.34, 0.92], estimated: true }],
      ['c', { range: [0.34, 0.92], estimated: true }],
      ['d', undefined],
    ]);
  });

  test("ends a pattern's frontmatter only at a `---` line, a command's at the first `---`", () => {
    const catalog = parseCatalog(
      createMemorySource({
        'patterns/testing/a.md':
          '---\npattern_id: pat_2025-01-01_a\ncategory: testing\nsuccess_rate: 0.75\nexecutions: 4\nvalidated: false\nverify: "make test FLAGS=---all"\n---\n',
        'plugins/p/.claude-plugin/plugin.json': '{ "name": "p" }',
        'plugins/p/commands/run.md': '---\ndescription: "Split --- then join"\n---\n',
      }),
    );
    expect(catalog.patterns.map((pattern) => pattern.doc.data?.verify)).toEqual([
      'make test FLAGS=---all',
    ]);
    expect(messages(catalog).filter((line) => line.includes(' parse '))).toEqual([
      'plugins/p/commands/run.md:2:21-2:22 error parse Unexpected YAML in frontmatter, expected valid YAML (Missing closing "quote)',
    ]);
  });

  test('reads the seed example pattern with no message, with headings and workflow steps', async () => {
    const seed = [
      '---',
      'pattern_id: pat_2025-11-07_oauth_api',
      'category: api-development',
      'success_rate: 0.95',
      'executions: 20',
      'validated: true',
      '---',
      '',
      '# Pattern: Add OAuth2 to REST API',
      '',
      '## Workflow',
      '1. Research OAuth2 libraries (Code Explorer)',
      '2. Plan authentication flow (Spec Architect)',
      '',
      '```md',
      '## Not a heading',
      '```',
      '',
      '## Optimizations',
      '- Parallel: Research + Plan (saves 10min)',
      '',
      '## Metrics',
      '- Duration: ~45min (was 60min)',
      '',
    ].join('\n');
    const root = tree({ 'patterns/api-development/pat_2025-11-07_oauth_api.md': seed });
    const catalog = await loadCatalog(root);
    expect(messages(catalog)).toEqual([]);
    const [pattern] = catalog.patterns;
    expect(pattern!.id).toBe('pat_2025-11-07_oauth_api');
    expect(pattern!.folder).toBe('api-development');
    expect(pattern!.title).toBe('Add OAuth2 to REST API');
    expect(pattern!.headings.map((h) => [h.depth, h.text, h.place.start.line])).toEqual([
      [1, 'Pattern: Add OAuth2 to REST API', 9],
      [2, 'Workflow', 11],
      [2, 'Optimizations', 19],
      [2, 'Metrics', 22],
    ]);
    expect(pattern!.steps).toEqual([
      { text: 'Research OAuth2 libraries (Code Explorer)', actor: 'Code Explorer', line: 12 },
      { text: 'Plan authentication flow (Spec Architect)', actor: 'Spec Architect', line: 13 },
    ]);
  });

  test('loads files with a BOM and CRLF line endings, with exact positions', async () => {
    const root = tree({
      'plugins/b/.claude-plugin/plugin.json':
        '\uFEFF{\r\n  "name": "b",\r\n  "version": 1\r\n}\r\n',
      'plugins/b/commands/go.md': '\uFEFF---\r\ndescription: Go\r\n---\r\nGo.\r\n',
    });
    const catalog = await loadCatalog(root);
    const [b] = catalog.plugins;
    expect(b!.commands[0]!.description).toBe('Go');
    expect(b!.manifest!.positions.value('/version')).toEqual({
      start: { line: 3, column: 14 },
      end: { line: 3, column: 15 },
    });
    expect(b!.manifest!.file.data.bom).toBe(true);
  });

  test('reports malformed JSON and duplicate keys at their exact place', async () => {
    const root = tree({
      '.claude-plugin/marketplace.json':
        '{\n  "name": "x",\n  "name": "y",\n  "owner": {"name": "o"},\n  "plugins": []\n}\n',
      'plugins/bad/.claude-plugin/plugin.json': '{\n  "name": "bad",\n  "version": "1.0.0",\n}\n',
    });
    const catalog = await loadCatalog(root);
    const found = messages(catalog).filter((m) => m.includes(' parse '));
    expect(found).toEqual([
      '.claude-plugin/marketplace.json:3:3-3:9 warning parse Unexpected duplicate key `name`, expected each key once (the last one wins)',
      'plugins/bad/.claude-plugin/plugin.json:4:1-4:2 error parse Unexpected `}`, expected a member name in double quotes',
    ]);
    const cause = catalog.files[0]!.messages.find((m) => m.ruleId === 'parse')!.cause as {
      reason: string;
      place: unknown;
    };
    expect([cause.reason, cause.place]).toEqual([
      'First definition of `name`',
      { start: { line: 2, column: 3 }, end: { line: 2, column: 9 } },
    ]);
  });

  test('reports symlink loops and symlinks out of the repository without following them', async () => {
    const root = tree({
      'plugins/s/.claude-plugin/plugin.json': plugin('s'),
      'plugins/s/commands/passwd.md': { symlink: '/etc/passwd' },
      'plugins/s/commands/loop-a.md': { symlink: 'loop-b.md' },
      'plugins/s/commands/loop-b.md': { symlink: 'loop-a.md' },
      'plugins/s/commands/gone.md': { symlink: 'nowhere.md' },
      'plugins/s/commands/shared.md': { symlink: '../../../shared/shared.md' },
      'shared/shared.md': '---\ndescription: Shared\n---\n',
    });
    const catalog = await loadCatalog(root);
    expect(messages(catalog).filter((m) => m.includes(' symlink '))).toEqual([
      'plugins/s/commands/gone.md:1:1-1:1 error symlink Unexpected dangling symlink to `nowhere.md`, expected an existing target',
      'plugins/s/commands/loop-a.md:1:1-1:1 error symlink Unexpected symlink loop through `loop-b.md`, expected a link that resolves',
      'plugins/s/commands/loop-b.md:1:1-1:1 error symlink Unexpected symlink loop through `loop-a.md`, expected a link that resolves',
      'plugins/s/commands/passwd.md:1:1-1:1 error symlink Unexpected symlink to `/etc/passwd` outside the repository, expected a target inside it',
    ]);
    expect(catalog.files.some((f) => String(f.value).includes('root:'))).toBe(false);
    const [s] = catalog.plugins;
    expect(s!.commands.map((c) => c.invocation)).toEqual(['/s:shared']);
    expect(catalog.symlinks.find((l) => l.path === 'plugins/s/commands/shared.md')).toEqual({
      path: 'plugins/s/commands/shared.md',
      target: '../../../shared/shared.md',
      resolved: 'shared/shared.md',
      problem: undefined,
    });
  });

  test('reports binary, invalid UTF-8 and oversized files without parsing them', async () => {
    const root = tree({
      'patterns/binary.md': new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0x02]),
      'patterns/latin1.md': new Uint8Array([
        0x2d, 0x2d, 0x2d, 0x0a, 0x61, 0x3a, 0x20, 0xe9, 0x0a, 0x2d, 0x2d, 0x2d, 0x0a,
      ]),
      'patterns/huge.md': `---\nd: "${'x'.repeat(3 * 1024 * 1024)}"\n---\n`,
    });
    const catalog = await loadCatalog(root);
    expect(messages(catalog)).toEqual([
      'patterns/binary.md:1:1-1:1 error parse Unexpected binary content, expected UTF-8 text',
      'patterns/huge.md:1:1-1:1 error parse Unexpected file of 3.0 MiB, expected at most 1 MiB (Claude Code skips larger files)',
      'patterns/latin1.md:2:4-2:5 error parse Unexpected invalid UTF-8 byte sequence, expected UTF-8 text',
    ]);
  });

  test('reports executable frontmatter in a pattern and never runs it', async () => {
    const marker = path.join(path.dirname(tree({})), `agentops-js-${process.pid}`);
    const root = tree({
      'patterns/evil.md': `---js\n{ pattern_id: (require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'), 'x') }\n---\n# Evil\n`,
    });
    const catalog = await loadCatalog(root);
    expect(existsSync(marker)).toBe(false);
    expect(messages(catalog)).toEqual([
      'patterns/evil.md:1:1-1:6 error parse Unexpected executable frontmatter `---js`, expected YAML frontmatter (`---`)',
    ]);
  });

  test('treats marketplace sources listed as present, and flags missing ones', () => {
    const catalog = parseCatalog(
      createMemorySource({
        '.claude-plugin/marketplace.json': marketplace([
          { name: 'kept', source: './plugins/kept' },
          { name: 'gone', source: './plugins/gone' },
        ]),
      }),
      { assumePresent: ['./plugins/kept'] },
    );
    expect(catalog.plugins.map((p) => [p.name, p.dirExists])).toEqual([
      ['gone', false],
      ['kept', true],
    ]);
  });

  test('reads each file once even when two manifest fields name it', () => {
    const source = createMemorySource({
      'plugins/p/.claude-plugin/plugin.json': plugin('p', { hooks: './hooks/hooks.json' }),
      'plugins/p/hooks/hooks.json': json({
        hooks: { Stop: [{ hooks: [{ type: 'command', command: 'true' }] }] },
      }),
    });
    const reads: string[] = [];
    const counting = {
      ...source,
      read: (p: string, max: number) => (reads.push(p), source.read(p, max)),
    };
    const catalog = parseCatalog(counting);
    expect(reads.sort()).toEqual([
      'plugins/p/.claude-plugin/plugin.json',
      'plugins/p/hooks/hooks.json',
    ]);
    expect(catalog.plugins[0]!.hooks).toHaveLength(1);
  });

  test('loads a repository reached through a symlinked path, links inside it included', async () => {
    const real = tree({
      'plugins/p/.claude-plugin/plugin.json': plugin('p'),
      'plugins/p/commands/a.md': '---\ndescription: A\n---\n',
      'plugins/p/commands/b.md': { symlink: 'a.md' },
    });
    const alias = `${real}-alias`;
    symlinkSync(real, alias);
    trees.push(alias);
    const catalog = await loadCatalog(alias);
    expect(messages(catalog)).toEqual([]);
    expect(catalog.plugins[0]!.commands.map((c) => c.invocation)).toEqual(['/p:a', '/p:b']);
  });

  test('treats a directory with only plugin.json as a single plugin', () => {
    const catalog = parseCatalog(
      createMemorySource(
        {
          '.claude-plugin/plugin.json': plugin('solo'),
          'commands/hi.md': '---\ndescription: Hi\n---\n',
        },
        '/work/solo',
      ),
    );
    expect(
      catalog.plugins.map((p) => [p.dir, p.name, p.commands.map((c) => c.invocation)]),
    ).toEqual([['.', 'solo', ['/solo:hi']]]);
  });
});

describe('createFsSource().read', () => {
  const sizes = [0, 1, 65_535, 65_536, 65_537, 200_000, 250_000, 250_001];
  const bytesOf = (size: number): Uint8Array =>
    Uint8Array.from({ length: size }, (_, index) => 97 + (index % 26));

  test('reads listed and symlinked files whole, at most `maxBytes`, and sizes what is larger', () => {
    const files: Record<string, Uint8Array> = {};
    for (const size of sizes) files[`d/f${size}.md`] = bytesOf(size);
    const root = tree(files);
    for (const size of sizes) symlinkSync(`f${size}.md`, path.join(root, `d/l${size}.md`));
    const source = createFsSource(root);
    source.list('');
    source.list('d');
    for (const name of ['f', 'l']) {
      for (const size of sizes) {
        const bytes = source.read(`d/${name}${size}.md`, 250_000);
        const expected =
          size > 250_000 ? { problem: 'too-large', size } : Buffer.from(bytesOf(size));
        expect([name, size, bytes instanceof Uint8Array ? Buffer.from(bytes) : bytes]).toEqual([
          name,
          size,
          expected,
        ]);
      }
    }
  });
});

describe('createFsSource().list', () => {
  test('lists a folder before its parents, and reads through it only while no symlink leads out', () => {
    const outside = tree({ 'secret.md': 'outside\n' });
    const root = tree({ 'plugins/a/commands/run.md': 'run\n', 'real/inner/x.md': 'x\n' });
    symlinkSync(path.join(root, 'real'), path.join(root, 'plugins/linked'));
    symlinkSync(outside, path.join(root, 'plugins/out'));
    const source = createFsSource(root);
    const text = (file: string): unknown => {
      const bytes = source.read(file, 1024);
      return bytes instanceof Uint8Array ? Buffer.from(bytes).toString('utf8') : bytes;
    };
    // Deep folders first, their parents never listed.
    expect(source.list('plugins/a/commands')).toEqual([{ name: 'run.md', type: 'file' }]);
    expect([source.type('plugins/a'), source.type('plugins/a/commands/run.md')]).toEqual([
      'dir',
      'file',
    ]);
    expect(text('plugins/a/commands/run.md')).toBe('run\n');
    expect(source.list('plugins/linked/inner')).toEqual([{ name: 'x.md', type: 'file' }]);
    expect(text('plugins/linked/inner/x.md')).toBe('x\n');
    expect(source.list('plugins/out')).toEqual([{ name: 'secret.md', type: 'file' }]);
    expect(text('plugins/out/secret.md')).toEqual({ problem: 'outside-root' });
    expect(source.list('plugins/a/../out')).toEqual([{ name: 'secret.md', type: 'file' }]);
    expect(text('plugins/a/../out/secret.md')).toEqual({ problem: 'outside-root' });
    expect(source.list('plugins/a/commands/run.md')).toEqual([]);
    expect(source.list('plugins/missing')).toEqual([]);
    expect(source.type('plugins/missing')).toBe('missing');
  });

  test('lists names in UTF-16 order, as the other sources do, also past U+FFFF', () => {
    const names = ['b.md', '\uFF01.md', '\u{1F600}.md', 'A.md', '_.md', 'a.md'];
    const root = tree(Object.fromEntries(names.map((name) => [`d/${name}`, 'x\n'])));
    expect(
      createFsSource(root)
        .list('d')
        .map((entry) => entry.name),
    ).toEqual(['A.md', '_.md', 'a.md', 'b.md', '\u{1F600}.md', '\uFF01.md']);
  });

  test('answers paths under a listed folder from its listing, symlinks still followed', () => {
    const root = tree({ 'plugins/a/commands/run.md': 'run\n', 'real/x.md': 'x\n' });
    symlinkSync(path.join(root, 'real'), path.join(root, 'plugins/a/linked'));
    const source = createFsSource(root);
    expect(source.list('plugins/a').map((entry) => [entry.name, entry.type])).toEqual([
      ['commands', 'dir'],
      ['linked', 'symlink'],
    ]);
    // Made after the listing: the run sees the tree it listed.
    mkdirSync(path.join(root, 'plugins/a/bin'));
    writeFileSync(path.join(root, 'plugins/a/bin/check'), 'echo\n');
    expect(
      ['plugins/a/bin', 'plugins/a/bin/check', 'plugins/a/linked', 'plugins/a/linked/x.md'].map(
        (file) => source.type(file),
      ),
    ).toEqual(['missing', 'missing', 'dir', 'file']);
    // Not listed: asked of the file system, and then known as a listed entry would be.
    writeFileSync(path.join(root, 'plugins/a/commands/new.md'), 'new\n');
    expect(source.type('plugins/a/commands/new.md')).toBe('file');
    expect(source.type('plugins/a/commands/./new.md')).toBe('file');
    expect(source.type('plugins/a/commands/../commands/new.md')).toBe('file');
    expect(
      Buffer.from(source.read('plugins/a/commands/new.md', 1024) as Uint8Array).toString(),
    ).toBe('new\n');
  });
});
