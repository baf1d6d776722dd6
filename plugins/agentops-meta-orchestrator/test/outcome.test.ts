import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { foldLog } from '../src/log.ts';
import { outcomeUpdate } from '../src/outcome.ts';
import { git, logLines, makeRepo, runCli } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const at = '2026-05-02T10:00:00.000Z';

/** A repository whose log holds four executions of one task: two passed, two failed their tests. */
function repoWithLog(): { repo: string; ids: string[] } {
  const repo = makeRepo();
  dirs.push(repo);
  const lines = [0, 1, 2, 3].map((i) =>
    JSON.stringify({
      session_id: `s-${i}`,
      started_at: `2026-05-01T0${i}:00:00.000Z`,
      task: { category: 'bug-fix', text: 'fix the token refresh race' },
      steps: ['agent:code-explorer', 'agent:change-executor', 'phase:test'],
      outcome: { status: i < 2 ? 'success' : 'failure', source: 'tests' },
    }),
  );
  expect(runCli(repo, ['record'], `${lines.join('\n')}\n`).stdout).toBe('Recorded 4 executions\n');
  const ids = logLines(path.join(repo, '.agentops', 'executions')).map(
    (line) => (JSON.parse(line) as { execution_id: string }).execution_id,
  );
  return { repo, ids };
}

function outcomeOf(repo: string, id: string): unknown {
  const { executions } = foldLog(
    logLines(path.join(repo, '.agentops', 'executions')).map((line) => `${line}\n`),
  );
  return executions.find((e) => e.execution_id === id)?.outcome;
}

describe('outcome_update lines', () => {
  test('a CI result becomes an objective outcome with its note redacted', () => {
    expect(
      outcomeUpdate({
        executionId: '01JD3V4Q9Z8X7W6V5T4S3R2Q1P',
        status: 'failure',
        signal: 'ci',
        note: 'build 42 failed, token=abcd1234efgh',
        at,
      }),
    ).toEqual({
      schema_version: 1,
      kind: 'outcome_update',
      execution_id: '01JD3V4Q9Z8X7W6V5T4S3R2Q1P',
      at,
      outcome: {
        status: 'failure',
        source: 'ci',
        signals: [{ kind: 'ci', label: 'build 42 failed, token=[REDACTED]' }],
      },
    });
  });

  test('a revert is a failure with a rollback, and cannot be a success', () => {
    const request = {
      executionId: '01JD3V4Q9Z8X7W6V5T4S3R2Q1P',
      signal: 'revert' as const,
      note: undefined,
      at,
    };
    expect(outcomeUpdate({ ...request, status: 'failure' }).outcome).toEqual({
      status: 'failure',
      source: 'revert',
      signals: [{ kind: 'revert' }],
      rollback: true,
    });
    expect(() => outcomeUpdate({ ...request, status: 'success' })).toThrow(
      'Unexpected `--status success` with `--signal revert`, expected `failure`',
    );
  });

  test('evidence without a signal is a self-report that never replaces an objective outcome', () => {
    const execution = {
      schema_version: 1,
      kind: 'execution',
      execution_id: '01JD3V4Q9Z8X7W6V5T4S3R2Q1P',
      session_id: 's',
      started_at: at,
      ended_at: at,
      task: { category: 'bug-fix', keywords: ['fix'] },
      steps: [],
      signature: [],
      outcome: { status: 'failure', source: 'tests' },
    };
    const claim = outcomeUpdate({
      executionId: execution.execution_id,
      status: 'success',
      signal: undefined,
      note: undefined,
      at: '2026-05-03T00:00:00.000Z',
    });
    expect(claim.outcome).toEqual({
      status: 'success',
      source: 'self_report',
      signals: [{ kind: 'self_report', claimed: 'success' }],
    });
    const folded = foldLog([`${JSON.stringify(execution)}\n${JSON.stringify(claim)}\n`]);
    expect(folded.executions[0]!.outcome).toEqual({ status: 'failure', source: 'tests' });
    const unknown = { ...execution, outcome: { status: 'unknown', source: 'none' } };
    const replaced = foldLog([`${JSON.stringify(unknown)}\n${JSON.stringify(claim)}\n`]);
    expect(replaced.executions[0]!.outcome).toEqual(claim.outcome);
  });
});

