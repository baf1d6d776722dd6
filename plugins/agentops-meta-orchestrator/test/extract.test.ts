import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultWorld, generateLog } from '../src/bench/world.ts';
import { extractPatterns } from '../src/extract.ts';
import { normalizeImport } from '../src/import.ts';
import { containsWithGap, mineClosedPatterns } from '../src/mine.ts';
import { generatedEnd, renderPatternFile, writePatternFiles } from '../src/pattern-file.ts';
import type { Execution } from '../src/record.ts';
import { betaCdf, betaQuantile, posteriorMean, probAbove, probGreater } from '../src/stats.ts';
import type { SuggestOptions } from '../src/suggest.ts';
import { suggest } from '../src/suggest.ts';
import { bundlePath } from '../scripts/build.ts';
import { bundle, pluginRoot, repoRoot, runCli, tempDir } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function imported(
  rows: {
    text: string;
    steps: string[];
    ok: boolean | undefined;
    day: number;
    category?: string;
  }[],
): Execution[] {
  return rows.map((row, i) =>
    normalizeImport(
      {
        session_id: `s${i}`,
        seq: i,
        started_at: new Date(Date.UTC(2026, 0, 1 + row.day, 10)).toISOString(),
        task: { category: row.category ?? 'bug-fix', text: row.text },
        steps: row.steps,
        outcome:
          row.ok === undefined
            ? { status: 'success', source: 'self_report' }
            : { status: row.ok ? 'success' : 'failure', source: 'tests' },
      },
      { storeTaskText: false, now: '2026-01-01T00:00:00.000Z' },
    )!,
  );
}

const good = ['agent:code-explorer', 'agent:change-executor', 'phase:test'];
const bad = ['agent:change-executor', 'phase:test'];

function sampleLog(wording: (i: number) => string): Execution[] {
  const rows = [];
  for (let i = 0; i < 60; i++)
    rows.push({
      text: wording(i),
      steps: i % 2 === 0 ? good : bad,
      ok: i % 2 === 0 ? i % 20 !== 0 : i % 3 === 0,
      day: i,
    });
  return imported(rows);
}

describe('statistics', () => {
  test('Beta functions match known values', () => {
    expect(betaCdf(0.5, 2, 2)).toBeCloseTo(0.5, 10);
    expect(betaCdf(0.3, 1, 1)).toBeCloseTo(0.3, 10);
    expect(betaCdf(0.7, 4, 1)).toBeCloseTo(0.2401, 8);
    expect(probAbove(0.7, 3, 0)).toBeCloseTo(1 - 0.7 ** 4, 8);
    expect(betaQuantile(0.5, 3, 3)).toBeCloseTo(0.5, 8);
    expect(posteriorMean(8, 1)).toBeCloseTo(9 / 11, 12);
    expect(probGreater(1, 1, 1, 1)).toBeCloseTo(0.5, 4);
    expect(probGreater(2, 1, 1, 1)).toBeCloseTo(2 / 3, 3);
  });

  test('the seed rule is loose: 3/3 only shows the rate is above 0.47 with 95 % confidence', () => {
    expect(betaQuantile(0.05, 4, 1)).toBeCloseTo(0.05 ** 0.25, 6);
  });
});

describe('mining', () => {
  test('PrefixSpan keeps closed patterns within the gap limit', () => {
    const seqs = [
      ['a', 'b', 'c'],
      ['a', 'x', 'b', 'c'],
      ['a', 'b', 'c'],
      ['a', 'x', 'y', 'c'],
    ];
    const patterns = mineClosedPatterns(seqs, { minSupport: 3, maxGap: 1 }).map(
      (p) => `${p.items.join('')}:${p.matches.length}`,
    );
    expect(patterns.sort()).toEqual(['a:4', 'abc:3', 'c:4']);
    expect(containsWithGap(['a', 'x', 'y', 'c'], ['a', 'c'], 1)).toBe(false);
    expect(containsWithGap(['a', 'x', 'c'], ['a', 'c'], 1)).toBe(true);
  });
});

