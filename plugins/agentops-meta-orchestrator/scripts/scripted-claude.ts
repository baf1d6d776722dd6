import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The real Claude Code CLI (the devDependency) against a scripted Messages API on 127.0.0.1:
// offline, with a throwaway HOME, and a timeout on every session. Used by the real-session test
// and by bench:hooks.

/** The plugin folder. */
const pluginRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The `claude` command of the repository's devDependency. */
export const claudeBin = path.resolve(pluginRoot, '../..', 'node_modules', '.bin', 'claude');

/** One scripted model turn: a tool call, or text that ends the turn. */
export type Turn = { tool: string; input: Record<string, unknown> } | { text: string };

/** A scripted Messages API: each agent-loop request gets the next turn of the script. */
export interface ScriptedApi {
  port: number;
  /** The turns the next requests get, in order; then `Done.` */
  script: Turn[];
  /** The bodies of the agent-loop requests so far. */
  requests: string[];
  close: () => Promise<void>;
}

function sse(res: http.ServerResponse, turn: Turn, id: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const send = (type: string, data: object): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  send('message_start', {
    message: {
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 1 },
    },
  });
  if ('tool' in turn) {
    send('content_block_start', {
      index: 0,
      content_block: { type: 'tool_use', id: `toolu_${id}`, name: turn.tool, input: {} },
    });
    send('content_block_delta', {
      index: 0,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify(turn.input) },
    });
  } else {
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: turn.text } });
  }
  send('content_block_stop', { index: 0 });
  send('message_delta', {
    delta: { stop_reason: 'tool' in turn ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: 5 },
  });
  send('message_stop', {});
  res.end();
}

/** Starts the scripted API on a free port of 127.0.0.1. */
export async function startScriptedApi(): Promise<ScriptedApi> {
  const api: ScriptedApi = { port: 0, script: [], requests: [], close: () => Promise.resolve() };
  // Agent loops (requests offering Bash) get the next turn; anything else gets text.
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      let data: { tools?: { name?: string }[] } = {};
      try {
        data = JSON.parse(body) as typeof data;
      } catch {
        data = {};
      }
      const url = req.url ?? '';
      if (!url.startsWith('/v1/messages') || url.includes('count_tokens')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"input_tokens":10}');
        return;
      }
      if (!(data.tools ?? []).some((tool) => tool.name === 'Bash'))
        return sse(res, { text: 'ok' }, 0);
      api.requests.push(body);
      sse(res, api.script.shift() ?? { text: 'Done.' }, api.requests.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.port = (server.address() as AddressInfo).port;
  api.close = () => new Promise((resolve) => server.close(() => resolve()));
  return api;
}

/** Where and how a scripted session runs. */
export interface ClaudeRun {
  api: ScriptedApi;
  cwd: string;
  home: string;
  tmpdir: string;
  /** PATH of the session and its hooks. */
  pathEnv: string;
  /** Load this plugin (`--plugin-dir`); without it the session runs with no plugin. */
  plugin: boolean;
  /** Load the plugin from this folder instead (a modified copy). */
  pluginDir?: string | undefined;
}

/** Runs one `claude -p` session on a script; resolves to its exit status and output. */
export async function runClaude(
  run: ClaudeRun,
  prompt: string,
  turns: Turn[],
  ...flags: string[]
): Promise<{ status: number | null; stdout: string }> {
  run.api.script = [...turns];
  const child = spawn(
    claudeBin,
    [
      '-p',
      prompt,
      '--dangerously-skip-permissions',
      ...(run.plugin ? ['--plugin-dir', run.pluginDir ?? pluginRoot] : []),
      '--model',
      'claude-sonnet-4-5',
      ...flags,
    ],
    {
      cwd: run.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
      env: {
        PATH: run.pathEnv,
        HOME: run.home,
        TMPDIR: run.tmpdir,
        ANTHROPIC_BASE_URL: `http://127.0.0.1:${run.api.port}`,
        ANTHROPIC_API_KEY: 'sk-ant-test-offline',
        // Running as root in a container: allows --dangerously-skip-permissions.
        IS_SANDBOX: '1',
        NO_COLOR: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
        GIT_CONFIG_NOSYSTEM: '1',
      },
    },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.resume();
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stdout };
}
