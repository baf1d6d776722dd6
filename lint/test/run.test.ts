import { expect, test } from 'vitest';
import { parseCliArgs } from '../src/cli-options.ts';
import { runLint } from '../src/run.ts';
import { tempDir, writeTree } from './helpers/tree.ts';

test('reports progress by phase and by batch of patterns', async () => {
  const dir = tempDir('agentops-lint-run-');
  const files: Record<string, string> = {};
  for (let i = 0; i < 600; i++) {
    const id = `pat_2025-01-01_${String(i).padStart(3, '0')}`;
    files[`patterns/misc/${id}.md`] =
      `---\npattern_id: ${id}\ncategory: misc\nsuccess_rate: 0.9\nexecutions: 10\nvalidated: true\n---\n\n# Pattern: ${id}\n\n## Workflow\n1. Do it\n\n## Optimizations\n- None\n\n## Metrics\n- Duration: ~1min\n`;
  }
  writeTree(dir, files);
  const progress: string[] = [];
  const output = await runLint(parseCliArgs(['-f', 'compact']), {
    cwd: dir,
    readStdin: () => Promise.resolve(''),
    progress: (text) => progress.push(text),
    color: false,
  });
  expect(output).toEqual({ stdout: '', stderr: '', exitCode: 0, loads: { full: 1, partial: 0 } });
  expect(progress).toEqual([
    'Linting .',
    ...[0, 100, 200, 300, 400, 500].map((done) => `Checking patterns of .: ${done} of 600`),
  ]);
});

test('calls `onRead` before each file a full load reads', async () => {
  const dir = tempDir('agentops-lint-run-');
  const reads: number[] = [];
  writeTree(dir, {
    'plugins/deploy/.claude-plugin/plugin.json':
      '{"name":"deploy","version":"1.0.0","description":"Deploy helpers","author":{"name":"Acme"}}\n',
    'plugins/deploy/commands/ship.md': '---\ndescription: Ship it\n---\n\nShip.\n',
  });
  const output = await runLint(parseCliArgs(['-f', 'compact']), {
    cwd: dir,
    readStdin: () => Promise.resolve(''),
    color: false,
    onRead: () => reads.push(reads.length),
  });
  expect(output.exitCode).toBe(0);
  expect(reads).toEqual([0, 1]);
});

test('calls `collect` once, after the plugins are read and before the first pattern', async () => {
  const dir = tempDir('agentops-lint-run-');
  const events: string[] = [];
  writeTree(dir, {
    'plugins/deploy/.claude-plugin/plugin.json':
      '{"name":"deploy","version":"1.0.0","description":"Deploy helpers","author":{"name":"Acme"}}\n',
    'plugins/deploy/commands/ship.md': '---\ndescription: Ship it\n---\n\nShip.\n',
    'patterns/misc/pat_2025-01-01_one.md':
      '---\npattern_id: pat_2025-01-01_one\ncategory: misc\nsuccess_rate: 0.9\nexecutions: 10\nvalidated: true\n---\n\n# Pattern: one\n\n## Workflow\n1. Do it\n\n## Optimizations\n- None\n\n## Metrics\n- Duration: ~1min\n',
  });
  const output = await runLint(parseCliArgs(['-f', 'compact']), {
    cwd: dir,
    readStdin: () => Promise.resolve(''),
    color: false,
    onRead: () => events.push('read'),
    collect: () => events.push('collect'),
  });
  expect(output.exitCode).toBe(0);
  expect(events).toEqual(['read', 'read', 'collect', 'read']);
});

