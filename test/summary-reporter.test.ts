// The summary line CI reads, from a real vitest run over test files that fail in every way a
// file can: a failed test, a beforeAll or afterAll that throws, an import that does not resolve.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..');
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-summary-')));

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('counts a file that fails outside its tests as one failure, and one failed test once', () => {
  const files: Record<string, string> = {
    'pass.test.ts': "test('passes', () => {});",
    'fail.test.ts': "test('fails', () => { throw new Error('no'); });\ntest('passes', () => {});",
    'before.test.ts': "beforeAll(() => { throw new Error('no'); });\ntest('never runs', () => {});",
    'after.test.ts': "afterAll(() => { throw new Error('no'); });\ntest('passes', () => {});",
    'broken.test.ts': "import './missing.ts';\ntest('never loads', () => {});",
  };
  for (const [name, body] of Object.entries(files)) {
    fs.writeFileSync(
      path.join(dir, name),
      `import { afterAll, beforeAll, test } from 'vitest';\n${body}\n`,
    );
  }
  fs.writeFileSync(path.join(dir, 'vitest.config.ts'), 'export default {};\n');
  const run = spawnSync(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--root',
      dir,
      '--reporter',
      path.join(repoRoot, 'scripts/summary-reporter.ts'),
    ],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } },
  );
  expect(run.status).toBe(1);
  expect(run.stdout.trim().split('\n').at(-1)).toBe('3 passed, 4 failed, 1 skipped');
});
