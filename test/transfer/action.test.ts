/**
 * The bundled action (dist/index.js, as the runner runs it) in its upload modes: `upload: 'true'`
 * into the COS test server (signatures checked by cos-nodejs-sdk-v5) and `put-requests` with no
 * credentials into s3rver (SigV4 checked), plus `requests-file` in the signing mode.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { removeWorkspaces, runAction, tempWorkspace } from '../action/run-action';
import { COS_TEST_BUCKET, COS_TEST_CREDENTIALS } from '../helpers/cos-server';
import { S3RVER_BUCKET, send } from '../helpers/s3rver';
import { hangPart, MiB, startTarget, Target } from './harness';
import { randomBytes } from 'node:crypto';

let cos: Target;
let s3: Target;
let temp: string;
beforeAll(async () => {
  cos = await startTarget('cos');
  s3 = await startTarget('s3');
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-runner-temp-'));
});
afterAll(async () => {
  await cos.stop();
  await s3.stop();
  removeWorkspaces();
  fs.rmSync(temp, { recursive: true, force: true });
});

const COS_INPUTS = {
  provider: 'cos',
  bucket: COS_TEST_BUCKET,
  domain: '',
  'secret-id': COS_TEST_CREDENTIALS.secretId,
  'secret-key': COS_TEST_CREDENTIALS.secretKey,
};

test('a cancelled job (SIGINT from the runner) aborts the open multipart upload; the step fails naming the file, with no outputs', async () => {
  const ws = tempWorkspace({ 'dist/big.bin': randomBytes(3 * MiB) });
  hangPart(cos.server!, 2, 3_000);
  const inputs = {
    ...COS_INPUTS,
    domain: cos.endpoint,
    upload: 'true',
    files: 'dist/big.bin',
    'base-dir': 'dist',
    'key-prefix': 'cancelled/',
    'multipart-threshold': '1MiB',
    'part-size': '1MiB',
  };
  const run = await runAction({
    inputs,
    workspace: ws,
    env: { RUNNER_TEMP: temp },
    onStart: (child) => {
      const poll = setInterval(() => {
        if (cos.server!.log.some((l) => l.op === 'part' && l.key === 'cancelled/big.bin')) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
      child.on('close', () => clearInterval(poll));
    },
  });
  expect(run.code).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(
    /big\.bin: interrupted \(multipart upload of 3 MiB in 3 parts\); the multipart upload was aborted, no parts are left/,
  );
  expect(run.outputs).toEqual({});
  expect([...cos.server!.uploads.values()].filter((u) => u.key === 'cancelled/big.bin')).toEqual([]);
  expect(cos.server!.objects.has('cancelled/big.bin')).toBe(false);
  await new Promise((r) => setTimeout(r, 3_000)); // the hung part's answer timer in the test server
  cos.server!.faults.length = 0;
});

test("upload: 'true' stores the files under base-dir, verifies them, checks the links and sets url/urls/uploaded/requests-file", async () => {
  const big = randomBytes(3 * MiB + 1);
  const small = Buffer.from('hello, release\n');
  const ws = tempWorkspace({ 'dist/app.tar.gz': big, 'dist/notes/README.txt': small, 'other.txt': 'x' });
  const inputs = {
    ...COS_INPUTS,
    domain: cos.endpoint,
    upload: 'true',
    files: 'dist/**',
    'base-dir': 'dist',
    'key-prefix': 'rel/{ref_name}/',
    'multipart-threshold': '2MiB',
    'part-size': '1MiB',
    headers: 'Cache-Control: max-age=300',
    params: 'response-content-disposition=attachment',
  };
  const run = await runAction({ inputs, workspace: ws, env: { RUNNER_TEMP: temp } });
  expect(run.errors).toEqual([]);
  expect(run.code).toBe(0);
  const urls = JSON.parse(run.outputs.urls);
  expect(Object.keys(urls)).toEqual(['rel/v1.2.3/app.tar.gz', 'rel/v1.2.3/notes/README.txt']);
  expect(run.outputs.url).toBe(urls['rel/v1.2.3/app.tar.gz']);
  const uploaded = JSON.parse(run.outputs.uploaded);
  expect(uploaded['rel/v1.2.3/app.tar.gz']).toMatchObject({
    file: 'dist/app.tar.gz',
    size: 3 * MiB + 1,
    parts: 4,
    checksum: expect.stringMatching(/^crc64ecma:\d+$/),
  });
  expect(uploaded['rel/v1.2.3/notes/README.txt']).toMatchObject({ size: small.length, parts: 0 });
  // The links work and hand back the bytes (a GET the action signed, read here).
  expect((await send(urls['rel/v1.2.3/app.tar.gz'])).body.equals(big)).toBe(true);
  expect((await send(urls['rel/v1.2.3/notes/README.txt'])).body.equals(small)).toBe(true);
  expect(urls['rel/v1.2.3/app.tar.gz']).toContain('response-content-disposition=attachment');
  expect(cos.server!.objects.get('rel/v1.2.3/notes/README.txt')!.headers).toMatchObject({
    'content-type': 'text/plain',
    'cache-control': 'max-age=300',
  });
  const file = run.outputs['requests-file'];
  expect(path.dirname(file)).toBe(temp);
  expect(fs.readFileSync(file, 'utf8')).toBe(run.outputs.requests);
  expect(JSON.parse(run.outputs.requests)['rel/v1.2.3/app.tar.gz']).toMatchObject({
    method: 'GET',
    file: 'dist/app.tar.gz',
  });
  // The log: progress per file, never a URL, signature or the secret.
  expect(run.visibleLog).toMatch(/stored rel\/v1\.2\.3\/app\.tar\.gz \(3 MiB in 4 parts/);
  expect(run.visibleLog).toMatch(/Checked 2 links/);
  expect(run.visibleLog).not.toMatch(/https?:\/\/|q-signature/);
  expect(run.visibleLog).not.toContain(COS_TEST_CREDENTIALS.secretKey);

  const again = await runAction({
    inputs: { ...inputs, 'skip-unchanged': 'true' },
    workspace: ws,
    env: { RUNNER_TEMP: temp },
  });
  expect(again.code).toBe(0);
  expect(Object.values(JSON.parse(again.outputs.uploaded)).map((u) => (u as { skipped?: boolean }).skipped)).toEqual([
    true,
    true,
  ]);
});

test('upload: a matched file outside base-dir is refused naming base-dir; a failing upload names the file; no outputs either time', async () => {
  const ws = tempWorkspace({ 'dist/a.txt': 'a', 'lib/b.txt': 'b' });
  const outside = await runAction({
    inputs: { ...COS_INPUTS, domain: cos.endpoint, upload: 'true', files: '**/*.txt', 'base-dir': 'dist' },
    workspace: ws,
  });
  expect(outside.code).toBe(1);
  expect(outside.errors.join('\n')).toMatch(/Input "base-dir": the matched file ".*lib\/b\.txt" is outside base-dir/);
  expect(outside.outputs).toEqual({});

  cos.server!.faults.push({
    match: (q) => q.key === 'lib/b.txt',
    times: 100,
    action: { status: 503, code: 'ServiceUnavailable' },
  });
  const down = await runAction({
    inputs: {
      ...COS_INPUTS,
      domain: cos.endpoint,
      upload: 'true',
      files: 'lib/*.txt\ndist/*.txt',
      retries: '1',
      concurrency: '1',
      'base-dir': '',
      'key-prefix': '',
    },
    workspace: ws,
  });
  cos.server!.faults.length = 0;
  expect(down.code).toBe(1);
  expect(down.errors.join('\n')).toMatch(
    /lib\/b\.txt: upload got HTTP 503 ServiceUnavailable; gave up after 2 attempts; already stored: dist\/a\.txt \(a rerun with skip-unchanged: 'true' sends only the rest\)/,
  );
  expect(down.outputs).toEqual({});
});

