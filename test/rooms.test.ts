import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const root = join(import.meta.dirname, '..');
const rooms = ['lint/src', 'site/src', 'scripts', 'plugins/agentops-meta-orchestrator/src'];
const sourceRe = /\.(?:ts|mts|mjs|js|astro)$/;
const maxLines = 500;

test('no source file in lint/src, site/src, scripts/ or the engine is over 500 lines (generated aside)', () => {
  const long: string[] = [];
  for (const room of rooms) {
    for (const name of readdirSync(join(root, room), { recursive: true, encoding: 'utf8' })) {
      if (!sourceRe.test(name) || name.split('/').includes('generated')) continue;
      const lines = readFileSync(join(root, room, name), 'utf8').split('\n').length - 1;
      if (lines > maxLines) long.push(`${room}/${name}: ${lines} lines`);
    }
  }
  expect(long.sort()).toEqual([]);
});