describe('extraction', () => {
  test('finds the better workflow and deprecates the worse one', () => {
    const patterns = extractPatterns(
      sampleLog(() => 'fix the token refresh race'),
      { rule: 'bayes' },
    );
    const rows = patterns.map((p) => [
      p.steps.join(' '),
      p.status,
      p.counts.successes,
      p.counts.failures,
    ]);
    expect(rows.sort()).toEqual([
      ['agent:change-executor phase:test', 'deprecated', 10, 20],
      ['agent:code-explorer agent:change-executor phase:test', 'validated', 27, 3],
    ]);
  });

  test('ids do not depend on the wording of the tasks', () => {
    const a = extractPatterns(
      sampleLog(() => 'fix the login bug'),
      { rule: 'bayes' },
    ).map((p) => p.id);
    const b = extractPatterns(
      sampleLog((i) => (i % 2 === 0 ? 'repair the authentication defect' : 'fix broken sign-in')),
      { rule: 'bayes' },
    ).map((p) => p.id);
    expect(a).toEqual(b);
    expect(a[0]).toMatch(/^pat_2026-01-0\d_auth-fix-[0-9a-f]{6}$/);
  });

  test('the legacy rule validates from raw counts', () => {
    const patterns = extractPatterns(
      sampleLog(() => 'fix the token refresh race'),
      { rule: 'legacy' },
    );
    const best = patterns.find((p) => p.steps.length === 3)!;
    expect([best.status, best.rule, best.successRate]).toEqual(['validated', 'legacy', 0.9]);
  });

  test('self-reported outcomes are not counted', () => {
    const rows = Array.from({ length: 10 }, (_u, i) => ({
      text: 'fix race',
      steps: good,
      ok: undefined,
      day: i,
    }));
    expect(extractPatterns(imported(rows), { rule: 'bayes' })).toEqual([]);
  });

  test('two extractions of the same log give byte-identical files', () => {
    const log = generateLog(defaultWorld(), 300, 3).map((e) => e.execution);
    const render = (): string[] => {
      const dir = tempDir();
      dirs.push(dir);
      const patterns = extractPatterns(log, { rule: 'bayes' });
      writePatternFiles(patterns, dir);
      return fs
        .readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((f) => `${f}\n${fs.readFileSync(path.join(dir, f), 'utf8')}`);
    };
    const first = render();
    expect(first.length).toBeGreaterThan(5);
    expect(render()).toEqual(first);
    // Reversed input order is the same log.
    const dir = tempDir();
    dirs.push(dir);
    writePatternFiles(
      extractPatterns(
        [...log].reverse().sort((a, b) => (a.started_at < b.started_at ? -1 : 1)),
        { rule: 'bayes' },
      ),
      dir,
    );
    expect(fs.readdirSync(dir, { recursive: true }).length).toBeGreaterThan(0);
  });

  test('regeneration keeps the human-owned section byte for byte', () => {
    const [pattern] = extractPatterns(
      sampleLog(() => 'fix the token refresh race'),
      { rule: 'bayes' },
    );
    const first = renderPatternFile(pattern!, undefined);
    const human = '\n## Notes\n\nUse this for *auth* races.  Trailing spaces  \n\n<!-- keep -->\n';
    const edited = first.slice(0, first.indexOf(generatedEnd) + generatedEnd.length + 1) + human;
    const again = renderPatternFile(pattern!, edited);
    expect(again.endsWith(human)).toBe(true);
    expect(again).toBe(edited);
  });

  test('pattern files satisfy the seed floor and the recomputed statistics', () => {
    const patterns = extractPatterns(
      generateLog(defaultWorld(), 400, 9).map((e) => e.execution),
      { rule: 'bayes' },
    );
    for (const p of patterns) {
      const s = p.counts.successes;
      const f = p.counts.failures;
      expect(
        Math.abs(Math.round(p.successRate * 100) / 100 - posteriorMean(s, f)),
      ).toBeLessThanOrEqual(0.0051);
      if (p.status === 'validated') {
        expect(p.counts.executions).toBeGreaterThanOrEqual(3);
        expect(posteriorMean(s, f)).toBeGreaterThan(0.7);
        expect(probAbove(0.7, s, f)).toBeGreaterThanOrEqual(0.9);
      }
      if (p.status === 'provisional') expect(probAbove(0.7, s, f)).toBeGreaterThanOrEqual(0.8);
      expect(p.evidence.length).toBeLessThanOrEqual(20);
    }
  });
});

