import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultWorld, generateLog, heldOut } from '../src/bench/world.ts';
import { recommendForPrompt } from '../src/commands/prompt.ts';
import type { Rule } from '../src/extract.ts';
import { extractPatterns } from '../src/extract.ts';
import { readLog } from '../src/log.ts';
import { refreshPromptIndex } from '../src/prompt-gate.ts';
import {
  isRecommenderCacheFresh,
  readRecommenderCache,
  recommenderCacheBytes,
  recommenderCacheFile,
} from '../src/recommender-cache.ts';
import { storeLayout } from '../src/store.ts';
import type { StoreLayout } from '../src/store.ts';
import { suggest } from '../src/suggest.ts';
import { promptBundlePath } from '../scripts/build.ts';
import { provenTokenRefreshLog } from '../scripts/proven-log.ts';
import { makeRepo, removeRepo, runCli, tempDir } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeRepo(dir);
});

/** A store whose log is `size` executions of a benchmark world, with its cache written. */
function worldStore(seed: number, size: number): { layout: StoreLayout; seed: number } {
  const dir = tempDir('agentops-cache-');
  dirs.push(dir);
  const layout = storeLayout(path.join(dir, '.agentops'), dir);
  const log = generateLog(defaultWorld(seed), size, seed).map((w) => w.execution);
  const month = path.join(layout.executionsDir, '2026', '01');
  fs.mkdirSync(month, { recursive: true });
  fs.writeFileSync(path.join(month, 'world.jsonl'), log.map((e) => JSON.stringify(e)).join('\n'));
  fs.mkdirSync(layout.patternsDir, { recursive: true });
  expect(readLog(layout.executionsDir).executions).toHaveLength(size);
  refreshPromptIndex(layout);
  return { layout, seed };
}

describe('the recommender cache holds exactly what the log gives', () => {
  test.for([
    [3, 60],
    [5, 200],
    [7, 400],
  ] as const)('seed %i, %i executions: the same inputs and suggestions', ([seed, size]) => {
    const { layout } = worldStore(seed, size);
    expect(isRecommenderCacheFresh(layout)).toBe(true);
    const { executions } = readLog(layout.executionsDir);
    let confident = 0;
    for (const rule of ['bayes', 'legacy'] as Rule[]) {
      const cached = readRecommenderCache(layout, rule);
      const patterns = extractPatterns(executions, { rule });
      expect(cached?.executions).toEqual(executions);
      expect(cached?.patterns).toEqual(patterns);
      // Shared references survive: a group's members are the log's executions themselves.
      const member = cached?.patterns[0]?.group.members[0];
      expect(member !== undefined && cached!.executions.includes(member)).toBe(true);
      for (const task of heldOut(defaultWorld(seed), 30, seed)) {
        for (const options of [{}, { threshold: 0.7, paths: task.paths }]) {
          const fast = suggest(task.text, cached!.patterns, cached!.executions, options);
          const full = suggest(task.text, patterns, executions, options);
          expect(fast).toEqual(full);
          if (!full.abstained) confident++;
        }
      }
    }
    // Held-out tasks resemble the log: the comparison covers many recommendations.
    expect(confident).toBeGreaterThan(10);
  });

  test('recommendForPrompt gives the same from the cache as from the log', () => {
    const { layout, seed } = worldStore(11, 200);
    let shown = 0;
    for (const task of heldOut(defaultWorld(seed), 25, seed)) {
      const fast = recommendForPrompt(layout, task.text, task.paths);
      expect(fast).toEqual(recommendForPrompt(layout, task.text, task.paths, true));
      if (fast !== undefined) shown++;
    }
    expect(shown).toBeGreaterThan(3);
  });

  test('a log written after the cache makes it stale until the next refresh', () => {
    const { layout } = worldStore(13, 60);
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(layout.executionsDir, '2026', '01', 'world.jsonl'), later, later);
    expect(isRecommenderCacheFresh(layout)).toBe(false);
    expect(readRecommenderCache(layout, 'bayes')).toBeUndefined();
  });
});

