/**
 * Text of user or repository origin (object keys, file names, hosts, query parameters, access key
 * ids read from a URL) made safe to print: every control character is shown as an escape instead
 * of acting on the terminal, the log parser or the reader.
 */

/**
 * C0 controls, DEL, C1 controls (ESC-less CSI/OSC forms in 8-bit terminals), the Unicode line and
 * paragraph separators, and the bidirectional overrides and isolates that reorder what is shown.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `s` with every control character replaced by a visible escape (`\n`, `\r`, `\t`, `\x1b`,
 * `\u202e`), so one value prints as one line and cannot move the cursor, recolour or hide text,
 * set the clipboard (OSC 52) or reorder what follows. Printable text, backslashes included, is kept.
 */
export function escapeControls(s: string): string {
  return s.replace(UNSAFE, escapeOne);
}

/**
 * `s` safe as (part of) one line of a GitHub Actions log: control characters escaped as above,
 * so the value cannot start a new line, and neither workflow-command form can be formed:
 * the runner reads `::name::` after a line's leading whitespace is trimmed, and the legacy
 * `##[name]` anywhere in a line (actions/runner ActionCommand.cs). The first `:` of a leading
 * `::` and the `[` of every `##[` are shown as `\x3a` and `\x5b`.
 */
export function logSafe(s: string): string {
  return escapeControls(s)
    .replace(/^(\s*):(?=:)/u, '$1\\x3a')
    .replace(/##\[/g, '##\\x5b');
}

const HTML: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
};

/**
 * `s` as HTML text inside an element or a quoted attribute of a job summary: markup characters
 * as entities and control characters escaped visibly, so the value is one line of text. A raw
 * newline, and so the blank line that ends an HTML block and starts Markdown, cannot occur.
 */
export function htmlText(s: string): string {
  return escapeControls(s).replace(/[&<>"'|]/g, (c) => HTML[c]);
}

const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON for a terminal: `JSON.stringify` already escapes C0 controls; the C1 controls, DEL and
 * the line separators and bidirectional controls it leaves raw are written as `\uXXXX` too.
 * The parsed value is the same.
 */
export function terminalJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(
    JSON_UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
