/**
 * Posts the links as one sticky pull-request comment through the GitHub REST API (@actions/github
 * Octokit): the comment carrying this workflow/job's marker is edited in place, or created when
 * there is none, so reruns never pile up comments.
 *
 * Commenting is a courtesy on top of the step's real result (the outputs), so nothing here fails
 * the step: every problem becomes one warning saying why. Nothing here prints the body (it holds
 * the signed URLs) or the token.
 */
import { readFileSync } from 'node:fs';
import { getOctokit } from '@actions/github';
import type { EndpointDefaults, OctokitResponse } from '@octokit/types';
import { escapeControls } from '../shared/text';
import { COMMENT_LIMIT, CommentEntry, commentBody, markerFor, pullRequestFromEvent } from './comment';

export interface CommentLog {
  info(message: string): void;
  warning(message: string): void;
}

export interface RetryOptions {
  /** Further attempts after the first (default 3). */
  retries?: number;
  /** First backoff; doubled each attempt, with full jitter (default 1000 ms). */
  baseDelayMs?: number;
  /** Longest wait, a Retry-After included; a longer Retry-After is not waited for (default 30 s). */
  maxDelayMs?: number;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

export interface UpsertOptions {
  token: string;
  /** GITHUB_API_URL: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  apiUrl: string;
  owner: string;
  repo: string;
  issueNumber: number;
  marker: string;
  body: string;
  log: CommentLog;
  retry?: RetryOptions;
}

export interface UpsertResult {
  action: 'created' | 'updated';
  id: number;
  htmlUrl?: string;
}

type Octokit = ReturnType<typeof getOctokit>;
// Types only, of the package @actions/github's Octokit is built on.
type RequestOptions = Required<EndpointDefaults>;
type Request = (options: RequestOptions) => OctokitResponse<unknown> | Promise<OctokitResponse<unknown>>;

interface HttpError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function header(e: HttpError, name: string): string | undefined {
  const v = e.response?.headers?.[name];
  return v === undefined ? undefined : String(v);
}

/**
 * How long to wait before trying `e` again, or undefined when it must not be retried: 5xx and
 * network failures (Octokit reports those as 500), 429, and a 403 that is a rate limit (primary:
 * x-ratelimit-remaining 0; secondary: Retry-After or the message). Any other 4xx is final.
 */
export function retryDelay(e: HttpError, attempt: number, o: Required<RetryOptions>): number | undefined {
  const status = e.status ?? 0;
  const retryAfter = header(e, 'retry-after');
  const rateLimited =
    status === 429 ||
    (status === 403 &&
      (retryAfter !== undefined || header(e, 'x-ratelimit-remaining') === '0' || /rate limit/i.test(e.message ?? '')));
  if (!(status >= 500 || rateLimited)) return undefined;
  let wait: number | undefined;
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) wait = Number(retryAfter) * 1000;
  else if (rateLimited && header(e, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(e, 'x-ratelimit-reset'));
    if (Number.isFinite(reset)) wait = Math.max(0, reset * 1000 - Date.now());
  }
  if (wait !== undefined) return wait <= o.maxDelayMs ? wait : undefined;
  return Math.random() * Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** attempt);
}

function retryOptions(r: RetryOptions | undefined): Required<RetryOptions> {
  return { retries: 3, baseDelayMs: 1000, maxDelayMs: 30_000, timeoutMs: 30_000, ...r };
}

/**
 * Octokit with retries of the idempotent requests (GET, PATCH with the same body). POST is not
 * retried here: a create whose answer was lost may have happened, so `upsertStickyComment`
 * looks for the comment again before creating.
 */