describe('recommendation', () => {
  test('suggests the proven workflow with counts and interval, and abstains on unknown tasks', () => {
    const log = sampleLog(() => 'fix the token refresh race');
    const patterns = extractPatterns(log, { rule: 'bayes' });
    const result = suggest('Fix a race in token refresh', patterns, log);
    expect(result.abstained).toBe(false);
    expect(result.suggestions).toHaveLength(1);
    expect(result.suggestions[0]).toMatchObject({ steps: good, successes: 27, executions: 30 });
    expect(result.suggestions[0]!.evidence).toMatch(
      /^27\/30 on similar tasks, 90 % CI 0\.\d\d–0\.\d\d$/,
    );
    const none = suggest('Write the quarterly marketing newsletter', patterns, log);
    expect(none).toMatchObject({ abstained: true, suggestions: [] });
    expect(none.reason).toBe('No pattern matches tasks like this one');
    const unrelated = suggest('Fix the quarterly newsletter layout', patterns, log, {
      category: 'documentation',
    });
    expect(unrelated).toMatchObject({
      abstained: true,
      reason: 'No similar past executions with a known outcome',
    });
  });

  test('suggests the default of similar tasks only when the closest tasks are close in wording and ran it most too', () => {
    // One group, two kinds of task: races (24 runs of `good`, 20 succeed; 6 of `bad`, 2 succeed)
    // and timeouts (8 runs of `bad`, 6 succeed). `good` is the group's default and beats the rest.
    const rows = [
      ...Array.from({ length: 30 }, (_v, i) => ({
        text: 'fix the token refresh race',
        steps: i < 24 ? good : bad,
        ok: i < 24 ? i % 6 !== 0 : i < 26,
        day: i,
      })),
      ...Array.from({ length: 8 }, (_v, i) => ({
        text: 'fix the token refresh timeout',
        steps: bad,
        ok: i < 6,
        day: 30 + i,
      })),
    ];
    const log = imported(rows);
    const patterns = extractPatterns(log, { rule: 'bayes' });
    const race = suggest('Fix the token refresh race', patterns, log);
    expect(race.abstained).toBe(false);
    expect(race.suggestions[0]).toMatchObject({ steps: good, successes: 20, executions: 24 });
    const timeout = suggest('Fix the token refresh timeout', patterns, log);
    expect(timeout).toMatchObject({
      abstained: true,
      reason:
        'Not confident: the default workflow of similar tasks is not the one the closest tasks ran most',
      suggestions: [],
    });
    // Words added to a past task's keep it close: 4 of 6 keywords shared, all of the past task's.
    const longer = suggest('Fix the token refresh race in the session store', patterns, log);
    expect(longer.task.keywords).toHaveLength(6);
    expect(longer.suggestions[0]).toMatchObject({ steps: good });
    // `race`, a keyword of every past task, is not in this one, and they share 3 of 5 keywords:
    // maybe a third kind of task.
    const unlike = suggest('Fix the token refresh deadlock', patterns, log);
    expect(unlike).toMatchObject({
      abstained: true,
      reason:
        "Not confident: no past task is close in wording to this one, so the default workflow of similar tasks may be another kind's",
      suggestions: [],
    });
  });

  test('a workflow with two successes is suggested beside a default with a long record, not a short one', () => {
    // The default, `bad`, ran `runs` times with 5 successes; `good` ran three times, 2 succeeded.
    const logOf = (runs: number): Execution[] =>
      imported([
        ...Array.from({ length: runs }, (_v, i) => ({
          text: 'fix the token refresh race',
          steps: bad,
          ok: i < 5,
          day: i,
        })),
        ...[true, true, false].map((ok, i) => ({
          text: 'fix the token refresh race',
          steps: good,
          ok,
          day: runs + i,
        })),
      ]);
    const run = (runs: number, options: SuggestOptions = {}) => {
      const log = logOf(runs);
      return suggest(
        'Fix the token refresh race',
        extractPatterns(log, { rule: 'bayes' }),
        log,
        options,
      );
    };
    const known = run(10);
    expect(known.abstained).toBe(false);
    expect(known.suggestions).toHaveLength(1);
    expect(known.suggestions[0]).toMatchObject({ steps: good, successes: 2, executions: 3 });
    // With nine runs of the default, or the floor of three whatever its record, `good` waits.
    expect([run(9), run(10, { knownDefaultRuns: Infinity })]).toMatchObject([
      { abstained: true, suggestions: [] },
      { abstained: true, suggestions: [] },
    ]);
    expect([run(9).reason, run(10, { knownDefaultRuns: Infinity }).reason]).toEqual([
      'Not confident: the likeliest best pattern (beats the default with probability 0.55) has 2 successes on similar tasks, below 3',
      'Not confident: the likeliest best pattern (beats the default with probability 0.59) has 2 successes on similar tasks, below 3',
    ]);
  });

  test('a workflow learned in another category is weighed on similar tasks, and a one-step variant of it is left out', () => {
    // Two steps from `bad`: a workflow one step from one already listed is left out too.
    const testFirst = [
      'agent:test-generator',
      'agent:change-executor',
      'phase:test',
      'agent:reviewer',
    ];
    const variant = ['agent:code-explorer', ...testFirst];
    const repeat = (
      count: number,
      row: { text: string; steps: string[]; category?: string },
      ok: (i: number) => boolean,
      firstDay: number,
    ) => Array.from({ length: count }, (_v, i) => ({ ...row, ok: ok(i), day: firstDay + i }));
    const rowsOf = (variantRun: boolean) => [
      // Learned in two other categories: the test-first workflow, then its one-step variant.
      ...repeat(
        6,
        { text: 'migrate the orders schema', steps: testFirst, category: 'database' },
        (i) => i > 0,
        0,
      ),
      ...repeat(
        6,
        { text: 'document the billing api', steps: variant, category: 'documentation' },
        (i) => i > 0,
        10,
      ),
      // Token refresh races: the default, `bad`, 44 of 80; the test-first workflow 2 of 2, and
      // perhaps a failed run of the variant: too few to be mined in this group (at least 4).
      ...repeat(80, { text: 'fix the token refresh race', steps: bad }, (i) => i % 20 < 11, 20),
      ...repeat(2, { text: 'fix the token refresh race', steps: testFirst }, () => true, 100),
      ...(variantRun
        ? [{ text: 'fix the token refresh race', steps: variant, ok: false, day: 102 }]
        : []),
    ];
    const run = (variantRun: boolean) => {
      const log = imported(rowsOf(variantRun));
      const patterns = extractPatterns(log, { rule: 'bayes' });
      expect(patterns.filter((p) => p.category === 'bug-fix').map((p) => p.steps)).toEqual([bad]);
      return suggest('Fix the token refresh race', patterns, log);
    };
    expect(run(false)).toMatchObject({
      abstained: false,
      suggestions: [{ steps: testFirst, category: 'database', successes: 2, executions: 2 }],
    });
    // A run of the variant counts for the test-first workflow, one step from it, and not for a
    // second name of it.
    expect(run(true).suggestions).toMatchObject([
      { steps: testFirst, successes: 2, executions: 3 },
    ]);
  });

  test('the CLI prints JSON and abstains with a reason on an empty store', () => {
    const dir = tempDir();
    dirs.push(dir);
    const result = runCli(dir, [
      'suggest',
      'add oauth login',
      '--json',
      '--store',
      path.join(dir, 'store'),
    ]);
    expect(JSON.parse(result.stdout)).toEqual({
      task: { category: 'api-development', keywords: ['auth'] },
      abstained: true,
      reason: 'No patterns learned yet',
      suggestions: [],
    });
  });
});

