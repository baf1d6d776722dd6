import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from './helpers/tree.ts';

// What users install: `lint/` packed by npm, installed from the tarball into an empty project and
// run on the oldest supported Node (the system's Node 20 when there is one). Every invocation is
// also run from the sources on the pinned Node, and both must print exactly the same bytes.
const lintRoot = path.resolve(import.meta.dirname, '..');
const sourceCli = path.join(lintRoot, 'src/cli.ts');
const version = (
  JSON.parse(readFileSync(path.join(lintRoot, 'package.json'), 'utf8')) as { version: string }
).version;

/** The first `node` on PATH (or /usr/bin/node) that is version 20, else the running one. */
function findNode20(): { node: string; version: string } {
  const found = spawnSync('which', ['-a', 'node'], { encoding: 'utf8' }).stdout ?? '';
  for (const node of [...found.split('\n').filter(Boolean), '/usr/bin/node']) {
    const result = spawnSync(node, ['--version'], { encoding: 'utf8' });
    if (result.status === 0 && result.stdout.startsWith('v20.'))
      return { node, version: result.stdout.trim() };
  }
  return { node: process.execPath, version: process.version };
}
const system = findNode20();
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
);
const runEnv = { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' };

function write(root: string, files: Record<string, string>): string {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const patternPath = 'patterns/api-development/pat_2025-11-07_oauth_api.md';
const pattern = (extra = ''): string =>
  `---\npattern_id: pat_2025-11-07_oauth_api\ncategory: api-development\nsuccess_rate: 0.95\nexecutions: 20\nvalidated: true\n${extra}---\n\n# Pattern: OAuth\n\n## Workflow\n1. Research the libraries\n\n## Optimizations\n- Checkpoint: After middleware\n\n## Metrics\n- Duration: ~45min\n`;
const manifest = (name: string, version: string): string =>
  `{\n  "name": "${name}",\n  "version": ${version},\n  "description": "Deploy helpers",\n  "author": { "name": "Acme" }\n}\n`;
/** An error, a warning and a fixable problem in three files. */
const mixed: Record<string, string> = {
  'plugins/deploy/.claude-plugin/plugin.json': manifest('deploy', '1'),
  'plugins/tools/.claude-plugin/plugin.json': manifest('toolbox', '"1.0.0"'),
  [patternPath]: pattern(
    '# agentops-lint-disable-next-line schema -- nothing to suppress\nstatus: validated\n',
  ),
};
const errorLine =
  'plugins/deploy/.claude-plugin/plugin.json:3:14-3:15 error schema Unexpected type `integer` for `/version`, expected a string\n';
const warningLine =
  'plugins/tools/.claude-plugin/plugin.json:2:11-2:20 warning plugin-name-matches-dir Unexpected plugin name `toolbox`, expected `tools` (its folder name)\n';

interface Case {
  name: string;
  args: string[];
  files?: Record<string, string>;
  /** Run in this folder of the tree. */
  cwd?: string;
  stdin?: string;
  /** Commit the tree to a new git repository first, then write these files. */
  git?: { after: Record<string, string>; add?: boolean };
}

const configs: Case[] = [
  ['.agentops-lintrc.json', '{ "rules": { "schema": "warn" } }'],
  ['.agentops-lintrc.yaml', 'rules:\n  schema: warn\n'],
  ['.agentops-lintrc.yml', '# a comment\nrules: { schema: 1 }\n'],
  ['package.json', '{ "name": "x", "agentops-lint": { "rules": { "schema": "warn" } } }'],
].flatMap(([file = '', text = '']) => [
  {
    name: `finds ${file} upward`,
    args: ['-f', 'compact'],
    cwd: 'plugins',
    files: { [file]: text },
  },
  {
    name: `reads ${file} given by --config`,
    args: ['-f', 'compact', '--config', `conf/${file}`],
    files: { [`conf/${file}`]: text },
  },
]);

const cases: Case[] = [
  { name: '--help', args: ['--help'] },
  { name: '-h', args: ['-h'] },
  { name: '--version', args: ['--version'] },
  { name: '-v', args: ['-v'] },
  ...['stylish', 'compact', 'json', 'sarif', 'github'].map((format) => ({
    name: `--format ${format}`,
    args: ['--format', format],
  })),
  { name: '-f compact on a path', args: ['-f', 'compact', 'plugins/deploy'] },
  { name: 'a file argument', args: ['-f', 'compact', patternPath] },
  { name: '--max-warnings 0', args: ['-f', 'compact', '--max-warnings', '0', 'plugins/tools'] },
  { name: '--max-warnings 1', args: ['-f', 'compact', '--max-warnings', '1', 'plugins/tools'] },
  { name: '-q', args: ['-q'] },
  { name: '--quiet', args: ['--quiet', '-f', 'json'] },
  { name: '--rule', args: ['--rule', 'plugin-name-matches-dir', '--rule', 'schema'] },
  { name: '--color', args: ['--color'] },
  { name: '--no-color', args: ['--no-color'] },
  { name: '--fix-dry-run', args: ['--fix-dry-run', '-f', 'compact'] },
  { name: '--fix', args: ['--fix', '-f', 'compact'] },
  { name: '--cache', args: ['-f', 'compact', '--cache'] },
  { name: '--cache-location', args: ['-f', 'compact', '--cache', '--cache-location', 'c/x'] },
  {
    name: '--stdin-filepath',
    args: ['-f', 'compact', '--stdin-filepath', patternPath],
    stdin: pattern('# agentops-lint-disable-next-line nope -- misspelt\nstatus: validated\n'),
  },
  {
    name: '--staged',
    args: ['-f', 'compact', '--staged'],
    git: {
      after: { [patternPath]: pattern('# agentops-lint-disable-next-line schema\nx: 1\n') },
      add: true,
    },
  },
  {
    name: '--changed',
    args: ['-f', 'compact', '--changed'],
    git: { after: { [patternPath]: pattern('# agentops-lint-disable-next-line schema\nx: 1\n') } },
  },
  {
    name: '--changed --since',
    args: ['-f', 'compact', '--changed', '--since', 'HEAD'],
    git: { after: { 'plugins/deploy/.claude-plugin/plugin.json': manifest('deploy', '2') } },
  },
  ...configs,
  {
    name: 'a YAML config with a duplicate key',
    args: ['-f', 'compact'],
    files: { '.agentops-lintrc.yaml': 'rules:\n  schema: warn\nrules: {}\n' },
  },
  {
    name: 'a YAML config with a bad rule',
    args: ['-f', 'compact'],
    files: { '.agentops-lintrc.yml': 'rules:\n  no-such-rule: off\n' },
  },
  { name: 'a missing --config', args: ['--config', 'nope.yaml'] },
  { name: 'an unknown format', args: ['--format', 'xml'] },
  { name: 'an unknown option', args: ['--nope'] },
  { name: 'a missing path', args: ['missing-dir'] },
  { name: 'conflicting options', args: ['--staged', '--changed'] },
];

let packedCli = '';
let project = '';

const packDir = mkdtempSync(path.join(tmpdir(), 'agentops-lint-pack-'));
afterAll(() => rmSync(packDir, { recursive: true, force: true }));

beforeAll(() => {
  const out = path.join(packDir, 'tarball');
  mkdirSync(out);
  const npm = (args: string[], cwd: string) =>
    spawnSync('npm', args, {
      cwd,
      encoding: 'utf8',
      env: { ...env, PATH: `${path.dirname(process.execPath)}:${env.PATH ?? ''}` },
    });
  const packed = npm(['pack', '--json', '--pack-destination', out], lintRoot);
  expect(packed.status, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout) as { filename: string }[];
  project = write(path.join(packDir, 'project'), {
    'package.json': '{ "name": "empty-project", "private": true }\n',
  });
  const installed = npm(
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      path.join(out, info?.filename ?? ''),
    ],
    project,
  );
  expect(installed.status, installed.stderr).toBe(0);
  packedCli = realpathSync(path.join(project, 'node_modules/.bin/agentops-lint'));
});

function prepare(dir: string, item: Case): void {
  write(dir, { ...mixed, ...item.files });
  if (!item.git) return;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', ...args], {
      cwd: dir,
    });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'initial');
  write(dir, item.git.after);
  if (item.git.add) git('add', '.');
}

