import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { facetTags, isFacetWord, normaliseTerm, normaliseTerms } from '../../src/lib/taxonomy.ts';

describe('normaliseTerm', () => {
  test.for<[string, string]>([
    ['Testing', 'testing'],
    ['tests', 'testing'],
    ['Code Reviews', 'code-review'],
    ['code_review', 'code-review'],
    ['skills', 'skill'],
    ['Sub-Agents', 'agent'],
    ['subagents', 'agent'],
    ['slash-commands', 'command'],
    ['utilities', 'utility'],
    ['docs', 'documentation'],
    ['CI/CD', 'ci-cd'],
    ['k8s', 'kubernetes'],
    ['Next.js', 'nextjs'],
    ['.NET', 'dotnet'],
    ['devops', 'devops'],
    ['analytics', 'analytics'],
    ['kubernetes', 'kubernetes'],
    ['Security, Compliance, & Legal', 'security-compliance-legal'],
    ['Project & Product Management', 'project-product-management'],
    ['Design and UX', 'design-ux'],
    ['patches', 'patch'],
    ['c++', 'c++'],
    ['  ', ''],
  ])('%s becomes %s', ([raw, expected]) => {
    expect(normaliseTerm(raw)).toBe(expected);
  });

  test('keeps the first spelling order and drops duplicates and empties', () => {
    expect(normaliseTerms(['Skills', 'skill', '', 'MCP', 'mcp-server'])).toEqual(['skill', 'mcp']);
  });
});

describe('facets', () => {
  test('generic words and numbers are never facets', () => {
    expect(['end', 'fail', 'multi', 'misc', '2024', 'x'].filter(isFacetWord)).toEqual([]);
    expect(['testing', 'mcp', 'go'].filter(isFacetWord)).toEqual(['testing', 'mcp', 'go']);
  });

  test('a tag needs three entries, and derived keywords only add to authored tags', () => {
    const authored = [['testing', 'mcp'], ['testing'], ['mcp', 'fail'], ['fail'], ['fail']];
    const derived = [['testing'], ['mcp'], ['session'], ['session'], ['session']];
    expect(facetTags(authored, derived)).toEqual([
      ['mcp', 3],
      ['testing', 3],
    ]);
  });
});

const mirror = join(import.meta.dirname, '../../../../shared/mirror');

describe.runIf(existsSync(mirror))('tags of the real marketplaces (reads ../shared/mirror)', () => {
  test('normalising merges spellings and leaves no generic facet', () => {
    const authored: string[][] = [];
    const raw: string[][] = [];
    for (const id of readdirSync(mirror).sort()) {
      let manifest: unknown;
      try {
        manifest = JSON.parse(
          readFileSync(join(mirror, id, '.claude-plugin/marketplace.json'), 'utf8'),
        );
      } catch {
        continue;
      }
      const plugins = (manifest as { plugins?: unknown }).plugins;
      if (!Array.isArray(plugins)) continue;
      for (const entry of plugins as { keywords?: unknown; tags?: unknown }[]) {
        const words = [entry.keywords, entry.tags]
          .flatMap((list): unknown[] => (Array.isArray(list) ? (list as unknown[]) : []))
          .filter((word): word is string => typeof word === 'string');
        authored.push(normaliseTerms(words));
        raw.push(words.map((word) => word.toLowerCase()));
      }
    }
    const facets = new Map(facetTags(authored));
    expect(facets.has('skills')).toBe(false);
    expect(facets.has('docs')).toBe(false);
    const carrying = (...spellings: string[]) =>
      raw.filter((words) => spellings.some((spelling) => words.includes(spelling))).length;
    expect(facets.get('skill')).toBe(carrying('skill', 'skills'));
    expect(facets.get('skill')).toBeGreaterThan(carrying('skill'));
    expect(facets.get('documentation')).toBe(carrying('documentation', 'docs', 'doc'));
    for (const word of ['end', 'fail', 'multi', 'tools']) expect(facets.has(word)).toBe(false);
  });
});