describe('bundle and published patterns', () => {
  test('the committed bundle equals a fresh build', async () => {
    const { bundle: build } = await import('../scripts/build.ts');
    expect(bundlePath).toBe(bundle);
    expect(await build()).toBe(fs.readFileSync(bundle, 'utf8'));
  });

  test('check reproduces every committed pattern in patterns/', () => {
    const result = runCli(repoRoot, ['check', '--store', 'patterns']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Pattern files match the log \(\d+ executions\)\n$/);
    expect(result.status).toBe(0);
    // `npm run learn -- check` passes the store before the command.
    expect(runCli(repoRoot, ['--store', 'patterns', 'check']).stdout).toBe(result.stdout);
  });

  test('check fails when a committed pattern drifts', () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = path.join(dir, 'patterns');
    fs.cpSync(path.join(repoRoot, 'patterns'), store, { recursive: true });
    const file = fs
      .readdirSync(store, { recursive: true, encoding: 'utf8' })
      .find((f) => f.endsWith('.md') && !f.startsWith('.'))!;
    fs.writeFileSync(
      path.join(store, file),
      fs
        .readFileSync(path.join(store, file), 'utf8')
        .replace(/success_rate: [0-9.]+/, 'success_rate: 0.99'),
    );
    const result = runCli(dir, ['check', '--store', store]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `Pattern files differ from a rebuild of the log; run \`agentops-learn extract\`:\n  ${file.split(path.sep).join('/')}\n`,
    );
    void pluginRoot;
  });
});
