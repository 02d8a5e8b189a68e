/**
 * The bundled action (dist/index.js) run as the runner runs it, under Node 24 and Node 20.
 * URLs are checked against the signing core (same inputs, same window) and, for S3, by a real
 * signature-checking server; logs are checked for secrets and signatures.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cosAuthorization, presign, PresignInput } from '../../src';
import { parseRawUrl } from '../helpers/url';
import { RunningS3rver, send, startS3rver, S3RVER_BUCKET } from '../helpers/s3rver';
import {
  ACTION_NODE_LABEL,
  ActionRun,
  NODE20,
  NODE24,
  NODE24_MISSING,
  NODES,
  nodeVersion,
  removeWorkspaces,
  runAction,
  signaturesOf,
  tempWorkspace,
} from './run-action';

const COS_CREDS = { secretId: 'AKIDcosPresignActionTestId0001', secretKey: 'cosPresignActionTestSecretKey0001' };
const workspace = tempWorkspace;
afterAll(removeWorkspaces);

/** The validity window a URL carries, as unix seconds. */
function windowOf(url: string): { start: number; end: number } {
  const q = parseRawUrl(url).query;
  if (q['q-sign-time']) {
    const [start, end] = q['q-sign-time'].split(';').map(Number);
    return { start, end };
  }
  const date = q['X-Amz-Date'] ?? q['X-Tos-Date'];
  const expires = Number(q['X-Amz-Expires'] ?? q['X-Tos-Expires']);
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m) throw new Error(`no signing date in ${parseRawUrl(url).queryOrder.join(',')}`);
  const start = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
  return { start, end: start + expires };
}

/** The core's URL for the same input and the window the action's URL carries. */
function recompute(url: string, input: PresignInput): ReturnType<typeof presign> {
  const { start, end } = windowOf(url);
  return presign({ ...input, startTime: start, expires: end - start });
}

/** Nothing secret in what the runner would show: log lines (both streams) and the summary. */
function expectNoLeaks(run: ActionRun, secrets: string[], opts: { summaryMayHoldUrls?: boolean } = {}): void {
  const signatures = Object.values(run.outputs).flatMap((v) => signaturesOf(v));
  for (const s of [...secrets, ...signatures]) {
    expect(run.visibleLog).not.toContain(s);
  }
  for (const s of secrets) expect(run.summary).not.toContain(s);
  if (!opts.summaryMayHoldUrls) for (const s of signatures) expect(run.summary).not.toContain(s);
}

function iso(sec: number): string {
  return new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
}

function md5(b: Buffer | string): string {
  return createHash('md5').update(b).digest('base64');
}

let server: RunningS3rver;
beforeAll(async () => {
  server = await startS3rver();
});
afterAll(async () => {
  await server.stop();
});

test("the machine's Node is a supported one (20, 22 or 24)", () => {
  expect(nodeVersion(NODE20)).toMatch(/^v(20|22|24)\./);
});

(NODE24 ? test : test.skip)(
  `the runner's runtime is Node 24${NODE24_MISSING ? ` - SKIPPED: ${NODE24_MISSING}` : ''}`,
  () => {
    expect(nodeVersion(NODE24 as string)).toMatch(/^v24\./);
  },
);

