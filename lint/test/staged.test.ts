import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCliArgs } from '../src/cli-options.ts';
import { runLint } from '../src/run.ts';
import { git } from './helpers/git.ts';
import {
  catalogFixture,
  forgetFacts,
  lintFiles,
  lintStaged,
  partialAndFull,
  pattern,
  primed,
  repository,
  withoutGit,
} from './helpers/staged.ts';
import { tempDir, writeTree } from './helpers/tree.ts';

// `--staged` against real git repositories: a first run loads everything and stores facts in the
// git directory; later runs load only what changed. Every partial run is checked against a full
// load of the same state (the stored facts removed), message for message.

describe('--staged', () => {
  test('stores facts on the first run and then loads only the staged pattern', async () => {
    const dir = repository();
    const file = 'patterns/release/pat_2025-12-01_copy.md';
    // Same id as the committed OAuth pattern, which sorts first: the duplicate is this file.
    writeTree(dir, {
      [file]: pattern('pat_2025-11-07_oauth_api', 'release', '1. Review (Code Reviewer)'),
    });
    git(dir, 'add', file);

    const first = await lintStaged(dir);
    expect(first.loads).toEqual({ full: 1, partial: 0 });
    expect(readdirSync(path.join(dir, '.git/agentops-lint')).sort()).toEqual([
      expect.stringMatching(/^staged-[0-9a-f]{8}\.facts$/),
      expect.stringMatching(/^staged-[0-9a-f]{8}\.index$/),
      expect.stringMatching(/^staged-[0-9a-f]{8}\.marketplace$/),
    ]);
    const expected = [
      `${file}:2:13-2:37 error no-duplicate-pattern-id Unexpected duplicate \`pattern_id\` \`pat_2025-11-07_oauth_api\`, expected an id no other pattern uses (first used in \`patterns/api-development/pat_2025-11-07_oauth_api.md\`)`,
      `${file}:2:13-2:37 error pattern-id-matches-file Unexpected \`pattern_id\` \`pat_2025-11-07_oauth_api\`, expected \`pat_2025-12-01_copy\` (its file name without \`.md\`)`,
      `${file}:12:12-12:25 warning pattern-steps-exist Unexpected workflow role \`Code Reviewer\`, expected an agent \`code-reviewer\` in a plugin of the catalog`,
      '',
    ].join('\n');
    expect(first).toEqual({ stdout: expected, exitCode: 1, loads: { full: 1, partial: 0 } });

    const second = await lintStaged(dir);
    expect(second).toEqual({ stdout: expected, exitCode: 1, loads: { full: 0, partial: 1 } });
    await partialAndFull(dir);
  });

  test('checks workflow roles and category folders against plugins and patterns it did not load', async () => {
    const dir = await primed();
    const file = 'patterns/pat_2025-12-02_flat.md';
    writeTree(dir, {
      [file]: pattern(
        'pat_2025-12-02_flat',
        'release',
        '1. Explore (Code Explorer)\n2. Review (Reviewr)\n3. Ship (agent:reviewer)',
      ),
    });
    git(dir, 'add', file);
    const result = await partialAndFull(dir);
    expect(result).toEqual({
      stdout: [
        `${file}:3:11-3:18 error pattern-category-matches-folder Unexpected pattern file at the top of \`patterns/\`, expected \`patterns/release/pat_2025-12-02_flat.md\` (other patterns use category folders, such as \`patterns/api-development/\`)`,
        `${file}:13:12-13:19 warning pattern-steps-exist Unexpected workflow role \`Reviewr\`, expected an agent \`reviewr\` in a plugin of the catalog`,
        '',
      ].join('\n'),
      exitCode: 1,
      loads: { full: 0, partial: 1 },
    });
  });

  test('loads a plugin whose file is staged, with the marketplace, and nothing else', async () => {
    const dir = await primed();
    const manifest = 'plugins/acme-review/.claude-plugin/plugin.json';
    writeTree(dir, {
      [manifest]: `${JSON.stringify({ name: 'acme-reviews', version: '1.2.0', description: 'Code review', author: { name: 'Acme' } }, null, 2)}\n`,
    });
    git(dir, 'add', manifest);
    const result = await partialAndFull(dir);
    expect(result).toEqual({
      stdout: [
        `${manifest}:2:11-2:25 warning plugin-name-matches-dir Unexpected plugin name \`acme-reviews\`, expected \`acme-review\` (its folder name)`,
        `${manifest}:2:11-2:25 warning plugin-name-matches-entry Unexpected plugin name \`acme-reviews\`, expected \`acme-review\` (the \`name\` of its marketplace entry)`,
        '',
      ].join('\n'),
      exitCode: 0,
      loads: { full: 0, partial: 1 },
    });
  });

  test('loads everything when the marketplace or a new plugin is staged', async () => {
    const dir = await primed();
    writeTree(dir, {
      'plugins/acme-new/.claude-plugin/plugin.json': '{ "name": "acme-new", "version": "1.0.0" }\n',
    });
    git(dir, 'add', 'plugins/acme-new');
    expect((await lintStaged(dir)).loads).toEqual({ full: 1, partial: 0 });
    git(dir, 'commit', '-q', '-m', 'new plugin');
    const marketplace = '.claude-plugin/marketplace.json';
    writeTree(dir, { [marketplace]: '{ "name": "acme-marketplace", "plugins": [ \n' });
    git(dir, 'add', marketplace);
    expect(await lintStaged(dir)).toEqual({
      stdout: `${marketplace}:2:1-2:1 error parse Unexpected end of file, expected \`]\`\n`,
      exitCode: 1,
      loads: { full: 1, partial: 0 },
    });
  });

  test('sees other files as the commit will hold them: unstaged edits and untracked files are not part of it', async () => {
    const dir = await primed();
    const other = 'patterns/release/pat_2025-10-02_release_notes.md';
    const staged = 'patterns/release/pat_2025-12-03_notes.md';
    writeTree(dir, {
      [other]: pattern('pat_2025-12-03_notes', 'release', '1. Write (Doc Generator)'),
      'patterns/release/pat_2025-12-04_untracked.md': pattern(
        'pat_2025-12-03_notes',
        'release',
        '1. Write (Doc Generator)',
      ),
      [staged]: pattern('pat_2025-12-03_notes', 'release', '1. Write (Doc Generator)'),
    });
    git(dir, 'add', staged);
    const result = await partialAndFull(dir);
    expect(result).toEqual({ stdout: '', exitCode: 0, loads: { full: 0, partial: 1 } });
    // The work tree as a whole does have duplicates.
    const whole = await runLint(
      parseCliArgs(['-f', 'compact', '--rule', 'no-duplicate-pattern-id']),
      {
        cwd: dir,
        readStdin: () => Promise.resolve(''),
        color: false,
      },
    );
    expect(whole.stdout.split('\n').filter(Boolean).length).toBe(2);
  });

  test('stays partial across commits and agrees with a full load at each step', async () => {
    const dir = await primed();
    for (let day = 10; day < 13; day++) {
      const file = `patterns/api-development/pat_2025-12-${day}_step.md`;
      writeTree(dir, {
        [file]: pattern(`pat_2025-12-${day}_step`, 'api-development', '1. Plan (Spec Architect)'),
        'plugins/acme-core/agents/code-explorer.md': `---\ndescription: Explores code, day ${day}\n---\n\nExplore.\n`,
      });
      git(dir, 'add', '.');
      const result = await partialAndFull(dir);
      expect(result).toEqual({ stdout: '', exitCode: 0, loads: { full: 0, partial: 1 } });
      git(dir, 'commit', '-q', '-m', `day ${day}`);
    }
  });

  test('works for a catalog in a folder of the repository, run from anywhere in it', async () => {
    const dir = tempDir('agentops-lint-staged-');
    cpSync(catalogFixture, path.join(dir, 'catalog'), { recursive: true });
    writeTree(dir, { 'README.md': '# Monorepo\n' });
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'catalog');
    const first = 'catalog/patterns/release/pat_2025-12-06_a.md';
    writeTree(dir, { [first]: pattern('pat_2025-12-06_a', 'release', '1. Write (Doc Generator)') });
    git(dir, 'add', first);
    expect((await lintStaged(path.join(dir, 'catalog/plugins'))).loads).toEqual({
      full: 1,
      partial: 0,
    });
    git(dir, 'commit', '-q', '-m', 'a');
    const second = 'catalog/patterns/release/pat_2025-12-07_b.md';
    writeTree(dir, {
      [second]: pattern('pat_2025-12-06_a', 'release', '1. Write (Doc Generator)'),
    });
    git(dir, 'add', second);
    const result = await lintStaged(dir);
    expect(result).toEqual({
      stdout: [
        `${second}:2:13-2:29 error no-duplicate-pattern-id Unexpected duplicate \`pattern_id\` \`pat_2025-12-06_a\`, expected an id no other pattern uses (first used in \`patterns/release/pat_2025-12-06_a.md\`)`,
        `${second}:2:13-2:29 error pattern-id-matches-file Unexpected \`pattern_id\` \`pat_2025-12-06_a\`, expected \`pat_2025-12-07_b\` (its file name without \`.md\`)`,
        '',
      ].join('\n'),
      exitCode: 1,
      loads: { full: 0, partial: 1 },
    });
    forgetFacts(dir);
    expect(await lintStaged(dir)).toEqual({ ...result, loads: { full: 1, partial: 0 } });
  });

  test('--fix and --fix-dry-run mend staged files and re-check them the same way', async () => {
    const dir = await primed();
    const file = 'patterns/release/pat_2025-12-08_fix.md';
    const text = pattern('pat_2025-12-08_fix', 'release', '1. Write (Doc Generator)');
    writeTree(dir, { [file]: text.replace('## Metrics', '### Metrics') });
    git(dir, 'add', file);
    const dry = await lintStaged(dir, ['--fix-dry-run']);
    // The diff, and nothing left to report once it is applied.
    expect(dry).toEqual({
      stdout: [
        `--- a/${file}`,
        `+++ b/${file}`,
        '@@ -14,5 +14,5 @@',
        ' ## Optimizations',
        ' - Checkpoint: after tests',
        ' ',
        '-### Metrics',
        '+## Metrics',
        ' - Duration: ~10min',
        '',
      ].join('\n'),
      exitCode: 0,
      loads: { full: 1, partial: 0 },
    });
    expect(readFileSync(path.join(dir, file), 'utf8')).toContain('### Metrics');
    expect(await lintStaged(dir, ['--fix'])).toEqual({
      stdout: '',
      exitCode: 0,
      loads: { full: 1, partial: 0 },
    });
    expect(readFileSync(path.join(dir, file), 'utf8')).toBe(text);
  });

  test('a corrupt, foreign or earlier store is rebuilt, never an error', async () => {
    const dir = await primed();
    const store = path.join(dir, '.git/agentops-lint');
    const names = readdirSync(store);
    const facts = path.join(store, names.find((name) => name.endsWith('.facts')) ?? '');
    const text = readFileSync(facts, 'utf8');
    const [format = '', header = '', ...rest] = text.split('\n');
    expect(format).toBe('agentops-lint staged facts 3');
    for (const name of names) writeFileSync(path.join(store, name), '{ not json');
    const file = 'patterns/release/pat_2025-12-05_x.md';
    writeTree(dir, { [file]: pattern('pat_2025-12-05_x', 'release', '1. Write (Doc Generator)') });
    git(dir, 'add', file);
    const clean = { stdout: '', exitCode: 0 };
    expect(await lintStaged(dir)).toEqual({ ...clean, loads: { full: 1, partial: 0 } });
    expect(await lintStaged(dir)).toEqual({ ...clean, loads: { full: 0, partial: 1 } });

    // Each damaged copy is found before any of it is used, and the next run stores new facts.
    const stored = JSON.parse(header) as Record<string, unknown>;
    const damaged = [
      // Another format, the header of another shape or root, sections of other lengths.
      text.replace(format, 'agentops-lint staged facts 2'),
      [format, JSON.stringify({ ...stored, pluginDirs: 'plugins' }), ...rest].join('\n'),
      [format, JSON.stringify({ ...stored, root: 'elsewhere' }), ...rest].join('\n'),
      `${text}\n`,
      text.slice(0, -1),
    ];
    for (const copy of damaged) {
      // The index file was written again by the last full run: pair the copy with it.
      const now = readFileSync(facts, 'utf8');
      const token = (JSON.parse(now.split('\n')[1] ?? '') as { token: string }).token;
      writeFileSync(facts, copy.replace(/"token":"[0-9a-f]+"/, `"token":"${token}"`));
      expect(await lintStaged(dir)).toEqual({ ...clean, loads: { full: 1, partial: 0 } });
      expect((await lintStaged(dir)).loads).toEqual({ full: 0, partial: 1 });
    }
  });

  test('removes the files of the earlier store format when it stores facts', async () => {
    const dir = repository();
    const store = path.join(dir, '.git/agentops-lint');
    writeTree(store, {
      'staged-3a52ce780950.json': '{}',
      'staged-3a52ce780950.index': 'x',
      'untracked.json': '{}',
    });
    writeTree(dir, { 'NOTES.md': '# Notes\n' });
    git(dir, 'add', 'NOTES.md');
    expect((await lintStaged(dir)).loads).toEqual({ full: 1, partial: 0 });
    expect(readdirSync(store).sort()).toEqual([
      expect.stringMatching(/^staged-[0-9a-f]{8}\.facts$/),
      expect.stringMatching(/^staged-[0-9a-f]{8}\.index$/),
      expect.stringMatching(/^staged-[0-9a-f]{8}\.marketplace$/),
      'untracked.json',
    ]);
  });
});

