import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { foldEvents } from '../src/fold.ts';
import { eventFromPayload } from '../src/hook.ts';
import type { SpoolEvent } from '../src/spool.ts';
import { parseNotifications, readTranscript } from '../src/transcript.ts';
import { ulidFrom } from '../src/ulid.ts';
import { sha256 } from '../src/text.ts';
import { findVerification, outputVerdict } from '../src/verification.ts';

type Kind = 'test' | 'build' | 'typecheck';

// Every command the outcome rules name, with the run it is (or `undefined`: not a run).
const commands: [string, { kind: Kind; label: string; decisive: boolean } | undefined][] = [
  ['npm test', { kind: 'test', label: 'npm test', decisive: true }],
  ['npm t', { kind: 'test', label: 'npm test', decisive: true }],
  ['npm run test -- --run auth', { kind: 'test', label: 'npm test', decisive: true }],
  ['pnpm test', { kind: 'test', label: 'pnpm test', decisive: true }],
  ['pnpm t', { kind: 'test', label: 'pnpm test', decisive: true }],
  ['yarn test', { kind: 'test', label: 'yarn test', decisive: true }],
  ['yarn t', { kind: 'test', label: 'yarn test', decisive: true }],
  ['bun test', { kind: 'test', label: 'bun test', decisive: true }],
  ['bun run test', { kind: 'test', label: 'bun test', decisive: true }],
  ['npm run test:unit', { kind: 'test', label: 'npm run test:unit', decisive: true }],
  ['node --test', { kind: 'test', label: 'node --test', decisive: true }],
  ['node --test test/', { kind: 'test', label: 'node --test', decisive: true }],
  ['deno test -A', { kind: 'test', label: 'deno test', decisive: true }],
  ['npx vitest run', { kind: 'test', label: 'vitest', decisive: true }],
  ['CI=1 ./node_modules/.bin/jest --ci', { kind: 'test', label: 'jest', decisive: true }],
  ['npx mocha', { kind: 'test', label: 'mocha', decisive: true }],
  ['pytest -q tests/', { kind: 'test', label: 'pytest', decisive: true }],
  ['python -m pytest -q tests/', { kind: 'test', label: 'pytest', decisive: true }],
  ['uv run pytest', { kind: 'test', label: 'pytest', decisive: true }],
  ['go test ./...', { kind: 'test', label: 'go test', decisive: true }],
  ['cargo test --all', { kind: 'test', label: 'cargo test', decisive: true }],
  ['swift test', { kind: 'test', label: 'swift test', decisive: true }],
  ['mix test', { kind: 'test', label: 'mix test', decisive: true }],
  ['sbt test', { kind: 'test', label: 'sbt test', decisive: true }],
  ['./gradlew test', { kind: 'test', label: 'gradle test', decisive: true }],
  ['gradle build', { kind: 'build', label: 'gradle build', decisive: true }],
  ['mvn -q verify', { kind: 'test', label: 'mvn verify', decisive: true }],
  ['./mvnw test', { kind: 'test', label: 'mvn test', decisive: true }],
  ['dotnet test', { kind: 'test', label: 'dotnet test', decisive: true }],
  ['make test', { kind: 'test', label: 'make test', decisive: true }],
  ['make -C app -j 4 check', { kind: 'test', label: 'make check', decisive: true }],
  ['make', { kind: 'build', label: 'make', decisive: true }],
  ['make clean', undefined],
  ['just test', { kind: 'test', label: 'just test', decisive: true }],
  ['./scripts/test.sh', { kind: 'test', label: 'scripts/test.sh', decisive: true }],
  ['bash scripts/run-tests.sh', { kind: 'test', label: 'scripts/run-tests.sh', decisive: true }],
  ['npm run build', { kind: 'build', label: 'npm run build', decisive: true }],
  ['cargo build --release', { kind: 'build', label: 'cargo build', decisive: true }],
  ['go build ./...', { kind: 'build', label: 'go build', decisive: true }],
  ['npx tsc --noEmit', { kind: 'typecheck', label: 'tsc', decisive: true }],
  ['npm run typecheck', { kind: 'typecheck', label: 'npm run typecheck', decisive: true }],
  ['cargo check', { kind: 'typecheck', label: 'cargo check', decisive: true }],
  ['mypy src', { kind: 'typecheck', label: 'mypy', decisive: true }],
  [
    'cd app && pnpm run test -- --watch=false',
    { kind: 'test', label: 'pnpm test', decisive: true },
  ],
  ['npm test && echo done', { kind: 'test', label: 'npm test', decisive: true }],
  ['npm test 2>&1 | tail -20', { kind: 'test', label: 'npm test', decisive: false }],
  ['npm test || true', { kind: 'test', label: 'npm test', decisive: false }],
  ['npm test; echo done', { kind: 'test', label: 'npm test', decisive: false }],
  ['npm test &> test.log', { kind: 'test', label: 'npm test', decisive: true }],
  ['npm run build && npm test', { kind: 'test', label: 'npm test', decisive: true }],
  ['pip install pytest', undefined],
  ['npm install --save-dev jest', undefined],
  ['npm ci', undefined],
  ['cat jest.config.js', undefined],
  ['echo "npm test failed, will fix later"', undefined],
  ["echo 'npm test' && ls", undefined],
  ['git commit -m "fix: make npm test pass again"', undefined],
  ['git status', undefined],
  ['true', undefined],
  ['false', undefined],
];

