import fs from 'node:fs';
import path from 'node:path';
import { lintCatalog } from 'agentops-lint';
import { loadCatalog } from 'agentops-lint/catalog';
import { afterEach, expect, test } from 'vitest';
import { defaultWorld, generateLog } from '../src/bench/world.ts';
import { extractPatterns } from '../src/extract.ts';
import { writePatternFiles } from '../src/pattern-file.ts';
import { repoRoot, tempDir } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

test.for(['bayes', 'legacy'] as const)(
  'pattern files written with the %s rule pass agentops-lint with no error',
  async (rule) => {
    const dir = tempDir();
    dirs.push(dir);
    fs.cpSync(
      path.join(repoRoot, 'plugins', 'agentops-core'),
      path.join(dir, 'plugins', 'agentops-core'),
      { recursive: true },
    );
    const patterns = extractPatterns(
      generateLog(defaultWorld(), 1000, 21).map((entry) => entry.execution),
      { rule },
    );
    expect(patterns.length).toBeGreaterThan(10);
    writePatternFiles(patterns, path.join(dir, 'patterns'));
    const catalog = await loadCatalog(dir);
    expect(catalog.patterns).toHaveLength(patterns.length);
    const result = lintCatalog(catalog);
    // Only files with messages are returned: none may be a pattern file.
    const patternFiles = result.files.filter((file) => file.path.includes('patterns/'));
    const problems = patternFiles.flatMap((file) =>
      file.messages.map((m) => `${file.path}: ${m.ruleId ?? ''} ${m.reason}`),
    );
    expect(problems).toEqual([]);
  },
);
