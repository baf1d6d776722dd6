import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { arms } from '../src/bench/arms.ts';
import { validationTimes } from '../src/bench/evaluate.ts';
import { defaultWorld, generateLog, heldOut, touchedPaths, rng } from '../src/bench/world.ts';
import { contextTerms, isContextTerm } from '../src/context.ts';
import { assignNearest, extractPatterns, groupSimilarity, groupTasks } from '../src/extract.ts';
import { normalizeImport } from '../src/import.ts';
import { readLog } from '../src/log.ts';
import type { Execution } from '../src/record.ts';
import { suggest } from '../src/suggest.ts';
import { keywords } from '../src/text.ts';
import { makeRepo, runCli } from './helpers.ts';

function execution(i: number, text: string, paths: string[], steps: string[], ok: boolean) {
  return normalizeImport(
    {
      session_id: `c${i}`,
      seq: i,
      started_at: new Date(Date.UTC(2026, 2, 1, 9) + i * 3_600_000).toISOString(),
      task: { category: 'bug-fix', text },
      steps,
      paths,
      outcome: { status: ok ? 'success' : 'failure', source: 'tests' },
    },
    { storeTaskText: false, now: '2026-01-01T00:00:00.000Z' },
  )!;
}

const explore = ['agent:code-explorer', 'agent:change-executor', 'phase:test'];
const direct = ['agent:change-executor', 'phase:test'];

describe('context terms', () => {
  test('turn path globs into folders and languages', () => {
    expect(
      contextTerms(['src/auth/*.ts', 'web/pages/*.tsx', 'db/migrations/*.sql', 'package.json']),
    ).toEqual([
      'dir:db/migrations',
      'dir:src/auth',
      'dir:web/pages',
      'lang:json',
      'lang:sql',
      'lang:typescript',
    ]);
  });

  test('keep three folder levels and skip traversal, odd names and unknown extensions', () => {
    expect(contextTerms(['a/b/c/d/*.py', '../x/*.rs', 'src/we ird/*.go', 'bin/*'])).toEqual([
      'dir:a/b/c',
      'dir:bin',
      'lang:go',
      'lang:python',
      'lang:rust',
    ]);
    expect(contextTerms(undefined)).toEqual([]);
    expect(isContextTerm('dir:src')).toBe(true);
    expect(isContextTerm('auth')).toBe(false);
  });
});

describe('merging fragments of one kind of task', () => {
  // Two wordings whose keywords overlap in `refactor` only (cosine 1/3, below the 0.35 of greedy
  // grouping), as when the synonym table does not know `structure` and `layout`.
  const wordings = ['refactor the module structure', 'refactor the service layout'];
  const logOf = (paths: (i: number) => string[]) =>
    Array.from({ length: 8 }, (_v, i) => execution(i, wordings[i % 2]!, paths(i), explore, true));

  test('groups that touch the same folders and languages are merged, in log order', () => {
    const log = logOf(() => ['src/services/*.ts']);
    const groups = groupTasks(log);
    expect(groups.map((g) => g.members.length)).toEqual([8]);
    expect(groups[0]!.members).toEqual(log);
    expect(groups[0]!.keywordCounts.get('refactor')).toBe(8);
    expect(groups[0]!.contextCounts.get('dir:src/services')).toBe(8);
  });

  test('groups in different parts of the code base stay apart, and so do groups without paths', () => {
    const apart = logOf((i) => [i % 2 === 0 ? 'src/services/*.ts' : 'web/pages/*.tsx']);
    expect(groupTasks(apart).map((g) => g.members.length)).toEqual([4, 4]);
    expect(groupTasks(logOf(() => [])).map((g) => g.members.length)).toEqual([4, 4]);
  });
});

