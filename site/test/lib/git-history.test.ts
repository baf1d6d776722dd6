import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  parseGitLog,
  readGitHistory,
  readGitPrefix,
  readGitRemote,
} from '../../src/lib/git-history.ts';
import { writeFixtureRepo } from '../helpers/fixture-repo.ts';

describe('parseGitLog', () => {
  test('keeps the newest date as updated and the oldest as created, for files and folders', () => {
    const log = [
      '\u00012026-03-01T00:00:00.000Z',
      '',
      'a/b/c.md',
      'a/d.md',
      '\u00012026-01-01T00:00:00.000Z',
      '',
      'a/b/c.md',
      '',
    ].join('\n');
    const history = parseGitLog(log);
    expect(Object.fromEntries(history)).toEqual({
      'a/b/c.md': { updated: '2026-03-01T00:00:00.000Z', created: '2026-01-01T00:00:00.000Z' },
      'a/b': { updated: '2026-03-01T00:00:00.000Z', created: '2026-01-01T00:00:00.000Z' },
      a: { updated: '2026-03-01T00:00:00.000Z', created: '2026-01-01T00:00:00.000Z' },
      '': { updated: '2026-03-01T00:00:00.000Z', created: '2026-01-01T00:00:00.000Z' },
      'a/d.md': { updated: '2026-03-01T00:00:00.000Z', created: '2026-03-01T00:00:00.000Z' },
    });
  });
});

describe('readGitHistory', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'site-git-'));
  beforeAll(() => writeFixtureRepo(root));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('reads commit dates of folders from a real repository', () => {
    const history = readGitHistory(root);
    expect(history.get('plugins/quill-docs')).toEqual({
      updated: '2026-02-20T08:30:00.000Z',
      created: '2026-02-20T08:30:00.000Z',
    });
    expect(history.get('plugins/deploy-guard')).toEqual({
      updated: '2026-01-10T12:00:00.000Z',
      created: '2026-01-10T12:00:00.000Z',
    });
    expect(history.get('')).toEqual({
      updated: '2026-02-20T08:30:00.000Z',
      created: '2026-01-10T12:00:00.000Z',
    });
  });

  test('gives paths relative to a subfolder of the repository', () => {
    const history = readGitHistory(path.join(root, 'plugins'));
    expect(history.get('quill-docs')?.updated).toBe('2026-02-20T08:30:00.000Z');
    expect(readGitPrefix(path.join(root, 'plugins'))).toBe('plugins/');
  });

  test('has no remote and no history outside git', () => {
    expect(readGitRemote(root)).toBeUndefined();
    expect(readGitHistory(os.tmpdir()).size).toBe(0);
  });
});
