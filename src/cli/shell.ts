/** POSIX shell quoting and the curl command that makes a presigned request. */
import type { PresignedRequest } from '../core/types';

/** Single-quotes a word for sh/bash unless it is plainly safe; `'` becomes `'\''`. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export const UPLOAD_PLACEHOLDER = '<file>';

/**
 * A curl command line for the request: method, the headers that must be sent, the body for
 * PUT/POST (`uploadFile`, or a `<file>` placeholder for PUT), the URL. `--fail-with-body` makes a
 * 403 exit non-zero while still showing the server's error document.
 */
export function curlCommand(r: Pick<PresignedRequest, 'url' | 'method' | 'headers'>, uploadFile?: string): string {
  const words = ['curl', '--fail-with-body', '-sS'];
  if (r.method === 'HEAD') words.push('--head');
  else if (r.method === 'POST' || r.method === 'DELETE') words.push('-X', r.method);
  for (const [name, value] of Object.entries(r.headers)) words.push('-H', `${name}: ${value}`);
  if (r.method === 'PUT') words.push('--upload-file', uploadFile ?? UPLOAD_PLACEHOLDER);
  else if (r.method === 'POST' && uploadFile !== undefined) words.push('--data-binary', '@' + uploadFile);
  words.push(r.url);
  return words.map((w, i) => (i === 0 ? w : shellQuote(w))).join(' ');
}