describe('grouping and retrieval with touched paths', () => {
  // The same wording in two parts of the code base: there the explorer's workflow always works
  // in the Python importer and always fails in the web pages, and the direct one the reverse.
  const log: Execution[] = [];
  for (let i = 0; i < 32; i++) {
    const python = i % 2 === 0;
    const steps = i % 4 < 2 ? explore : direct;
    const ok = python ? steps === explore : steps === direct;
    log.push(
      execution(
        i,
        'fix the crash on startup',
        python ? ['src/importer/*.py'] : ['web/pages/*.tsx'],
        steps,
        ok,
      ),
    );
  }

  test('paths join the keywords in grouping when asked to, with a third of the weight', () => {
    expect(groupTasks(log, true, 0.8).map((g) => g.members.length)).toEqual([32]);
    const byContext = groupTasks(log, true, 0.8, true);
    expect(byContext.map((g) => g.members.length)).toEqual([16, 16]);
    expect([...byContext[0]!.contextCounts.entries()].sort()).toEqual([
      ['dir:src/importer', 16],
      ['lang:python', 16],
    ]);
    const words = keywords('fix the crash on startup');
    expect(groupSimilarity(words, byContext[0]!, ['dir:src/importer', 'lang:python'])).toBeCloseTo(
      1,
      12,
    );
    expect(groupSimilarity(words, byContext[0]!, ['dir:web/pages', 'lang:typescript'])).toBeCloseTo(
      2 / 3,
      12,
    );
  });

  test('a task without paths is compared on keywords alone', () => {
    const [group] = groupTasks(log, true, 0.8, true);
    const words = keywords('fix the crash on startup');
    expect(groupSimilarity(words, group!, [])).toBeCloseTo(1, 12);
    expect(groupSimilarity(words, group!)).toBeCloseTo(1, 12);
    expect(groupSimilarity(['startup'], group!)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  test('the suggest query uses the paths the task touches', () => {
    const patterns = extractPatterns(log, { rule: 'bayes' });
    // Only the closest past executions count, so the paths decide which ones those are.
    const options = { minSimilarity: 0.95 };
    const unknown = suggest('fix the crash on startup', patterns, log, options);
    expect(unknown.abstained).toBe(true);
    const python = suggest('fix the crash on startup', patterns, log, {
      ...options,
      paths: ['src/importer/*.py'],
    });
    expect(python.suggestions.map((s) => [s.steps, s.successes, s.executions])).toEqual([
      [explore, 8, 8],
    ]);
    const web = suggest('fix the crash on startup', patterns, log, {
      ...options,
      paths: ['web/pages/*.tsx'],
    });
    expect(web.suggestions.map((s) => [s.steps, s.successes, s.executions])).toEqual([
      [direct, 8, 8],
    ]);
  });
});

describe('suggest on the command line', () => {
  test('passes --path to the query', () => {
    const repo = makeRepo();
    try {
      const lines = [0, 1, 2, 3, 4, 5].map((i) =>
        JSON.stringify({
          session_id: `p${i}`,
          started_at: `2026-03-0${i + 1}T09:00:00.000Z`,
          task: { category: 'bug-fix', text: 'fix the crash on startup' },
          steps: i % 2 === 0 ? explore : direct,
          paths: [i % 2 === 0 ? 'src/importer/*.py' : 'web/pages/*.tsx'],
          outcome: { status: i % 2 === 0 ? 'success' : 'failure', source: 'tests' },
        }),
      );
      expect(runCli(repo, ['record'], lines.join('\n')).status).toBe(0);
      const log = readLog(path.join(repo, '.agentops', 'executions')).executions;
      const expected = suggest(
        'fix the crash on startup',
        extractPatterns(log, { rule: 'bayes' }),
        log,
        {
          paths: ['src/importer/*.py'],
        },
      );
      const result = runCli(repo, [
        'suggest',
        'fix the crash on startup',
        '--json',
        '--path',
        'src/importer/*.py',
      ]);
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual(expected);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('nearest-pattern counting', () => {
  test('credits each signature to its closest pattern within a third of its length', () => {
    const patterns = [explore, direct, ['agent:code-explorer', 'agent:change-executor']];
    expect(
      assignNearest(
        [
          explore,
          ['agent:code-explorer', 'agent:reviewer', 'agent:change-executor', 'phase:test'],
          ['agent:change-executor', 'agent:reviewer', 'phase:test'],
          ['agent:doc-generator'],
          ['agent:code-explorer', 'phase:test'],
        ],
        patterns,
      ),
    ).toEqual([0, 0, 1, undefined, 0]);
  });
});

describe('benchmark world with paths', () => {
  test('paths come from a separate stream, so the rest of the log is unchanged by them', () => {
    const world = defaultWorld();
    const log = generateLog(world, 50, 3);
    const bare = generateLog(
      { ...world, families: world.families.map((f) => ({ ...f, paths: [] })) },
      50,
      3,
    );
    expect(log.map((e) => e.execution.signature)).toEqual(bare.map((e) => e.execution.signature));
    expect(log.every((e) => (e.execution.paths ?? []).length > 0)).toBe(true);
    expect(
      bare.every((e) => (e.execution.paths ?? []).every((p) => !p.startsWith('src/auth'))),
    ).toBe(true);
    const tasks = heldOut(world, 200, 9);
    const known = tasks.filter((t) => t.paths.length > 0).length;
    expect(known).toBeGreaterThan(70);
    expect(known).toBeLessThan(130);
    expect(
      touchedPaths(world, 0, rng(1)).every(
        (p) => p.endsWith('.ts') || p.endsWith('.json') || p.endsWith('.md'),
      ),
    ).toBe(true);
  });

  test('time to validation replays one log: the seed rule validates early and falsely', () => {
    const chosen = arms().filter((a) => ['no-memory', 'seed-rule'].includes(a.name));
    const [seedRule] = validationTimes(defaultWorld(), {
      seed: 11,
      total: 200,
      step: 25,
      arms: chosen,
    });
    expect(seedRule!.arm).toBe('seed-rule');
    expect(seedRule!.firstBad).toBeDefined();
    expect(seedRule!.firstBad! % 25).toBe(0);
    expect(seedRule!.firstBad!).toBeLessThanOrEqual(200);
  });
});