/** Runs a prompt through both bundles; returns what they print, checking they agree. */
function promptContext(repo: string, session: string, prompt: string): string {
  const payload = JSON.stringify({ session_id: session, prompt });
  const cli = runCli(repo, ['prompt-context'], payload);
  const hook = spawnSync(process.execPath, [promptBundlePath, '--store', '.agentops'], {
    cwd: repo,
    input: JSON.stringify({ session_id: `${session}-b`, prompt }),
    encoding: 'utf8',
  });
  expect([cli.status, cli.stderr, hook.status, hook.stderr]).toEqual([0, '', 0, '']);
  expect(hook.stdout).toBe(cli.stdout);
  return cli.stdout;
}

describe('prompt-context with a missing, stale or corrupt cache takes the full path', () => {
  const prompts = [
    'fix a token refresh race in the auth code',
    '/agentops-core:implement fix the token refresh race',
    'write a haiku about autumn',
  ];

  test('the same output in every case, and the cache is read when it is fresh', () => {
    const repo = makeRepo();
    dirs.push(repo);
    expect(runCli(repo, ['record'], provenTokenRefreshLog(['src/auth/*.ts'])).status).toBe(0);
    expect(runCli(repo, ['extract']).status).toBe(0);
    fs.writeFileSync(path.join(repo, '.agentops', 'config.json'), '{"autoLearn":false}');
    const layout = storeLayout(undefined, repo);
    const cache = recommenderCacheFile(layout);
    const good = fs.readFileSync(cache);
    const goodTime = fs.statSync(cache).mtime;
    expect(isRecommenderCacheFresh(layout)).toBe(true);

    let n = 0;
    const outputs = (): string[] => prompts.map((p) => promptContext(repo, `c-${n++}`, p));
    const expected = outputs();
    expect(expected[0]).toContain('"additionalContext":"agentops-learn: past sessions');
    expect(expected[2]).toBe('');

    // A cache from a log that proves nothing: trusted, it would silence the recommendation.
    const empty = recommenderCacheBytes([], { bayes: [], legacy: [] });
    const future = new Date(Date.now() + 60_000);
    const place = (bytes: Buffer, time: Date): void => {
      fs.writeFileSync(cache, bytes);
      fs.utimesSync(cache, time, time);
    };
    place(empty, future);
    expect(promptContext(repo, 'c-empty', prompts[0]!)).toBe('');

    const header = good.subarray(0, good.indexOf(10) + 1);
    const corrupt: [string, Buffer][] = [
      ['garbage', Buffer.from('\u0000\u00ff not a cache at all')],
      ['truncated', good.subarray(0, Math.floor(good.length / 2))],
      ['header only', header],
      [
        'another Node',
        Buffer.from(good.toString('latin1').replace(/node v\S+/, 'node v0.0.1'), 'latin1'),
      ],
      ['wrong shape', Buffer.concat([header, v8.serialize({ executions: 'none', patterns: [] })])],
      [
        'patterns the recommender cannot read',
        Buffer.concat([header, v8.serialize({ executions: [], patterns: { bayes: [{}] } })]),
      ],
    ];
    for (const [what, bytes] of corrupt) {
      place(bytes, future);
      expect({ what, outputs: outputs() }).toEqual({ what, outputs: expected });
    }
    fs.rmSync(cache);
    expect({ what: 'missing', outputs: outputs() }).toEqual({ what: 'missing', outputs: expected });

    // Stale: older than a log file, or than the engine (a log older still).
    place(empty, goodTime);
    const logFile = fs
      .readdirSync(layout.executionsDir, { recursive: true, encoding: 'utf8' })
      .find((f) => f.endsWith('.jsonl'))!;
    const later = new Date(goodTime.getTime() + 5_000);
    fs.utimesSync(path.join(layout.executionsDir, logFile), later, later);
    expect({ what: 'stale', outputs: outputs() }).toEqual({ what: 'stale', outputs: expected });
    const long = new Date(Date.UTC(2001, 0, 1));
    for (const entry of [
      '',
      ...fs.readdirSync(layout.executionsDir, { recursive: true, encoding: 'utf8' }),
    ])
      fs.utimesSync(path.join(layout.executionsDir, entry), long, long);
    place(empty, new Date(Date.UTC(2002, 0, 1)));
    expect({ what: 'old engine', outputs: outputs() }).toEqual({
      what: 'old engine',
      outputs: expected,
    });

    // The next refresh writes it again, and it is read.
    refreshPromptIndex(layout);
    expect(fs.readFileSync(cache)).toEqual(good);
    expect(outputs()).toEqual(expected);
  }, 300_000);
});
