import { cpSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCliArgs } from '../src/cli-options.ts';
import { readWorkTreeState } from '../src/git-files.ts';
import { prefetchGit } from '../src/git-prefetch.ts';
import { namedComponents } from '../src/pattern-scope.ts';
import { runLint } from '../src/run.ts';
import { git } from './helpers/git.ts';
import { pattern as patternText } from './helpers/staged.ts';
import { tempDir, writeTree } from './helpers/tree.ts';

// A pattern file given as an argument checks `patterns/`, the marketplace and the plugins that
// provide the components it names, when the stored facts name a provider for each; otherwise
// every folder the loader reads. Each run is compared with the same file linted in a copy without
// git (a full load from disk).

const catalogFixture = path.resolve(import.meta.dirname, 'fixtures/_catalog');
const target = 'patterns/release/pat_2025-10-02_release_notes.md';

/** Gives every folder but `.git` a time long past, so that only later changes look recent. */
function settle(dir: string, top = dir): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }))
    if (entry.isDirectory() && entry.name !== '.git') settle(path.join(dir, entry.name), top);
  utimesSync(dir, 1_500_000_000, 1_500_000_000);
  if (dir === top) utimesSync(path.join(dir, '.git/info/exclude'), 1_500_000_000, 1_500_000_000);
}

/** The fixture committed in a fresh repository, its facts stored by one run on `target`. */
async function primed(): Promise<string> {
  const dir = tempDir('agentops-lint-pattern-scope-');
  cpSync(catalogFixture, dir, { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'catalog');
  settle(dir);
  expect((await lintFile(dir, target)).loads).toEqual({ full: 1, partial: 0 });
  return dir;
}

async function lintFile(dir: string, file: string) {
  const options = parseCliArgs(['-f', 'compact', file]);
  const output = await runLint(options, {
    cwd: dir,
    git: prefetchGit(options, dir),
    readStdin: () => Promise.resolve(''),
    color: false,
  });
  return { stdout: output.stdout, exitCode: output.exitCode, loads: output.loads };
}

/** Lints `target` with the stored facts; the result must equal a full load's from a copy. */
async function agreesWithFullLoad(dir: string): Promise<string> {
  const partial = await lintFile(dir, target);
  expect(partial.loads).toEqual({ full: 0, partial: 1 });
  const copy = tempDir('agentops-lint-pattern-scope-copy-');
  cpSync(dir, copy, { recursive: true, filter: (file) => !file.includes(`${path.sep}.git`) });
  const full = await lintFile(copy, target);
  expect({ stdout: partial.stdout, exitCode: partial.exitCode }).toEqual({
    stdout: full.stdout,
    exitCode: full.exitCode,
  });
  return partial.stdout;
}

/** The folders the run on `target` checked: those whose changes it found. */
async function changedSeen(dir: string): Promise<string[] | undefined> {
  const state = await readWorkTreeState(dir, [path.join(dir, target)]);
  return state?.changed.map((file) => path.relative(dir, file).split(path.sep).join('/'));
}

const duplicate = (file: string): string =>
  `${target}:2:13-2:41 error no-duplicate-pattern-id Unexpected duplicate \`pattern_id\` \`pat_2025-10-02_release_notes\`, expected an id no other pattern uses (first used in \`${file}\`)`;

describe('a pattern file argument', () => {
  test('names the components its steps could name, a superset of what the rule looks up', () => {
    expect(
      namedComponents(
        [
          '---',
          'steps: ["agent:acme-core:code-explorer", "skill:changelog", command:release-notes]',
          '---',
          '## Workflow',
          '1. Look (Code Explorer)',
          '2. Plan (plan)',
          '3. Aside (saves 9min)',
          '4. Ask (agent:Reviewer)',
          '',
        ].join('\n'),
      ),
    ).toEqual(
      new Map([
        ['agent', new Set(['acme-core-code-explorer', 'code-explorer', 'reviewer'])],
        ['skill', new Set(['changelog'])],
        ['command', new Set(['release-notes'])],
      ]),
    );
    expect(namedComponents('## Workflow\n1. Look (Code\\u0020Explorer)\n')).toBeUndefined();
  });

  test('sees a pattern elsewhere given its id by an unstaged edit', async () => {
    const dir = await primed();
    const other = 'patterns/api-development/pat_2025-11-07_oauth_api.md';
    writeTree(dir, {
      [other]: patternText(
        'pat_2025-10-02_release_notes',
        'api-development',
        '1. Look (Code Explorer)',
      ),
    });
    expect(await changedSeen(dir)).toEqual([other]);
    expect(await agreesWithFullLoad(dir)).toBe(`${duplicate(other)}\n`);
  });

  test('sees a new untracked pattern with its id', async () => {
    const dir = await primed();
    const other = 'patterns/api-development/pat_2025-01-01_first.md';
    writeTree(dir, {
      [other]: patternText(
        'pat_2025-10-02_release_notes',
        'api-development',
        '1. Look (Code Explorer)',
      ),
    });
    expect(await changedSeen(dir)).toEqual([other]);
    expect(await agreesWithFullLoad(dir)).toBe(`${duplicate(other)}\n`);
  });

  test('checks the plugins providing what it names, and skips the others', async () => {
    const dir = await primed();
    // `acme-review` provides the Reviewer the pattern names; `acme-release` provides nothing it does.
    rmSync(path.join(dir, 'plugins/acme-review/agents/reviewer.md'));
    writeTree(dir, { 'plugins/acme-release/commands/new.md': '# New\n' });
    expect(await changedSeen(dir)).toEqual(['plugins/acme-review/agents/reviewer.md']);
    expect(await agreesWithFullLoad(dir)).toBe(
      `${target}:14:22-14:30 warning pattern-steps-exist Unexpected workflow role \`Reviewer\`, expected an agent \`reviewer\` in a plugin of the catalog\n`,
    );
  });

  test('checks every plugin for a name no plugin provides, which a new file anywhere may add', async () => {
    const dir = await primed();
    writeTree(dir, {
      [target]: patternText(
        'pat_2025-10-02_release_notes',
        'release',
        '1. Check (Release Checker)',
      ),
    });
    git(dir, 'add', target);
    writeTree(dir, {
      'plugins/acme-release/agents/release-checker.md':
        '---\nname: release-checker\ndescription: Checks releases. Use before tagging.\n---\n\nCheck.\n',
    });
    expect(await changedSeen(dir)).toEqual(['plugins/acme-release/agents/release-checker.md']);
    expect(await agreesWithFullLoad(dir)).toBe('');
  });
});
