import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The plugin folder. */
export const pluginRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root. */
export const repoRoot = path.resolve(pluginRoot, '../..');
/** The committed bundle. */
export const bundle = path.join(pluginRoot, 'dist', 'agentops-learn.mjs');
/** Fixture folder. */
export const fixtures = path.join(pluginRoot, 'test', 'fixtures');

/** A temporary folder removed by the returned cleanup. */
export function tempDir(prefix = 'agentops-learn-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs git in a folder; throws on failure. */
export function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** A new git repository with one commit. */
export function makeRepo(): string {
  const dir = fs.realpathSync(tempDir('agentops-repo-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  fs.writeFileSync(path.join(dir, 'README.md'), '# demo\n');
  git(dir, 'add', 'README.md');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

/** Runs the bundled CLI with `node` (the repository's pinned one). */
export function runCli(
  cwd: string,
  args: string[],
  input = '',
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bundle, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    env: {
      ...process.env,
      AGENTOPS_SESSION_ID: '',
      CLAUDE_SESSION_ID: '',
      CLAUDE_CODE_SESSION_ID: '',
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Waits (polling) until `check` returns a value or the timeout passes. */
export async function waitFor<T>(
  check: () => T | undefined,
  timeoutMs = 20_000,
): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > end) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A fixture payload with `${CWD}` and `${TRANSCRIPT}` filled in. */
export function payload(name: string, cwd: string, transcript: string): string {
  return fs
    .readFileSync(path.join(fixtures, name), 'utf8')
    .replaceAll('${CWD}', cwd)
    .replaceAll('${TRANSCRIPT}', transcript);
}

/** All execution lines in a store's log. */
export function logLines(executionsDir: string): string[] {
  if (!fs.existsSync(executionsDir)) return [];
  return fs
    .readdirSync(executionsDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      fs
        .readFileSync(path.join(executionsDir, f), 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    );
}

/** Each execution in a store's log as its session, task keywords and outcome status. */
export function loggedOutcomes(executionsDir: string): [string, string[], string][] {
  return logLines(executionsDir).map((line) => {
    const execution = JSON.parse(line) as {
      session_id: string;
      task: { keywords: string[] };
      outcome: { status: string };
    };
    return [execution.session_id, execution.task.keywords, execution.outcome.status];
  });
}

/** The command `hooks/hooks.json` runs for an event. */
export function hookCommand(event: string): string {
  const hooks = JSON.parse(
    fs.readFileSync(path.join(pluginRoot, 'hooks', 'hooks.json'), 'utf8'),
  ) as {
    hooks: Record<string, { hooks: { command: string }[] }[]>;
  };
  const command = hooks.hooks[event]?.[0]?.hooks[0]?.command;
  if (command === undefined) throw new Error(`hooks.json has no ${event} hook`);
  return command;
}

/** Runs a plugin hook as Claude Code does: its command in a shell, the payload on stdin. */
export function runPluginHook(
  cwd: string,
  event: string,
  input: string,
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('/bin/sh', ['-c', hookCommand(event)], {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...env, CLAUDE_PLUGIN_ROOT: pluginRoot },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Waits until the background worker has folded every finished session of a store. */
export async function waitForWorker(store: string, live: string[] = []): Promise<boolean> {
  const spool = path.join(store, 'spool');
  const done = await waitFor(() => {
    if (fs.existsSync(path.join(store, 'lock'))) return undefined;
    const left = fs.existsSync(spool)
      ? fs.readdirSync(spool).filter((name) => !name.startsWith('.') && !live.includes(name))
      : [];
    const inbox = path.join(spool, '.inbox');
    const raw = fs.existsSync(inbox) ? fs.readdirSync(inbox) : [];
    return left.length === 0 && raw.length === 0 ? true : undefined;
  }, 60_000);
  return done === true;
}

/**
 * Removes a test repository. A session boundary's background worker may still be starting when a
 * test ends (waitForWorker sees an idle store before it takes the lock), and a file it writes
 * during the removal fails it with ENOTEMPTY: retry, as Node does for that error.
 */
export function removeRepo(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
}
