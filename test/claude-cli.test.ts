// Runs the pinned Claude Code CLI against a clone of this repository: validate, add the
// marketplace, install every plugin, and read back what Claude Code says each plugin provides.
// Offline, with a throwaway HOME, no stdin and a timeout on every call.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { claudeWorkspace, type ClaudeRun, runClaude } from './helpers/claude.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const marketplace = 'agentops-marketplace';

interface Provides {
  commands: string[];
  agents: string[];
  skills: string[];
  hooks: string[];
}

/** What each plugin ships, by the names Claude Code shows (without the plugin prefix). */
const shipped: Record<string, Provides> = {
  'agentops-core': {
    commands: ['document', 'implement', 'orchestrate', 'plan', 'research', 'review', 'test'],
    agents: [
      'change-executor',
      'code-explorer',
      'doc-generator',
      'reviewer',
      'spec-architect',
      'test-generator',
    ],
    skills: ['change-verification', 'workflow-phases'],
    hooks: [],
  },
  'agentops-devops': {
    commands: [
      'ci-pipeline',
      'containerize',
      'incident',
      'k8s-review',
      'postmortem',
      'release',
      'terraform-review',
    ],
    agents: [
      'ci-engineer',
      'container-engineer',
      'incident-commander',
      'kubernetes-engineer',
      'release-manager',
      'terraform-engineer',
    ],
    skills: ['blameless-postmortem', 'dockerfile-hardening', 'terraform-safe-changes'],
    hooks: [],
  },
  'agentops-meta-orchestrator': {
    commands: ['execution', 'learn', 'metrics', 'orchestrate', 'patterns'],
    agents: [],
    skills: ['using-patterns'],
    hooks: [
      'SessionStart',
      'UserPromptSubmit',
      'SubagentStart',
      'SubagentStop',
      'PostToolUse',
      'PostToolUseFailure',
      'SessionEnd',
    ],
  },
  'agentops-product-dev': {
    commands: [
      'api-design',
      'launch-checklist',
      'prd',
      'slice-feature',
      'user-stories',
      'ux-review',
    ],
    agents: [
      'api-designer',
      'launch-coordinator',
      'product-spec-writer',
      'story-writer',
      'ux-reviewer',
    ],
    skills: ['api-design-guidelines', 'feature-slicing', 'writing-prds'],
    hooks: [],
  },
};
const plugins = Object.keys(shipped).sort();

let base = '';
let clone = '';
let home = '';

function claude(...args: string[]): ClaudeRun {
  return runClaude(args, { cwd: clone, home, tmp: base });
}

interface Message {
  path?: string;
  message: string;
}

interface ValidateReport {
  success: boolean;
  manifest: { errors: Message[]; warnings: Message[] } | null;
  contents: { file: string; errors: Message[]; warnings: Message[] }[];
  provides: {
    commands: string[];
    agents: string[];
    skills: string[];
    hooks: { event: string; command: string }[];
  } | null;
}

function validate(
  target: string,
  ...flags: string[]
): { status: number | null; report: ValidateReport } {
  const r = claude('plugin', 'validate', target, '--json', ...flags);
  return { status: r.status, report: JSON.parse(r.stdout) as ValidateReport };
}

function problems(report: ValidateReport, kind: 'errors' | 'warnings'): string[] {
  return [
    ...(report.manifest?.[kind] ?? []),
    ...report.contents.flatMap((c) =>
      c[kind].map((m) => ({ ...m, message: `${c.file}: ${m.message}` })),
    ),
  ].map((m) => m.message);
}

