/**
 * The sticky pull-request comment that lists the links: its body, its marker, and whether the
 * event is a pull request at all. Pure (no @actions imports, no I/O) so every rule is tested
 * directly; `sticky-comment.ts` posts it.
 *
 * Keys, workflow and job names are of user or repository origin and end up in HTML that GitHub
 * renders for everyone who can read the pull request. The table is therefore an HTML block in
 * which every such value is control-escaped, HTML-escaped and wrapped in <code>: inside an HTML
 * block Markdown is not parsed (no heading, link or table break can be injected), and GitHub
 * does not turn @names or #numbers inside <code> or <a> into mentions or references.
 */
import { escapeControls } from '../shared/text';

/**
 * GitHub refuses an issue or pull-request comment longer than 65,536 characters (422 "body is
 * too long"). It counts characters; String#length counts UTF-16 units, never fewer, so a body
 * whose length is within the limit is accepted.
 */
export const COMMENT_LIMIT = 65_536;

/** One link in the comment. `url` comes from the signer; `size` is in bytes when known. */
export interface CommentEntry {
  key: string;
  size?: number;
  url: string;
  /** When the link stops working. */
  expiresAt: Date | string;
}

export interface CommentInput {
  entries: CommentEntry[];
  /** From `markerFor`: the first line of the body, how the next run finds this comment. */
  marker: string;
  workflow: string;
  job: string;
  /** The workflow run that signed the links; omitted from the body when empty. */
  runUrl?: string;
  /** The links become readable by anyone who can read the repository. */
  isPublic: boolean;
  /** Character budget, COMMENT_LIMIT unless a test needs a smaller one. */
  limit?: number;
}

export interface CommentBody {
  body: string;
  /** Links left out so that the body fits the limit. */
  omitted: number;
}

/**
 * Anything not in an unreserved set is percent-encoded, and so is a '-' followed by another: the
 * marker is an HTML comment, which a name holding `-->` would otherwise end early.
 */
function markerPart(s: string): string {
  return encodeURIComponent(s).replace(/-(?=-)/g, '%2D');
}

/**
 * `<!-- cos-presign:<workflow>/<job> -->`: one comment per workflow and job, so a second run of
 * the same job replaces its own comment and leaves the other jobs' comments alone.
 */
export function markerFor(workflow: string, job: string): string {
  return `<!-- cos-presign:${markerPart(workflow)}/${markerPart(job)} -->`;
}

/**
 * Text for an HTML text node: one line, no markup. Besides the HTML specials, the characters
 * Markdown gives a meaning to become character references too, so the text stays inert even
 * where a renderer would parse Markdown inside HTML.
 */
