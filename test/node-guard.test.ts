import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

describe('node guard', () => {
  test('passes on the pinned Node 24', () => {
    const out = execFileSync(process.execPath, ['scripts/check-node.mjs'], { encoding: 'utf8' });
    expect(process.versions.node.split('.')[0]).toBe('24');
    expect(out).toBe('');
  });

  test('fails loudly on another Node', () => {
    const r = spawnSync('/usr/bin/node', ['scripts/check-node.mjs'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('scripts need Node 24, but this is Node 20.');
  });
});
