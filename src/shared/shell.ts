/**
 * POSIX shell quoting and the curl command that makes a presigned request, for every front end
 * (the action's `curl` output and `cos-presign url --curl`).
 */
import type { HttpMethod } from '../core/types';

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function ansiC(word: string): string {
  let out = '';
  for (const ch of word) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === "'") out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (CONTROL.test(ch)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `$'${out}'`;
}

/**
 * One shell word for sh/bash/zsh: bare when plainly safe, else single-quoted (`'` as `'\''`).
 * A word with control characters is written `$'…'` with escapes instead (bash, zsh, ksh and
 * POSIX.1-2024 sh), so the printed command stays one visible line and the terminal never sees
 * a raw control character; the shell still receives the exact bytes.
 */
export function shellQuote(word: string): string {
  if (PLAIN.test(word)) return word;
  if (CONTROL.test(word)) return ansiC(word);
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export const UPLOAD_PLACEHOLDER = '<file>';

export interface CurlRequest {
  url: string;
  method: HttpMethod | string;
  headers: Record<string, string>;
}

export interface CurlOptions {
  /** The body of a PUT or POST (a PUT without one gets the `<file>` placeholder). */
  uploadFile?: string;
  /** GET: save the body to this file instead of writing it to stdout. */
  outputFile?: string;
}

/** A relative file name curl cannot read as `-` (stdin/stdout) or an option. */
function notOption(file: string): string {
  return file.startsWith('-') ? `./${file}` : file;
}

/**
 * A curl command line for the request: method, the headers that must be sent, the body for
 * PUT/POST, the URL. `--fail-with-body` makes a 403 exit non-zero while still showing the
 * server's error document.
 */
export function curlCommand(r: CurlRequest, o: CurlOptions = {}): string {
  const words = ['--fail-with-body', '-sS'];
  if (r.method === 'HEAD') words.push('--head');
  else if (r.method === 'POST' || r.method === 'DELETE') words.push('-X', r.method);
  for (const [name, value] of Object.entries(r.headers)) words.push('-H', `${name}: ${value}`);
  if (r.method === 'PUT')
    words.push('--upload-file', o.uploadFile === undefined ? UPLOAD_PLACEHOLDER : notOption(o.uploadFile));
  else if (r.method === 'POST' && o.uploadFile !== undefined) words.push('--data-binary', '@' + o.uploadFile);
  else if (r.method === 'GET' && o.outputFile !== undefined) words.push('-o', notOption(o.outputFile));
  words.push(r.url);
  return ['curl', ...words.map(shellQuote)].join(' ');
}

/** The last path segment of a key, or `object` when it has none (e.g. a key ending in `/`). */
export function baseName(key: string): string {
  return (
    key
      .split('/')
      .filter((s) => s !== '' && s !== '.' && s !== '..')
      .pop() ?? 'object'
  );
}
