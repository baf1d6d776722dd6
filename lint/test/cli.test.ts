import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { helpText } from '../src/cli-options.ts';
import { tempDir } from './helpers/tree.ts';

const lintRoot = path.resolve(import.meta.dirname, '..');
const cli = path.join(lintRoot, 'src/cli.ts');
const fixtures = path.join(lintRoot, 'test/fixtures');
const version = (
  JSON.parse(readFileSync(path.join(lintRoot, 'package.json'), 'utf8')) as { version: string }
).version;
function run(args: string[], cwd: string, input?: string) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' },
  });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status };
}

function write(root: string, files: Record<string, string>): string {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const pattern = (extra = ''): string =>
  `---\npattern_id: pat_2025-11-07_oauth_api\ncategory: api-development\nsuccess_rate: 0.95\nexecutions: 20\nvalidated: true\n${extra}---\n\n# Pattern: OAuth\n\n## Workflow\n1. Research the libraries\n\n## Optimizations\n- Checkpoint: After middleware\n\n## Metrics\n- Duration: ~45min\n`;
const patternPath = 'patterns/api-development/pat_2025-11-07_oauth_api.md';
const manifest = (version: string): string =>
  `{\n  "name": "deploy",\n  "version": ${version},\n  "description": "Deploy helpers",\n  "author": { "name": "Acme" }\n}\n`;
const brokenPlugin = { 'plugins/deploy/.claude-plugin/plugin.json': manifest('1') };
const brokenLine =
  'plugins/deploy/.claude-plugin/plugin.json:3:14-3:15 error schema Unexpected type `integer` for `/version`, expected a string\n';

describe('agentops-lint', () => {
  test('prints the help and exits 0', () => {
    expect(run(['--help'], lintRoot)).toEqual({ stdout: helpText, stderr: '', code: 0 });
  });

  test('prints the version and exits 0', () => {
    expect(run(['--version'], lintRoot)).toEqual({ stdout: `${version}\n`, stderr: '', code: 0 });
  });

  test('--format json lists every file it checked, as ESLint does', () => {
    const dir = path.join(fixtures, '_catalog');
    const result = run(['-f', 'json'], dir);
    const files = (JSON.parse(result.stdout) as { filePath: string; messages: unknown[] }[]).map(
      (file) => [file.filePath, file.messages.length],
    );
    const onDisk = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort();
    expect(files).toEqual(onDisk.map((file) => [file, 0]));
    expect([result.stderr, result.code]).toEqual(['', 0]);
  });

  test('prints nothing and exits 0 on a valid catalog', () => {
    expect(run([], path.join(fixtures, '_catalog'))).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  test('prints warnings grouped per file and exits 0', () => {
    const result = run(['plugin-name-matches-dir/invalid/name-differs-from-folder'], fixtures);
    expect(result.stdout).toBe(
      [
        'plugin-name-matches-dir/invalid/name-differs-from-folder/plugins/deploy/.claude-plugin/plugin.json',
        '  2:11-2:25  warning  Unexpected plugin name `deploy-tools`, expected `deploy` (its folder name)  plugin-name-matches-dir',
        '',
        '⚠ 1 warning',
        '',
      ].join('\n'),
    );
    expect([result.stderr, result.code]).toEqual(['', 0]);
  });

  test('exits 1 when warnings exceed --max-warnings, and --quiet hides warnings', () => {
    const dir = path.join(fixtures, 'plugin-name-matches-dir/invalid/name-differs-from-folder');
    const over = run(['--max-warnings', '0', '-f', 'compact'], dir);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe(
      'agentops-lint: 1 warning, more than the 0 allowed by `--max-warnings`\n',
    );
    expect(run(['--max-warnings', '1', '-f', 'compact'], dir).code).toBe(0);
    expect(run(['--quiet'], dir)).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  test('exits 1 on an error and prints paths relative to the linted directory', () => {
    const dir = write(tempDir('agentops-lint-cli-'), brokenPlugin);
    expect(run(['-f', 'compact'], dir)).toEqual({ stdout: brokenLine, stderr: '', code: 1 });
    const parent = path.dirname(dir);
    const fromParent = run(['-f', 'compact', path.basename(dir)], parent);
    expect(fromParent.stdout).toBe(`${path.basename(dir)}/${brokenLine}`);
  });

  test('writes ESLint-shaped JSON and GitHub annotations', () => {
    const dir = write(tempDir('agentops-lint-cli-'), brokenPlugin);
    const json = JSON.parse(run(['--format', 'json'], dir).stdout) as {
      filePath: string;
      errorCount: number;
    }[];
    expect(json.map((file) => [file.filePath, file.errorCount])).toEqual([
      [path.join(dir, 'plugins/deploy/.claude-plugin/plugin.json'), 1],
    ]);
    // Paths are absolute however the catalog is named, as ESLint's are.
    const fromParent = JSON.parse(
      run(['--format', 'json', path.basename(dir)], path.dirname(dir)).stdout,
    ) as { filePath: string }[];
    expect(fromParent.map((file) => file.filePath)).toEqual(json.map((file) => file.filePath));
    expect(run(['--format', 'github'], dir).stdout).toBe(
      '::error file=plugins/deploy/.claude-plugin/plugin.json,line=3,col=14,endLine=3,endColumn=15,title=schema::Unexpected type `integer` for `/version`, expected a string\n',
    );
  });

  test('lints only the files it is given, with the whole catalog in view', () => {
    const dir = write(tempDir('agentops-lint-cli-'), {
      ...brokenPlugin,
      [patternPath]: pattern('# agentops-lint-disable-next-line schema\nextra: 1\n'),
    });
    expect(run(['-f', 'compact', patternPath], dir)).toEqual({
      stdout: `${patternPath}:7:1-7:41 error no-invalid-disable Missing reason, expected \` -- <why this rule does not apply here>\`\n`,
      stderr: '',
      code: 1,
    });
  });

  describe('writes its whole report to a reader that is slow, and stops quietly for one that leaves', () => {
    // A thousand broken links: about 150 KiB of compact output, more than a pipe holds.
    const catalog = (): string =>
      write(tempDir('agentops-lint-cli-pipe-'), {
        'plugins/deploy/.claude-plugin/plugin.json': manifest('"1.0.0"'),
        'plugins/deploy/commands/run.md': `---\ndescription: Run it\n---\n\n${Array.from(
          { length: 1000 },
          (_, i) => `See [x](missing-${i}.md).\n`,
        ).join('')}`,
      });

    test('a reader that closes the pipe after its first bytes (`| head`)', async () => {
      const dir = catalog();
      const child = spawn(process.execPath, [cli, '-f', 'compact'], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1', CI: 'true' },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect([code, stderr]).toEqual([0, '']);
    });

    test('a reader whose pipe does not block, and that reads only after a while', () => {
      const dir = catalog();
      const whole = run(['-f', 'compact'], dir);
      expect(whole.stdout.length).toBeGreaterThan(128 * 1024);
      // Python hands the linter a pipe set not to block, and reads it a second later: writes
      // past what the pipe holds fail with EAGAIN until then.
      const reader = [
        'import os, subprocess, sys, time',
        'r, w = os.pipe()',
        'os.set_blocking(w, False)',
        'p = subprocess.Popen(sys.argv[1:], stdout=w)',
        'os.close(w)',
        'time.sleep(1)',
        'out = b""',
        'while True:',
        '    chunk = os.read(r, 65536)',
        '    if not chunk: break',
        '    out += chunk',
        'sys.stdout.buffer.write(out)',
        'sys.exit(p.wait())',
      ].join('\n');
      const slow = spawnSync('python3', ['-c', reader, process.execPath, cli, '-f', 'compact'], {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 1 << 26,
        env: { ...process.env, NO_COLOR: '1', CI: 'true' },
      });
      expect([slow.status, slow.stderr]).toEqual([0, '']);
      expect(slow.stdout).toBe(whole.stdout);
    });
  });

  test('exits 2 with a named error for bad usage, a missing path or a bad config', () => {
    const format = run(['--format', 'xml'], lintRoot);
    expect(format).toEqual({
      stdout: '',
      stderr:
        'agentops-lint: [InvalidOptionValue] Unexpected value `xml` for `--format`, expected `stylish`, `compact`, `json`, `sarif`, `github`\nRun `agentops-lint --help` to list the options.\n',
      code: 2,
    });
    expect(run(['--nope'], lintRoot).stderr).toBe(
      'agentops-lint: [UnknownOption] Unexpected option `--nope`\nRun `agentops-lint --help` to list the options.\n',
    );
    expect(run(['missing-dir'], tempDir('agentops-lint-cli-'))).toMatchObject({
      stderr:
        'agentops-lint: [PathNotFound] Missing path `missing-dir`, expected a file or directory to lint\n',
      code: 2,
    });
    const dir = write(tempDir('agentops-lint-cli-'), {
      '.agentops-lintrc.json': '{ "rules": { "no-such-rule": "off" } }',
    });
    expect(run([], dir)).toMatchObject({
      stdout: '',
      stderr:
        'agentops-lint: [UnknownRule] Unexpected rule id `no-such-rule` in `.agentops-lintrc.json`, expected a rule of agentops-lint\nThe rules are listed at https://agentops-marketplace.github.io/agentops-marketplace/rules/.\n',
      code: 2,
    });
  });

  test('applies a config file found upward, and --config', () => {
    const dir = write(tempDir('agentops-lint-cli-'), {
      ...brokenPlugin,
      'package.json': '{ "name": "x", "agentops-lint": { "rules": { "schema": "warn" } } }',
    });
    expect(run(['-f', 'compact'], path.join(dir, 'plugins')).code).toBe(0);
    write(dir, { 'strict.yaml': 'rules:\n  schema: error\n' });
    expect(run(['-f', 'compact', '--config', 'strict.yaml'], dir)).toEqual({
      stdout: brokenLine,
      stderr: '',
      code: 1,
    });
  });

  test('lints standard input as the file named by --stdin-filepath', () => {
    const dir = write(tempDir('agentops-lint-cli-'), { [patternPath]: pattern() });
    const stdin = pattern(
      '# agentops-lint-disable-next-line nope -- misspelt\nstatus: validated\n',
    );
    expect(run(['-f', 'compact', '--stdin-filepath', patternPath], dir, stdin)).toEqual({
      stdout: `${patternPath}:7:1-7:51 error no-invalid-disable Unexpected rule id \`nope\`, expected a rule of agentops-lint\n`,
      stderr: '',
      code: 1,
    });
    expect(
      run(['-f', 'compact', '--stdin-filepath', 'patterns/new.md'], dir, stdin).stdout,
    ).toContain('patterns/new.md:7:1-7:51 error no-invalid-disable');
  });

  test('--fix-dry-run prints a diff and --fix applies it', () => {
    const text = pattern(
      '# agentops-lint-disable-next-line schema -- nothing to suppress\nstatus: validated\n',
    );
    const dir = write(tempDir('agentops-lint-cli-'), { [patternPath]: text });
    const dry = run(['-f', 'compact', '--fix-dry-run'], dir);
    expect(dry).toEqual({
      stdout: [
        `--- a/${patternPath}`,
        `+++ b/${patternPath}`,
        '@@ -4,7 +4,6 @@',
        ' success_rate: 0.95',
        ' executions: 20',
        ' validated: true',
        '-# agentops-lint-disable-next-line schema -- nothing to suppress',
        ' status: validated',
        ' ---',
        ' ',
        '',
      ].join('\n'),
      stderr: '',
      code: 0,
    });
    expect(readFileSync(path.join(dir, patternPath), 'utf8')).toBe(text);
    expect(run(['--fix'], dir)).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(readFileSync(path.join(dir, patternPath), 'utf8')).toBe(pattern('status: validated\n'));
  });

  test('--cache reuses the result until a file changes', () => {
    const dir = write(tempDir('agentops-lint-cli-'), brokenPlugin);
    expect(run(['-f', 'compact', '--cache'], dir).stdout).toBe(brokenLine);
    expect(existsSync(path.join(dir, '.agentops-lint-cache'))).toBe(true);
    expect(run(['-f', 'compact', '--cache'], dir)).toEqual({
      stdout: brokenLine,
      stderr: '',
      code: 1,
    });
    write(dir, { 'plugins/deploy/.claude-plugin/plugin.json': manifest('"1.0.0"') });
    expect(run(['-f', 'compact', '--cache', '--quiet'], dir)).toEqual({
      stdout: '',
      stderr: '',
      code: 0,
    });
    expect(run(['-f', 'compact', '--cache', '--cache-location', 'custom-cache'], dir).code).toBe(0);
    expect(existsSync(path.join(dir, 'custom-cache'))).toBe(true);
  });

  test('--staged and --changed lint the files git reports', () => {
    const dir = write(tempDir('agentops-lint-cli-'), { ...brokenPlugin, [patternPath]: pattern() });
    const git = (...args: string[]) =>
      spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', ...args], {
        cwd: dir,
        encoding: 'utf8',
      });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'initial');
    expect(run(['-f', 'compact', '--staged'], dir)).toEqual({ stdout: '', stderr: '', code: 0 });
    write(dir, { [patternPath]: pattern('# agentops-lint-disable-next-line schema\nx: 1\n') });
    const expected = `${patternPath}:7:1-7:41 error no-invalid-disable Missing reason, expected \` -- <why this rule does not apply here>\`\n`;
    expect(run(['-f', 'compact', '--changed'], dir)).toEqual({
      stdout: expected,
      stderr: '',
      code: 1,
    });
    expect(run(['-f', 'compact', '--staged'], dir).stdout).toBe('');
    git('add', patternPath);
    expect(run(['-f', 'compact', '--staged'], dir).stdout).toBe(expected);
    git('commit', '-q', '-m', 'second');
    expect(run(['-f', 'compact', '--changed', '--since', 'HEAD~1'], dir).stdout).toBe(expected);
    expect(run(['--changed', '--since', 'no-such-ref'], dir)).toMatchObject({ code: 2 });
  });
});

test('this repository lints itself with no error', () => {
  const result = run(['-f', 'compact', '--quiet'], path.resolve(lintRoot, '..'));
  expect(result).toEqual({ stdout: '', stderr: '', code: 0 });
});
