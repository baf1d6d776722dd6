import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { hostileCases } from './helpers/hostile-markdown.ts';
import { json, makeTree, removeTree } from './helpers/tree.ts';

const cli = path.resolve(import.meta.dirname, '../src/cli.ts');
const trees: string[] = [];
afterAll(() => trees.forEach(removeTree));

describe('agentops-lint on hostile input', () => {
  test(
    'reports every hostile file with a diagnostic, exits 1, and runs nothing',
    { timeout: 20_000 },
    () => {
      const scratch = makeTree({});
      trees.push(scratch);
      const marker = path.join(scratch, 'ran');
      const nine = Array(9).fill('"lol"').join(',');
      const bomb = [
        'a: &a [' + nine + ']',
        ...'bcdefghi'
          .split('')
          .map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
      ].join('\n');
      const files = {
        '.claude-plugin/marketplace.json': json({
          name: 'hostile-market',
          owner: { name: 'Mallory' },
          description: 'Hostile input',
          plugins: [{ name: 'evil', source: './plugins/evil', version: '1.0.0' }],
        }),
        'plugins/evil/.claude-plugin/plugin.json':
          '{"name":"evil","version":"1.0.0","description":"Evil","author":{"name":"M"},"__proto__":{"polluted":true}}\n',
        'plugins/evil/hooks/hooks.json': '['.repeat(100_000) + ']'.repeat(100_000),
        'plugins/evil/agents/bomb.md': `---\n${bomb}\n---\nBody\n`,
        'plugins/evil/commands/js.md': `---js\n{ description: (require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'), 'x') }\n---\nBody\n`,
        'plugins/evil/commands/javascript.md': `--- JavaScript \nrequire('fs').writeFileSync(${JSON.stringify(marker)}, 'x')\n---\nBody\n`,
        'plugins/evil/commands/latin1.md': new Uint8Array([
          0x2d, 0x2d, 0x2d, 0x0a, 0x64, 0x3a, 0x20, 0xe9, 0x0a, 0x2d, 0x2d, 0x2d, 0x0a,
        ]),
        'plugins/evil/commands/passwd.md': { symlink: '/etc/passwd' },
        'plugins/evil/commands/loop-a.md': { symlink: 'loop-b.md' },
        'plugins/evil/commands/loop-b.md': { symlink: 'loop-a.md' },
        'patterns/testing/binary.md': new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0, 1, 2, 3]),
        'patterns/testing/huge.md': `---\nnote: "${'x'.repeat(3 * 1024 * 1024)}"\n---\n`,
      };
      const tree = makeTree(files);
      trees.push(tree);
      const run = spawnSync(process.execPath, [cli, '--format', 'compact', '.'], {
        cwd: tree,
        encoding: 'utf8',
        timeout: 15_000,
      });
      expect(existsSync(marker)).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(run.stderr).toBe('');
      expect(run.status).toBe(1);
      expect(run.stdout.trim().split('\n').sort()).toEqual([
        'patterns/testing/binary.md:1:1-1:1 error parse Unexpected binary content, expected UTF-8 text',
        'patterns/testing/huge.md:1:1-1:1 error parse Unexpected file of 3.0 MiB, expected at most 1 MiB (Claude Code skips larger files)',
        'plugins/evil/.claude-plugin/plugin.json:1:77-1:88 warning schema Unexpected field `__proto__`, Claude Code ignores it',
        'plugins/evil/agents/bomb.md:2:1-2:2 error parse Unexpected expansion of YAML aliases beyond 100, expected plain values (an alias bomb)',
        'plugins/evil/commands/javascript.md:1:1-1:16 error parse Unexpected executable frontmatter `---JavaScript`, expected YAML frontmatter (`---`)',
        'plugins/evil/commands/js.md:1:1-1:6 error parse Unexpected executable frontmatter `---js`, expected YAML frontmatter (`---`)',
        'plugins/evil/commands/latin1.md:2:4-2:5 error parse Unexpected invalid UTF-8 byte sequence, expected UTF-8 text',
        'plugins/evil/commands/loop-a.md:1:1-1:1 error symlink Unexpected symlink loop through `loop-b.md`, expected a link that resolves',
        'plugins/evil/commands/loop-b.md:1:1-1:1 error symlink Unexpected symlink loop through `loop-a.md`, expected a link that resolves',
        'plugins/evil/commands/passwd.md:1:1-1:1 error symlink Unexpected symlink to `/etc/passwd` outside the repository, expected a target inside it',
        'plugins/evil/hooks/hooks.json:1:257-1:258 error parse Unexpected nesting deeper than 256 levels, expected a shallower document',
      ]);
    },
  );
});

describe('agentops-lint on generated hostile Markdown (seeded)', () => {
  const seed = 14;
  const cases = hostileCases(seed, 60);

  test(`gives every one of ${cases.length} cases of seed ${seed} a link message and finishes`, () => {
    const files: Record<string, string> = {
      'plugins/fuzz/.claude-plugin/plugin.json': json({
        name: 'fuzz',
        version: '1.0.0',
        description: 'Fuzz',
        author: { name: 'M' },
      }),
    };
    cases.forEach((body, index) => {
      files[`plugins/fuzz/commands/case-${index}.md`] =
        `---\ndescription: Case ${index}\n---\n${body}`;
    });
    const tree = makeTree(files);
    trees.push(tree);
    const run = spawnSync(process.execPath, [cli, '--format', 'json', '.'], {
      cwd: tree,
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 1 << 28,
    });
    expect([run.stderr, run.status]).toEqual(['', 0]);
    const report = JSON.parse(run.stdout) as {
      filePath: string;
      messages: { ruleId: string; message: string }[];
    }[];
    const limitRe =
      /^Unexpected (?:Markdown nested \d+ levels deep, expected at most 32 levels|Markdown block of \d+ characters between blank lines, expected at most 32768|more than 65536 characters of Markdown with links to check in one file, expected fewer) \(links from here on are not checked\)$/;
    cases.forEach((_, index) => {
      const file = report.find((entry) => entry.filePath.endsWith(`/case-${index}.md`));
      const messages = (file?.messages ?? []).filter((m) => m.ruleId === 'link-targets-exist');
      const last = messages.at(-1)?.message ?? '';
      // The case's own broken link closes its report, unless a cap stopped the checking first.
      const own = `Missing \`commands/missing-case-${index}.md\`, expected the file this link leads to in the plugin`;
      expect(last === own || limitRe.test(last), `case ${index}: ${last}`).toBe(true);
      expect(messages.filter((m) => limitRe.test(m.message)).length).toBeLessThanOrEqual(1);
    });
  }, 150_000);
});
