import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** A script as a user runs it: Node's arguments (flags and entry file) and the folder it runs in. */
interface Entry {
  args: string[];
  cwd: string;
}

/** The `node …` command an npm script ends with, read from its package.json. */
function npmEntry(packageDir: string, script: string): Entry {
  const cwd = path.join(repoRoot, packageDir);
  const manifest = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const command = manifest.scripts[script]?.split('&&').at(-1)?.trim().split(/\s+/) ?? [];
  if (command[0] !== 'node') throw new Error(`npm script ${script} does not end with node`);
  return { args: command.slice(1), cwd };
}

interface Case {
  /** What the user types. */
  name: string;
  entry: Entry;
  /** The usage's first line. */
  usage: string;
  /** Every option the script's parseArgs accepts, with the default its line must show. */
  options: Record<string, string | undefined>;
  /** A bad command line other than an unknown option, and the one line that names it. */
  bad: { args: string[]; message: string };
}

const cases: Case[] = [
  {
    name: 'npm start',
    entry: npmEntry('.', 'start'),
    usage: 'Usage: npm start',
    options: {},
    bad: {
      args: ['extra'],
      message: "Unexpected argument 'extra'. This command does not take positional arguments",
    },
  },
  {
    name: 'npm run bench',
    entry: npmEntry('.', 'bench'),
    usage: 'Usage: npm run bench',
    options: {},
    bad: {
      args: ['extra'],
      message: "Unexpected argument 'extra'. This command does not take positional arguments",
    },
  },
  {
    name: 'npm run bench:start',
    entry: npmEntry('.', 'bench:start'),
    usage: 'Usage: npm run bench:start',
    options: {},
    bad: {
      args: ['extra'],
      message: "Unexpected argument 'extra'. This command does not take positional arguments",
    },
  },
  {
    name: 'npm run bench:learn',
    entry: npmEntry('.', 'bench:learn'),
    usage: 'Usage: npm run bench:learn -- [options]',
    options: {
      sizes: '60,200,400,1000',
      seeds: '3',
      arms: 'every arm',
      'held-out': '300',
      json: undefined,
      'json-file': undefined,
      follow: 'open loop',
      rebuild: '25',
      windows: '10',
      'no-ttv': undefined,
    },
    bad: {
      args: ['--sizes', 'x'],
      message: 'Unexpected --sizes `x`, expected whole numbers separated by commas',
    },
  },
  {
    name: 'npm run bench:hooks',
    entry: npmEntry('.', 'bench:hooks'),
    usage: 'Usage: npm run bench:hooks -- [runs] [sessions] [options]',
    options: { claude: '0, not run' },
    bad: { args: ['0'], message: 'Unexpected runs `0`, expected a whole number from 1' },
  },
  {
    name: 'npm run bench:federation',
    entry: npmEntry('.', 'bench:federation'),
    usage: 'Usage: npm run bench:federation -- [options]',
    options: {
      marketplaces: '300',
      plugins: '5000',
      concurrency: 'the CPU count',
      keep: undefined,
      scenario: 'all three',
      mirror: '../shared/mirror, beside the repository',
    },
    bad: {
      args: ['--scenario', 'all'],
      message: 'Unexpected --scenario `all`, expected mirror, hostile, synthetic',
    },
  },
  {
    name: 'npm run catalog:sync',
    entry: npmEntry('.', 'catalog:sync'),
    usage: 'Usage: npm run catalog:sync -- [options]',
    options: {
      only: 'every one',
      list: 'federation/marketplaces.json',
      out: 'federation',
      concurrency: 'the CPU count',
      'allow-local': undefined,
      mirror: undefined,
    },
    bad: {
      args: ['--concurrency', '0'],
      message: 'Unexpected --concurrency `0`, expected a whole number from 1',
    },
  },
  {
    name: 'npm run marketplace',
    entry: npmEntry('.', 'marketplace'),
    usage: 'Usage: npm run marketplace -- [options]',
    options: { check: undefined, root: 'this one' },
    bad: { args: ['--root'], message: "Option '--root <value>' argument missing" },
  },
  {
    name: 'npm run conformance:mirror',
    entry: npmEntry('.', 'conformance:mirror'),
    usage: 'Usage: npm run conformance:mirror -- [options]',
    options: {
      mirror: '../shared/mirror',
      out: 'lint/test/conformance/mirror-verdicts.json',
      jobs: '2',
      only: undefined,
    },
    bad: {
      args: ['--jobs', '0'],
      message: 'Unexpected --jobs `0`, expected a whole number from 1',
    },
  },
  {
    name: 'npm run gen',
    entry: npmEntry('.', 'gen'),
    usage: 'Usage: npm run gen -- [options]',
    options: { check: undefined },
    bad: { args: ['--check=yes'], message: "Option '--check' does not take an argument" },
  },
  {
    name: 'npm run bench:site',
    entry: npmEntry('site', 'bench'),
    usage: 'Usage: npm run bench:site -- [options]',
    options: { plugins: '5000', patterns: '10000', keep: undefined, only: 'both' },
    bad: {
      args: ['--only', 'both'],
      message: 'Unexpected --only `both`, expected real, synthetic',
    },
  },
  {
    name: 'npm run serve',
    entry: npmEntry('site', 'serve'),
    usage: 'Usage: npm run serve -- [options]',
    options: {
      dir: 'site/dist',
      base: 'the one it was built for, else $AGENTOPS_BASE or /agentops-marketplace',
      port: '4321',
      host: '127.0.0.1',
    },
    bad: {
      args: ['--port', '65536'],
      message: 'Unexpected --port `65536`, expected a whole number from 0 to 65535',
    },
  },
  {
    name: 'node site/scripts/bench-federation-site.ts',
    entry: { args: ['site/scripts/bench-federation-site.ts'], cwd: repoRoot },
    usage: 'Usage: node site/scripts/bench-federation-site.ts --index <file> [options]',
    options: { index: undefined, keep: undefined },
    bad: {
      args: [],
      message: 'Missing --index <file>, expected the federated index to build with',
    },
  },
];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runNode(entry: Entry, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...entry.args, ...args],
      { cwd: entry.cwd, encoding: 'utf8', timeout: 30_000 },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