describe('verification runs in a command line', () => {
  test.for(commands)('%s', ([command, expected]) => {
    expect(findVerification(command)).toEqual(expected);
  });
});

describe('runner output', () => {
  test.for([
    [
      'vitest',
      ' Test Files  1 failed | 3 passed (4)\n      Tests  2 failed | 40 passed (42)',
      'fail',
    ],
    ['vitest', ' Test Files  4 passed (4)\n      Tests  42 passed (42)', 'pass'],
    ['jest', 'Tests:       1 failed, 3 passed, 4 total', 'fail'],
    ['mocha', '  3 passing (12ms)\n  1 failing', 'fail'],
    ['mocha', '  3 passing (12ms)', 'pass'],
    ['pytest', '========= 1 failed, 2 passed in 0.12s =========', 'fail'],
    ['pytest', '========= 3 passed in 0.12s =========', 'pass'],
    ['go', '--- FAIL: TestRefresh (0.00s)\nFAIL\tgithub.com/x/auth\t0.01s', 'fail'],
    ['go', 'ok  \tgithub.com/x/auth\t0.01s', 'pass'],
    ['cargo', 'test result: FAILED. 1 passed; 1 failed', 'fail'],
    ['node --test', '# tests 3\n# pass 2\n# fail 1', 'fail'],
    ['node --test', '# tests 3\n# pass 3\n# fail 0', 'pass'],
    ['tsc', "src/a.ts(1,7): error TS2322: Type 'string' is not assignable", 'fail'],
    ['nothing to say', 'done', undefined],
  ] as const)('%s: %s', ([, output, verdict]) => {
    expect(outputVerdict(output)).toBe(verdict);
  });
});

interface Run {
  command: string;
  /** `ok`: PostToolUse; `fail`: PostToolUseFailure with the exit code. */
  hook: 'ok' | number;
  stdout?: string;
  background?: string;
}

const session = 'sess-outcome';
let clock = Date.UTC(2026, 4, 1, 9, 0, 0);

