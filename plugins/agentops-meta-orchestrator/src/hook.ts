import path from 'node:path';
import type { SpoolEvent } from './spool.ts';
import { safeSessionId } from './spool.ts';
import { repoRelative } from './store.ts';
import { inferCategory, kebab, keywords, redact, sha256 } from './text.ts';
import { findVerification, outputVerdict } from './verification.ts';

/** The hook events the engine records. */
export const hookEvents = [
  'SessionStart',
  'UserPromptSubmit',
  'SubagentStart',
  'SubagentStop',
  'PostToolUse',
  'PostToolUseFailure',
  'Stop',
  'SessionEnd',
] as const;

/** A hook event name the engine records. */
export type HookEvent = (typeof hookEvents)[number];

/** The test runner a shell command runs, as a short label, or `undefined`. */
export function testRunnerLabel(command: string): string | undefined {
  return findVerification(command)?.label;
}

// Claude Code's own commands manage the session; they start no task.
const builtinCommands = new Set(
  'add-dir agents bashes bug clear compact config context continue cost doctor exit export feedback help hooks ide init login logout mcp memory model output-style permissions plugin plugins privacy-settings quit release-notes resume rewind status statusline terminal-setup theme todos upgrade usage vim'.split(
    ' ',
  ),
);

/** What a prompt asks: its text, and the slash command it runs (`/plugin:name args`), if any. */
export function parsePrompt(prompt: string): { text: string; command?: string } | undefined {
  const trimmed = prompt.trim();
  // A prompt as the transcript keeps a slash command, in tags.
  const tagged = /<command-name>\/?([^<]{1,200})<\/command-name>/.exec(trimmed);
  const slash =
    tagged === null ? /^\/([A-Za-z0-9][\w.:-]{0,199})(?:\s+([\s\S]*))?$/.exec(trimmed) : null;
  const name = tagged?.[1] ?? slash?.[1];
  if (name === undefined) return trimmed === '' ? undefined : { text: trimmed };
  const args =
    tagged !== null
      ? (/<command-args>([\s\S]*?)<\/command-args>/.exec(trimmed)?.[1] ?? '')
      : (slash?.[2] ?? '');
  const command = componentName(name);
  if (command === '' || builtinCommands.has(command)) return undefined;
  return { text: `${command.replace(/-/g, ' ')} ${args}`.trim(), command };
}

/** The spool event of a prompt: the task's keywords, category and text hash. */
function promptEvent(
  session_id: string,
  prompt: string,
): Omit<SpoolEvent, 'id' | 'at'> | undefined {
  const parsed = parsePrompt(prompt.slice(0, 20_000));
  if (parsed === undefined) return undefined;
  const text = redact(parsed.text.slice(0, 4000));
  const words = keywords(text);
  const event: Omit<SpoolEvent, 'id' | 'at'> = {
    session_id,
    event: 'prompt',
    keywords: words,
    category: inferCategory(words),
    text_hash: sha256(text).slice(0, 16),
    text,
  };
  if (parsed.command !== undefined) event.command = parsed.command;
  return event;
}

function exitCodeOf(
  hook: 'PostToolUse' | 'PostToolUseFailure',
  response: Record<string, unknown>,
  error: string | undefined,
): number {
  for (const value of [response.exit_code, response.exitCode, response.code])
    if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (hook === 'PostToolUse') return response.interrupted === true ? 1 : 0;
  const code = error === undefined ? undefined : /\bexit code (-?\d{1,5})\b/i.exec(error)?.[1];
  return code === undefined || Number(code) === 0 ? 1 : Number(code);
}

/** A hash of a shell command with its whitespace normalised (commands are never stored). */
export function commandHash(command: string): string {
  return sha256(command.trim().replace(/\s+/g, ' ')).slice(0, 16);
}

function str(value: unknown, max = 4096): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Component names lose their plugin prefix (`agentops-core:reviewer` → `reviewer`). */
function componentName(raw: string): string {
  const last = raw.split(':').pop() ?? raw;
  return kebab(last);
}

/** Glob of a touched file: its folder and extension (`src/auth/token.ts` → `src/auth/*.ts`). */
function pathGlob(relative: string): string {
  const dir = path.posix.dirname(relative);
  const ext = path.posix.extname(relative);
  return `${dir === '.' ? '' : `${dir}/`}*${ext}`;
}

/** The tools whose input names a file they change: the path an event records. */
export const editTools: readonly string[] = ['Edit', 'Write', 'MultiEdit', 'NotebookEdit'];

function isEditTool(tool: string): boolean {
  return editTools.includes(tool);
}

/** The glob of the file an editing tool's input names, when it is inside the repository. */
function editedPath(
  input: Record<string, unknown>,
  repoRoot: string | undefined,
): string | undefined {
  const file = str(input.file_path) ?? str(input.notebook_path);
  const relative = file === undefined ? undefined : repoRelative(file, repoRoot);
  return relative === undefined ? undefined : pathGlob(relative);
}

