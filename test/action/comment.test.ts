/**
 * The sticky pull-request comment (`comment: 'true'`), in process: the pure renderer and event
 * decision directly, and the posting through the real @actions/github Octokit (compiled to
 * CommonJS by ncc, as in dist/) against a stand-in of the GitHub REST API on 127.0.0.1.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { presign } from '../../src';
import {
  COMMENT_LIMIT,
  CommentEntry,
  commentBody,
  escapeHtml,
  markerFor,
  pullRequestFromEvent,
} from '../../src/action/comment';
import type * as Sticky from '../../src/action/sticky-comment';
import { ACTIONS_GITHUB_CJS, buildActionsGithubCjs } from '../helpers/actions-github-cjs';
import { GITHUB_ACTIONS_BOT, GitHubApi, startGitHubApi } from '../helpers/github-api';

// Virtual: Jest's resolver, using the "require" condition, cannot resolve the ESM-only package itself.
jest.mock('@actions/github', () => require(require('../helpers/actions-github-cjs').ACTIONS_GITHUB_CJS), {
  virtual: true,
});

const OWNER = 'octo';
const REPO = 'widgets';
const PR = 7;
const APP_TOKEN = 'ghs_installationTokenForTests0123456789';
const PAT = 'ghp_personalTokenForTests0123456789abcd';
const READ_ONLY = 'ghs_forkReadOnlyToken0123456789abcdef';
const ME = { login: 'release-bot', id: 5551212, type: 'User' as const };

const FAST = { retries: 3, baseDelayMs: 5, maxDelayMs: 200, timeoutMs: 5000 };

let sticky: typeof Sticky;
let api: GitHubApi;
let dir: string;

beforeAll(async () => {
  await buildActionsGithubCjs();
  expect(fs.existsSync(ACTIONS_GITHUB_CJS)).toBe(true);
  sticky = require('../../src/action/sticky-comment');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-comment-'));
}, 180_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  api = (await startGitHubApi())
    .addToken(APP_TOKEN, { user: GITHUB_ACTIONS_BOT, installation: true })
    .addToken(PAT, { user: ME })
    .addToken(READ_ONLY, { user: GITHUB_ACTIONS_BOT, installation: true, readOnly: true })
    .addIssue(OWNER, REPO, PR);
});

afterEach(() => api.stop());

/** Real signed COS URLs, so the checks for leaked signatures look for real ones. */
function entries(keys: string[], size = 1234): CommentEntry[] {
  return keys.map((key) => {
    const r = presign({
      provider: 'cos',
      secretId: 'AKIDexample',
      secretKey: 'secretForTests',
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      key,
      expires: 3600,
    });
    return { key, size, url: r.url, expiresAt: r.expiresAt };
  });
}

let eventCount = 0;
function eventFile(payload: unknown): string {
  const f = path.join(dir, `event-${eventCount++}.json`);
  fs.writeFileSync(f, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return f;
}

function prPayload(
  number: unknown = PR,
  repository: Record<string, unknown> = { private: false, visibility: 'public' },
) {
  return { action: 'synchronize', number, pull_request: { number }, repository };
}

function env(over: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventFile(prPayload()),
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_API_URL: api.url,
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_WORKFLOW: 'Release',
    GITHUB_JOB: 'links',
    GITHUB_RUN_ID: '4242',
    ...over,
  };
}

function logger() {
  const lines: Array<['info' | 'warning', string]> = [];
  return {
    lines,
    warnings: () => lines.filter(([k]) => k === 'warning').map(([, m]) => m),
    log: { info: (m: string) => lines.push(['info', m]), warning: (m: string) => lines.push(['warning', m]) },
  };
}

async function post(o: Partial<Sticky.PostLinksOptions> & { env?: Record<string, string | undefined> } = {}) {
  const l = logger();
  const result = await sticky.postLinksComment({
    entries: entries(['dist/app.tar.gz', 'dist/app.zip']),
    token: APP_TOKEN,
    log: l.log,
    retry: FAST,
    ...o,
    env: o.env ?? env(),
  });
  return { result, ...l };
}