test('a full run in a line-based format writes its report piece by piece, the same text', async () => {
  const dir = tempDir('agentops-lint-run-');
  const files: Record<string, string> = {
    'plugins/deploy/.claude-plugin/plugin.json': '{"name":"Deploy","version":"1.0.0"}\n',
  };
  for (let i = 0; i < 1100; i++) {
    const id = `pat-${String(i).padStart(4, '0')}`;
    files[`patterns/misc/${id}.md`] =
      `---\npattern_id: ${id}\ncategory: misc\nsuccess_rate: 0.9\nexecutions: 10\nvalidated: true\n---\n\n# Pattern: ${id}\n\n## Workflow\n1. Do it\n\n## Optimizations\n- None\n\n## Metrics\n- Duration: ~1min\n`;
  }
  writeTree(dir, files);
  for (const args of [['-f', 'compact'], ['-f', 'github'], ['-f', 'stylish'], ['-q']]) {
    const host = { cwd: dir, readStdin: () => Promise.resolve(''), color: false };
    const whole = await runLint(parseCliArgs(args), host);
    const pieces: string[] = [];
    const streamed = await runLint(parseCliArgs(args), {
      ...host,
      write: (text) => pieces.push(text),
    });
    expect(whole.stdout.split('\n').length).toBeGreaterThan(1100);
    expect(pieces.filter((piece) => piece !== '').length).toBeGreaterThan(0);
    expect(streamed.stdout.length).toBeLessThan(whole.stdout.length);
    expect(pieces.join('') + streamed.stdout).toBe(whole.stdout);
    expect({ ...streamed, stdout: '' }).toEqual({ ...whole, stdout: '' });
  }
});

test('a full run in JSON or SARIF writes its report batch by batch, the same bytes as the whole report', async () => {
  const dir = tempDir('agentops-lint-run-');
  // Files before, among and after the patterns, with and without messages, so that the parts of
  // the first load are written between the right batches.
  const files: Record<string, string> = {
    '.claude-plugin/marketplace.json':
      '{"name":"acme","owner":{"name":"Acme"},"plugins":[{"name":"deploy","source":"./plugins/deploy"}]}\n',
    'plugins/deploy/.claude-plugin/plugin.json': '{"name":"Deploy","version":"1.0.0"}\n',
    'plugins/deploy/commands/ship.md': '---\ndescription: Ship it\n---\n\nShip.\n',
  };
  for (let i = 0; i < 350; i++) {
    // Every third pattern is clean; the others have an id that does not match their file.
    const id = `pat_2025-01-01_${String(i).padStart(3, '0')}`;
    const written = i % 3 === 0 ? id : `${id}-other`;
    files[`patterns/misc/${id}.md`] =
      `---\npattern_id: ${written}\ncategory: misc\nsuccess_rate: 0.9\nexecutions: 10\nvalidated: true\n---\n\n# Pattern: ${id}\n\n## Workflow\n1. Do it\n\n## Optimizations\n- None\n\n## Metrics\n- Duration: ~1min\n`;
  }
  writeTree(dir, files);
  console.log('DIR', dir);
  await new Promise((r) => setTimeout(r, 1));
  for (const args of [
    ['-f', 'json'],
    ['-f', 'json', '-q'],
    ['-f', 'sarif'],
    ['-f', 'sarif', '-q'],
  ]) {
    const host = { cwd: dir, readStdin: () => Promise.resolve(''), color: false };
    const whole = await runLint(parseCliArgs(args), host);
    const pieces: string[] = [];
    const streamed = await runLint(parseCliArgs(args), {
      ...host,
      write: (text) => pieces.push(text),
    });
    // One piece per batch of patterns at least: a lost, repeated or reordered batch, or a comma
    // out of place, changes the bytes.
    expect(pieces.filter((piece) => piece !== '').length).toBeGreaterThanOrEqual(4);
    expect(pieces.join('') + streamed.stdout).toBe(whole.stdout);
    expect({ ...streamed, stdout: '' }).toEqual({ ...whole, stdout: '' });
    const report: unknown = JSON.parse(whole.stdout);
    if (args[1] === 'json') {
      const paths = (report as { filePath: string }[]).map((file) => file.filePath);
      expect(paths).toHaveLength(353);
      expect(paths).toEqual([...paths].sort());
      expect(paths[0]).toBe(`${dir}/.claude-plugin/marketplace.json`);
    } else {
      const results = (report as { runs: [{ results: unknown[] }] }).runs[0].results;
      expect(results.length).toBeGreaterThanOrEqual(233);
    }
  }
});