beforeAll(() => {
  ({ base, home } = claudeWorkspace('agentops-claude-'));
  clone = path.join(base, 'clone');
  fs.mkdirSync(clone);
  fs.cpSync(path.join(repoRoot, '.claude-plugin'), path.join(clone, '.claude-plugin'), {
    recursive: true,
  });
  fs.cpSync(path.join(repoRoot, 'plugins'), path.join(clone, 'plugins'), {
    recursive: true,
    filter: (src) => path.basename(src) !== 'node_modules',
  });
  fs.cpSync(path.join(repoRoot, '.claude'), path.join(clone, '.claude'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: clone,
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'AgentOps Test',
        GIT_AUTHOR_EMAIL: 'test@agentops.invalid',
        GIT_COMMITTER_NAME: 'AgentOps Test',
        GIT_COMMITTER_EMAIL: 'test@agentops.invalid',
      },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Clone of the marketplace');
});

afterAll(() => {
  if (base !== '') fs.rmSync(base, { recursive: true, force: true });
});

test('every plugin in the repository has its expected components listed here', () => {
  const inRepo = fs
    .readdirSync(path.join(repoRoot, 'plugins'))
    .filter((name) =>
      fs.existsSync(path.join(repoRoot, 'plugins', name, '.claude-plugin', 'plugin.json')),
    )
    .sort();
  expect(inRepo).toEqual(plugins);
});

describe('claude plugin validate', () => {
  test('reports no error and no warning for the marketplace root', () => {
    const { status, report } = validate(clone);
    expect(problems(report, 'errors')).toEqual([]);
    expect(problems(report, 'warnings')).toEqual([]);
    expect(report.success).toBe(true);
    expect(status).toBe(0);
    expect(claude('plugin', 'validate', clone, '--strict').status).toBe(0);
  });

  test.each(plugins)('reports no error or warning for %s and lists what it ships', (plugin) => {
    const dir = path.join(clone, 'plugins', plugin);
    const { status, report } = validate(dir);
    expect(problems(report, 'errors')).toEqual([]);
    expect(problems(report, 'warnings')).toEqual([]);
    expect(status).toBe(0);
    const want = shipped[plugin];
    const prefixed = (names: string[] = []) => names.map((n) => `${plugin}:${n}`);
    expect({
      commands: [...(report.provides?.commands ?? [])].sort(),
      agents: [...(report.provides?.agents ?? [])].sort(),
      skills: [...(report.provides?.skills ?? [])].sort(),
      hooks: report.provides?.hooks.map((h) => h.event),
    }).toEqual({
      commands: prefixed(want?.commands),
      agents: prefixed(want?.agents),
      skills: prefixed(want?.skills),
      hooks: want?.hooks,
    });
    expect(claude('plugin', 'validate', dir, '--strict').status).toBe(0);
    // The plugin directory's submission checks (README, sizes) pass too; only the icon is missing.
    expect(claude('plugin', 'validate', dir, '--profile', 'directory').status).toBe(0);
  });

  test('reads .claude/ without errors, noting the symlinks a session follows', () => {
    const { status, report } = validate(path.join(clone, '.claude'));
    expect(problems(report, 'errors')).toEqual([]);
    const note = (n: number) =>
      `${n} entries here are symlinks and were not read — components are read without following symlinks. A session loading this directory does follow them, so validate the real paths separately.`;
    const all = Object.values(shipped);
    // The meta-orchestrator's commands need ${CLAUDE_PLUGIN_ROOT}, so only its skill is linked.
    const commands =
      all.flatMap((p) => p.commands).length -
      (shipped['agentops-meta-orchestrator']?.commands.length ?? 0);
    expect(problems(report, 'warnings').sort()).toEqual(
      [
        `${path.join(clone, '.claude', 'agents')}: ${note(all.flatMap((p) => p.agents).length)}`,
        `${path.join(clone, '.claude', 'commands')}: ${note(commands)}`,
        `${path.join(clone, '.claude', 'skills')}: ${note(all.flatMap((p) => p.skills).length)}`,
      ].sort(),
    );
    expect(status).toBe(0);
  });
});

describe('installing from a local clone', () => {
  test('adds the marketplace under its own name', () => {
    const r = claude('plugin', 'marketplace', 'add', clone);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Successfully added marketplace: ${marketplace}`);
    expect(r.status).toBe(0);
  });

  test.each(plugins)('installs %s', (plugin) => {
    const r = claude('plugin', 'install', `${plugin}@${marketplace}`);
    expect(r.stdout).toContain(`Successfully installed plugin: ${plugin}@${marketplace}`);
    expect(r.status).toBe(0);
  });

  test('lists all four plugins as installed and enabled at 1.0.0', () => {
    const json = claude('plugin', 'list', '--json');
    expect(json.status).toBe(0);
    const installed = JSON.parse(json.stdout) as {
      id: string;
      version: string;
      enabled: boolean;
    }[];
    expect(
      installed
        .map(({ id, version, enabled }) => ({ id, version, enabled }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    ).toEqual(plugins.map((p) => ({ id: `${p}@${marketplace}`, version: '1.0.0', enabled: true })));

    const human = claude('plugin', 'list');
    expect(human.status).toBe(0);
    for (const plugin of plugins) expect(human.stdout).toContain(`❯ ${plugin}@${marketplace}\n`);
    expect(human.stdout.split('Status: ✔ enabled').length - 1).toBe(plugins.length);
    expect(human.stdout).not.toMatch(/error|invalid|failed/i);
  });

  test.each(plugins)('details shows every command, agent, skill and hook of %s', (plugin) => {
    const r = claude('plugin', 'details', `${plugin}@${marketplace}`);
    expect(r.status).toBe(0);
    const inventory = (label: string): string[] => {
      const m = new RegExp(
        `^  ${label} \\((\\d+)\\)(?:  (.*?))?(?:  \\(harness-only.*)?$`,
        'm',
      ).exec(r.stdout);
      if (m === null) throw new Error(`no "${label}" line in:\n${r.stdout}`);
      const names = m[2] === undefined ? [] : m[2].split(', ');
      expect(names.length).toBe(Number(m[1]));
      return names;
    };
    const want = shipped[plugin];
    // `details` counts commands among the skills, as the Skill tool invokes both.
    expect(inventory('Skills').sort()).toEqual(
      [...(want?.commands ?? []), ...(want?.skills ?? [])].sort(),
    );
    expect(inventory('Agents').sort()).toEqual(want?.agents);
    expect(inventory('Hooks')).toEqual(want?.hooks);
  });
});
