import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { inputsDigest } from '../../src/lib/input-digest.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'input-digest-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(root: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

describe('inputsDigest', () => {
  test('in a git work tree: follows tracked and untracked files, ignores what git ignores', () => {
    const root = path.join(work, 'git');
    mkdirSync(root);
    execFileSync('git', ['init', '-q'], { cwd: root });
    write(root, '.gitignore', 'dist/\n');
    write(root, 'src/a.ts', 'one');
    const first = inputsDigest(root);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(inputsDigest(root)).toBe(first);

    write(root, 'dist/out.js', 'built');
    expect(inputsDigest(root)).toBe(first);

    write(root, 'src/a.ts', 'two');
    const changed = inputsDigest(root);
    expect(changed).not.toBe(first);

    write(root, 'notes.md', 'new');
    expect(inputsDigest(root)).not.toBe(changed);
    expect(inputsDigest(root, ['src'])).not.toBe(inputsDigest(root));
    expect(inputsDigest(root, [], ['setting=1'])).not.toBe(inputsDigest(root));
  });

  test('outside git: every file except dependencies and build output', () => {
    const root = path.join(work, 'plain');
    write(root, 'plugins/p/README.md', 'one');
    const first = inputsDigest(root);
    write(root, 'node_modules/x/index.js', 'dep');
    write(root, 'dist/index.html', 'built');
    expect(inputsDigest(root)).toBe(first);
    write(root, 'plugins/p/README.md', 'two');
    expect(inputsDigest(root)).not.toBe(first);
  });
});