function at(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

function spool(event: Omit<SpoolEvent, 'id' | 'at'>): SpoolEvent {
  const time = at();
  return { ...event, id: ulidFrom(Date.parse(time), time, sha256), at: time };
}

function bash(run: Run): SpoolEvent {
  const response: Record<string, unknown> = { stdout: run.stdout ?? '', stderr: '' };
  if (run.background !== undefined) response.backgroundTaskId = run.background;
  return spool(
    eventFromPayload(
      run.hook === 'ok' ? 'PostToolUse' : 'PostToolUseFailure',
      {
        session_id: session,
        tool_name: 'Bash',
        tool_input: {
          command: run.command,
          ...(run.background ? { run_in_background: true } : {}),
        },
        ...(run.hook === 'ok'
          ? { tool_response: response }
          : { error: `Exit code ${run.hook}\n${run.stdout ?? ''}` }),
      },
      undefined,
    ),
  );
}

/** A notification as Claude Code writes it when a background command ends. */
function notification(task: string, status: string, exit: number): string {
  return `<task-notification>\n<task-id>${task}</task-id>\n<tool-use-id>toolu_1</tool-use-id>\n<status>${status}</status>\n<summary>Background command "Run the tests" ${status === 'failed' ? `failed with exit code ${exit}` : `completed (exit code ${exit})`}</summary>\n</task-notification>`;
}

// Every outcome case: the runs of one task, in order, and the outcome they must give.
const outcomes: {
  name: string;
  runs: Run[];
  /** Background completions, as notifications that arrive after all the runs. */
  done?: [task: string, status: string, exit: number][];
  status: 'success' | 'failure' | 'unknown';
  label?: string;
}[] = [
  {
    name: 'a failing test run in the background fails the task when its notification arrives',
    runs: [{ command: 'npm test', hook: 'ok', background: 'bash_1' }],
    done: [['bash_1', 'failed', 1]],
    status: 'failure',
    label: 'npm test',
  },
  {
    name: 'a background run that has not reported is no evidence',
    runs: [{ command: 'npm test', hook: 'ok', background: 'bash_2' }],
    status: 'unknown',
  },
  {
    name: 'a background run that passed after a failing foreground run decides (last result)',
    runs: [
      { command: 'npm test', hook: 'ok', background: 'bash_3' },
      { command: 'npm test', hook: 1 },
    ],
    done: [['bash_3', 'completed', 0]],
    status: 'success',
    label: 'npm test',
  },
  {
    name: 'a failing npm test followed by echo "npm test failed" stays a failure',
    runs: [
      { command: 'npm test', hook: 1 },
      { command: 'echo "npm test failed, will fix later"', hook: 'ok' },
    ],
    status: 'failure',
    label: 'npm test',
  },
  {
    name: 'the last verification decides: fail then pass',
    runs: [
      { command: 'npm test', hook: 1 },
      { command: 'npm test', hook: 'ok' },
    ],
    status: 'success',
    label: 'npm test',
  },
  {
    name: 'the last verification decides: pass then a failing type check',
    runs: [
      { command: 'npm test', hook: 'ok' },
      { command: 'npx tsc --noEmit', hook: 2 },
    ],
    status: 'failure',
    label: 'tsc',
  },
  {
    name: 'pip install pytest is no run',
    runs: [{ command: 'pip install pytest', hook: 'ok' }],
    status: 'unknown',
  },
  {
    name: 'cat jest.config.js is no run',
    runs: [{ command: 'cat jest.config.js', hook: 'ok' }],
    status: 'unknown',
  },
  {
    name: 'a commit message naming npm test is no run',
    runs: [{ command: 'git commit -m "make npm test pass"', hook: 'ok' }],
    status: 'unknown',
  },
  { name: 'true is no run', runs: [{ command: 'true', hook: 'ok' }], status: 'unknown' },
  { name: 'false is no run', runs: [{ command: 'false', hook: 1 }], status: 'unknown' },
  {
    name: 'node --test passing',
    runs: [{ command: 'node --test', hook: 'ok' }],
    status: 'success',
    label: 'node --test',
  },
  {
    name: 'deno test failing',
    runs: [{ command: 'deno test', hook: 1 }],
    status: 'failure',
    label: 'deno test',
  },
  {
    name: 'swift test passing',
    runs: [{ command: 'swift test', hook: 'ok' }],
    status: 'success',
    label: 'swift test',
  },
  {
    name: 'mix test passing',
    runs: [{ command: 'mix test', hook: 'ok' }],
    status: 'success',
    label: 'mix test',
  },
  {
    name: 'sbt test failing',
    runs: [{ command: 'sbt test', hook: 1 }],
    status: 'failure',
    label: 'sbt test',
  },
  {
    name: 'npm t passing',
    runs: [{ command: 'npm t', hook: 'ok' }],
    status: 'success',
    label: 'npm test',
  },
  {
    name: './scripts/test.sh failing',
    runs: [{ command: './scripts/test.sh', hook: 1 }],
    status: 'failure',
    label: 'scripts/test.sh',
  },
  {
    name: 'make test keeps its target',
    runs: [{ command: 'make test', hook: 'ok' }],
    status: 'success',
    label: 'make test',
  },
  {
    name: 'a piped run whose exit status is tail’s is decided by its output',
    runs: [
      {
        command: 'npm test 2>&1 | tail -5',
        hook: 'ok',
        stdout: 'Tests:  1 failed, 9 passed, 10 total',
      },
    ],
    status: 'failure',
    label: 'npm test',
  },
  {
    name: 'npm test || true with no summary in its output is no evidence',
    runs: [{ command: 'npm test || true', hook: 'ok', stdout: 'done' }],
    status: 'unknown',
  },
];

describe('outcomes from evidence', () => {
  test.for(outcomes)('$name', ({ runs, done, status, label }) => {
    const events = runs.map(bash);
    const notifications = (done ?? []).flatMap(([task, state, exit]) =>
      parseNotifications(notification(task, state, exit), at()),
    );
    const execution = foldEvents(
      [spool({ session_id: session, event: 'session_start' }), ...events],
      { repoRoot: undefined, storeTaskText: false, transcript: { notifications } },
    );
    const outcome = execution?.outcome ?? { status: 'unknown', source: 'none' };
    expect(outcome.status).toBe(status);
    const decided = outcome.signals?.findLast((s) => s.kind === 'tests');
    expect(decided?.label).toBe(label);
    if (status !== 'unknown') expect(outcome.source).toBe('tests');
  });
});

describe('task notifications in the transcript', () => {
  test('are read with their task, status, exit code and time', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-notify-'));
    try {
      const file = path.join(dir, 'transcript.jsonl');
      const entry = {
        type: 'user',
        timestamp: '2026-05-01T09:00:05.000Z',
        message: { role: 'user', content: notification('bash_9', 'failed', 3) },
      };
      fs.writeFileSync(file, `{"type":"summary"}\n${JSON.stringify(entry)}\nnot json\n`);
      expect(readTranscript(file)).toEqual({
        notifications: [
          { task: 'bash_9', status: 'failed', exitCode: 3, at: '2026-05-01T09:00:05.000Z' },
        ],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
