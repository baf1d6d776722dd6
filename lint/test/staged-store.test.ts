import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  componentKey,
  componentKinds,
  forEachComponentKey,
} from '../src/catalog/component-keys.ts';
import { outsideFacts } from '../src/catalog/facts.ts';
import type { OutsidePattern, OutsidePlugin } from '../src/catalog/model.ts';
import { snapshotFromRecords } from '../src/index-snapshot.ts';
import {
  folderFinder,
  isStorable,
  readStore,
  storeFiles,
  writeStore,
  type StoreContents,
} from '../src/staged-store.ts';
import { tempDir } from './helpers/tree.ts';

// The stored facts must answer every lookup as the facts held in memory do (`outsideFacts`, what
// full runs use): the same patterns by id, in path order, and the same component names.

const pattern = (path: string, id: string | undefined): OutsidePattern => ({
  path,
  folder: path.split('/').slice(1, -1).join('/'),
  id,
});

const patterns: OutsidePattern[] = [
  pattern('patterns/a/pat_2025-01-01_one.md', 'pat_2025-01-01_one'),
  pattern('patterns/a/pat_2025-01-02_two.md', 'pat_2025-01-09_shared'),
  pattern('patterns/b/pat_2025-01-01_one.md', 'pat_2025-01-01_one'),
  pattern('patterns/b/pat_2025-01-09_shared.md', 'pat_2025-01-09_shared'),
  pattern('patterns/b/broken.md', undefined),
  pattern('patterns/pat_2025-01-03_top.md', 'pat_2025-01-03_top'),
  pattern('patterns/c/d/pat_2025-01-04_deep.md', 'pat_2025-01-04_deep'),
  pattern('patterns/ü/pat_2025-01-05_wide.md', 'pat_2025-01-05_other'),
];

const plugins: OutsidePlugin[] = [
  {
    dir: 'plugins/core',
    name: 'core',
    agents: ['code-explorer', 'Spec Architect'],
    skills: [],
    commands: ['go'],
  },
  {
    dir: 'plugins/odd',
    name: 'Odd Plugin!',
    agents: ['--', 'a:b'],
    skills: ['Ünïcode'],
    commands: [],
  },
  { dir: 'plugins/empty', name: '', agents: [], skills: [''], commands: [] },
];

function stored(contents: Pick<StoreContents, 'patterns' | 'plugins'>) {
  const dir = tempDir('agentops-lint-store-');
  const files = storeFiles(dir, '.');
  const index = snapshotFromRecords([`100644 ${'a'.repeat(40)} 0\tx.md`], 20);
  writeStore(
    dir,
    files,
    {
      key: 'k',
      token: 't0',
      root: '.',
      pluginDirs: [],
      missingDirs: [],
      rootPlugin: false,
      untracked: [],
      ...contents,
    },
    index,
  );
  const read = readStore(files, '.');
  // The header round-trips and the index copy is the index's own bytes.
  expect(read?.[0]).toMatchObject({
    key: 'k',
    token: 't0',
    root: '.',
    pluginDirs: [],
    missingDirs: [],
    rootPlugin: false,
    untracked: [],
    pluginCount: contents.plugins.length,
  });
  // Named, not read: the diff reads it where needed.
  expect(read?.[1]).toEqual({ file: files.index, head: 't0 20\n', oidBytes: 20, memo: files.diff });
  expect(
    Buffer.compare(readFileSync(files.index), Buffer.concat([Buffer.from('t0 20\n'), index.data])),
  ).toBe(0);
  return { files, facts: read?.[0] };
}