function client(o: UpsertOptions, r: Required<RetryOptions>): Octokit {
  const octokit = getOctokit(o.token, {
    baseUrl: o.apiUrl.replace(/\/+$/, ''),
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => o.log.warning(escapeControls(String(m))),
      error: () => {},
    },
  });
  octokit.hook.wrap('request', async (request: Request, options: RequestOptions) => {
    const idempotent = options.method === 'GET' || options.method === 'PATCH';
    for (let attempt = 0; ; attempt++) {
      try {
        // The hooks inside this one (auth) read the options object they were bound to, not the
        // argument, so the signal goes on that object; into a new `request`, as the old one may
        // be the shared defaults.
        options.request = { ...options.request, signal: AbortSignal.timeout(r.timeoutMs) };
        return await request(options);
      } catch (e) {
        const wait = idempotent && attempt < r.retries ? retryDelay(e as HttpError, attempt, r) : undefined;
        if (wait === undefined) throw e;
        await sleep(wait);
      }
    }
  });
  return octokit;
}

/** The token's user id; undefined when GET /user is not allowed (GITHUB_TOKEN and app tokens). */
async function viewerId(octokit: Octokit): Promise<number | undefined> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return typeof data.id === 'number' ? data.id : undefined;
  } catch {
    return undefined;
  }
}

interface Listed {
  id: number;
  body?: string | null;
  user?: { id?: number; type?: string } | null;
}

/**
 * The oldest comment that starts with the marker and was written by the token's user. When that
 * user cannot be known (an installation token such as GITHUB_TOKEN, whose comments GitHub shows
 * as a bot), only comments by bots count, so a person pasting the marker cannot take it over.
 */
async function findComment(
  octokit: Octokit,
  o: UpsertOptions,
  viewer: number | undefined,
): Promise<Listed | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: o.owner,
    repo: o.repo,
    issue_number: o.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    for (const c of page.data as Listed[]) {
      if (!c.body?.startsWith(o.marker)) continue;
      if (viewer !== undefined ? c.user?.id === viewer : c.user?.type === 'Bot') return c;
    }
  }
  return undefined;
}

/**
 * Edits the comment carrying `marker` to `body`, or creates it. Throws the API's error when that
 * fails after the retries; the caller turns it into a warning.
 */
export async function upsertStickyComment(o: UpsertOptions): Promise<UpsertResult> {
  const r = retryOptions(o.retry);
  const octokit = client(o, r);
  const viewer = await viewerId(octokit);
  for (let attempt = 0; ; attempt++) {
    const found = await findComment(octokit, o, viewer);
    if (found) {
      const { data } = await octokit.rest.issues.updateComment({
        owner: o.owner,
        repo: o.repo,
        comment_id: found.id,
        body: o.body,
      });
      return { action: 'updated', id: data.id, htmlUrl: data.html_url };
    }
    try {
      const { data } = await octokit.rest.issues.createComment({
        owner: o.owner,
        repo: o.repo,
        issue_number: o.issueNumber,
        body: o.body,
      });
      return { action: 'created', id: data.id, htmlUrl: data.html_url };
    } catch (e) {
      const wait = attempt < r.retries ? retryDelay(e as HttpError, attempt, r) : undefined;
      if (wait === undefined) throw e;
      await sleep(wait);
    }
  }
}

/** Why the API refused, in terms of what to change in the workflow. */
export function explainFailure(e: unknown): string {
  const err = (e ?? {}) as HttpError;
  const status = err.status;
  const message = escapeControls(String(err.message ?? e)).slice(0, 300);
  switch (status) {
    case 401:
      return `GitHub refused the token (401 ${message}); check github-token (default \${{ github.token }})`;
    case 403:
      if (/rate limit/i.test(message))
        return `GitHub kept rate-limiting the comment requests (403 ${message}); the links are in the outputs`;
      return `the token may not write pull-request comments (403 ${message}); give the job \`permissions: pull-requests: write\`. A pull request from a fork gets a read-only token and cannot be commented on this way`;
    case 404:
      return `GitHub found no such pull request or repository for this token (404 ${message})`;
    default:
      return status ? `GitHub answered ${status}: ${message}` : `the GitHub API could not be reached: ${message}`;
  }
}

export interface PostLinksOptions {
  entries: CommentEntry[];
  /** The `github-token` input. */
  token: string;
  log: CommentLog;
  /** The runner's variables (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, ...); default process.env. */
  env?: Record<string, string | undefined>;
  retry?: RetryOptions;
  /** Character budget of the body; the API's limit unless a test needs less. */
  limit?: number;
}

