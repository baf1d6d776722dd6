import { describe, expect, test } from 'vitest';
import { git } from './helpers/git.ts';
import { lintStaged, partialAndFull, pattern, primed, repository } from './helpers/staged.ts';
import { writeTree } from './helpers/tree.ts';

// A partial `--staged` run answers cross-file rules from indexes stored with the facts: pattern ids
// (duplicates) and component names (workflow steps). Each step here changes what an index says
// and checks the partial run against a full load of the same state, message for message.

describe('stored indexes', () => {
  test('name the first pattern of a shared id, leaving out patterns changed or removed since', async () => {
    const dir = repository();
    // Two committed patterns whose id differs from their file names: the ids index holds both.
    const first = 'patterns/release/pat_2025-12-01_a.md';
    const second = 'patterns/release/pat_2025-12-02_b.md';
    writeTree(dir, {
      [first]: pattern('pat_2025-12-09_shared', 'release', '1. Write (Doc Generator)'),
      [second]: pattern('pat_2025-12-09_shared', 'release', '1. Write (Doc Generator)'),
    });
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'shared ids');
    writeTree(dir, { 'NOTES.md': '# Notes\n' });
    git(dir, 'add', 'NOTES.md');
    expect((await lintStaged(dir)).loads).toEqual({ full: 1, partial: 0 });
    git(dir, 'commit', '-q', '-m', 'notes');

    const file = 'patterns/release/pat_2025-12-09_shared.md';
    const duplicate = (original: string): string =>
      `${file}:2:13-2:34 error no-duplicate-pattern-id Unexpected duplicate \`pattern_id\` \`pat_2025-12-09_shared\`, expected an id no other pattern uses (first used in \`${original}\`)\n`;
    writeTree(dir, {
      [file]: pattern('pat_2025-12-09_shared', 'release', '1. Write (Doc Generator)'),
    });
    git(dir, 'add', file);
    expect(await partialAndFull(dir)).toEqual({
      stdout: duplicate(first),
      exitCode: 1,
      loads: { full: 0, partial: 1 },
    });

    // The first file takes an id of its own: the stored index still lists it under the shared id.
    writeTree(dir, { [first]: pattern('pat_2025-12-01_a', 'release', '1. Write (Doc Generator)') });
    git(dir, 'add', first);
    expect(await partialAndFull(dir)).toEqual({
      stdout: duplicate(second),
      exitCode: 1,
      loads: { full: 0, partial: 1 },
    });

    // The second is removed and not loaded: the index must not count it either.
    git(dir, 'rm', '-q', second);
    expect(await partialAndFull(dir)).toEqual({
      stdout: '',
      exitCode: 0,
      loads: { full: 0, partial: 1 },
    });
  });

  test('find components by plain and qualified name, and forget a plugin removed since', async () => {
    const dir = await primed();
    const file = 'patterns/release/pat_2025-12-08_steps.md';
    const workflow = [
      '1. Review (Reviewer)',
      '2. Review again (agent:acme-review-reviewer)',
      '3. Run it (command:review)',
      '4. Log it (skill:changelog)',
      '5. Explore (Code Explorer)',
      '6. Test (Test Writer)',
    ].join('\n');
    writeTree(dir, { [file]: pattern('pat_2025-12-08_steps', 'release', workflow) });
    git(dir, 'add', file);
    const missing = (line: number, columns: string, role: string, expected: string): string =>
      `${file}:${line}:${columns} warning pattern-steps-exist Unexpected workflow role \`${role}\`, expected ${expected} in a plugin of the catalog\n`;
    const testWriter = missing(17, '10-17:21', 'Test Writer', 'an agent `test-writer`');
    expect(await partialAndFull(dir)).toEqual({
      stdout: testWriter,
      exitCode: 0,
      loads: { full: 0, partial: 1 },
    });

    // Without the review plugin, its agent and command are gone, under either name.
    git(dir, 'rm', '-q', '-r', 'plugins/acme-review');
    const review = [
      missing(12, '12-12:20', 'Reviewer', 'an agent `reviewer`'),
      missing(13, '18-13:44', 'agent:acme-review-reviewer', 'an agent `acme-review-reviewer`'),
      missing(14, '12-14:26', 'command:review', 'a command `review`'),
    ];
    expect(await partialAndFull(dir)).toEqual({
      stdout: [...review, testWriter].join(''),
      exitCode: 0,
      loads: { full: 0, partial: 1 },
    });
    git(dir, 'commit', '-q', '-m', 'no review plugin');

    // A plugin that gains an agent: the stored names are older than the plugin loaded again.
    const agent = 'plugins/acme-core/agents/test-writer.md';
    writeTree(dir, {
      [agent]: '---\ndescription: Writes tests\n---\n\nWrite tests.\n',
      [file]: `${pattern('pat_2025-12-08_steps', 'release', workflow)}\n`,
    });
    git(dir, 'add', agent, file);
    expect(await partialAndFull(dir)).toEqual({
      stdout: review.join(''),
      exitCode: 0,
      loads: { full: 0, partial: 1 },
    });
  });
});