function runIn(node: string, cli: string, dir: string, item: Case) {
  const result = spawnSync(node, [cli, ...item.args], {
    cwd: path.join(dir, item.cwd ?? ''),
    input: item.stdin ?? '',
    encoding: 'utf8',
    env: runEnv,
  });
  const files = Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.parentPath.includes('.git'))
      .map((entry): [string, string] => {
        const file = path.join(entry.parentPath, entry.name);
        const relative = path.relative(dir, file);
        // The cache key covers the build (the bundle's differs from the sources'): compare presence.
        const text = relative.includes('cache') ? '<cache>' : readFileSync(file, 'utf8');
        return [relative, text];
      })
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const clean = (text: string) => text.replaceAll(dir, '<dir>');
  return { stdout: clean(result.stdout), stderr: clean(result.stderr), code: result.status, files };
}

describe(`the packed CLI on Node ${system.version}`, () => {
  test('installs as `npx agentops-lint` with only the built files', () => {
    const tarball = readdirSync(path.join(project, 'node_modules/agentops-lint'), {
      recursive: true,
    }).map(String);
    expect(tarball.some((file) => file.startsWith('src') || file.startsWith('test'))).toBe(false);
    write(project, mixed);
    const linted = spawnSync('npx', ['--no-install', 'agentops-lint', '-f', 'compact', 'plugins'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...runEnv, PATH: `${path.dirname(system.node)}:${env.PATH ?? ''}` },
    });
    expect([linted.stdout, linted.stderr, linted.status]).toEqual([errorLine + warningLine, '', 1]);
  });

  test.for(cases)('$name prints what the sources print', (item) => {
    const fromSource = tempDir('agentops-lint-source-');
    const fromPack = tempDir('agentops-lint-packed-');
    prepare(fromSource, item);
    prepare(fromPack, item);
    const expected = runIn(process.execPath, sourceCli, fromSource, item);
    const actual = runIn(system.node, packedCli, fromPack, item);
    expect(actual).toEqual(expected);
    // A run that failed before linting must say so on stderr; nothing else exits 2.
    expect(expected.code === 2).toBe(expected.stderr.includes('agentops-lint: ['));
  });

  test('reads every YAML config kind and applies it', () => {
    for (const name of ['.agentops-lintrc.yaml', '.agentops-lintrc.yml']) {
      const dir = write(tempDir('agentops-lint-packed-'), {
        'plugins/deploy/.claude-plugin/plugin.json': manifest('deploy', '1'),
        [name]: 'rules:\n  schema: warn\n',
      });
      const result = runIn(system.node, packedCli, dir, { name, args: ['-f', 'compact'] });
      expect([result.stdout, result.stderr, result.code]).toEqual([
        errorLine.replace(' error ', ' warning '),
        '',
        0,
      ]);
    }
  });

  test('prints its version and the full report of a mixed catalog', () => {
    const dir = write(tempDir('agentops-lint-packed-'), mixed);
    expect(runIn(system.node, packedCli, dir, { name: '', args: ['-v'] }).stdout).toBe(
      `${version}\n`,
    );
    const result = runIn(system.node, packedCli, dir, { name: '', args: ['-f', 'compact'] });
    expect([result.stdout, result.code]).toEqual([
      `${patternPath}:7:1-7:64 warning no-unused-disable Unexpected disable directive for \`schema\`, expected a message of that rule on line 8\n${errorLine}${warningLine}`,
      1,
    ]);
  });
});
