import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  fixtures,
  logLines,
  makeRepo,
  removeRepo,
  runCli,
  runPluginHook,
  waitForWorker,
} from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeRepo(dir);
});

interface Recorded {
  execution_id: string;
  task: { category: string; keywords: string[]; text?: string };
  trigger: { command: string };
  signature: string[];
  outcome: { status: string; source: string; signals?: { label?: string }[] };
}

/** A repository whose store learns nothing in the background (only the log is under test). */
function quietRepo(): string {
  const repo = makeRepo();
  dirs.push(repo);
  fs.mkdirSync(path.join(repo, '.agentops'));
  fs.writeFileSync(path.join(repo, '.agentops', 'config.json'), '{"autoLearn":false}');
  return repo;
}

/** Runs the plugin's hooks (hooks/hooks.json) for a session, then waits for its worker. */
async function hooks(repo: string, session: string, events: [string, object][]): Promise<void> {
  for (const [event, body] of events) {
    const result = runPluginHook(
      repo,
      event,
      JSON.stringify({ session_id: session, cwd: repo, hook_event_name: event, ...body }),
    );
    expect(result).toEqual({ status: 0, stdout: '', stderr: '' });
  }
  expect(await waitForWorker(path.join(repo, '.agentops'))).toBe(true);
}

const bash = (command: string, exit = 0): [string, object] =>
  exit === 0
    ? ['PostToolUse', { tool_name: 'Bash', tool_input: { command }, tool_response: { stdout: '' } }]
    : [
        'PostToolUseFailure',
        { tool_name: 'Bash', tool_input: { command }, error: `Exit code ${exit}` },
      ];
const edit = (file: string): [string, object] => [
  'PostToolUse',
  { tool_name: 'Edit', tool_input: { file_path: file } },
];
const prompt = (text: string): [string, object] => ['UserPromptSubmit', { prompt: text }];
const run = (command: string): object => ({
  tool_input: { command },
  tool_response: { stdout: '' },
});

function recorded(repo: string): Recorded[] {
  return logLines(path.join(repo, '.agentops', 'executions')).map(
    (line) => JSON.parse(line) as Recorded,
  );
}

function summary(e: Recorded): object {
  return {
    category: e.task.category,
    keywords: e.task.keywords,
    trigger: e.trigger.command,
    signature: e.signature,
    outcome: e.outcome.status,
    label: e.outcome.signals?.at(-1)?.label,
  };
}