/** The option's line of a usage text: two spaces, the flag, then its placeholder or padding. */
function optionLine(usage: string, name: string): string | undefined {
  return usage.split('\n').find((line) => line.startsWith(`  --${name} `));
}

const stackFrame = '    at ';

describe.concurrent.for(cases)('$name', (c) => {
  test('answers --help and -h with its full usage on stdout, exit 0', async () => {
    const help = await runNode(c.entry, ['--help']);
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout.slice(0, c.usage.length + 2)).toBe(`${c.usage}\n\n`);
    expect(help.stdout).not.toContain(stackFrame);
    for (const [name, shownDefault] of Object.entries(c.options)) {
      const line = optionLine(help.stdout, name);
      expect(line, `--${name}`).toBeDefined();
      if (shownDefault !== undefined) expect(line).toContain(`(default: ${shownDefault})`);
    }
    const listed = help.stdout
      .split('\n')
      .filter((line) => line.startsWith('  --'))
      .map((line) => /^ {2}--([\w-]+)/.exec(line)?.[1]);
    expect(listed).toEqual(Object.keys(c.options));
    expect(help.stdout).toContain('\n  -h, --help ');
    expect(await runNode(c.entry, ['-h'])).toEqual(help);
  });

  test('rejects an unknown option in one line plus the usage on stderr, exit 2', async () => {
    const bogus = await runNode(c.entry, ['--bogus']);
    expect(bogus.status).toBe(2);
    expect(bogus.stdout).toBe('');
    const [first, blank, usage] = bogus.stderr.split('\n');
    expect(first).toMatch(/^Unknown option '--bogus'/);
    expect([blank, usage]).toEqual(['', c.usage]);
    expect(bogus.stderr).not.toContain(stackFrame);
  });

  test('rejects a bad argument or value in one line naming it, exit 2', async () => {
    const run = await runNode(c.entry, c.bad.args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const expected = `${c.bad.message}\n\n${c.usage}\n`;
    expect(run.stderr.slice(0, expected.length)).toBe(expected);
    expect(run.stderr).not.toContain(stackFrame);
  });
});

test('a script shows control characters of a bad option as escapes, never raw', async () => {
  const run = await runNode(npmEntry('.', 'bench:hooks'), ['--\u001b[31mred']);
  expect(run.status).toBe(2);
  expect(run.stderr.split('\n')[0]).toMatch(/^Unknown option '--\\x1b\[31mred'/);
  expect(run.stderr).not.toContain('\u001b');
});

test('npm run learn answers --help and -h on stdout and rejects an unknown option, exit 2', async () => {
  const entry = npmEntry('.', 'learn');
  const help = await runNode(entry, ['--help']);
  expect(help.status).toBe(0);
  expect(help.stdout.split('\n')[0]).toBe(
    'Usage: agentops-learn <command> [--store <dir>] [--rule bayes|legacy]',
  );
  expect(await runNode(entry, ['-h'])).toEqual(help);
  const commandHelp = await runNode(entry, ['status', '--help']);
  expect(commandHelp.status).toBe(0);
  expect(await runNode(entry, ['status', '-h'])).toEqual(commandHelp);
  const bogus = await runNode(entry, ['--bogus']);
  expect(bogus.status).toBe(2);
  expect(bogus.stderr.split('\n')[0]).toBe('Unknown command `--bogus`');
  expect(`${help.stdout}${help.stderr}${bogus.stdout}${bogus.stderr}`).not.toContain(stackFrame);
});
