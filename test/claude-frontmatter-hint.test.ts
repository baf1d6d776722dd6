// Frontmatter that Claude Code cannot parse, linted with the committed bundle and validated with the
// pinned Claude Code CLI before and after the change the message asks for: the message names the
// fix, and the fix is one Claude Code accepts. Offline, with a throwaway HOME.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { claudeWorkspace, runClaude } from './helpers/claude.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const linter = path.join(repoRoot, 'lint/bin/agentops-lint.js');

let base = '';
let plugin = '';
let home = '';

/** An agent whose description runs over several lines with its examples, as real agents write it. */
const agent = [
  '---',
  'name: reviewer',
  'description: Use this agent to review a change before it ships. Examples:',
  '',
  '<example>',
  'user: "Review my change"',
  'assistant: "I will launch the reviewer agent."',
  '</example>',
  '<example>',
  'user: "Is this ready?"',
  'assistant: "Let me review it first."',
  '</example>',
  'model: inherit',
  '---',
  '',
  'Review the change.',
  '',
].join('\n');

/** A command whose nested value holds `: `, which Claude Code's lenient retry does not quote. */
const command = [
  '---',
  'description: Review local changes',
  'arguments:',
  '  - name: base',
  '    description: Base branch (default: main)',
  '---',
  '',
  'Review against $1.',
  '',
].join('\n');

function lint(): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [linter, '--format', 'compact', '.'], {
    cwd: plugin,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout };
}

const validate = () => runClaude(['plugin', 'validate', plugin], { cwd: base, home, tmp: base });

beforeAll(() => {
  ({ base, home } = claudeWorkspace('agentops-frontmatter-hint-'));
  plugin = path.join(base, 'review');
  fs.mkdirSync(path.join(plugin, '.claude-plugin'), { recursive: true });
  fs.writeFileSync(
    path.join(plugin, '.claude-plugin/plugin.json'),
    `${JSON.stringify({ name: 'review', version: '1.0.0', description: 'Reviews changes', author: { name: 'Acme' } }, null, 2)}\n`,
  );
  fs.mkdirSync(path.join(plugin, 'agents'));
  fs.mkdirSync(path.join(plugin, 'commands'));
  fs.writeFileSync(path.join(plugin, 'agents/reviewer.md'), agent);
  fs.writeFileSync(path.join(plugin, 'commands/local.md'), command);
});

afterAll(() => {
  if (base !== '') fs.rmSync(base, { recursive: true, force: true });
});

test('the fix a frontmatter parse message names is one Claude Code accepts (runs the real claude binary)', () => {
  const before = lint();
  expect(before).toEqual({
    status: 1,
    stdout: [
      'agents/reviewer.md:3:14-3:15 error parse Unexpected YAML in frontmatter (Nested mappings are not allowed in compact mappings), expected the value of `description` in quotes or as a block (`description: |`)',
      'commands/local.md:5:18-5:19 error parse Unexpected YAML in frontmatter (Nested mappings are not allowed in compact mappings), expected the value of `description` in quotes or as a block (`description: |`)',
      '',
    ].join('\n'),
  });
  const refused = validate();
  expect(refused.status).not.toBe(0);
  expect(refused.stdout.match(/YAML frontmatter failed to parse/g)).toHaveLength(2);

  // As the messages say: the agent's description as a block, its lines indented; the command's
  // value in quotes.
  const lines = agent.split('\n');
  const model = lines.indexOf('model: inherit');
  const block = [
    ...lines.slice(0, 2),
    'description: |',
    ...lines
      .slice(2, model)
      .map((line) => (line === '' ? '' : `  ${line.replace(/^description: /, '')}`)),
    ...lines.slice(model),
  ];
  fs.writeFileSync(path.join(plugin, 'agents/reviewer.md'), block.join('\n'));
  fs.writeFileSync(
    path.join(plugin, 'commands/local.md'),
    command.replace(
      'description: Base branch (default: main)',
      'description: "Base branch (default: main)"',
    ),
  );
  expect(lint()).toEqual({ status: 0, stdout: '' });
  const accepted = validate();
  expect({
    status: accepted.status,
    passed: accepted.stdout.includes('Validation passed'),
  }).toEqual({
    status: 0,
    passed: true,
  });
});