/**
 * The session and touched path {@link eventFromPayload} records for a payload, when it records
 * a path; read without hashing anything, for a prompt that asks what its session touched.
 */
export function touchedPath(
  hook: HookEvent,
  payload: unknown,
  repoRoot: string | undefined,
): { session_id: string; path: string } | undefined {
  if (hook !== 'PostToolUse' && hook !== 'PostToolUseFailure') return undefined;
  const data = obj(payload);
  if (!isEditTool(str(data.tool_name, 100) ?? 'unknown')) return undefined;
  const touched = editedPath(obj(data.tool_input), repoRoot);
  return touched === undefined
    ? undefined
    : { session_id: safeSessionId(data.session_id), path: touched };
}

/**
 * Turns a Claude Code hook payload into a spool event, reading only the fields it needs
 * (never tool inputs or outputs beyond names, a touched path and a test runner's exit code),
 * and the id of the prompt it belongs to.
 */
export function eventFromPayload(
  hook: HookEvent,
  payload: unknown,
  repoRoot: string | undefined,
): Omit<SpoolEvent, 'id' | 'at'> {
  const event = eventOf(hook, obj(payload), repoRoot);
  const promptId = str(obj(payload).prompt_id, 100);
  if (promptId !== undefined) event.prompt_id = promptId;
  return event;
}

function eventOf(
  hook: HookEvent,
  data: Record<string, unknown>,
  repoRoot: string | undefined,
): Omit<SpoolEvent, 'id' | 'at'> {
  const session_id = safeSessionId(data.session_id);
  switch (hook) {
    case 'SessionStart': {
      const event: Omit<SpoolEvent, 'id' | 'at'> = { session_id, event: 'session_start' };
      const source = str(data.source, 40);
      if (source !== undefined) event.source = source;
      const model = str(data.model, 100) ?? str(obj(data.model).id, 100);
      if (model !== undefined) event.model = model;
      const transcript = str(data.transcript_path);
      if (transcript !== undefined && path.isAbsolute(transcript)) event.transcript = transcript;
      return event;
    }
    case 'SubagentStart':
    case 'SubagentStop': {
      const event: Omit<SpoolEvent, 'id' | 'at'> = {
        session_id,
        event: hook === 'SubagentStart' ? 'agent_start' : 'agent_stop',
      };
      const agent = str(data.agent_type, 200) ?? str(data.subagent_type, 200);
      if (agent !== undefined) event.agent = componentName(agent);
      const agentId = str(data.agent_id, 100);
      if (agentId !== undefined) event.agent_id = agentId;
      return event;
    }
    case 'PostToolUse':
    case 'PostToolUseFailure': {
      const tool = str(data.tool_name, 100) ?? 'unknown';
      const input = obj(data.tool_input);
      const response = obj(data.tool_response);
      const event: Omit<SpoolEvent, 'id' | 'at'> = {
        session_id,
        event: 'tool',
        tool: tool.slice(0, 100),
        ok: hook === 'PostToolUse',
      };
      const toolUseId = str(data.tool_use_id, 100);
      if (toolUseId !== undefined) event.tool_use_id = toolUseId;
      if (tool === 'Task' || tool === 'Agent') {
        const agent = str(input.subagent_type, 200);
        if (agent !== undefined) event.agent = componentName(agent);
      } else if (tool === 'Skill') {
        const skill = str(input.skill, 200) ?? str(input.command, 200) ?? str(input.name, 200);
        if (skill !== undefined) event.skill = componentName(skill);
      } else if (isEditTool(tool)) {
        const touched = editedPath(input, repoRoot);
        if (touched !== undefined) event.path = touched;
      } else if (tool === 'Bash') {
        const command = str(input.command, 100_000);
        if (command !== undefined) {
          event.command_hash = commandHash(command);
          const error = str(data.error, 100_000);
          event.exit_code = exitCodeOf(hook, response, error);
          if (event.exit_code !== 0) event.ok = false;
          const run = findVerification(command);
          if (run !== undefined) {
            event.test = run.label;
            if (run.kind !== 'test') event.check = run.kind;
            if (!run.decisive) event.indecisive = true;
            const background = str(response.backgroundTaskId, 200);
            if (background !== undefined) event.background = background;
            const output = [response.stdout, response.stderr, error]
              .filter((part) => typeof part === 'string')
              .join('\n');
            const verdict = outputVerdict(output);
            if (verdict !== undefined) event.output = verdict;
          }
        }
      }
      return event;
    }
    case 'UserPromptSubmit': {
      const prompt = str(data.prompt, 100_000);
      return (
        (prompt === undefined ? undefined : promptEvent(session_id, prompt)) ?? {
          session_id,
          event: 'stop',
        }
      );
    }
    case 'Stop':
      return { session_id, event: 'stop' };
    case 'SessionEnd': {
      const event: Omit<SpoolEvent, 'id' | 'at'> = { session_id, event: 'session_end' };
      const reason = str(data.reason, 40);
      if (reason !== undefined) event.reason = reason;
      return event;
    }
  }
}