export interface PostLinksResult {
  status: 'created' | 'updated' | 'skipped' | 'failed';
  commentId?: number;
  htmlUrl?: string;
  /** Links left out of the comment to stay under the limit. */
  omitted?: number;
  /** Why nothing was posted (skipped or failed). */
  reason?: string;
}

const REPOSITORY = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

/**
 * What the action's main calls with `comment: 'true'`: on a pull_request or pull_request_target
 * event, upserts the links comment for this workflow and job. Never throws: anything else is an
 * info line (not a pull request) or a warning (could not comment, and why).
 */
export async function postLinksComment(o: PostLinksOptions): Promise<PostLinksResult> {
  const env = o.env ?? process.env;
  const skip = (reason: string): PostLinksResult => {
    o.log.info(`No pull-request comment: ${reason}.`);
    return { status: 'skipped', reason };
  };
  const fail = (reason: string): PostLinksResult => {
    o.log.warning(`comment: no pull-request comment was posted: ${reason}. The links are in the step outputs.`);
    return { status: 'failed', reason };
  };
  try {
    const eventName = env.GITHUB_EVENT_NAME;
    let payload: unknown;
    if (eventName === 'pull_request' || eventName === 'pull_request_target') {
      if (!env.GITHUB_EVENT_PATH) return fail('GITHUB_EVENT_PATH is not set, so the pull request number is unknown');
      try {
        payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
      } catch (e) {
        return fail(
          `the event payload (GITHUB_EVENT_PATH) could not be read as JSON: ${escapeControls((e as Error).message)}`,
        );
      }
    }
    const decision = pullRequestFromEvent(eventName, payload);
    if (decision.kind === 'skip') return skip(decision.reason);
    if (decision.kind === 'refuse') return fail(decision.reason);
    if (o.entries.length === 0) return skip('there are no links to list');
    const repo = REPOSITORY.exec(env.GITHUB_REPOSITORY ?? '');
    if (!repo)
      return fail(`GITHUB_REPOSITORY ${JSON.stringify(escapeControls(env.GITHUB_REPOSITORY ?? ''))} is not owner/name`);
    if (!o.token)
      return fail(
        'github-token is empty; leave it at its default ${{ github.token }} or pass a token that may write pull-request comments',
      );

    const workflow = env.GITHUB_WORKFLOW || 'workflow';
    const job = env.GITHUB_JOB || 'job';
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const runUrl =
      env.GITHUB_RUN_ID && /^\d+$/.test(env.GITHUB_RUN_ID)
        ? `${server}/${repo[0]}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    const marker = markerFor(workflow, job);
    const { body, omitted } = commentBody({
      entries: o.entries,
      marker,
      workflow,
      job,
      runUrl,
      isPublic: decision.pr.isPublic,
      limit: o.limit,
    });
    const done = await upsertStickyComment({
      token: o.token,
      apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
      owner: repo[1],
      repo: repo[2],
      issueNumber: decision.pr.number,
      marker,
      body,
      log: o.log,
      retry: o.retry,
    });
    const n = o.entries.length - omitted;
    o.log.info(
      `Pull-request comment ${done.action} on #${decision.pr.number} with ${n} link${n === 1 ? '' : 's'}${done.htmlUrl ? `: ${done.htmlUrl}` : ''}.`,
    );
    if (omitted > 0)
      o.log.warning(
        `comment: ${omitted} of ${o.entries.length} links are not in the pull-request comment, which holds at most ${(o.limit ?? COMMENT_LIMIT).toLocaleString('en-US')} characters; all are in the outputs.`,
      );
    if (decision.pr.isPublic)
      o.log.warning(
        'comment: this repository is public, so the links in the pull-request comment can be opened by anyone until they expire.',
      );
    return { status: done.action, commentId: done.id, htmlUrl: done.htmlUrl, omitted };
  } catch (e) {
    return fail(explainFailure(e));
  }
}