describe('the outcome command', () => {
  test('appends later CI evidence to the execution log and the next commit carries it', () => {
    const { repo, ids } = repoWithLog();
    const id = ids[0]!;
    const result = runCli(repo, [
      'outcome',
      id,
      '--status',
      'failure',
      '--signal',
      'ci',
      '--note',
      'main pipeline red',
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      `Recorded failure from ci for ${id}; its outcome is now failure (ci)\n`,
    );
    expect(result.status).toBe(0);
    const file = path.join(repo, '.agentops', 'executions', '2026', '05', 's-0.jsonl');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const update = JSON.parse(lines[1]!) as Record<string, unknown>;
    expect(update).toMatchObject({
      schema_version: 1,
      kind: 'outcome_update',
      execution_id: id,
      outcome: {
        status: 'failure',
        source: 'ci',
        signals: [{ kind: 'ci', label: 'main pipeline red' }],
      },
    });
    expect(outcomeOf(repo, id)).toEqual(update.outcome);

    expect(runCli(repo, ['commit']).status).toBe(0);
    const committed = git(
      repo,
      'show',
      'refs/heads/agentops/memory:.agentops/executions/2026/05/s-0.jsonl',
    );
    expect(committed.split('\n')[1]).toBe(lines[1]);
    expect(git(repo, 'log', '-1', '--format=%B', 'refs/heads/agentops/memory')).toContain(
      'Learn-Log-Digest: sha256:',
    );
  });

  test('a later success from the tests counts; a self-report is recorded and ignored', () => {
    const { repo, ids } = repoWithLog();
    const failed = ids[2]!;
    const claim = runCli(repo, ['outcome', failed, '--status', 'success']);
    expect(claim.stdout).toBe(
      `Recorded success for ${failed} as a self-report, which validation does not count (add \`--signal ci|revert|tests|user\` for objective evidence); its outcome is failure (tests)\n`,
    );
    expect(outcomeOf(repo, failed)).toEqual({ status: 'failure', source: 'tests' });
    expect(
      runCli(repo, ['outcome', failed, '--status', 'success', '--signal', 'tests']).status,
    ).toBe(0);
    expect(outcomeOf(repo, failed)).toEqual({
      status: 'success',
      source: 'tests',
      signals: [{ kind: 'tests' }],
    });
    expect(runCli(repo, ['metrics', 'bug-fix']).stdout.split('\n')[1]).toBe(
      'bug-fix\t2026-05\t3\t1\t0\t75 %',
    );
  });

  test('a revert marks the execution failed and rolled back', () => {
    const { repo, ids } = repoWithLog();
    expect(
      runCli(repo, ['outcome', ids[1]!, '--status', 'failure', '--signal', 'revert']).status,
    ).toBe(0);
    expect(outcomeOf(repo, ids[1]!)).toEqual({
      status: 'failure',
      source: 'revert',
      signals: [{ kind: 'revert' }],
      rollback: true,
    });
  });

  test('refuses bad input with one sentence and leaves the log alone', () => {
    const { repo, ids } = repoWithLog();
    const before = logLines(path.join(repo, '.agentops', 'executions'));
    const cases: [string[], string][] = [
      [['outcome'], 'Missing execution id, expected `outcome <execution_id> --status <s>`\n'],
      [
        ['outcome', ids[0]!, '--status', 'maybe'],
        'Unexpected status `maybe`, expected `--status success` or `--status failure`\n',
      ],
      [
        ['outcome', ids[0]!, '--status', 'success', '--signal', 'vibes'],
        'Unexpected signal `vibes`, expected `ci`, `revert`, `tests`, `user`\n',
      ],
      [
        ['outcome', '../../etc/passwd', '--status', 'success'],
        'Unexpected execution id `../../etc/passwd`, expected a ULID such as `01JD3V4Q9Z8X7W6V5T4S3R2Q1P`\n',
      ],
      [
        ['outcome', '01JD3V4Q9Z8X7W6V5T4S3R2Q1P', '--status', 'success', '--signal', 'ci'],
        'Unknown execution `01JD3V4Q9Z8X7W6V5T4S3R2Q1P`, expected the id of an execution in the log\n',
      ],
    ];
    for (const [args, message] of cases) {
      const result = runCli(repo, args);
      expect(result.stderr).toBe(message);
      expect(result.status).toBe(1);
    }
    expect(logLines(path.join(repo, '.agentops', 'executions'))).toEqual(before);
  });
});
