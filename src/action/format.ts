/**
 * The job summary. Pure (no @actions imports). Every value of user or repository origin goes
 * through `htmlText`: markup characters as entities and control characters escaped, so no key
 * can close an element or put the blank line that ends the HTML block and starts Markdown.
 */
import { htmlText as html } from '../shared/text';
import type { SummaryMode } from './inputs';
import type { SignedEntry } from './outputs';

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
    const name =
      mode === 'links' ? `<a href="${html(e.url)}"><code>${html(e.key)}</code></a>` : `<code>${html(e.key)}</code>`;
    const hdrs = Object.entries(e.headers)
      .map(([h, v]) => `<code>${html(`${h}: ${v}`)}</code>`)
      .join('<br>');
    const row = `<tr><td>${name}</td><td>${html(e.method)}</td><td>${html(s.expiresAt)}</td><td>${hdrs}</td></tr>\n`;
    const size = Buffer.byteLength(row);
    if (used + size > SUMMARY_BUDGET) break;
    used += size;
    rows += row;
    shown++;
  }
  const more =
    shown < n
      ? `<p>${n - shown} more keys are not listed: a step summary is limited to 1 MiB. The <code>urls</code> and <code>requests</code> outputs have them all.</p>\n`
      : '';
  return head + open + tableHead + rows + tableTail + close + more;
}

/**
 * Entries as the summary may show them: a header value may carry the token (the COS
 * Authorization form sends it as x-cos-security-token), so every secret is shown as the runner
 * masks it. The requests output keeps the real value for the consumer.
 */
export function withoutSecrets(
  entries: readonly SignedEntry[],
  secrets: ReadonlyArray<string | undefined>,
): SignedEntry[] {
  const hidden = secrets.filter((s): s is string => !!s && s.length >= 4);
  const hide = (v: string) => hidden.reduce((t, s) => t.split(s).join('***'), v);
  return entries.map((e) => ({
    ...e,
    headers: Object.fromEntries(Object.entries(e.headers).map(([n, v]) => [n, hide(v)])),
  }));
}
