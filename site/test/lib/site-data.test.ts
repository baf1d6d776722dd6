import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { inputsDigest } from '../../src/lib/input-digest.ts';
import { readSiteConfig } from '../../src/lib/site-config.ts';
import { CatalogError, loadSiteData } from '../../src/lib/site-data.ts';
import { writeFixtureRepo } from '../helpers/fixture-repo.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'site-data-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('loadSiteData', () => {
  test('fails with the compact report when the loader finds an error', async () => {
    const repo = path.join(work, 'broken');
    mkdirSync(path.join(repo, '.claude-plugin'), { recursive: true });
    writeFileSync(path.join(repo, '.claude-plugin/marketplace.json'), '{ "name": "x", ');
    const load = loadSiteData(readSiteConfig({ AGENTOPS_REPO: repo }));
    await expect(load).rejects.toBeInstanceOf(CatalogError);
    await expect(load).rejects.toThrow(
      /^The catalog has errors:\n\.claude-plugin\/marketplace\.json:1:\d+-\d+:\d+ error parse /,
    );
  });

  test('loads a clean repository with git dates, lint checks and GitHub source links', async () => {
    const repo = path.join(work, 'clean');
    writeFixtureRepo(repo);
    const data = await loadSiteData(
      readSiteConfig({ AGENTOPS_REPO: repo, AGENTOPS_ADD_SOURCE: 'acme/market' }),
    );
    const quill = data.plugins.find((plugin) => plugin.name === 'quill-docs');
    expect(quill?.updated).toBe('2026-02-20T08:30:00.000Z');
    expect(quill?.sourceUrl).toMatch(
      /^https:\/\/github\.com\/acme\/market\/blob\/[0-9a-f]{40}\/plugins\/quill-docs$/,
    );
    expect(quill?.checks.map((check) => check.id)).toContain('plugin-name-matches-dir');
    const guard = data.plugins.find((plugin) => plugin.name === 'deploy-guard');
    expect(guard?.checks.find((check) => check.id === 'no-broad-hook')?.status).toBe('warning');
  });

  test('reuses a stored lint report made from the same inputs, and lints again when they differ', async () => {
    const repo = path.join(work, 'stored');
    writeFixtureRepo(repo);
    const reportFile = path.join(work, 'lint-result.json');
    const report = [
      {
        filePath: 'plugins/quill-docs/.claude-plugin/plugin.json',
        messages: [
          {
            ruleId: 'plugin-name-matches-dir',
            severity: 1,
            message: 'Stored message',
            line: 2,
            column: 3,
            endLine: 2,
            endColumn: 9,
          },
        ],
      },
    ];
    const load = async (digest: string) => {
      writeFileSync(reportFile, JSON.stringify({ digest, report }));
      const data = await loadSiteData(
        readSiteConfig({ AGENTOPS_REPO: repo, AGENTOPS_LINT_RESULT: reportFile }),
      );
      const plugins = Object.fromEntries(data.plugins.map((plugin) => [plugin.name, plugin]));
      return {
        quill: plugins['quill-docs']?.checks.find(
          (check) => check.id === 'plugin-name-matches-dir',
        ),
        guard: plugins['deploy-guard']?.checks.find((check) => check.id === 'no-broad-hook'),
      };
    };

    const reused = await load(inputsDigest(repo));
    expect(reused.quill).toEqual({
      id: 'plugin-name-matches-dir',
      label: expect.any(String) as string,
      status: 'warning',
      url: 'https://agentops-marketplace.github.io/agentops-marketplace/rules/plugin-name-matches-dir/',
      messages: [
        {
          path: 'plugins/quill-docs/.claude-plugin/plugin.json',
          line: 2,
          column: 3,
          severity: 'warning',
          reason: 'Stored message',
        },
      ],
    });
    // The stored report is the whole verdict: the linter did not run, so its warning is absent.
    expect(reused.guard?.status).toBe('pass');

    const relinted = await load('another-digest');
    expect(relinted.quill?.status).toBe('pass');
    expect(relinted.guard?.status).toBe('warning');
  });

  test('takes the add source from the GitHub remote, never from this project for another repository', async () => {
    const repo = path.join(work, 'remote');
    writeFixtureRepo(repo);
    const addSource = async (env: Record<string, string> = {}) =>
      (await loadSiteData(readSiteConfig({ AGENTOPS_REPO: repo, ...env }))).marketplace.addSource;
    expect(await addSource()).toBeUndefined();
    expect(await addSource({ AGENTOPS_ADD_SOURCE: 'someone/else' })).toBe('someone/else');
    execFileSync('git', ['-C', repo, 'remote', 'add', 'origin', 'git@github.com:acme/tools.git']);
    expect(await addSource()).toBe('acme/tools');
    const data = await loadSiteData(readSiteConfig({ AGENTOPS_REPO: repo }));
    expect(data.plugins.find((plugin) => plugin.name === 'quill-docs')?.install.slash).toBe(
      '/plugin marketplace add acme/tools\n/plugin install quill-docs@fixture-market',
    );
  });
});
