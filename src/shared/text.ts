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
