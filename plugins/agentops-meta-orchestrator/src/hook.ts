import path from 'node:path';
import type { SpoolEvent } from './spool.ts';
import { safeSessionId } from './spool.ts';
import { repoRelative } from './store.ts';
import { kebab, sha256 } from './text.ts';

/** The hook events the engine records. */
export const hookEvents = [
  'SessionStart',
  'SubagentStart',
  'SubagentStop',
  'PostToolUse',
  'PostToolUseFailure',
  'Stop',
  'SessionEnd',
] as const;

/** A hook event name the engine records. */
export type HookEvent = (typeof hookEvents)[number];

const testRunnerRes: [RegExp, string][] = [
  [/\b(npm|pnpm|yarn|bun)\s+(run\s+)?test\b/, '$1 test'],
  [/\bnpx\s+(vitest|jest|mocha|playwright\s+test)\b/, '$1'],
  [/(^|[\s;&|])(vitest|jest|mocha|pytest|rspec|phpunit|tox|nox)\b/, '$2'],
  [/\bpython3?\s+-m\s+(pytest|unittest)\b/, '$1'],
  [/\bgo\s+test\b/, 'go test'],
  [/\bcargo\s+(test|nextest)\b/, 'cargo test'],
  [/\b(mvn|mvnw|gradle|gradlew)\b.*\b(test|verify|check)\b/, '$1 $2'],
  [/\bdotnet\s+test\b/, 'dotnet test'],
  [/\bmake\s+(test|check)\b/, 'make $2'],
  [/\bctest\b/, 'ctest'],
];

/** The test runner a shell command runs, as a short label, or `undefined`. */
export function testRunnerLabel(command: string): string | undefined {
  for (const [re, label] of testRunnerRes) {
    const match = re.exec(command);
    if (match) return match[0].replace(re, label).trim().replace(/\s+/g, ' ').slice(0, 40);
  }
  return undefined;
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
export function componentName(raw: string): string {
  const last = raw.split(':').pop() ?? raw;
  return kebab(last);
}

/** Glob of a touched file: its folder and extension (`src/auth/token.ts` → `src/auth/*.ts`). */
function pathGlob(relative: string): string {
  const dir = path.posix.dirname(relative);
  const ext = path.posix.extname(relative);
  return `${dir === '.' ? '' : `${dir}/`}*${ext}`;
}

/**
 * Turns a Claude Code hook payload into a spool event, reading only the fields it needs
 * (never tool inputs or outputs beyond names, a touched path and a test runner's exit code).
 */
export function eventFromPayload(
  hook: HookEvent,
  payload: unknown,
  repoRoot: string | undefined,
): Omit<SpoolEvent, 'id' | 'at'> {
  const data = obj(payload);
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
      if (tool === 'Task' || tool === 'Agent') {
        const agent = str(input.subagent_type, 200);
        if (agent !== undefined) event.agent = componentName(agent);
      } else if (tool === 'Skill') {
        const skill = str(input.skill, 200) ?? str(input.command, 200) ?? str(input.name, 200);
        if (skill !== undefined) event.skill = componentName(skill);
      } else if (
        tool === 'Edit' ||
        tool === 'Write' ||
        tool === 'MultiEdit' ||
        tool === 'NotebookEdit'
      ) {
        const file = str(input.file_path) ?? str(input.notebook_path);
        const relative = file === undefined ? undefined : repoRelative(file, repoRoot);
        if (relative !== undefined) event.path = pathGlob(relative);
      } else if (tool === 'Bash') {
        const command = str(input.command, 100_000);
        if (command !== undefined) {
          event.command_hash = commandHash(command);
          const label = testRunnerLabel(command);
          if (label !== undefined) event.test = label;
          const exit =
            typeof response.exit_code === 'number'
              ? response.exit_code
              : typeof response.exitCode === 'number'
                ? response.exitCode
                : undefined;
          if (exit !== undefined && Number.isInteger(exit)) event.exit_code = exit;
          else event.exit_code = hook === 'PostToolUse' && response.interrupted !== true ? 0 : 1;
          if (event.exit_code !== 0) event.ok = false;
        }
      }
      return event;
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
