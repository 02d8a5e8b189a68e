/**
 * `comment: 'true'` end to end: the bundled action (dist/index.js) run as the runner runs it,
 * against the GitHub REST API stand-in on 127.0.0.1 (GITHUB_API_URL).
 *
 * Skipped, saying so, until action.yml declares the `comment` input (the wiring into main.ts and
 * action.yml is merged separately from the comment module).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { markerFor } from '../../src/action/comment';
import { GITHUB_ACTIONS_BOT, GitHubApi, startGitHubApi } from '../helpers/github-api';
import { loadManifest, NODES, runAction, signaturesOf } from './run-action';

const wired = 'comment' in loadManifest().inputs && 'github-token' in loadManifest().inputs;
if (!wired) console.warn('comment-action.test.ts skipped: action.yml has no comment / github-token input yet');
const suite = wired ? describe : describe.skip;

const TOKEN = 'ghs_e2eInstallationToken0123456789abcdef';
const READ_ONLY = 'ghs_e2eReadOnlyToken0123456789abcdefgh';

suite('comment: true through the bundled action', () => {
  let api: GitHubApi;
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-comment-e2e-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    api = (await startGitHubApi())
      .addToken(TOKEN, { user: GITHUB_ACTIONS_BOT, installation: true })
      .addToken(READ_ONLY, { user: GITHUB_ACTIONS_BOT, installation: true, readOnly: true })
      .addIssue('octo-org', 'demo-app', 31);
  });
  afterEach(() => api.stop());

  function prEnv(
    event = 'pull_request',
    payload: unknown = {
      number: 31,
      pull_request: { number: 31 },
      repository: { private: false, visibility: 'public' },
    },
  ) {
    const f = path.join(dir, `event-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(f, JSON.stringify(payload));
    return {
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: f,
      GITHUB_API_URL: api.url,
      GITHUB_SERVER_URL: 'https://github.test',
    };
  }

  const inputs = (over: Record<string, string> = {}) => ({
    provider: 'cos',
    'secret-id': 'AKIDe2eExample',
    'secret-key': 'e2eSecretKeyValue',
    bucket: 'examplebucket-1250000000',
    region: 'ap-guangzhou',
    keys: 'dist/app.tar.gz\ndist/app.zip',
    comment: 'true',
    'github-token': TOKEN,
    ...over,
  });

  test.each(NODES)(
    '%s: the first run creates the comment, the second edits it; outputs set, nothing secret logged',
    async (_label, node) => {
      const first = await runAction({ node, inputs: inputs(), env: prEnv() });
      expect(first.errors).toEqual([]);
      expect(first.code).toBe(0);
      const urls = JSON.parse(first.outputs.urls) as Record<string, string>;
      expect(Object.keys(urls)).toEqual(['dist/app.tar.gz', 'dist/app.zip']);
      expect(api.comments).toHaveLength(1);
      const c = api.comments[0];
      expect(c.body.startsWith(markerFor('release', 'presign'))).toBe(true);
      // The links in the comment are exactly the ones in the outputs.
      for (const u of Object.values(urls)) expect(c.body).toContain(`href="${u.replace(/&/g, '&#38;')}"`);
      expect(first.warnings).toEqual([expect.stringContaining('this repository is public')]);
      expect(first.visibleLog).toMatch(/Pull-request comment created on #31 with 2 links/);
      for (const u of Object.values(urls))
        for (const sig of signaturesOf(u)) expect(first.visibleLog).not.toContain(sig);
      expect(first.visibleLog).not.toContain(TOKEN);

      const second = await runAction({ node, inputs: inputs({ keys: 'dist/app-v2.tar.gz' }), env: prEnv() });
      expect(second.code).toBe(0);
      expect(api.comments).toHaveLength(1);
      expect(api.comments[0].body).toContain('dist/app-v2.tar.gz');
      expect(second.visibleLog).toMatch(/Pull-request comment updated on #31 with 1 link/);
    },
  );

  test('a token that may not comment: a warning, the step still succeeds with its outputs', async () => {
    const r = await runAction({ inputs: inputs({ 'github-token': READ_ONLY }), env: prEnv() });
    expect(r.code).toBe(0);
    expect(r.errors).toEqual([]);
    expect(r.outputs.urls).toBeDefined();
    expect(r.warnings.join('\n')).toMatch(/no pull-request comment was posted: .*403.*pull-requests: write/);
    expect(api.comments).toHaveLength(0);
  });

  test('a push event posts nothing and sends no request', async () => {
    const r = await runAction({ inputs: inputs(), env: prEnv('push', { ref: 'refs/heads/main' }) });
    expect(r.code).toBe(0);
    expect(r.warnings).toEqual([]);
    expect(api.log).toEqual([]);
  });

  test('comment with a non-GET method is refused before anything is signed', async () => {
    const r = await runAction({ inputs: inputs({ method: 'PUT' }), env: prEnv() });
    expect(r.code).not.toBe(0);
    expect(r.errors).toEqual([expect.stringContaining('Input "comment": posts download links, but method is PUT')]);
    expect(r.outputs).toEqual({});
    expect(api.log).toEqual([]);
  });

  test("comment: 'false' (the default) sends no request", async () => {
    const r = await runAction({ inputs: inputs({ comment: 'false' }), env: prEnv() });
    expect(r.code).toBe(0);
    expect(api.log).toEqual([]);
  });
});
