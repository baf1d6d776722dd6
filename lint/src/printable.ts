/**
 * Control characters a terminal acts on (C0 but tab and line breaks, DEL, C1) and the
 * bidirectional overrides and isolates that reorder what is shown.
 */
const controlRe =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const lineBreakRe = /[\n\r]/g;
/** Any character `printable` or `oneLine` may change: nearly all text has none. */
export const unsafeCharRe =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

function escapeChar(char: string): string {
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text from linted files made safe to print: control characters become visible escapes (`\x1b`,
 * `\u202e`), and so do line breaks unless `keepLineBreaks` (for formats that escape them
 * themselves), so that a message or a path is always one line.
 *
 * @example
 * printable('a\u001b[2Jb\nc'); // 'a\\x1b[2Jb\\nc'
 */
export function printable(text: string, keepLineBreaks = false): string {
  if (!unsafeCharRe.test(text)) return text;
  const safe = text.replace(controlRe, escapeChar);
  return keepLineBreaks ? safe : safe.replace(lineBreakRe, escapeChar);
}
