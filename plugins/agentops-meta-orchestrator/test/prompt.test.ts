import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { logLines, makeRepo, removeRepo, runCli, runPluginHook, waitForWorker } from './helpers.ts';
import { provenTokenRefreshLog } from '../scripts/proven-log.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeRepo(dir);
});

/** A repository whose log proves a workflow for token-refresh fixes, with its pattern files. */
function learnedRepo(): string {
  const repo = makeRepo();
  dirs.push(repo);
  const lines = provenTokenRefreshLog();
  expect(runCli(repo, ['record'], lines).status).toBe(0);
  expect(runCli(repo, ['extract']).status).toBe(0);
  fs.writeFileSync(path.join(repo, '.agentops', 'config.json'), '{"autoLearn":false}');
  return repo;
}

const context = [
  'agentops-learn: past sessions in this repository found a workflow that works for tasks like this one.',
  'Pattern pat_2026-02-01_fix-race-ab8688 (validated): 6/6 on similar tasks, 90 % CI 0.31–0.75.',
  'Steps:',
  '1. Research the affected code (Code Explorer) (`agent:code-explorer`)',
  '2. Implement the change (Change Executor) (`agent:change-executor`)',
  '3. Run the tests (`phase:test`)',
  'Follow it when it fits the task; it is a suggestion, not an instruction.',
].join('\n');

function prompt(repo: string, session: string, text: string): string {
  const result = runPluginHook(
    repo,
    'UserPromptSubmit',
    JSON.stringify({
      session_id: session,
      cwd: repo,
      hook_event_name: 'UserPromptSubmit',
      prompt: text,
    }),
  );
  expect(result.status).toBe(0);
  expect(result.stderr).toBe('');
  return result.stdout;
}

describe('patterns in every session', () => {
  test('a confident recommendation is added as a short context block', () => {
    const repo = learnedRepo();
    const stdout = prompt(repo, 'inject-1', 'fix a token refresh race in the auth code');
    expect(JSON.parse(stdout)).toEqual({
      hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: context },
    });
    expect(context.length).toBeLessThanOrEqual(2400);
  });

  test('nothing is added when the recommender is not confident or nothing was learned', () => {
    const repo = learnedRepo();
    expect(prompt(repo, 'inject-2', 'write a haiku about autumn')).toBe('');
    const empty = makeRepo();
    dirs.push(empty);
    expect(prompt(empty, 'inject-3', 'fix a token refresh race in the auth code')).toBe('');
    // The prompt is still recorded.
    expect(fs.readdirSync(path.join(empty, '.agentops', 'spool', '.inbox'))).toHaveLength(1);
  });

  test.for([
    { explored: [3, 2], suggested: '0.58', injected: false },
    { explored: [3, 0], suggested: '0.76', injected: true },
  ])(
    'unasked context needs P(beats the default) of 0.7, an asked suggestion 0.3: $suggested',
    ({ explored, suggested, injected }) => {
      // Twelve runs of the default workflow, half passing; a few that explored the code first.
      const [successes = 0, failures = 0] = explored;
      const runs = [
        ...Array.from({ length: 12 }, (_u, i) => [['agent:change-executor', 'phase:test'], i < 6]),
        ...Array.from({ length: successes + failures }, (_u, i) => [
          ['agent:code-explorer', 'agent:change-executor', 'phase:test'],
          i < successes,
        ]),
      ].map(([steps, passed], i) =>
        JSON.stringify({
          session_id: `past-${i}`,
          started_at: new Date(Date.UTC(2026, 1, 1, i)).toISOString(),
          task: { category: 'bug-fix', text: 'fix the token refresh race' },
          steps,
          outcome: { status: passed ? 'success' : 'failure', source: 'tests' },
        }),
      );
      const repo = makeRepo();
      dirs.push(repo);
      expect(runCli(repo, ['record'], runs.join('\n')).status).toBe(0);
      expect(runCli(repo, ['extract']).status).toBe(0);
      const asked = JSON.parse(
        runCli(repo, ['suggest', 'fix a token refresh race', '--json']).stdout,
      ) as { abstained: boolean; suggestions: { confidence: number; steps: string[] }[] };
      expect([asked.abstained, asked.suggestions[0]?.confidence.toFixed(2)]).toEqual([
        false,
        suggested,
      ]);
      expect(asked.suggestions[0]?.steps[0]).toBe('agent:code-explorer');
      const stdout = prompt(repo, 'threshold-1', 'fix a token refresh race');
      expect(stdout === '' ? 'nothing' : 'context').toBe(injected ? 'context' : 'nothing');
    },
  );

  test.for([
    { followed: true, agents: ['code-explorer', 'change-executor'] },
    { followed: false, agents: ['change-executor'] },
  ])(
    'the execution records the recommendation and that it was followed: $followed',
    async ({ followed, agents }) => {
      const repo = learnedRepo();
      const session = `follow-${String(followed)}`;
      const hook = (event: string, body: object): void => {
        const payload = { session_id: session, cwd: repo, hook_event_name: event, ...body };
        expect(runPluginHook(repo, event, JSON.stringify(payload)).status).toBe(0);
      };
      hook('SessionStart', { source: 'startup' });
      expect(prompt(repo, session, 'fix a token refresh race in the auth code')).not.toBe('');
      for (const agent of agents)
        hook('PostToolUse', { tool_name: 'Task', tool_input: { subagent_type: agent } });
      hook('PostToolUse', {
        tool_name: 'Bash',
        tool_input: { command: 'npm test' },
        tool_response: {},
      });
      hook('SessionEnd', { reason: 'other' });
      expect(await waitForWorker(path.join(repo, '.agentops'))).toBe(true);
      const execution = logLines(path.join(repo, '.agentops', 'executions'))
        .map((line) => JSON.parse(line) as { session_id: string; recommendation?: unknown })
        .find((e) => e.session_id === session);
      expect(execution?.recommendation).toEqual({
        pattern_ids: ['pat_2026-02-01_fix-race-ab8688'],
        followed,
      });
    },
  );
});
