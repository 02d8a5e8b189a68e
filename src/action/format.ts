/**
 * Output formatting: the `curl` command and the job summary. Pure (no @actions imports).
 */
import type { HttpMethod } from '../core/types';
import type { SummaryMode } from './inputs';

export interface SignedEntry {
  key: string;
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  /** Workspace-relative path of the local file the key came from, if any. */
  file?: string;
}

/** POSIX shell single-quoting: safe for any byte string. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The last path segment of a key, or `object` when it has none (e.g. a key ending in `/`). */
function baseName(key: string): string {
  const seg = key.split('/').filter((s) => s !== '' && s !== '.' && s !== '..').pop();
  return seg ?? 'object';
}

/**
 * A ready curl command: fail on HTTP errors, send the required headers, and for PUT upload the
 * matched file (or, for a plain key, a file named like the key's last segment).
 */
export function curlCommand(e: SignedEntry): string {
  const parts = ['curl', '--fail', '--silent', '--show-error'];
  if (e.method === 'HEAD') parts.push('--head');
  else if (e.method !== 'GET' && e.method !== 'PUT') parts.push('-X', e.method);
  for (const [n, v] of Object.entries(e.headers)) parts.push('-H', shellQuote(`${n}: ${v}`));
  if (e.method === 'PUT') parts.push('--upload-file', shellQuote(e.file ?? baseName(e.key)));
  if (e.method === 'GET') parts.push('-o', shellQuote(baseName(e.file ?? e.key)));
  parts.push(shellQuote(e.url));
  return parts.join(' ');
}

function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\|/g, '&#124;');
}

/** The runner drops a step summary above 1 MiB; stay clearly below it. */
export const SUMMARY_BUDGET = 1_000_000;
const COLLAPSE_AFTER = 20;

export interface SummaryInfo {
  provider: string;
  bucket: string;
  expiresAt: string;
  entries: SignedEntry[];
  warnings: string[];
}

/**
 * HTML for the job summary: keys, methods, expiry and the headers to send. URLs appear only in
 * `links` mode (summaries of public repositories are public). Empty string for `none`.
 */
export function summaryHtml(mode: SummaryMode, s: SummaryInfo): string {
  if (mode === 'none') return '';
  const n = s.entries.length;
  let head = `<h3>Presigned URLs</h3>\n<p>${n} URL${n === 1 ? '' : 's'} for ${html(s.provider)} bucket <code>${html(s.bucket)}</code>`;
  head += n ? `, valid until <strong>${html(s.expiresAt)}</strong>.` : '.';
  if (mode === 'names' && n) head += ' Links are not shown (<code>summary: links</code> shows them).';
  head += '</p>\n';
  for (const w of s.warnings) head += `<p>⚠️ ${html(w)}</p>\n`;
  if (!n) return head;

  const tableHead = '<table>\n<tr><th>Key</th><th>Method</th><th>Expires</th><th>Headers to send</th></tr>\n';
  const tableTail = '</table>\n';
  const collapse = n > COLLAPSE_AFTER;
  const open = collapse ? `<details><summary>${n} keys</summary>\n\n` : '';
  const close = collapse ? '</details>\n' : '';
  let used = Buffer.byteLength(head + open + tableHead + tableTail + close) + 200;
  let rows = '';
  let shown = 0;
  for (const e of s.entries) {
    const name = mode === 'links' ? `<a href="${html(e.url)}"><code>${html(e.key)}</code></a>` : `<code>${html(e.key)}</code>`;
    const hdrs = Object.entries(e.headers).map(([h, v]) => `<code>${html(`${h}: ${v}`)}</code>`).join('<br>');
    const row = `<tr><td>${name}</td><td>${e.method}</td><td>${html(s.expiresAt)}</td><td>${hdrs}</td></tr>\n`;
    const size = Buffer.byteLength(row);
    if (used + size > SUMMARY_BUDGET) break;
    used += size;
    rows += row;
    shown++;
  }
  const more = shown < n ? `<p>${n - shown} more keys are not listed: a step summary is limited to 1 MiB. The <code>urls</code> and <code>requests</code> outputs have them all.</p>\n` : '';
  return head + open + tableHead + rows + tableTail + close + more;
}