export function escapeHtml(s: string): string {
  return escapeControls(s).replace(/[&<>"'|`[\]()*_\\#!~{}]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A double-quoted attribute value; '|' too, which a Markdown table row would split on. */
function escapeAttr(s: string): string {
  return escapeControls(s).replace(/[&<>"'|`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A signed URL as an href: only http(s), never `javascript:` or a relative link. */
function href(url: string): string | undefined {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return undefined;
  return escapeAttr(url);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '';
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${UNITS[u]}`;
}

function isoSeconds(t: Date | string): string {
  const d = typeof t === 'string' ? new Date(t) : t;
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function row(e: CommentEntry): string {
  const link = href(e.url);
  const name = `<code>${escapeHtml(e.key)}</code>`;
  const cell = link ? `<a href="${link}">${name}</a>` : name;
  return `<tr><td>${cell}</td><td align="right">${formatSize(e.size)}</td><td>${isoSeconds(e.expiresAt)}</td></tr>`;
}

/**
 * The comment: marker line, heading, an optional public-repository warning, the table, and when
 * not every link fits the limit, a note saying how many were left out (never a refusal: the
 * outputs still hold them all).
 */
export function commentBody(c: CommentInput): CommentBody {
  const limit = c.limit ?? COMMENT_LIMIT;
  const n = c.entries.length;
  const head: string[] = [
    c.marker,
    `### cos-presign: ${n} link${n === 1 ? '' : 's'}`,
    '',
    // A <p> line is an HTML block: the names in it are not parsed as Markdown.
    `<p>Workflow <code>${escapeHtml(c.workflow)}</code>, job <code>${escapeHtml(c.job)}</code>.` +
      (c.runUrl && href(c.runUrl) ? ` Signed by <a href="${href(c.runUrl)}">this run</a>.` : '') +
      ' Each run of this job replaces this comment.</p>',
    '',
  ];
  if (c.isPublic) {
    head.push(
      '> [!WARNING]',
      '> This repository is public: anyone can open these links until they expire. Links are bearer credentials for the objects they name; use `comment: false` or shorter `expires` for anything that must stay private.',
      '',
    );
  }
  const tableOpen = '<table>\n<thead><tr><th>Key</th><th>Size</th><th>Expires (UTC)</th></tr></thead>\n<tbody>';
  const tableClose = '</tbody>\n</table>';
  const top = head.join('\n') + '\n' + tableOpen;

  const rows: string[] = [];
  let used = top.length + 1 + tableClose.length;
  // Room kept for the note in the worst case (every link left out), so it always fits.
  const noteFor = (left: number) =>
    `\n\n${left} of ${n} link${n === 1 ? '' : 's'} not listed: a pull-request comment holds at most ${limit.toLocaleString('en-US')} characters. All links are in the step outputs \`urls\` and \`requests\`.`;
  const reserve = noteFor(n).length;
  for (const e of c.entries) {
    const r = row(e);
    if (used + r.length + 1 + reserve > limit) break;
    rows.push(r);
    used += r.length + 1;
  }
  const omitted = n - rows.length;
  let body = [top, ...rows, tableClose].join('\n');
  if (omitted > 0) body += noteFor(omitted);
  return { body, omitted };
}

/** The pull request an event belongs to, and whether its repository is public. */
export interface PullRequestEvent {
  number: number;
  /** True unless the payload says the repository is private or internal. */
  isPublic: boolean;
}

/** Why no comment is posted: `skip` is normal (not a pull request), `refuse` is a bad payload. */
export type EventDecision =
  { kind: 'pr'; pr: PullRequestEvent } | { kind: 'skip'; reason: string } | { kind: 'refuse'; reason: string };

export const PR_EVENTS = ['pull_request', 'pull_request_target'] as const;

/**
 * Decides from the event name and its payload (the JSON at GITHUB_EVENT_PATH) whether there is
 * a pull request to comment on. The number must be a positive integer: it goes into the API path.
 * When the payload does not say whether the repository is public, it is taken as public, so the
 * warning is shown rather than wrongly left out.
 */
export function pullRequestFromEvent(eventName: string | undefined, payload: unknown): EventDecision {
  if (!eventName || !(PR_EVENTS as readonly string[]).includes(eventName)) {
    return {
      kind: 'skip',
      reason: `the event is ${eventName ? escapeControls(eventName) : 'unknown'}, not ${PR_EVENTS.join(' or ')}`,
    };
  }
  const p = (payload && typeof payload === 'object' ? payload : {}) as {
    number?: unknown;
    pull_request?: { number?: unknown };
    repository?: { private?: unknown; visibility?: unknown };
  };
  const raw = p.pull_request?.number ?? p.number;
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw <= 0) {
    const shown = escapeControls(JSON.stringify(raw) ?? 'nothing').slice(0, 40);
    return {
      kind: 'refuse',
      reason: `the ${eventName} event payload holds ${shown} as the pull request number, not a positive integer`,
    };
  }
  const repo = p.repository ?? {};
  let isPublic = true;
  if (repo.visibility === 'private' || repo.visibility === 'internal') isPublic = false;
  else if (repo.visibility === undefined && repo.private === true) isPublic = false;
  return { kind: 'pr', pr: { number: raw, isPublic } };
}