describe('file arguments in a git work tree', () => {
  const committed = 'patterns/release/pat_2025-10-02_release_notes.md';

  test('use the stored facts after one full load, with work-tree and untracked files in view', async () => {
    const dir = repository();
    expect(await lintFiles(dir, [committed])).toEqual({
      stdout: '',
      exitCode: 0,
      loads: { full: 1, partial: 0 },
    });
    expect((await lintFiles(dir, [committed])).loads).toEqual({ full: 0, partial: 1 });

    // An untracked pattern and an unstaged change both reach the check of the given file.
    const copy = 'patterns/release/pat_2025-12-01_copy.md';
    writeTree(dir, {
      [copy]: pattern('pat_2025-10-02_release_notes', 'release', '1. Review (Code Explorer)'),
      'patterns/api-development/pat_2025-11-07_oauth_api.md': pattern(
        'pat_2025-10-02_release_notes',
        'api-development',
        '1. Review (Code Explorer)',
      ),
    });
    for (const files of [
      [copy],
      [committed, copy],
      ['patterns/api-development/pat_2025-11-07_oauth_api.md'],
    ]) {
      const partial = await lintFiles(dir, files);
      expect(partial.loads).toEqual({ full: 0, partial: 1 });
      expect({ stdout: partial.stdout, exitCode: partial.exitCode }).toEqual(
        await withoutGit(dir, files),
      );
      expect(partial.exitCode).toBe(1);
    }
  });

  test('see plugins and patterns changed after the facts were stored: unstaged, committed, untracked or removed', async () => {
    const dir = repository();
    expect((await lintFiles(dir, [committed])).loads).toEqual({ full: 1, partial: 0 });
    const steps: [string, () => void][] = [
      // An agent the pattern names gets another name, in the work tree only.
      [
        'renamed agent',
        () =>
          writeTree(dir, {
            'plugins/acme-core/agents/doc-generator.md':
              '---\nname: doc-writer\ndescription: Writes docs\n---\n\nWrite.\n',
          }),
      ],
      // The rename is committed, and a committed pattern takes the given pattern's id.
      [
        'committed',
        () => {
          writeTree(dir, {
            'patterns/api-development/pat_2025-11-07_oauth_api.md': pattern(
              'pat_2025-10-02_release_notes',
              'api-development',
              '1. Review (Reviewer)',
            ),
          });
          git(dir, 'commit', '-q', '-am', 'rename and clash');
        },
      ],
      // An untracked plugin folder listed nowhere, and an untracked agent that restores the name.
      [
        'untracked',
        () =>
          writeTree(dir, {
            'plugins/acme-review/agents/doc-generator.md':
              '---\ndescription: Generates docs\n---\n\nGenerate.\n',
          }),
      ],
      // The agent file is removed again, and the reviewer with it.
      [
        'removed',
        () => {
          rmSync(path.join(dir, 'plugins/acme-review/agents'), { recursive: true });
        },
      ],
    ];
    const outputs: string[] = [];
    for (const [, change] of steps) {
      change();
      const partial = await lintFiles(dir, [committed]);
      expect(partial.loads).toEqual({ full: 0, partial: 1 });
      expect({ stdout: partial.stdout, exitCode: partial.exitCode }).toEqual(
        await withoutGit(dir, [committed]),
      );
      outputs.push(partial.stdout);
    }
    // Each step changed what the given file is told.
    expect(new Set(outputs).size).toBe(steps.length);
  });

  test('forget an untracked file the facts were taken with once it is gone', async () => {
    const dir = repository();
    const copy = 'patterns/api-development/pat_2025-01-01_copy.md';
    writeTree(dir, {
      [copy]: pattern('pat_2025-11-07_oauth_api', 'api-development', '1. Review (Reviewer)'),
    });
    const given = 'patterns/api-development/pat_2025-11-07_oauth_api.md';
    const full = await lintFiles(dir, [given]);
    expect(full.loads).toEqual({ full: 1, partial: 0 });
    rmSync(path.join(dir, copy));
    const partial = await lintFiles(dir, [given]);
    expect(partial).toEqual({
      ...(await withoutGit(dir, [given])),
      loads: { full: 0, partial: 1 },
    });
    expect(partial.stdout).not.toBe(full.stdout);
  });

  test('see the folder a `./` source would name under `metadata.pluginRoot` come and go', async () => {
    const dir = repository();
    const marketplace = '.claude-plugin/marketplace.json';
    const data = JSON.parse(readFileSync(path.join(dir, marketplace), 'utf8')) as {
      metadata?: Record<string, unknown>;
      plugins: Record<string, unknown>[];
    };
    data.metadata = { ...data.metadata, pluginRoot: './tools' };
    data.plugins.push({ name: 'deploy', source: './deploy' });
    writeTree(dir, { [marketplace]: `${JSON.stringify(data, null, 2)}\n` });
    git(dir, 'commit', '-q', '-am', 'deploy under tools');
    const manifest = 'tools/deploy/.claude-plugin/plugin.json';
    const outputs: string[] = [];
    for (const change of [
      () => undefined,
      () => writeTree(dir, { [manifest]: '{ "name": "deploy" }\n' }),
      () => rmSync(path.join(dir, 'tools'), { recursive: true }),
    ]) {
      change();
      const run = await lintFiles(dir, [marketplace]);
      expect({ stdout: run.stdout, exitCode: run.exitCode }).toEqual(
        await withoutGit(dir, [marketplace]),
      );
      outputs.push(run.stdout);
    }
    // Only while the folder exists is the fix's path named.
    expect(outputs.map((stdout) => stdout.includes('expected `./tools/deploy`'))).toEqual([
      false,
      true,
      false,
    ]);
  });

  test('store no facts for a pattern whose file name holds a line break, and stay right', async () => {
    const dir = repository();
    const odd = 'patterns/release/pat_2025-12-09_a\nb.md';
    writeTree(dir, {
      [odd]: pattern('pat_2025-10-02_release_notes', 'release', '1. Write (Reviewer)'),
    });
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'odd name');
    const first = await lintFiles(dir, [committed]);
    const second = await lintFiles(dir, [committed]);
    expect([first.loads, second.loads]).toEqual([
      { full: 1, partial: 0 },
      { full: 1, partial: 0 },
    ]);
    expect(second.stdout).toBe(first.stdout);
    expect({ stdout: second.stdout, exitCode: second.exitCode }).toEqual(
      await withoutGit(dir, [committed]),
    );
  });

  test('load in full outside git, for an ignored file, and for --fix', async () => {
    const dir = repository();
    writeTree(dir, { '.gitignore': 'patterns/scratch/\n', 'patterns/scratch/pat_x.md': '# x\n' });
    await lintFiles(dir, [committed]);
    expect((await lintFiles(dir, ['patterns/scratch/pat_x.md'])).loads).toEqual({
      full: 1,
      partial: 0,
    });
    const fixed = await runLint(parseCliArgs(['--fix-dry-run', committed]), {
      cwd: dir,
      readStdin: () => Promise.resolve(''),
      color: false,
    });
    expect(fixed.loads).toEqual({ full: 1, partial: 0 });
    rmSync(path.join(dir, '.git'), { recursive: true, force: true });
    expect((await lintFiles(dir, [committed])).loads).toEqual({ full: 1, partial: 0 });
  });
});