/** Everything printed must be free of signatures and tokens. */
function expectNoSecrets(lines: Array<[string, string]>) {
  const text = lines.map(([, m]) => m).join('\n');
  expect(text).not.toMatch(/q-signature|X-Amz-Signature|X-Tos-Signature/i);
  for (const t of [APP_TOKEN, PAT, READ_ONLY]) expect(text).not.toContain(t);
}

describe('commentBody', () => {
  const marker = markerFor('Release', 'links');

  test('marker first, one row per link with its size and expiry, link to the signed URL', () => {
    const e = entries(['a.txt', 'dir/b.bin'], 3 * 1024 * 1024);
    const { body, omitted } = commentBody({
      entries: e,
      marker,
      workflow: 'Release',
      job: 'links',
      runUrl: 'https://github.test/o/r/actions/runs/1',
      isPublic: false,
    });
    expect(omitted).toBe(0);
    expect(body.split('\n')[0]).toBe('<!-- cos-presign:Release/links -->');
    expect(body.match(/<tr><td>/g)).toHaveLength(2);
    expect(body).toContain(`<a href="${e[0].url.replace(/&/g, '&#38;')}"><code>a.txt</code></a>`);
    expect(body).toContain('3.0 MiB');
    expect(body).toContain(new Date(e[0].expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    expect(body).not.toContain('public');
  });

  test('a public repository gets the warning', () => {
    const { body } = commentBody({ entries: entries(['a']), marker, workflow: 'w', job: 'j', isPublic: true });
    expect(body).toMatch(/\[!WARNING\]\n> This repository is public: anyone can open these links/);
  });

  test('the marker cannot be ended early by a workflow or job name', () => {
    const m = markerFor('Re--> <h1>x</h1>', 'job--->');
    expect(m.startsWith('<!-- ')).toBe(true);
    expect(m.endsWith(' -->')).toBe(true);
    expect(m.slice(4, -3)).not.toContain('--');
    expect(m.slice(4, -3)).not.toMatch(/[<>]/);
    expect(markerFor('a', 'b')).not.toBe(markerFor('a', 'c'));
    expect(markerFor('a/b', 'c')).not.toBe(markerFor('a', 'b/c'));
  });

  const HOSTILE = [
    '</code></a></td></tr></table>\n\n# Injected heading',
    '[click me](https://evil.example/)',
    '<!-- cos-presign:Release/links -->',
    '| a | b |\n|---|---|',
    '@octocat and @org/team #1 GH-2',
    '<script>alert(1)</script><img src=x onerror=alert(1)>',
    'line\r\nbreak\u2028sep\u202egnp.exe',
    '**bold** _em_ `code` ~~strike~~ \\ {x} (y)',
    '"quoted" \'single\' &amp; &lt;',
    '\n\n## after blank lines\n\n',
  ];

  test('hostile keys stay inert text: no tag, heading, link, table break, mention or marker of their own', () => {
    // The core refuses control characters in keys, so the links are signed for stand-in keys;
    // the renderer is shown the hostile ones (defence in depth: a key never reaches it unescaped).
    const e = entries(HOSTILE.map((_, i) => `hostile-${i}`)).map((x, i) => ({ ...x, key: HOSTILE[i] }));
    e.push({ key: 'js-link', url: 'javascript:alert(1)', expiresAt: new Date() });
    const { body } = commentBody({ entries: e, marker, workflow: '# wf [x](y)', job: '@team <b>', isPublic: true });

    // The marker is there once, as the first line, and nowhere else.
    expect(body.split('<!-- cos-presign:').length).toBe(2);
    expect(body.startsWith(marker + '\n')).toBe(true);

    // Markdown lines: only the ones written here. The table is one HTML block: no blank line inside.
    const lines = body.split('\n');
    const open = lines.indexOf('<table>');
    const close = lines.indexOf('</table>');
    expect(open).toBeGreaterThan(0);
    expect(lines.filter((l) => l === '<table>')).toHaveLength(1);
    expect(lines.filter((l) => l === '</table>')).toHaveLength(1);
    expect(lines.slice(open, close + 1).every((l) => l.trim() !== '')).toBe(true);
    expect(lines.filter((l) => /^\s*#/.test(l))).toEqual(['### cos-presign: 11 links']);
    // <table>, <thead>, <tbody>, one line per link, </tbody>, </table>
    expect(close - open + 1).toBe(3 + (HOSTILE.length + 1) + 2);

    // Every tag is one of ours; what is between tags holds no markup character at all.
    const tags = body.slice(body.indexOf('\n') + 1).match(/<[^>]*>/g) ?? [];
    for (const t of tags)
      expect(t).toMatch(
        /^<\/?(table|thead|tbody|tr|th|td|code|p)>$|^<td align="right">$|^<a href="https?:\/\/[^"<>\s]+">$|^<\/a>$/,
      );
    const text = body
      .replace(/<[^>]*>/g, '')
      .replace(/&#\d+;/g, '')
      .split('\n')
      .filter((l) => !l.startsWith('> ') && !l.startsWith('###'));
    for (const l of text) expect(l).not.toMatch(/[<>[\]|`*_#\\]/);

    // No link but the signed ones (the javascript: one is shown as text), and mentions only inside <code>.
    expect(body.match(/<a href=/g)).toHaveLength(HOSTILE.length);
    expect(body).not.toContain('javascript:alert');
    expect(body).toContain('<code>js-link</code>');
    expect(body).not.toMatch(/@octocat(?![^<]*<\/code>)/);
    expect(body).toContain('job <code>@team &#60;b&#62;</code>');

    // Controls and bidi overrides are visible escapes, never raw.
    expect(body).not.toMatch(/[\r\u2028\u202e]/);
    expect(body).toContain('line&#92;r&#92;nbreak&#92;u2028sep&#92;u202egnp.exe');
    expect(escapeHtml('a|b')).toBe('a&#124;b');
  });

  test('cut below 65,536 characters with a note of how many were left out, never an error', () => {
    const keys = Array.from(
      { length: 3000 },
      (_, i) => `releases/v1.2.3/artifacts/${String(i).padStart(5, '0')}-${'x'.repeat(40)}.tar.gz`,
    );
    const e = entries(keys);
    const { body, omitted } = commentBody({ entries: e, marker, workflow: 'Release', job: 'links', isPublic: true });
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(omitted).toBeGreaterThan(0);
    const listed = (body.match(/<tr><td>/g) ?? []).length;
    expect(listed + omitted).toBe(3000);
    expect(body).toContain(
      `${omitted} of 3000 links not listed: a pull-request comment holds at most 65,536 characters.`,
    );
    // Filled, not cut far too early: one more row would not have fitted.
    expect(body.length).toBeGreaterThan(COMMENT_LIMIT - 1500);
    expect(body.trimEnd().endsWith('`requests`.')).toBe(true);

    // Keys made of astral characters: String#length over-counts them, so the cut stays safe.
    const wide = entries(Array.from({ length: 800 }, (_, i) => `${i}-${'\u{1F600}'.repeat(30)}`));
    const w = commentBody({ entries: wide, marker, workflow: 'w', job: 'j', isPublic: false });
    expect([...w.body].length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(w.omitted).toBeGreaterThan(0);
  });

  test('a tiny limit still gives a valid body with the note', () => {
    const { body, omitted } = commentBody({
      entries: entries(['a', 'b', 'c']),
      marker,
      workflow: 'w',
      job: 'j',
      isPublic: false,
      limit: 1200,
    });
    expect(body.length).toBeLessThanOrEqual(1200);
    expect(omitted).toBeGreaterThan(0);
    expect(body).toContain('</table>');
  });
});

describe('pullRequestFromEvent', () => {
  test('pull_request and pull_request_target with a positive number', () => {
    expect(pullRequestFromEvent('pull_request', prPayload(12))).toEqual({
      kind: 'pr',
      pr: { number: 12, isPublic: true },
    });
    expect(pullRequestFromEvent('pull_request_target', { number: 3, repository: { private: true } })).toEqual({
      kind: 'pr',
      pr: { number: 3, isPublic: false },
    });
    expect(pullRequestFromEvent('pull_request', prPayload(4, { visibility: 'internal', private: true }))).toMatchObject(
      { pr: { isPublic: false } },
    );
    // Visibility unknown: taken as public, so the warning is not wrongly left out.
    expect(pullRequestFromEvent('pull_request', { number: 5 })).toMatchObject({ pr: { isPublic: true } });
  });

  test('other events are skipped', () => {
    for (const name of ['push', 'workflow_dispatch', 'issue_comment', '', undefined]) {
      expect(pullRequestFromEvent(name, prPayload())).toMatchObject({ kind: 'skip' });
    }
  });

  test('a number that is not a positive integer is refused', () => {
    for (const bad of ['7', '7/../../x', 0, -1, 1.5, 2 ** 60, null, undefined, { n: 1 }]) {
      const d = pullRequestFromEvent('pull_request', { number: bad, pull_request: { number: bad } });
      expect(d.kind).toBe('refuse');
      if (d.kind === 'refuse') expect(d.reason).toMatch(/not a positive integer/);
    }
  });
});

describe('postLinksComment against the GitHub API stand-in', () => {
  test('the first run creates one comment; the next run of the same job updates it; another job gets its own', async () => {
    const first = await post();
    expect(first.result).toMatchObject({ status: 'created', omitted: 0 });
    expect(api.commentsOn(OWNER, REPO, PR)).toHaveLength(1);
    const c = api.commentsOn(OWNER, REPO, PR)[0];
    expect(c.id).toBe(first.result.commentId);
    expect(c.user.login).toBe('github-actions[bot]');
    expect(c.body.startsWith(markerFor('Release', 'links'))).toBe(true);
    expect(c.body).toContain('<code>dist/app.tar.gz</code>');
    expect(c.body).toContain('https://github.test/octo/widgets/actions/runs/4242');
    // The API was called with the token, on the documented paths.
    expect(api.log.every((r) => r.authorization === `token ${APP_TOKEN}`)).toBe(true);
    expect(api.log.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`)).toEqual([
      'GET /user 403',
      `GET /repos/${OWNER}/${REPO}/issues/${PR}/comments 200`,
      `POST /repos/${OWNER}/${REPO}/issues/${PR}/comments 201`,
    ]);

    const second = await post({ entries: entries(['dist/app-v2.tar.gz']) });
    expect(second.result).toMatchObject({ status: 'updated', commentId: first.result.commentId });
    expect(api.commentsOn(OWNER, REPO, PR)).toHaveLength(1);
    expect(api.comments[0].body).toContain('dist/app-v2.tar.gz');
    expect(api.comments[0].body).not.toContain('dist/app.zip');
    expect(api.log.at(-1)).toMatchObject({
      method: 'PATCH',
      path: `/repos/${OWNER}/${REPO}/issues/comments/${first.result.commentId}`,
      status: 200,
    });

    const other = await post({ env: env({ GITHUB_JOB: 'links-arm64' }) });
    expect(other.result.status).toBe('created');
    expect(api.commentsOn(OWNER, REPO, PR)).toHaveLength(2);
    const again = await post({ env: env({ GITHUB_JOB: 'links-arm64' }) });
    expect(again.result).toMatchObject({ status: 'updated', commentId: other.result.commentId });
    expect(api.commentsOn(OWNER, REPO, PR)).toHaveLength(2);

    for (const r of [first, second, other, again]) {
      expect(
        r.lines.find(
          ([k, m]) =>
            k === 'info' &&
            /^Pull-request comment (created|updated) on #7 with \d+ links?: https:\/\/github\.test\//.test(m),
        ),
      ).toBeDefined();
      expectNoSecrets(r.lines);
    }
  });

  test('found among 150 other comments (paginated listing)', async () => {
    for (let i = 0; i < 150; i++)
      api.seed(OWNER, REPO, PR, `comment ${i}`, { login: `user${i % 7}`, id: 100 + (i % 7), type: 'User' });
    const first = await post();
    expect(first.result.status).toBe('created');
    const second = await post();
    expect(second.result).toMatchObject({ status: 'updated', commentId: first.result.commentId });
    expect(api.commentsOn(OWNER, REPO, PR)).toHaveLength(151);
    // Our comment is the 151st: only found on page 2, through the Link header.
    expect(api.log.filter((r) => r.method === 'GET' && r.path.includes('/comments')).map((r) => r.path)).toContainEqual(
      expect.stringMatching(/page=2/),
    );
  });

  test('a comment by someone else that carries the marker is not taken over', async () => {
    const planted = api.seed(OWNER, REPO, PR, `${markerFor('Release', 'links')}\nplanted by a user`, {
      login: 'mallory',
      id: 666,
      type: 'User',
    });
    const r = await post();
    expect(r.result.status).toBe('created');
    expect(r.result.commentId).not.toBe(planted.id);
    expect(planted.body).toBe(`${markerFor('Release', 'links')}\nplanted by a user`);

    // With a token whose user is known (GET /user), exactly that user's comment is the one.
    const mine = await post({ token: PAT });
    expect(mine.result.status).toBe('created');
    expect(api.comments.find((c) => c.id === mine.result.commentId)?.user.login).toBe('release-bot');
    const mineAgain = await post({ token: PAT });
    expect(mineAgain.result).toMatchObject({ status: 'updated', commentId: mine.result.commentId });
    expect(api.commentsOn(OWNER, REPO, PR)).toHaveLength(3);
  });

  test('a 502 on the listing, then success: retried, one comment', async () => {
    api.inject({ method: 'GET', path: /\/issues\/7\/comments$/, status: 502, times: 2 });
    const r = await post();
    expect(r.result.status).toBe('created');
    expect(api.commentsOn(OWNER, REPO, PR)).toHaveLength(1);
    expect(api.log.filter((x) => x.status === 502)).toHaveLength(2);
    expect(r.warnings()).toEqual([
      'comment: this repository is public, so the links in the pull-request comment can be opened by anyone until they expire.',
    ]);
  });

  test('a create whose 502 hid that it happened is not repeated: the retry finds it and updates it', async () => {
    api.inject({ method: 'POST', path: /\/issues\/7\/comments$/, status: 502, afterApply: true });
    const r = await post();
    expect(r.result.status).toBe('updated');
    expect(api.commentsOn(OWNER, REPO, PR)).toHaveLength(1);
    expect(api.log.map((x) => `${x.method} ${x.status}`)).toEqual([
      'GET 403',
      'GET 200',
      'POST 502',
      'GET 200',
      'PATCH 200',
    ]);
  });

  test('a listing that hangs is timed out and retried', async () => {
    api.inject({ method: 'GET', path: /\/issues\/7\/comments$/, status: 504, stallMs: 10_000 });
    const started = Date.now();
    const r = await post({ retry: { ...FAST, timeoutMs: 300 } });
    expect(r.result.status).toBe('created');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(api.log.filter((x) => x.method === 'GET' && x.path.includes('/comments'))).toHaveLength(2);
    expect(api.commentsOn(OWNER, REPO, PR)).toHaveLength(1);
  });

  test('a PATCH hit by a secondary rate limit (403 with Retry-After) is retried', async () => {
    await post();
    api.inject({
      method: 'PATCH',
      path: /\/issues\/comments\/\d+$/,
      status: 403,
      headers: { 'retry-after': '0' },
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    });
    const r = await post();
    expect(r.result.status).toBe('updated');
    expect(api.log.filter((x) => x.method === 'PATCH').map((x) => x.status)).toEqual([403, 200]);
  });

  test('a 5xx that does not stop gives up after the retries with a warning, no throw', async () => {
    api.inject({ method: 'GET', path: /\/issues\/7\/comments$/, status: 503, times: 100 });
    const r = await post();
    expect(r.result.status).toBe('failed');
    expect(api.log.filter((x) => x.status === 503)).toHaveLength(1 + FAST.retries);
    expect(r.warnings()).toEqual([
      expect.stringMatching(
        /^comment: no pull-request comment was posted: GitHub answered 503: .*The links are in the step outputs\.$/,
      ),
    ]);
  });

  test('a 403 (read-only token, as for a fork) is a warning that says how to fix it, not a retry or a throw', async () => {
    const r = await post({ token: READ_ONLY });
    expect(r.result.status).toBe('failed');
    expect(api.log.filter((x) => x.method === 'POST').map((x) => x.status)).toEqual([403]);
    expect(r.warnings()).toHaveLength(1);
    expect(r.warnings()[0]).toMatch(/403 Resource not accessible by integration.*permissions: pull-requests: write/);
    expect(api.comments).toHaveLength(0);
    expectNoSecrets(r.lines);
  });

  test('a bad token is a warning naming github-token', async () => {
    const r = await post({ token: 'ghs_wrong' });
    expect(r.result.status).toBe('failed');
    expect(r.warnings()[0]).toMatch(/401 Bad credentials.*github-token/);
    expect(r.warnings()[0]).not.toContain('ghs_wrong');
  });

  test('non-PR events do nothing at all', async () => {
    for (const name of ['push', 'workflow_dispatch', 'release']) {
      const r = await post({ env: env({ GITHUB_EVENT_NAME: name }) });
      expect(r.result).toMatchObject({ status: 'skipped' });
      expect(r.warnings()).toEqual([]);
      expect(r.lines).toEqual([
        ['info', `No pull-request comment: the event is ${name}, not pull_request or pull_request_target.`],
      ]);
    }
    expect(api.log).toEqual([]);
  });

  test('a non-numeric PR number in the payload is refused before any request', async () => {
    for (const payload of [prPayload('7'), prPayload('1/../../../user'), prPayload(null), '{not json']) {
      const r = await post({ env: env({ GITHUB_EVENT_PATH: eventFile(payload) }) });
      expect(r.result.status).toBe('failed');
      expect(r.warnings()).toHaveLength(1);
      expect(r.warnings()[0]).toMatch(/not a positive integer|could not be read as JSON/);
    }
    const missing = await post({ env: env({ GITHUB_EVENT_PATH: undefined }) });
    expect(missing.result.status).toBe('failed');
    expect(api.log).toEqual([]);
  });

  test('too many links: the comment is cut with the note and GitHub accepts it', async () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `release/${String(i).padStart(4, '0')}/${'k'.repeat(60)}`);
    const r = await post({ entries: entries(keys) });
    expect(r.result.status).toBe('created');
    expect(r.result.omitted).toBeGreaterThan(0);
    const body = api.comments[0].body;
    expect([...body].length).toBeLessThanOrEqual(65_536);
    expect(body).toContain(`${r.result.omitted} of 2000 links not listed`);
    expect(r.warnings()).toContainEqual(
      expect.stringMatching(
        new RegExp(`^comment: ${r.result.omitted} of 2000 links are not in the pull-request comment`),
      ),
    );
  });

  test('a private repository gets no warning; the marker follows GITHUB_WORKFLOW and GITHUB_JOB', async () => {
    const r = await post({
      env: env({
        GITHUB_EVENT_PATH: eventFile(prPayload(PR, { private: true, visibility: 'private' })),
        GITHUB_WORKFLOW: 'CI --> x',
        GITHUB_JOB: 'sign',
      }),
    });
    expect(r.result.status).toBe('created');
    expect(r.warnings()).toEqual([]);
    expect(api.comments[0].body).not.toContain('This repository is public');
    expect(api.comments[0].body.startsWith(markerFor('CI --> x', 'sign'))).toBe(true);
  });

  test('no links, no comment', async () => {
    const r = await post({ entries: [] });
    expect(r.result.status).toBe('skipped');
    expect(api.log).toEqual([]);
  });
});