describe.each(NODES)('bundled action under %s', (label, node) => {
  test('cos, one key: outputs match the core, window is now, log holds no secret', async () => {
    const before = Math.floor(Date.now() / 1000);
    const run = await runAction({
      node,
      inputs: {
        'secret-id': COS_CREDS.secretId,
        'secret-key': COS_CREDS.secretKey,
        bucket: 'examplebucket-1250000000',
        region: 'ap-guangzhou',
        'key-prefix': '{owner}/{repo}/{ref_name}/{short_sha}/',
        key: 'notes 1.txt',
        params: 'response-content-disposition=attachment; filename="notes.txt"',
      },
    });
    const after = Math.floor(Date.now() / 1000);
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(Object.keys(run.outputs).sort()).toEqual([
      'authorization',
      'curl',
      'expires-at',
      'requests',
      'requests-file',
      'url',
      'urls',
    ]);

    const key = 'octo-org/demo-app/v1.2.3/0123456/notes 1.txt';
    const input: PresignInput = {
      provider: 'cos',
      ...COS_CREDS,
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      key,
      params: { 'response-content-disposition': 'attachment; filename="notes.txt"' },
    };
    const url = run.outputs.url;
    const { start, end } = windowOf(url);
    // COS backdates an implicit start by 60 s; the default lifetime of the action is 3600 s.
    expect(start).toBeGreaterThanOrEqual(before - 60);
    expect(start).toBeLessThanOrEqual(after - 60);
    expect(end - start).toBe(3660);
    expect(url).toBe(recompute(url, input).url);
    expect(run.outputs['expires-at']).toBe(iso(end));
    expect(JSON.parse(run.outputs.urls)).toEqual({ [key]: url });
    expect(JSON.parse(run.outputs.requests)).toEqual({ [key]: { url, method: 'GET', headers: {} } });
    expect(run.outputs.authorization).toBe(cosAuthorization({ ...input, startTime: start, expires: end - start }));
    expect(run.outputs.curl).toBe(`curl --fail-with-body -sS -o 'notes 1.txt' '${url}'`);

    // setSecret comes before anything else, and the runner's log shows no secret or signature.
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${COS_CREDS.secretKey}`);
    expectNoLeaks(run, [COS_CREDS.secretKey]);
    expect(run.visibleLog).not.toContain(url);
    expect(run.summary).toContain('<code>octo-org/demo-app/v1.2.3/0123456/notes 1.txt</code>');
    expect(run.summary).toContain(iso(end));
    expect(run.summary).not.toContain('q-ak=');
  });

  test('s3 files: PUT URLs pin each file, a real server accepts exactly those files, GET links return them', async () => {
    const tarball = randomBytes(4096);
    const ws = workspace({
      'out/app-1.2.3.tar.gz': tarball,
      'out/checksums.txt': 'abc  app-1.2.3.tar.gz\n',
      'out/docs/read me.md': '# hello\n',
      'out/build.log': 'not shipped\n',
    });
    const common = {
      provider: 's3',
      'secret-id': 'S3RVER',
      'secret-key': 'S3RVER',
      bucket: S3RVER_BUCKET,
      endpoint: server.endpoint,
      'key-prefix': `releases/{ref_name}/${label}/`,
      files: 'out/**\n!**/*.log',
    };
    const put = await runAction({ node, workspace: ws, inputs: { ...common, method: 'PUT' } });
    expect(put.errors).toEqual([]);
    expect(put.code).toBe(0);
    const requests = JSON.parse(put.outputs.requests) as Record<
      string,
      { url: string; method: string; headers: Record<string, string>; file: string }
    >;
    const prefix = common['key-prefix'].replace('{ref_name}', 'v1.2.3');
    const expected: Record<string, { body: Buffer; type: string }> = {
      [`${prefix}out/app-1.2.3.tar.gz`]: { body: tarball, type: 'application/gzip' },
      [`${prefix}out/checksums.txt`]: { body: Buffer.from('abc  app-1.2.3.tar.gz\n'), type: 'text/plain' },
      [`${prefix}out/docs/read me.md`]: { body: Buffer.from('# hello\n'), type: 'text/markdown' },
    };
    expect(Object.keys(requests)).toEqual(Object.keys(expected)); // path order
    expect(put.outputs.url).toBe(requests[`${prefix}out/app-1.2.3.tar.gz`].url);
    expect(put.outputs.curl).toBeUndefined();
    expect(put.outputs.authorization).toBeUndefined();

    for (const [key, { body, type }] of Object.entries(expected)) {
      const r = requests[key];
      expect(r.method).toBe('PUT');
      expect(r.file).toBe(key.slice(prefix.length));
      expect(r.headers).toEqual({
        'Content-Type': type,
        'Content-Length': String(body.length),
        'Content-MD5': md5(body),
      });
      expect(r.url).toBe(
        recompute(r.url, {
          provider: 's3',
          secretId: 'S3RVER',
          secretKey: 'S3RVER',
          bucket: S3RVER_BUCKET,
          endpoint: server.endpoint,
          key,
          method: 'PUT',
          headers: r.headers,
        }).url,
      );
      // Another file (with its own true MD5, or another length) or another type is refused.
      // (Sent with the pinned MD5 instead, real S3 and COS answer 400 BadDigest; s3rver does not check digests.)
      const forged = Buffer.from(body);
      forged[0] ^= 0xff;
      expect(
        (await send(r.url, { method: 'PUT', headers: { ...r.headers, 'Content-MD5': md5(forged) }, body: forged }))
          .status,
      ).toBe(403);
      const longer = Buffer.concat([body, Buffer.from('x')]);
      expect(
        (
          await send(r.url, {
            method: 'PUT',
            headers: { ...r.headers, 'Content-Length': String(longer.length) },
            body: longer,
          })
        ).status,
      ).toBe(403);
      expect(
        (await send(r.url, { method: 'PUT', headers: { ...r.headers, 'Content-Type': 'text/html' }, body })).status,
      ).toBe(403);
      expect((await send(r.url, { method: 'PUT', headers: r.headers, body })).status).toBe(200);
    }
    expectNoLeaks(put, ['S3RVER']);

    const get = await runAction({ node, workspace: ws, inputs: { ...common, summary: 'links' } });
    expect(get.code).toBe(0);
    const urls = JSON.parse(get.outputs.urls) as Record<string, string>;
    expect(Object.keys(urls)).toEqual(Object.keys(expected));
    for (const [key, { body }] of Object.entries(expected)) {
      const res = await send(urls[key]);
      expect(res.status).toBe(200);
      expect(res.body.equals(body)).toBe(true);
      expect(get.summary).toContain(`href="${urls[key].replace(/&/g, '&amp;')}"`);
    }
    // s3rver's secret equals its key id, which every URL carries: check the log, not the linked summary.
    expect(get.visibleLog).not.toContain('S3RVER');
    expectNoLeaks(get, [], { summaryMayHoldUrls: true });
  });

  test('bad input: one ::error:: naming the input, exit 1, no output at all', async () => {
    const run = await runAction({
      node,
      inputs: {
        'secret-id': COS_CREDS.secretId,
        'secret-key': COS_CREDS.secretKey,
        bucket: 'examplebucket-1250000000',
        region: 'ap-guangzhou',
        key: 'a.txt',
        expires: 'abc',
      },
    });
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      '::error::Input "expires": "abc" is not a duration; use seconds (600) or a number with s, m, h or d (45s, 30m, 12h, 7d)',
    ]);
    expect(run.rawOutput).toBe('');
    expect(run.summary).toBe('');
    expectNoLeaks(run, [COS_CREDS.secretKey]);
  });
});

describe(`inputs, credentials and refusals (${ACTION_NODE_LABEL})`, () => {
  const cos = {
    'secret-id': COS_CREDS.secretId,
    'secret-key': COS_CREDS.secretKey,
    bucket: 'examplebucket-1250000000',
    region: 'ap-guangzhou',
  };

  test('s3 keys with a frozen start-time: byte-identical to the core, headers and params signed', async () => {
    const inputs = {
      provider: 's3',
      'secret-id': 'AKIAACTIONTEST000001',
      'secret-key': 'actionTestSecretAccessKey/000000000001',
      region: 'eu-west-1',
      bucket: 'my-artifacts',
      method: 'put',
      keys: 'a/one.bin\n\n  b/two words.bin  \nc/three+plus.bin',
      'start-time': '2100-01-02T03:04:05Z',
      expires: '600',
      headers: 'Content-Type: application/octet-stream\nx-amz-meta-build:   42',
      params: 'x-id=PutObject',
    };
    const run = await runAction({ inputs });
    expect(run.code).toBe(0);
    const requests = JSON.parse(run.outputs.requests);
    expect(Object.keys(requests)).toEqual(['a/one.bin', 'b/two words.bin', 'c/three+plus.bin']);
    for (const key of Object.keys(requests)) {
      const want = presign({
        provider: 's3',
        secretId: inputs['secret-id'],
        secretKey: inputs['secret-key'],
        region: 'eu-west-1',
        bucket: 'my-artifacts',
        method: 'PUT',
        key,
        startTime: Date.UTC(2100, 0, 2, 3, 4, 5) / 1000,
        expires: 600,
        headers: { 'Content-Type': 'application/octet-stream', 'x-amz-meta-build': '42' },
        params: { 'x-id': 'PutObject' },
      });
      expect(requests[key]).toEqual({ url: want.url, method: 'PUT', headers: want.headers });
    }
    expect(run.outputs['expires-at']).toBe('2100-01-02T03:14:05Z');
    expectNoLeaks(run, [inputs['secret-key']]);
  });

  test('tos with temporary credentials from the environment: token signed into the URL, masked in the log', async () => {
    const env = {
      TOS_ACCESS_KEY: 'AKLTactionTestAccessKey01',
      TOS_SECRET_KEY: 'tosActionTestSecretKey==01',
      TOS_SECURITY_TOKEN: 'STS.tosActionTestToken/with+chars=',
    };
    const run = await runAction({
      env,
      inputs: {
        provider: 'tos',
        bucket: 'tos-bucket',
        region: 'cn-beijing',
        key: 'dir/file.zip',
        'start-time': '4102444800',
      },
    });
    expect(run.code).toBe(0);
    const want = presign({
      provider: 'tos',
      secretId: env.TOS_ACCESS_KEY,
      secretKey: env.TOS_SECRET_KEY,
      securityToken: env.TOS_SECURITY_TOKEN,
      bucket: 'tos-bucket',
      region: 'cn-beijing',
      key: 'dir/file.zip',
      startTime: 4102444800,
      expires: 3600,
    });
    expect(run.outputs.url).toBe(want.url);
    expect(parseRawUrl(run.outputs.url).query['X-Tos-Security-Token']).toBe(env.TOS_SECURITY_TOKEN);
    expect(run.outputs.authorization).toBeUndefined();
    expect(run.stdout).toContain(`::add-mask::${env.TOS_SECRET_KEY}`);
    expect(run.stdout).toContain(`::add-mask::${env.TOS_SECURITY_TOKEN}`);
    expect(run.visibleLog).toContain('Credentials: environment TOS_ACCESS_KEY/TOS_SECRET_KEY/TOS_SECURITY_TOKEN');
    expectNoLeaks(run, [env.TOS_SECRET_KEY, env.TOS_SECURITY_TOKEN]);
  });

  test('cos temporary credentials with credential-expiration: lifetime cut, warned, expires-at is the real end', async () => {
    const env = {
      TENCENTCLOUD_SECRET_ID: 'AKIDtmpActionTest0001',
      TENCENTCLOUD_SECRET_KEY: 'tmpActionTestSecretKey0001',
      TENCENTCLOUD_SESSION_TOKEN: 'tmpActionTestSessionToken0001',
    };
    const credEnd = Math.floor(Date.now() / 1000) + 600;
    const run = await runAction({
      env,
      inputs: {
        bucket: 'examplebucket-1250000000',
        region: 'ap-beijing',
        key: 'x.bin',
        'credential-expiration': iso(credEnd),
        summary: 'links',
      },
    });
    expect(run.code).toBe(0);
    expect(run.outputs['expires-at']).toBe(iso(credEnd));
    expect(windowOf(run.outputs.url).end).toBe(credEnd);
    expect(parseRawUrl(run.outputs.url).query['x-cos-security-token']).toBe(env.TENCENTCLOUD_SESSION_TOKEN);
    expect(run.warnings.some((w) => w.includes("cut to the temporary credential's expiry"))).toBe(true);
    expect(
      run.warnings.some((w) => w.includes('summary: links is not honoured because the URLs carry the security token')),
    ).toBe(true);
    expect(run.summary).toContain('<code>x.bin</code>');
    expect(run.summary).not.toContain('href=');
    const { start, end } = windowOf(run.outputs.url);
    expect(run.outputs.url).toBe(
      presign({
        provider: 'cos',
        secretId: env.TENCENTCLOUD_SECRET_ID,
        secretKey: env.TENCENTCLOUD_SECRET_KEY,
        securityToken: env.TENCENTCLOUD_SESSION_TOKEN,
        bucket: 'examplebucket-1250000000',
        region: 'ap-beijing',
        key: 'x.bin',
        startTime: start,
        expires: end - start,
      }).url,
    );
    expectNoLeaks(run, [env.TENCENTCLOUD_SECRET_KEY, env.TENCENTCLOUD_SESSION_TOKEN]);
  });

  test('cos PUT of one file: pinned headers, and a curl command that uploads it', async () => {
    const ws = workspace({ 'pkg/app.zip': 'zip-bytes' });
    const run = await runAction({
      workspace: ws,
      inputs: {
        ...cos,
        method: 'PUT',
        files: 'pkg',
        'start-time': '4102444800',
        headers: 'Content-Type: application/x-custom',
      },
    });
    expect(run.code).toBe(0);
    const headers = { 'Content-Length': '9', 'Content-MD5': md5('zip-bytes'), 'Content-Type': 'application/x-custom' };
    const input: PresignInput = {
      provider: 'cos',
      ...COS_CREDS,
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      key: 'pkg/app.zip',
      method: 'PUT',
      startTime: 4102444800,
      expires: 3600,
      headers,
    };
    const want = presign(input);
    expect(run.outputs.url).toBe(want.url);
    expect(JSON.parse(run.outputs.requests)).toEqual({
      'pkg/app.zip': { url: want.url, method: 'PUT', headers: want.headers, file: 'pkg/app.zip' },
    });
    expect(run.outputs.authorization).toBe(cosAuthorization(input));
    expect(run.outputs.curl).toBe(
      `curl --fail-with-body -sS -H 'Content-Length: 9' -H 'Content-MD5: ${md5('zip-bytes')}' -H 'Content-Type: application/x-custom' --upload-file pkg/app.zip '${want.url}'`,
    );
  });

  test('if-no-files-found: error by default, warn and ignore succeed with empty JSON outputs', async () => {
    const ws = workspace({ 'a.txt': 'a' });
    const err = await runAction({ workspace: ws, inputs: { ...cos, files: 'a.txt\nmissing/*.zip' } });
    expect(err.code).toBe(1);
    expect(err.errors).toHaveLength(1);
    expect(err.errors[0]).toContain('Input "files": "missing/*.zip" matched no files');
    expect(err.rawOutput).toBe('');

    const warn = await runAction({
      workspace: ws,
      inputs: { ...cos, files: 'missing/*.zip', 'if-no-files-found': 'warn' },
    });
    expect(warn.code).toBe(0);
    expect(warn.warnings).toHaveLength(1);
    expect(warn.warnings[0]).toContain('"missing/*.zip" matched no files');
    expect(warn.outputs).toEqual({ urls: '{}', requests: '{}', 'requests-file': expect.any(String) });
    expect(warn.outputs['requests-file']).toMatch(/cos-presign-requests-[0-9a-f]+\.json$/);

    const ignore = await runAction({
      workspace: ws,
      inputs: { ...cos, files: 'missing/*.zip', 'if-no-files-found': 'ignore', summary: 'none' },
    });
    expect(ignore.code).toBe(0);
    expect(ignore.warnings).toEqual([]);
    expect(ignore.outputs).toEqual({ urls: '{}', requests: '{}', 'requests-file': expect.any(String) });
    expect(ignore.outputs['requests-file']).toMatch(/cos-presign-requests-[0-9a-f]+\.json$/);
    expect(ignore.summary).toBe('');
  });

  test('mask-urls registers every URL and signature, and the visible log still shows none', async () => {
    const run = await runAction({ inputs: { ...cos, keys: 'a\nb', 'mask-urls': 'true' } });
    expect(run.code).toBe(0);
    const urls = Object.values(JSON.parse(run.outputs.urls) as Record<string, string>);
    for (const u of urls) {
      // Command data escapes % as %25 (the runner unescapes it before registering the mask).
      expect(run.stdout).toContain(`::add-mask::${u.replace(/%/g, '%25')}`);
      expect(run.stdout).toContain(`::add-mask::${signaturesOf(u)[0]}`);
    }
    expectNoLeaks(run, [COS_CREDS.secretKey]);
  });

  test('many keys: the summary collapses the list; names mode shows no URL', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `bulk/${String(i).padStart(2, '0')}.bin`);
    const run = await runAction({ inputs: { ...cos, keys: keys.join('\n') } });
    expect(run.code).toBe(0);
    expect(Object.keys(JSON.parse(run.outputs.urls))).toEqual(keys);
    expect(run.summary).toContain('<details><summary>30 keys</summary>');
    for (const k of keys) expect(run.summary).toContain(`<code>${k}</code>`);
    expect(run.summary).not.toContain('https://');
  });

  const bad: Array<[string, Record<string, string>, Record<string, string>, string]> = [
    ['unknown provider', { provider: 'gcs' }, {}, 'Input "provider": "gcs" is not one of cos, tos, s3'],
    ['missing bucket', { bucket: '' }, {}, 'Input "bucket": is required'],
    [
      'malformed headers line',
      { headers: 'Content-Type application/json' },
      {},
      'Input "headers": line 1 is not "Name: value"',
    ],
    [
      'header the core refuses',
      { headers: 'Bad Name: x' },
      {},
      'Input "headers": "Bad Name" is not a valid HTTP header name',
    ],
    ['reserved param', { params: 'q-signature=0' }, {}, 'Input "params": "q-signature" is set by the signer itself'],
    ['bad boolean', { 'sign-host': 'yes' }, {}, `Input "sign-host": "yes" is not a boolean; use 'true' or 'false'`],
    ['bad summary', { summary: 'all' }, {}, 'Input "summary": "all" is not one of none, names, links'],
    ['bad method', { method: 'PATCH' }, {}, 'Input "method": "PATCH" is not supported'],
    ['key simplifying to the bucket', { key: 'a/..' }, {}, 'Input "key": "a/.." simplifies to "/"'],
    ['duplicate keys', { key: 'x', keys: 'y\nx' }, {}, 'Input "keys": key "x" is given more than once (also by key)'],
    ['nothing to sign', { key: '' }, {}, 'Input "key": nothing to sign'],
    ['unknown placeholder', { 'key-prefix': '{branch}/' }, {}, 'Input "key-prefix": unknown placeholder {branch}'],
    [
      'placeholder without context',
      { 'key-prefix': '{pr_number}/' },
      {},
      'Input "key-prefix": {pr_number} has no value here',
    ],
    [
      'bad credential-expiration',
      { 'credential-expiration': 'tomorrow' },
      {},
      'Input "credential-expiration": must be a Date, an ISO 8601 time',
    ],
    [
      'expired credentials',
      { 'credential-expiration': '2020-01-01T00:00:00Z' },
      {},
      'Input "credential-expiration": the credentials expired at 2020-01-01T00:00:00.000Z',
    ],
    [
      'endpoint given to cos',
      { endpoint: 'minio.example.com' },
      {},
      'Input "endpoint": is not used by COS (use domain for a custom domain)',
    ],
    [
      's3 expires beyond 7 days',
      { provider: 's3', bucket: 'my-bucket', region: 'us-east-1', expires: '700000' },
      {},
      'Input "expires": exceeds 604800 seconds',
    ],
    [
      's3 sign-host false',
      { provider: 's3', bucket: 'my-bucket', region: 'us-east-1', 'sign-host': 'false' },
      {},
      'Input "sign-host": S3 signatures always cover the host',
    ],
    ['secret-key missing', { 'secret-key': '' }, {}, 'Input "secret-key": is empty but secret-id is set'],
    [
      'token without keys',
      { 'secret-id': '', 'secret-key': '', 'security-token': 'tokValue9876' },
      {},
      'Input "security-token": is set but secret-id and secret-key are not',
    ],
    [
      'no credentials anywhere',
      { 'secret-id': '', 'secret-key': '' },
      {},
      'Input "secret-id": no credentials for cos: set secret-id and secret-key',
    ],
    [
      'bad credential from env',
      { 'secret-id': '', 'secret-key': '' },
      { COS_SECRET_ID: 'AKID with space', COS_SECRET_KEY: 'k' },
      'Input "secret-id": (taken from the environment, COS_SECRET_ID/COS_SECRET_KEY) contains whitespace',
    ],
    ['files with only exclusions', { key: '', files: '!*.log' }, {}, 'Input "files": has only exclusions'],
    [
      'content-length with files',
      { method: 'PUT', files: '*', headers: 'Content-Length: 1' },
      {},
      'Input "headers": Content-Length is computed from each file',
    ],
  ];
  test.each(bad)('%s', async (_name, inputs, env, message) => {
    const ws = workspace({ 'f.txt': 'f' });
    const run = await runAction({ workspace: ws, env, inputs: { ...cos, key: 'a.txt', ...inputs } });
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0].startsWith(`::error::${message}`)).toBe(true);
    expect(run.rawOutput).toBe('');
    expect(run.summary).toBe('');
    expectNoLeaks(run, [COS_CREDS.secretKey, 'tokValue9876']);
  });
});
