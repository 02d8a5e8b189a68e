/**
 * `comment: 'true'`: the bundled action posts one sticky PR comment with the link table through a
 * local GitHub REST API stand-in, and updates that same comment on the next run; commentBody keeps
 * under the 65,536-character limit.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commentBody, marker } from '../../src/action/comment-body';
import { removeWorkspaces, runAction, tempWorkspace } from '../action/run-action';
import { COS_TEST_BUCKET, COS_TEST_CREDENTIALS } from '../helpers/cos-server';
import { RunningGithubApi, startGithubApi } from '../helpers/github-api';
import { startTarget, Target } from './harness';

const TOKEN = 'ghs_standInToken0123456789abcdef';
let cos: Target;
let api: RunningGithubApi;
let eventDir: string;
beforeAll(async () => {
  cos = await startTarget('cos');
  api = await startGithubApi('octo-org', 'demo-app', TOKEN);
  eventDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-event-'));
});
afterAll(async () => {
  await cos.stop();
  await api.stop();
  removeWorkspaces();
  fs.rmSync(eventDir, { recursive: true, force: true });
});

test('one sticky comment on the PR, updated in place on the next run; a public repository is warned about', async () => {
  const event = path.join(eventDir, 'event.json');
  fs.writeFileSync(event, JSON.stringify({ pull_request: { number: 7 }, repository: { private: false } }));
  api.comments.push({ id: 1, issue: 7, body: 'an unrelated review comment' });
  const ws = tempWorkspace({ 'dist/app.bin': randomBytes(2048), 'dist/notes.txt': 'n' });
  const run = () => runAction({
    inputs: {
      provider: 'cos', bucket: COS_TEST_BUCKET, domain: cos.endpoint, 'secret-id': COS_TEST_CREDENTIALS.secretId, 'secret-key': COS_TEST_CREDENTIALS.secretKey,
      upload: 'true', files: 'dist/*', 'base-dir': 'dist', comment: 'true', 'github-token': TOKEN,
    },
    workspace: ws,
    env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_API_URL: api.url, GITHUB_WORKFLOW: 'release', GITHUB_JOB: 'upload' },
  });
  const first = await run();
  expect(first.errors).toEqual([]);
  expect(first.code).toBe(0);
  expect(first.warnings.join('\n')).toMatch(/repository is public, so the links in the PR comment are public/);
  expect(api.comments).toHaveLength(2);
  const sticky = api.comments[1];
  expect(sticky.issue).toBe(7);
  expect(sticky.body).toContain(marker('release', 'upload'));
  const urls = JSON.parse(first.outputs.urls);
  expect(sticky.body).toContain(`| [app.bin](${urls['app.bin']}) | 2.0 KiB |`);
  expect(sticky.body).toContain('[notes.txt]');

  const second = await run();
  expect(second.code).toBe(0);
  expect(api.comments).toHaveLength(2);
  expect(api.comments[1].id).toBe(sticky.id);
  expect(api.comments[1].body).toContain(JSON.parse(second.outputs.urls)['app.bin']);
  expect(api.requests.filter((r) => r.startsWith('PATCH'))).toEqual([`PATCH /repos/octo-org/demo-app/issues/comments/${sticky.id}`]);
  expect(api.comments[0].body).toBe('an unrelated review comment');
  expect(second.visibleLog).not.toContain(TOKEN);
});

test('links longer than the comment limit are cut with a note', () => {
  const rows = Array.from({ length: 400 }, (_, i) => ({ key: `k/${i}.bin`, url: `https://h/k/${i}.bin?${'x'.repeat(300)}`, size: i }));
  const body = commentBody(rows, '2026-12-01T00:00:00Z', marker('w', 'j'));
  expect(body.length).toBeLessThanOrEqual(65536);
  expect(body).toMatch(/\d+ more links do not fit in one comment/);
  expect(body.endsWith(`${marker('w', 'j')}\n`)).toBe(true);
});