describe('a task per request', () => {
  test('a session with two prompts gives two executions, each with its own task and outcome', async () => {
    const repo = quietRepo();
    await hooks(repo, 'two-tasks', [
      ['SessionStart', { source: 'startup' }],
      prompt('Fix the login crash in the auth middleware'),
      [
        'PostToolUse',
        { tool_name: 'Task', tool_input: { subagent_type: 'agentops-core:code-explorer' } },
      ],
      edit(path.join(repo, 'src', 'auth', 'session.ts')),
      bash('npm test', 1),
      prompt('Document the billing API'),
      edit(path.join(repo, 'docs', 'api.md')),
      bash('npm run build'),
      ['SessionEnd', { reason: 'prompt_input_exit' }],
    ]);
    const executions = recorded(repo);
    expect(executions.map(summary)).toEqual([
      {
        category: 'bug-fix',
        keywords: ['auth', 'fix', 'middleware'],
        trigger: 'hook',
        signature: ['agent:code-explorer', 'phase:implement', 'phase:test'],
        outcome: 'failure',
        label: 'npm test',
      },
      {
        category: 'documentation',
        keywords: ['api', 'bill', 'docs'],
        trigger: 'hook',
        signature: ['phase:implement', 'phase:build'],
        outcome: 'success',
        label: 'npm run build',
      },
    ]);
    expect(new Set(executions.map((e) => e.execution_id)).size).toBe(2);
    expect(executions.every((e) => e.task.text === undefined)).toBe(true);
  });

  test('a slash command is the task: its name and arguments, and a command step', async () => {
    const repo = quietRepo();
    await hooks(repo, 'slash', [
      ['SessionStart', { source: 'startup' }],
      prompt('/agentops-core:implement add oauth to the api'),
      ['PostToolUse', { tool_name: 'Task', tool_input: { subagent_type: 'spec-architect' } }],
      bash('npx vitest run'),
      prompt('/compact'),
      ['SessionEnd', { reason: 'other' }],
    ]);
    expect(recorded(repo).map(summary)).toEqual([
      {
        category: 'api-development',
        keywords: ['api', 'auth', 'build'],
        trigger: '/implement',
        signature: ['command:implement', 'agent:spec-architect', 'phase:test'],
        outcome: 'success',
        label: 'vitest',
      },
    ]);
  });

  test('a resumed session records its new task, not the first prompt of the transcript', async () => {
    const repo = quietRepo();
    const transcript = path.join(fixtures, 'transcript.jsonl');
    const session = 'resumed-1';
    await hooks(repo, session, [
      ['SessionStart', { source: 'startup', transcript_path: transcript }],
      prompt('Fix the token refresh race in the auth middleware'),
      edit(path.join(repo, 'src', 'auth', 'refresh.ts')),
      bash('npm test'),
      ['SessionEnd', { reason: 'prompt_input_exit' }],
    ]);
    await hooks(repo, session, [
      ['SessionStart', { source: 'resume', transcript_path: transcript }],
      prompt('fix the date parser crash in the billing report'),
      edit(path.join(repo, 'src', 'billing', 'report.py')),
      bash('pytest -q', 1),
      ['SessionEnd', { reason: 'prompt_input_exit' }],
    ]);
    expect(recorded(repo).map(summary)).toEqual([
      {
        category: 'bug-fix',
        keywords: ['auth', 'fix', 'middleware', 'race', 'refresh', 'token'],
        trigger: 'hook',
        signature: ['phase:implement', 'phase:test'],
        outcome: 'success',
        label: 'npm test',
      },
      {
        category: 'bug-fix',
        keywords: ['bill', 'date', 'fix', 'parser', 'report'],
        trigger: 'hook',
        signature: ['phase:implement', 'phase:test'],
        outcome: 'failure',
        label: 'pytest',
      },
    ]);
  });

  test('an event written after the next prompt (a hook run in the background) stays in the task of its prompt_id, whatever the file times', () => {
    const expected = [
      {
        category: 'bug-fix',
        keywords: ['auth', 'fix', 'middleware'],
        trigger: 'hook',
        signature: ['phase:implement', 'phase:test'],
        outcome: 'failure',
        label: 'npm test',
      },
      {
        category: 'documentation',
        keywords: ['api', 'bill', 'docs'],
        trigger: 'hook',
        signature: ['phase:build'],
        outcome: 'success',
        label: 'npm run build',
      },
    ];
    // Seconds after the session's start at which each file was last written. The prompts are
    // written in order (Claude Code waits for that hook); the first task's test run is written
    // before the second prompt, after it, or after the second task's own run.
    for (const lateRun of [2.5, 3.5, 5.5]) {
      const repo = quietRepo();
      const inbox = path.join(repo, '.agentops', 'spool', '.inbox');
      fs.mkdirSync(inbox, { recursive: true });
      const files: [string, object, number][] = [
        ['SessionStart', { source: 'startup' }, 0],
        ['UserPromptSubmit', { prompt: 'Fix the login crash in the auth middleware' }, 1],
        [
          'PostToolUse',
          { tool_name: 'Edit', tool_input: { file_path: path.join(repo, 'src', 'auth', 'a.ts') } },
          2,
        ],
        [
          'PostToolUseFailure',
          { tool_name: 'Bash', ...run('npm test'), error: 'Exit code 1' },
          lateRun,
        ],
        ['UserPromptSubmit', { prompt: 'Document the billing API', prompt_id: 'p-2' }, 3],
        ['PostToolUse', { tool_name: 'Bash', ...run('npm run build'), prompt_id: 'p-2' }, 4],
        ['SessionEnd', { reason: 'other', prompt_id: 'p-2' }, 6],
      ];
      const start = Date.now() - 60_000;
      files.forEach(([event, body, at], i) => {
        const file = path.join(inbox, `${1000 + i}-0-${event}.json`);
        const promptId = i >= 1 && i <= 3 ? { prompt_id: 'p-1' } : {};
        fs.writeFileSync(
          file,
          JSON.stringify({ session_id: 'late', hook_event_name: event, ...promptId, ...body }),
        );
        fs.utimesSync(file, (start + at * 1000) / 1000, (start + at * 1000) / 1000);
      });
      expect(runCli(repo, ['finalize']).stdout).toBe('Finalized 1 session, 2 executions added\n');
      expect(recorded(repo).map(summary)).toEqual(expected);
    }
  });

  test('tool calls whose background hooks wrote out of order are put back in the order of the transcript', () => {
    const repo = quietRepo();
    const inbox = path.join(repo, '.agentops', 'spool', '.inbox');
    fs.mkdirSync(inbox, { recursive: true });
    const transcript = path.join(repo, 'transcript.jsonl');
    const call = (id: string, name: string): string =>
      JSON.stringify({
        type: 'assistant',
        message: { role: 'assistant', content: [{ type: 'tool_use', id, name, input: {} }] },
      });
    fs.writeFileSync(
      transcript,
      [call('toolu_a', 'Skill'), call('toolu_b', 'Bash'), call('toolu_c', 'Bash')].join('\n'),
    );
    // The skill, a failing test run, then a passing one; their files were written last to first.
    const files: [string, object, number][] = [
      ['SessionStart', { source: 'startup', transcript_path: transcript }, 0],
      ['UserPromptSubmit', { prompt: 'Fix the login crash in the auth middleware' }, 1],
      ['PostToolUse', { tool_name: 'Bash', ...run('npm test'), tool_use_id: 'toolu_c' }, 2],
      [
        'PostToolUseFailure',
        { tool_name: 'Bash', ...run('npm test'), error: 'Exit code 1', tool_use_id: 'toolu_b' },
        3,
      ],
      [
        'PostToolUse',
        { tool_name: 'Skill', tool_input: { skill: 'tdd' }, tool_use_id: 'toolu_a' },
        4,
      ],
      ['SessionEnd', { reason: 'other' }, 5],
    ];
    const start = Date.now() - 60_000;
    files.forEach(([event, body, at], i) => {
      const file = path.join(inbox, `${1000 + i}-0-${event}.json`);
      fs.writeFileSync(
        file,
        JSON.stringify({ session_id: 'unordered', hook_event_name: event, ...body }),
      );
      fs.utimesSync(file, (start + at * 1000) / 1000, (start + at * 1000) / 1000);
    });
    expect(runCli(repo, ['finalize']).stdout).toBe('Finalized 1 session, 1 execution added\n');
    expect(recorded(repo).map(summary)).toEqual([
      {
        category: 'bug-fix',
        keywords: ['auth', 'fix', 'middleware'],
        trigger: 'hook',
        signature: ['skill:tdd', 'phase:test'],
        outcome: 'success',
        label: 'npm test',
      },
    ]);
  });

  test("a call the transcript shows finished but no hook recorded is read from the transcript, for the session's own prompts only", () => {
    const repo = quietRepo();
    const inbox = path.join(repo, '.agentops', 'spool', '.inbox');
    fs.mkdirSync(inbox, { recursive: true });
    const start = Date.now() - 60_000;
    const at = (s: number): string => new Date(start + s * 1000).toISOString();
    const use = (id: string, name: string, input: object): object => ({
      type: 'assistant',
      message: { role: 'assistant', content: [{ type: 'tool_use', id, name, input }] },
    });
    const result = (id: string, promptId: string, s: number, error?: string): object => ({
      type: 'user',
      promptId,
      timestamp: at(s),
      message: {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: id, content: error ?? '', is_error: !!error },
        ],
      },
      toolUseResult: error !== undefined ? `Error: ${error}` : { stdout: '', stderr: '' },
    });
    // An earlier run of the session (already folded) built; this one ran a skill, whose hook
    // recorded it, then a failing test run, whose hook was stopped before it wrote anything, and
    // tried a write that was refused before it ran (no hook runs for such a call).
    const transcript = path.join(repo, 'transcript.jsonl');
    fs.writeFileSync(
      transcript,
      [
        use('toolu_old', 'Bash', { command: 'npm run build' }),
        result('toolu_old', 'p-0', -100),
        use('toolu_a', 'Skill', { skill: 'tdd' }),
        result('toolu_a', 'p-1', 2),
        use('toolu_b', 'Bash', { command: 'npm test' }),
        result('toolu_b', 'p-1', 3, 'Exit code 1'),
        use('toolu_c', 'Write', { file_path: path.join(repo, 'src', 'a.ts'), content: 'x' }),
        result(
          'toolu_c',
          'p-1',
          3.5,
          '<tool_use_error>File has not been read yet.</tool_use_error>',
        ),
      ]
        .map((entry) => JSON.stringify(entry))
        .join('\n'),
    );
    const files: [string, object, number][] = [
      ['SessionStart', { source: 'resume', transcript_path: transcript }, 0],
      ['UserPromptSubmit', { prompt: 'Fix the login crash in the auth middleware' }, 1],
      [
        'PostToolUse',
        { tool_name: 'Skill', tool_input: { skill: 'tdd' }, tool_use_id: 'toolu_a' },
        2,
      ],
      ['SessionEnd', { reason: 'other' }, 4],
    ];
    files.forEach(([event, body, s], i) => {
      const file = path.join(inbox, `${1000 + i}-0-${event}.json`);
      const promptId = i >= 1 ? { prompt_id: 'p-1' } : {};
      fs.writeFileSync(
        file,
        JSON.stringify({ session_id: 'missed', hook_event_name: event, ...promptId, ...body }),
      );
      fs.utimesSync(file, (start + s * 1000) / 1000, (start + s * 1000) / 1000);
    });
    expect(runCli(repo, ['finalize']).stdout).toBe('Finalized 1 session, 1 execution added\n');
    expect(recorded(repo).map(summary)).toEqual([
      {
        category: 'bug-fix',
        keywords: ['auth', 'fix', 'middleware'],
        trigger: 'hook',
        signature: ['skill:tdd', 'phase:test'],
        outcome: 'failure',
        label: 'npm test',
      },
    ]);
  });
});