describe('stored facts', () => {
  test('find the patterns of each id, in path order, as facts in memory do', () => {
    const { facts } = stored({ patterns, plugins });
    const memory = outsideFacts(patterns, plugins);
    const ids = [
      ...patterns.map((p) => p.id ?? ''),
      'pat_0000',
      'pat_2025-01-01',
      'pat_2025-01-09_sharedx',
      'zzz',
      '',
    ];
    for (const id of ids) expect(facts?.withId(id), id).toEqual(memory.withId(id));
    expect(facts?.withId('pat_2025-01-09_shared').map((p) => p.path)).toEqual([
      'patterns/a/pat_2025-01-02_two.md',
      'patterns/b/pat_2025-01-09_shared.md',
    ]);
    expect(facts?.patterns()).toEqual(patterns);
    expect(facts?.plugins()).toEqual(plugins);
    expect(facts?.pluginCount).toBe(3);
  });

  test('know every component name a plugin answers to, and no other', () => {
    const { facts } = stored({ patterns, plugins });
    const memory = outsideFacts(patterns, plugins);
    const names = [
      ...plugins.flatMap((p) => [...p.agents, ...p.skills, ...p.commands]),
      ...plugins.flatMap((p) => [...p.agents, ...p.skills].map((n) => `${p.name}:${n}`)),
      'code',
      'code-explorerz',
      'a',
      'zz',
      '',
      'core-go',
      'odd-plugin-a-b',
    ];
    for (const kind of componentKinds)
      for (const name of names) {
        const key = componentKey(name);
        expect(facts?.hasComponent(kind, key), `${kind} ${key}`).toBe(
          memory.hasComponent(kind, key),
        );
        // The plugins that answer to it, as their names in memory give them.
        const providers = plugins
          .filter((plugin) => {
            let answers = false;
            forEachComponentKey(plugin, kind, (found) => (answers ||= found === key));
            return answers;
          })
          .map((plugin) => plugin.dir);
        expect(facts?.providersOf(kind, key), `${kind} ${key}`).toEqual(providers);
      }
    expect(facts?.providersOf('agent', 'core-spec-architect')).toEqual(['plugins/core']);
    expect(facts?.hasComponent('skill', '')).toBe(true);
    expect(facts?.hasComponent('agent', 'core-spec-architect')).toBe(true);
    expect(facts?.hasComponent('command', 'code-explorer')).toBe(false);
  });

  test('name every plugin that answers to a component key, in plugin order', () => {
    const { facts } = stored({
      patterns: [],
      plugins: ['b', 'a', 'c'].map((name) => ({
        dir: `plugins/${name}`,
        name,
        agents: name === 'c' ? [] : ['Shared Helper'],
        skills: [],
        commands: [],
      })),
    });
    expect(facts?.providersOf('agent', 'shared-helper')).toEqual(['plugins/b', 'plugins/a']);
    expect(facts?.providersOf('agent', 'a-shared-helper')).toEqual(['plugins/a']);
    expect(facts?.providersOf('agent', 'c-shared-helper')).toEqual([]);
    expect(facts?.providersOf('skill', 'shared-helper')).toEqual([]);
  });

  test('answer for a lone empty name (its plugin named empty too) and for none at all', () => {
    const lone = stored({
      patterns: [],
      plugins: [{ dir: 'p', name: '', agents: ['--'], skills: [], commands: [] }],
    });
    expect(lone.facts?.hasComponent('agent', '')).toBe(true);
    expect(lone.facts?.hasComponent('skill', '')).toBe(false);
    const none = stored({ patterns: [], plugins: [] });
    expect(none.facts?.withId('pat_2025-01-01_one')).toEqual([]);
    expect(none.facts?.patterns()).toEqual([]);
    expect(none.facts?.plugins()).toEqual([]);
  });

  test('are not stored when a path, id or name holds a separator', () => {
    expect(isStorable({ patterns, plugins })).toBe(true);
    expect(isStorable({ patterns: [pattern('patterns/a\tb.md', undefined)], plugins: [] })).toBe(
      false,
    );
    expect(isStorable({ patterns: [], plugins: [{ ...plugins[0]!, name: 'a\u001fb' }] })).toBe(
      false,
    );
    expect(isStorable({ patterns: [], plugins: [{ ...plugins[0]!, commands: ['x\ny'] }] })).toBe(
      false,
    );
  });

  test('read nothing from a file of another root, or one cut short', () => {
    const { files } = stored({ patterns, plugins });
    expect(readStore(files, 'sub')).toBeUndefined();
    const text = readFileSync(files.facts);
    writeFileSync(files.facts, text.subarray(0, -1));
    expect(readStore(files, '.')).toBeUndefined();
  });
});

describe('folderFinder', () => {
  test('gives the folder `find` would: the first listed that is the file or holds it', () => {
    const dirs = [
      'plugins/a',
      'patterns/tools/x',
      'plugins/a/nested',
      'plugins/ab',
      'patterns/tools',
    ];
    const isWithin = (file: string, dir: string): boolean =>
      file === dir || file.startsWith(`${dir}/`);
    const find = folderFinder(dirs);
    for (const file of [
      'plugins/a',
      'plugins/a/x.md',
      'plugins/a/nested/y.md',
      'plugins/ab/z.md',
      'plugins/abc/z.md',
      'patterns/tools/x/SKILL.md',
      'patterns/tools/t.md',
      'patterns/other.md',
      'plugins',
      '',
    ])
      expect([file, find(file)]).toEqual([file, dirs.find((dir) => isWithin(file, dir))]);
    expect(find('patterns/tools/x/SKILL.md')).toBe('patterns/tools/x');
    expect(folderFinder([...dirs].reverse())('patterns/tools/x/SKILL.md')).toBe('patterns/tools');
  });
});
