import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { promptBundle, promptBundlePath } from '../scripts/build.ts';
import { bundle } from './helpers.ts';

describe('the prompt hook bundle and the engine standard output', () => {
  test('the committed prompt-context bundle equals a fresh build', async () => {
    expect(await promptBundle()).toBe(fs.readFileSync(promptBundlePath, 'utf8'));
  });

  test('output to a pipe whose reader is gone ends quietly and successfully', () => {
    // The reader closes its end at once and lives on, so the engine's write meets EPIPE.
    const result = spawnSync(
      'bash',
      [
        '-c',
        '"$0" "$1" help | (exec 0<&-; sleep 1); echo "${PIPESTATUS[0]}"',
        process.execPath,
        bundle,
      ],
      { encoding: 'utf8' },
    );
    expect([result.stdout, result.stderr]).toEqual(['0\n', '']);
  });

  test('a prompt with standard input from a device other than a pipe gets nothing', () => {
    const result = spawnSync(process.execPath, [promptBundlePath, '--store', '.agentops'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
  });
});
