import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { parseCliArgs } from '../src/cli-options.ts';

// `.pre-commit-hooks.yaml` at the repository root: what the pre-commit framework reads.
const repoRoot = path.resolve(import.meta.dirname, '../..');
const bin = (
  JSON.parse(readFileSync(path.join(repoRoot, 'lint/package.json'), 'utf8')) as {
    bin: Record<string, string>;
  }
).bin['agentops-lint'];

interface HookDefinition {
  id: string;
  entry: string;
  language: string;
  pass_filenames?: boolean;
}

test('each pre-commit hook runs the committed agentops-lint bundle with valid options', () => {
  const hooks = parse(readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as
    HookDefinition[] | undefined;
  expect(hooks?.map((hook) => hook.id)).toEqual(['agentops-lint', 'agentops-lint-staged']);
  for (const hook of hooks ?? []) {
    const [command, ...args] = hook.entry.split(' ');
    // The package's own bin, from the repository root, with nothing to install.
    expect(`./${path.posix.relative('lint', command ?? '')}`).toBe(bin);
    expect(hook.language).toBe('script');
    const options = parseCliArgs(args);
    // A hook that ignores file arguments must choose its files itself.
    expect(hook.pass_filenames === false).toBe(options.staged);
  }
});
