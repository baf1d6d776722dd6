import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';

/** A file's path as printed: `prefix` before the path the file has. */
export function displayPath(file: VFile, options: { prefix?: string }): string {
  return `${options.prefix ?? ''}${file.path}`;
}

/** The severity word of a message. */
export function label(message: VFileMessage): 'error' | 'warning' {
  return message.fatal ? 'error' : 'warning';
}

/** Where a message starts and ends, a point standing for a range of no length. */
export function place(message: VFileMessage): {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
} {
  const range = message.place && 'start' in message.place ? message.place : undefined;
  const line = message.line ?? 1;
  const column = message.column ?? 1;
  return {
    line,
    column,
    endLine: range?.end.line ?? line,
    endColumn: range?.end.column ?? column,
  };
}
