import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { logLines, makeRepo, runCli, runPluginHook, waitForWorker } from './helpers.ts';
import { provenTokenRefreshLog } from '../scripts/proven-log.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
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
  'Pattern pat_2026-02-01_fix-race-ab8688 (validated): 6/6 on similar tasks, 90 % CI 0.35–0.82.',
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
