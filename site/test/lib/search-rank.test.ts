import { describe, expect, test } from 'vitest';
import { componentSummary, rankByName, runsLabel } from '../../src/lib/search-rank.ts';

describe('rankByName', () => {
  const results = [
    'pattern mentioning deploy',
    'deploy-guard-extra',
    'other',
    'Deploy',
    'deploy-guard',
  ];
  const rank = (query: string) => rankByName(results, (name) => name, query);

  test('puts the exact name first, then prefixes, keeping the rest in order', () => {
    expect(rank('deploy-guard')).toEqual([
      'deploy-guard',
      'deploy-guard-extra',
      'pattern mentioning deploy',
      'other',
      'Deploy',
    ]);
    expect(rank(' DEPLOY ')).toEqual([
      'Deploy',
      'deploy-guard-extra',
      'deploy-guard',
      'pattern mentioning deploy',
      'other',
    ]);
  });

  test('puts plugins before patterns that mention them, after name matches', () => {
    const pages = [
      { name: 'review-loop', kind: 'pattern' },
      { name: 'code-tools', kind: 'plugin' },
      { name: 'linting', kind: 'federated plugin' },
      { name: 'review', kind: 'pattern' },
    ];
    expect(
      rankByName(
        pages,
        (page) => page.name,
        'review',
        (page) => page.kind,
      ).map((page) => page.name),
    ).toEqual(['review', 'review-loop', 'code-tools', 'linting']);
  });

  test('keeps the order for an empty query or names it cannot read', () => {
    expect(rank('')).toEqual(results);
    expect(rankByName(['a', 'b'], () => undefined, 'a')).toEqual(['a', 'b']);
  });
});

describe('result facts', () => {
  test('componentSummary counts each kind with plurals and leaves out empty kinds', () => {
    expect(
      componentSummary([
        { kind: 'command' },
        { kind: 'command' },
        { kind: 'skill' },
        { kind: 'output-style' },
      ]),
    ).toBe('2 commands · 1 skill · 1 output style');
    expect(componentSummary([])).toBe('no components');
  });

  test('runsLabel names what runs on the machine', () => {
    expect(runsLabel({ promptOnly: true, noHooks: true, noNetwork: true })).toBe('prompt-only');
    expect(runsLabel({ promptOnly: false, noHooks: false, noNetwork: false }, 'unknown')).toBe(
      'runs code we cannot read',
    );
    expect(runsLabel({ promptOnly: false, noHooks: true, noNetwork: true })).toBe(
      'runs local code, no network',
    );
    expect(runsLabel({ promptOnly: false, noHooks: false, noNetwork: true })).toBe(
      'hooks, no network',
    );
    expect(runsLabel({ promptOnly: false, noHooks: false, noNetwork: false })).toBe(
      'hooks that use the network',
    );
    expect(runsLabel({ promptOnly: false, noHooks: true, noNetwork: false })).toBe(
      'runs code that uses the network',
    );
  });
});