test("put-requests: a job with no credentials uploads through another job's requests-file; the signing run sets requests-file too", async () => {
  const data = randomBytes(150 * 1024);
  const ws = tempWorkspace({ 'out/pkg.bin': data, 'out/sum.txt': 'abc\n' });
  const sign = await runAction({
    inputs: {
      provider: 's3',
      bucket: S3RVER_BUCKET,
      endpoint: s3.endpoint,
      'force-path-style': 'true',
      'secret-id': 'S3RVER',
      'secret-key': 'S3RVER',
      method: 'PUT',
      files: 'out/*',
      'key-prefix': 'handoff/',
    },
    workspace: ws,
    env: { RUNNER_TEMP: temp },
  });
  expect(sign.code).toBe(0);
  const file = sign.outputs['requests-file'];
  expect(fs.readFileSync(file, 'utf8')).toBe(sign.outputs.requests);

  const put = await runAction({ inputs: { 'put-requests': file }, workspace: ws, env: { RUNNER_TEMP: temp } });
  expect(put.errors).toEqual([]);
  expect(put.code).toBe(0);
  const uploaded = JSON.parse(put.outputs.uploaded);
  expect(Object.keys(uploaded)).toEqual(['handoff/out/pkg.bin', 'handoff/out/sum.txt']);
  expect(uploaded['handoff/out/pkg.bin']).toMatchObject({
    size: data.length,
    checksum: expect.stringMatching(/^md5:/),
  });

  // A changed file is not the one the URL pins: refused before sending, naming the key.
  fs.writeFileSync(path.join(ws, 'out/sum.txt'), 'abd\n');
  const stale = await runAction({ inputs: { 'put-requests': sign.outputs.requests }, workspace: ws });
  expect(stale.code).toBe(1);
  expect(stale.errors.join('\n')).toMatch(
    /key "handoff\/out\/sum\.txt": out\/sum\.txt: is not the file the URL was signed for: its Content-MD5 is/,
  );
  expect(stale.outputs).toEqual({});
});
