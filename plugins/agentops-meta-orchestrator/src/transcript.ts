import fs from 'node:fs';

/** What the transcript adds, when its format is one we know. */
export interface TranscriptFacts {
  prompt?: string;
  version?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Background commands that finished, from Claude Code's task notifications, in order. */
  notifications?: TaskNotification[];
  /** The ids of the model's tool calls, in the order it made them. */
  toolUses?: string[];
  /** The tool calls that finished, with what their PostToolUse(Failure) payloads carry. */
  calls?: TranscriptCall[];
}

/** A finished tool call of the main conversation, as the transcript keeps it. */
export interface TranscriptCall {
  id: string;
  name: string;
  input: unknown;
  failed: boolean;
  /** The structured result (`toolUseResult`), as a PostToolUse payload's `tool_response`. */
  response?: unknown;
  /** A failed call's error text, as a PostToolUseFailure payload's `error`. */
  error?: string;
  /** The prompt it ran for (`promptId`) and when its result came. */
  promptId?: string;
  at?: string;
}

/** Records the tool calls an entry starts (`pending`) or finishes (`facts.calls`). */
function readCalls(
  record: Record<string, unknown>,
  content: unknown,
  pending: Map<string, TranscriptCall>,
  facts: TranscriptFacts,
): void {
  if (!Array.isArray(content) || record.isSidechain === true) return;
  for (const part of content as unknown[]) {
    if (typeof part !== 'object' || part === null) continue;
    const block = part as Record<string, unknown>;
    if (record.type === 'assistant' && block.type === 'tool_use') {
      if (typeof block.id !== 'string' || block.id.length > 100) continue;
      (facts.toolUses ??= []).push(block.id);
      if (typeof block.name === 'string')
        pending.set(block.id, {
          id: block.id,
          name: block.name,
          input: block.input,
          failed: false,
        });
    } else if (record.type === 'user' && block.type === 'tool_result') {
      const call =
        typeof block.tool_use_id === 'string' ? pending.get(block.tool_use_id) : undefined;
      if (call === undefined) continue;
      pending.delete(call.id);
      const result = record.toolUseResult;
      if (typeof result === 'object' && result !== null) call.response = result;
      if (block.is_error === true) {
        call.failed = true;
        call.error = textOf(block.content) ?? (typeof result === 'string' ? result : '');
        // A call refused before it ran (bad input, a file not read first): no hook runs for it.
        if (call.error.trimStart().startsWith('<tool_use_error>')) continue;
      }
      if (typeof record.promptId === 'string') call.promptId = record.promptId.slice(0, 100);
      if (typeof record.timestamp === 'string') call.at = record.timestamp;
      (facts.calls ??= []).push(call);
    }
  }
}

/** A `<task-notification>` about a background command: how it ended and when. */
export interface TaskNotification {
  task: string;
  status: string;
  exitCode?: number;
  at?: string;
}

const notificationRe = /<task-notification>([\s\S]*?)<\/task-notification>/g;

/** Task notifications in a text (a background command's end, as Claude Code reports it). */
export function parseNotifications(text: string, at: string | undefined): TaskNotification[] {
  const out: TaskNotification[] = [];
  for (const match of text.matchAll(notificationRe)) {
    const body = match[1]!;
    const task = /<task-id>([^<]{1,200})<\/task-id>/.exec(body)?.[1]?.trim();
    const status = /<status>([a-z_]{1,40})<\/status>/.exec(body)?.[1];
    if (task === undefined || status === undefined) continue;
    const notification: TaskNotification = { task, status };
    const code = /exit code (-?\d{1,5})/.exec(body)?.[1];
    if (code !== undefined) notification.exitCode = Number(code);
    if (at !== undefined) notification.at = at;
    out.push(notification);
  }
  return out;
}

function stringsOf(value: unknown, out: string[], depth = 0): string[] {
  if (depth > 6) return out;
  if (typeof value === 'string') {
    if (value.includes('<task-notification>')) out.push(value);
  } else if (Array.isArray(value)) for (const item of value) stringsOf(item, out, depth + 1);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) stringsOf(item, out, depth + 1);
  return out;
}

const maxTranscriptBytes = 16 * 1024 * 1024;

function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    for (const part of content) {
      if (typeof part === 'object' && part !== null) {
        const item = part as Record<string, unknown>;
        if (item.type === 'text' && typeof item.text === 'string') return item.text;
      }
    }
  }
  return undefined;
}

/**
 * Reads a Claude Code transcript (JSONL) defensively: the first real user prompt, the Claude
 * Code version, the model, token usage, the notifications of finished background commands and
 * the order of the tool calls.
 * Anything unrecognised is skipped; a file that is not
 * a transcript yields no facts, and the execution is recorded from hook data alone.
 */
export function readTranscript(file: string | undefined): TranscriptFacts {
  const facts: TranscriptFacts = {};
  if (file === undefined) return facts;
  let text: string;
  try {
    const stat = fs.lstatSync(file);
    if (!stat.isFile()) return facts;
    const fd = fs.openSync(file, 'r');
    try {
      const size = Math.min(stat.size, maxTranscriptBytes);
      const buffer = Buffer.alloc(size);
      fs.readSync(fd, buffer, 0, size, 0);
      text = buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return facts;
  }
  let input = 0;
  let output = 0;
  let sawUsage = false;
  const pending = new Map<string, TranscriptCall>();
  for (const line of text.split('\n')) {
    if (line === '' || line[0] !== '{') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof entry !== 'object' || entry === null) continue;
    const record = entry as Record<string, unknown>;
    if (line.includes('<task-notification>')) {
      const at = typeof record.timestamp === 'string' ? record.timestamp : undefined;
      for (const text of stringsOf(record, []))
        (facts.notifications ??= []).push(...parseNotifications(text, at));
    }
    if (facts.version === undefined && typeof record.version === 'string')
      facts.version = record.version.slice(0, 40);
    const message =
      typeof record.message === 'object' && record.message !== null
        ? (record.message as Record<string, unknown>)
        : undefined;
    if (message === undefined) continue;
    if (record.type === 'user' && facts.prompt === undefined && record.isMeta !== true) {
      const prompt = textOf(message.content);
      if (prompt !== undefined && !prompt.trimStart().startsWith('<') && prompt.trim() !== '')
        facts.prompt = prompt.slice(0, 4000);
    }
    readCalls(record, message.content, pending, facts);
    if (record.type === 'assistant') {
      if (typeof message.model === 'string') facts.model = message.model.slice(0, 100);
      const usage = message.usage;
      if (typeof usage === 'object' && usage !== null) {
        const u = usage as Record<string, unknown>;
        for (const key of [
          'input_tokens',
          'cache_creation_input_tokens',
          'cache_read_input_tokens',
        ])
          if (typeof u[key] === 'number') input += u[key];
        if (typeof u.output_tokens === 'number') output += u.output_tokens;
        sawUsage = true;
      }
    }
  }
  if (sawUsage) {
    facts.inputTokens = Math.round(input);
    facts.outputTokens = Math.round(output);
  }
  return facts;
}
