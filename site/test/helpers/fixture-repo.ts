import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Text that tries every injection the site must neutralise. */
export const hostile = {
  script: '<script>window.__pwned = "script"</script>',
  img: '<img src=x onerror="window.__pwned = \'onerror\'">',
  link: '[click me](javascript:window.__pwned=%22link%22)',
  iframe: '<iframe src="javascript:window.__pwned=1"></iframe>',
} as const;

const hostileText = `Evil ${hostile.script} ${hostile.img} \`</script>\` javascript:alert(1)`;

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The files of the fixture marketplace: two ordinary plugins, one hostile plugin, and patterns. */
export function fixtureFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const plugins = [
    {
      name: 'quill-docs',
      description: 'Writes changelogs and release notes from merged pull requests',
      category: 'documentation',
      keywords: ['docs', 'release'],
    },
    {
      name: 'deploy-guard',
      description: 'Blocks risky kubectl commands before they reach production',
      category: 'devops',
      keywords: ['kubernetes', 'safety'],
    },
    {
      name: 'evil-plugin',
      description: hostileText,
      category: 'security',
      keywords: ['<b>bold</b>', 'safety'],
    },
  ];
  files['.claude-plugin/marketplace.json'] = json({
    name: 'fixture-market',
    owner: { name: 'Fixture Owner', url: 'https://example.com' },
    description: 'A fixture marketplace for the site tests',
    plugins: plugins.map((plugin) => ({
      name: plugin.name,
      source: `./plugins/${plugin.name}`,
      description: plugin.description,
      version: '1.2.3',
      category: plugin.category,
      keywords: plugin.keywords,
      license: 'MIT',
      author: { name: 'Fixture Author' },
    })),
  });
  for (const plugin of plugins) {
    files[`plugins/${plugin.name}/.claude-plugin/plugin.json`] = json({
      name: plugin.name,
      version: '1.2.3',
      description: plugin.description,
      author: { name: 'Fixture Author' },
      license: 'MIT',
      keywords: plugin.keywords,
    });
  }
  files['plugins/quill-docs/commands/changelog.md'] =
    '---\ndescription: Draft the changelog entry for the current branch\nargument-hint: <version>\n---\n\n# Changelog\n\nRead the merged pull requests and write the entry for $ARGUMENTS.\n';
  files['plugins/quill-docs/agents/release-scribe.md'] =
    '---\nname: release-scribe\ndescription: Use when release notes need writing from a list of merged changes (変更一覧からリリースノートを書く)\ntools: Read, Grep\n---\n\nYou write release notes.\n';
  files['plugins/quill-docs/skills/style-check/SKILL.md'] =
    '---\nname: style-check\ndescription: Checks prose and C# doc comments against the house style guide\n---\n\n# Style check\n\n1. Read.\n2. Compare.\n';
  files['plugins/quill-docs/README.md'] =
    '# Quill docs\n\nTurns merged pull requests into **changelogs**.\n\n| Command | Use |\n| --- | --- |\n| `/quill-docs:changelog` | draft an entry |\n\nSee [the guide](https://example.com/guide).\n';
  files['plugins/deploy-guard/hooks/hooks.json'] = json({
    hooks: {
      PreToolUse: [
        {
          matcher: 'Bash',
          hooks: [{ type: 'command', command: 'curl -s https://audit.example.org/check' }],
        },
      ],
      PostToolUse: [
        { hooks: [{ type: 'command', command: '"${CLAUDE_PLUGIN_ROOT}/bin/guard" --after' }] },
      ],
    },
  });
  files['plugins/deploy-guard/.mcp.json'] = json({
    mcpServers: {
      cluster: { command: 'npx', args: ['-y', 'cluster-mcp'] },
      status: { type: 'http', url: 'https://status.example.net/mcp' },
    },
  });
  files['plugins/deploy-guard/commands/rollout.md'] =
    '---\ndescription: Roll out the current release one cluster at a time, csharp services too (リリースを一段ずつ進める)\n---\n\nRoll out carefully.\n';
  files['plugins/evil-plugin/commands/pwn.md'] =
    `---\ndescription: "${hostile.script.replaceAll('"', '\\"')}"\n---\n\n${hostileText}\n`;
  files['plugins/evil-plugin/README.md'] = [
    '# Evil',
    '',
    hostile.script,
    '',
    hostile.img,
    '',
    hostile.iframe,
    '',
    hostile.link,
    '',
    '[relative](../../etc/passwd) and <a href="javascript:alert(1)" onclick="window.__pwned=2">raw</a>',
    '',
    '![pixel](javascript:alert(1))',
    '',
  ].join('\n');
  files['patterns/release-notes-flow.md'] = [
    '---',
    'pattern_id: pat_2026-01-05_release-notes',
    'category: documentation',
    'success_rate: 0.86',
    'executions: 14',
    'successes: 12',
    'validated: true',
    'status: validated',
    'interval: [0.66, 0.95]',
    'tags: [docs, release]',
    'steps: ["agent:release-scribe", "skill:style-check"]',
    'first_seen: "2026-01-05"',
    'last_seen: "2026-02-11"',
    '---',
    '',
    '# Release notes from merged work',
    '',
    '## Workflow',
    '1. Gather merged pull requests (Release Scribe)',
    '2. Draft the notes with `release-scribe`',
    '3. Polish wording with the zeppelin-lint check (Style Check)',
    '',
    '## Metrics',
    '- Success: 86%',
    '',
  ].join('\n');
  files['patterns/evil-pattern.md'] = [
    '---',
    'pattern_id: pat_2026-01-06_evil',
    'category: security',
    'success_rate: 0.75',
    'executions: 4',
    'validated: false',
    '---',
    '',
    `# Evil ${hostile.script}`,
    '',
    '## Workflow',
    `1. Inject ${hostile.img} (Attacker)`,
    `2. Phish ${hostile.link}`,
    '',
    hostile.iframe,
    '',
    `<div onmouseover="window.__pwned=3">hover</div>`,
    '',
  ].join('\n');
  return files;
}

/** Writes `files` under `root` and commits them in a new git repository (two commits, dated). */
export function writeFixtureRepo(
  root: string,
  files: Record<string, string> = fixtureFiles(),
): void {
  mkdirSync(root, { recursive: true });
  const git = (args: string[], date: string): void => {
    execFileSync('git', ['-C', root, ...args], {
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Fixture',
        GIT_AUTHOR_EMAIL: 'fixture@example.com',
        GIT_COMMITTER_NAME: 'Fixture',
        GIT_COMMITTER_EMAIL: 'fixture@example.com',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    });
  };
  git(['init', '-q', '-b', 'main'], '2026-01-01T00:00:00Z');
  const later = Object.keys(files).filter((file) => file.startsWith('plugins/quill-docs/'));
  for (const [file, text] of Object.entries(files)) {
    if (later.includes(file)) continue;
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  git(['add', '-A'], '2026-01-10T12:00:00Z');
  git(['commit', '-q', '-m', 'Add the catalog'], '2026-01-10T12:00:00Z');
  for (const file of later) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), files[file] ?? '');
  }
  git(['add', '-A'], '2026-02-20T08:30:00Z');
  git(['commit', '-q', '-m', 'Add quill-docs'], '2026-02-20T08:30:00Z');
}
