// `npm run bench:start`: `npm start` from scratch (no stamps, no lint cache), then again with no
// change, side by side; the second must be at least twice as fast. Uses this repository in place:
// it removes .cache/start/ first, and leaves the built linter and site as a start would.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { readScriptOptions } from './script-options.ts';

const options = readScriptOptions({
  usage: 'Usage: npm run bench:start',
  summary:
    '`npm start` from scratch, then again with no change; the second must be at least twice as fast.',
  options: {},
});

const repoRoot = path.resolve(import.meta.dirname, '..');
const target = 2;

function timeStart(): { seconds: number; last: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync('npm', ['start', '--silent'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}`);
    throw new Error(`npm start exited with ${result.status ?? 'no status'}`);
  }
  return { seconds, last: result.stdout.trim().split('\n').at(-1) ?? '' };
}

if (options !== undefined) {
  rmSync(path.join(repoRoot, '.cache', 'start'), { recursive: true, force: true });
  const first = timeStart();
  const second = timeStart();
  const ratio = first.seconds / second.seconds;
  console.log('npm start on this repository');
  console.log(`  first  (nothing stamped): ${first.seconds.toFixed(2)} s`);
  console.log(`  second (no change):       ${second.seconds.toFixed(2)} s`);
  console.log(`  ratio: ${ratio.toFixed(1)}× faster the second time (target ≥ ${target}×)`);
  console.log(`  last line: ${second.last}`);
  process.exitCode = ratio >= target ? 0 : 1;
}
