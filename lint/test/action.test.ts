import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from './helpers/tree.ts';

// The composite action's steps, run as a workflow runs them: each shell step's script through
// `bash --noprofile --norc -eo pipefail`, its `env:` and `if:` evaluated against the inputs, the
// event and the earlier steps' outputs, with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and RUNNER_TEMP.
const repoRoot = path.resolve(import.meta.dirname, '../..');
const actionDir = path.join(repoRoot, '.github/actions/agentops-lint');

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  shell?: string;
  env?: Record<string, string>;
  run?: string;
}
interface Action {
  inputs: Record<string, { default: string }>;
  runs: { steps: Step[] };
}
type Context = Record<string, unknown>;

function lookup(context: Context, name: string): unknown {
  return name
    .split('.')
    .reduce<unknown>((value, key) => (value as Context | undefined)?.[key], context);
}

/** The expressions this action uses: paths, string literals, `==`, `!=`, `&&`, `||`, `always()`. */
function evaluate(expression: string, context: Context): unknown {
  const term = (text: string): unknown => {
    const trimmed = text.trim();
    if (trimmed === 'always()') return true;
    const literal = /^'(.*)'$/.exec(trimmed);
    if (literal) return literal[1];
    if (!/^[\w.-]+$/.test(trimmed)) throw new Error(`Unsupported expression: ${trimmed}`);
    return lookup(context, trimmed) ?? '';
  };
  const comparison = (text: string): unknown => {
    const match = /^(.*?)(==|!=)(.*)$/.exec(text);
    if (!match) return term(text);
    const equal = term(match[1] ?? '') === term(match[3] ?? '');
    return match[2] === '==' ? equal : !equal;
  };
  return expression
    .split('||')
    .map((part) => part.split('&&').map(comparison))
    .map((values) => values.reduce((a, b) => a && b))
    .reduce((a, b) => a || b);
}

const interpolate = (text: string, context: Context): string =>
  text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) =>
    String(evaluate(expression, context)),
  );

function runAction(workspace: string, inputs: Record<string, string>) {
  const action = parse(readFileSync(path.join(actionDir, 'action.yml'), 'utf8')) as Action;
  const temp = tempDir('agentops-lint-runner-');
  const context: Context = {
    inputs: Object.fromEntries(
      Object.entries(action.inputs).map(([name, input]) => [name, inputs[name] ?? input.default]),
    ),
    github: { event: { before: '' } },
    steps: {},
  };
  const ran: { uses?: string; status?: number | null; stdout?: string; stderr?: string }[] = [];
  let summary = '';
  for (const step of action.runs.steps) {
    if (step.if !== undefined && !evaluate(step.if, context)) continue;
    if (step.uses) {
      ran.push({ uses: step.uses });
      continue;
    }
    const output = path.join(temp, `output-${ran.length}`);
    const summaryFile = path.join(temp, `summary-${ran.length}`);
    writeFileSync(output, '');
    writeFileSync(summaryFile, '');
    const env = Object.fromEntries(
      Object.entries(step.env ?? {}).map(([key, value]) => [key, interpolate(value, context)]),
    );
    const script = path.join(temp, `step-${ran.length}.sh`);
    writeFileSync(script, step.run ?? '');
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: workspace,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: temp,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_ACTION_PATH: actionDir,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summaryFile,
        RUNNER_TEMP: temp,
        ...env,
      },
    });
    summary += readFileSync(summaryFile, 'utf8');
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    if (step.id) (context.steps as Context)[step.id] = { outputs };
    ran.push({ status: result.status, stdout: result.stdout, stderr: result.stderr });
  }
  return { ran, summary, outputs: (context.steps as Context).lint as { outputs: Context }, temp };
}

function workspace(files: Record<string, string>): string {
  const root = tempDir('agentops-lint-workspace-');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const manifest = (version: string): string =>
  `{\n  "name": "deploy",\n  "version": ${version},\n  "description": "Deploy helpers",\n  "author": { "name": "Acme" }\n}\n`;
const manifestPath = 'plugins/deploy/.claude-plugin/plugin.json';

test('a lint failure annotates, summarises, uploads SARIF and fails the job with code 1', () => {
  const dir = workspace({ [manifestPath]: manifest('1') });
  const { ran, summary, outputs, temp } = runAction(dir, { sarif: 'true' });
  const sarif = path.join(temp, 'agentops-lint.sarif');
  expect(outputs).toEqual({ outputs: { 'exit-code': '1', 'sarif-file': sarif } });
  expect(JSON.parse(readFileSync(sarif, 'utf8'))).toMatchObject({ version: '2.1.0' });
  expect(ran).toEqual([
    { uses: 'actions/setup-node@v4' },
    {
      status: 0,
      stdout: `::error file=${manifestPath},line=3,col=14,endLine=3,endColumn=15,title=schema::Unexpected type \`integer\` for \`/version\`, expected a string\n`,
      stderr: '',
    },
    { uses: 'github/codeql-action/upload-sarif@v3' },
    { status: 1, stdout: '', stderr: 'agentops-lint found problems (exit code 1)\n' },
  ]);
  expect(summary).toBe(
    [
      '## agentops-lint',
      '',
      '1 errors, 0 warnings.',
      '',
      '| Severity | Where | Message | Rule |',
      '| --- | --- | --- | --- |',
      `| error | \`${manifestPath}:3:14\` | Unexpected type \`integer\` for \`/version\`, expected a string | [\`schema\`](https://agentops-marketplace.github.io/agentops-marketplace/reference/) |`,
      '',
    ].join('\n'),
  );
});

test('a clean run passes and summarises, with no SARIF upload unless asked', () => {
  const dir = workspace({ [manifestPath]: manifest('"1.0.0"') });
  const { ran, summary, outputs } = runAction(dir, { 'node-version': '' });
  expect(outputs).toEqual({ outputs: { 'exit-code': '0' } });
  expect(ran).toEqual([{ status: 0, stdout: '', stderr: '' }]);
  expect(summary).toBe('## agentops-lint\n\nNo problems found.\n');
});

test('a tool failure exits 2, says so, and uploads nothing', () => {
  const dir = workspace({ [manifestPath]: manifest('"1.0.0"') });
  const { ran, summary, outputs, temp } = runAction(dir, {
    sarif: 'true',
    args: '--config missing.json',
  });
  expect(outputs).toEqual({ outputs: { 'exit-code': '2' } });
  expect(existsSync(path.join(temp, 'agentops-lint.sarif'))).toBe(false);
  expect(ran).toEqual([
    { uses: 'actions/setup-node@v4' },
    {
      status: 0,
      stdout: '',
      stderr: 'agentops-lint: [ConfigNotFound] Missing config file `missing.json`\n',
    },
    {
      status: 2,
      stdout: '',
      stderr: 'agentops-lint could not run (exit code 2): a usage, config or internal failure\n',
    },
  ]);
  expect(summary).toBe(
    '## agentops-lint\n\nThe linter could not run (exit code 2): see the step log.\n',
  );
});
