/**
 * The built CLI: `cos-presign upload` (credentials from the environment) into the COS test server
 * and s3rver, and `cos-presign put` (no credentials) with a requests file or one URL. Stored
 * objects are read back through separately signed GETs.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { presign } from '../../src/core/presign';
import type { PresignInput } from '../../src/core/types';
import { baseEnv, BIN, cli, ensureBuilt } from '../cli/run';
import { COS_TEST_BUCKET, COS_TEST_CREDENTIALS } from '../helpers/cos-server';
import { S3RVER_BUCKET } from '../helpers/s3rver';
import { hangPart, MiB, readBack, startTarget, Target, tempDir, writeRandom } from './harness';

const COS_ENV = { COS_SECRET_ID: COS_TEST_CREDENTIALS.secretId, COS_SECRET_KEY: COS_TEST_CREDENTIALS.secretKey };

let cos: Target;
let s3: Target;
let dir: string;
beforeAll(async () => {
  ensureBuilt();
  cos = await startTarget('cos');
  s3 = await startTarget('s3');
  dir = tempDir();
});
afterAll(async () => {
  await cos.stop();
  await s3.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function noSecrets(text: string): void {
  expect(text).not.toContain(COS_TEST_CREDENTIALS.secretKey);
  expect(text).not.toMatch(/q-signature|X-Amz-Signature/);
}

test('upload: a directory under --base-dir with --prefix, verified, links checked, JSON out; --skip-unchanged on the rerun', async () => {
  const a = writeRandom(dir, 'dist/app.tar.gz', 3 * MiB);
  const b = writeRandom(dir, 'dist/docs/readme.txt', 100);
  const args = [
    'upload',
    COS_TEST_BUCKET,
    path.join(dir, 'dist'),
    '--base-dir',
    path.join(dir, 'dist'),
    '--prefix',
    'rel/v1/',
    '--domain',
    cos.endpoint,
    '--json',
    '--part-size',
    '1MiB',
    '--multipart-threshold',
    '2MiB',
    '-H',
    'Cache-Control: max-age=60',
  ];
  const r = await cli(args, COS_ENV);
  expect(r.stderr).toMatch(/stored rel\/v1\/app\.tar\.gz \(3 MiB in 3 parts/);
  expect(r.stderr).toMatch(/checked 2 links/);
  noSecrets(r.stderr);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(Object.keys(out.urls)).toEqual(['rel/v1/app.tar.gz', 'rel/v1/docs/readme.txt']);
  expect(out.uploaded['rel/v1/app.tar.gz']).toMatchObject({ size: 3 * MiB, parts: 3 });
  expect(out.uploaded['rel/v1/docs/readme.txt']).toMatchObject({
    size: 100,
    parts: 0,
    checksum: expect.stringMatching(/^crc64ecma:\d+$/),
  });
  expect((await readBack(cos, 'rel/v1/app.tar.gz')).body.equals(a.data)).toBe(true);
  expect(cos.server!.objects.get('rel/v1/docs/readme.txt')!.headers).toMatchObject({
    'content-type': 'text/plain',
    'cache-control': 'max-age=60',
  });
  expect(cos.server!.objects.get('rel/v1/docs/readme.txt')!.body.equals(b.data)).toBe(true);

  const again = await cli([...args, '--skip-unchanged'], COS_ENV);
  expect(again.code).toBe(0);
  expect(Object.values(JSON.parse(again.stdout).uploaded).every((u) => (u as { skipped?: boolean }).skipped)).toBe(
    true,
  );
  expect(again.stderr).toMatch(/unchanged rel\/v1\/app\.tar\.gz/);
});

test('upload: a file outside --base-dir is refused naming --base-dir, nothing sent', async () => {
  const f = writeRandom(dir, 'outside.txt', 10);
  const before = cos.server!.log.length;
  const r = await cli(
    ['upload', COS_TEST_BUCKET, f.file, '--base-dir', path.join(dir, 'dist'), '--domain', cos.endpoint],
    COS_ENV,
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^cos-presign upload: --base-dir: ".*outside\.txt" is outside the base directory/);
  expect(cos.server!.log.length).toBe(before);
});

test('upload: a failure names the file and the keys already stored', async () => {
  writeRandom(dir, 'fail/a.txt', 10);
  writeRandom(dir, 'fail/b.txt', 10);
  cos.server!.faults.push({
    match: (q) => q.key === 'fail/b.txt',
    times: 1,
    action: { status: 403, code: 'AccessDenied' },
  });
  const r = await cli(
    [
      'upload',
      COS_TEST_BUCKET,
      path.join(dir, 'fail'),
      '--base-dir',
      dir,
      '--domain',
      cos.endpoint,
      '--concurrency',
      '1',
    ],
    COS_ENV,
  );
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    /cos-presign upload: .*fail\/b\.txt: upload was refused with HTTP 403 AccessDenied.*already stored: fail\/a\.txt \(run again with --skip-unchanged to finish\)/,
  );
  expect(r.stdout).toBe('');
});

function pinnedRequest(t: Target, key: string, data: Buffer, file: string, type = 'application/octet-stream') {
  const headers = {
    'Content-Type': type,
    'Content-Length': String(data.length),
    'Content-MD5': createHash('md5').update(data).digest('base64'),
  };
  const r = presign({ ...(t.base as PresignInput), key, method: 'PUT', expires: 600, headers });
  return { url: r.url, method: r.method, headers: r.headers, file };
}

test('upload: SIGTERM (a cancelled job) during a multipart upload aborts it, then the CLI dies of SIGTERM', async () => {
  const f = writeRandom(dir, 'cancel/big.bin', 3 * MiB);
  hangPart(cos.server!, 2, 3_000);
  const child = spawn(
    process.execPath,
    [
      BIN,
      'upload',
      COS_TEST_BUCKET,
      f.file,
      '--base-dir',
      dir,
      '--domain',
      cos.endpoint,
      '--part-size',
      '1MiB',
      '--multipart-threshold',
      '1MiB',
      '--no-progress',
      '--no-verify-links',
    ],
    { env: baseEnv(COS_ENV), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  // Parts 1 and 3 are stored, part 2 hangs: then the job is cancelled.
  while (!cos.server!.log.some((l) => l.op === 'part' && l.key === 'cancel/big.bin'))
    await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGTERM');
  const [code, signal] = await new Promise<[number | null, string | null]>((r) =>
    child.on('close', (c, s) => r([c, s])),
  );
  expect([code, signal]).toEqual([null, 'SIGTERM']);
  expect(stderr).toContain('cos-presign: interrupted: stopping; open multipart uploads are aborted');
  expect(stderr).toMatch(
    /big\.bin: interrupted \(multipart upload of 3 MiB in 3 parts\); the multipart upload was aborted, no parts are left; nothing else was stored\n$/,
  );
  expect([...cos.server!.uploads.values()].filter((u) => u.key === 'cancel/big.bin')).toEqual([]);
  expect(cos.server!.log.some((l) => l.op === 'abort' && l.key === 'cancel/big.bin')).toBe(true);
  expect((await readBack(cos, 'cancel/big.bin')).status).toBe(404);
  noSecrets(stderr);
  await new Promise((r) => setTimeout(r, 3_000)); // the hung part's answer timer in the test server
  cos.server!.faults.length = 0;
});

test('put <requests.json>: uploads every entry with no credentials; s3rver checks each signature', async () => {
  const x = writeRandom(dir, 'put/x.bin', 2 * MiB + 3);
  const y = writeRandom(dir, 'put/y.txt', 5);
  const requests = {
    'h/x.bin': pinnedRequest(s3, 'h/x.bin', x.data, 'put/x.bin'),
    'h/y.txt': pinnedRequest(s3, 'h/y.txt', y.data, 'put/y.txt', 'text/plain'),
  };
  const file = path.join(dir, 'requests.json');
  fs.writeFileSync(file, JSON.stringify(requests));
  const r = await cli(['put', file, '--base-dir', dir, '--json']);
  expect(r.stderr).not.toMatch(/X-Amz-Signature/);
  expect(r.code).toBe(0);
  expect(Object.keys(JSON.parse(r.stdout))).toEqual(['h/x.bin', 'h/y.txt']);
  expect((await readBack(s3, 'h/x.bin')).body.equals(x.data)).toBe(true);
  expect((await readBack(s3, 'h/y.txt')).body.equals(y.data)).toBe(true);
  expect(S3RVER_BUCKET).toBe('test-bucket');
});

test('put: a file that is not the one the URL pins is refused before sending, naming the key', async () => {
  const z = writeRandom(dir, 'put/z.bin', 100);
  const req = pinnedRequest(cos, 'h/z.bin', z.data, 'put/z.bin');
  writeRandom(dir, 'put/z.bin', 100);
  const file = path.join(dir, 'requests-z.json');
  fs.writeFileSync(file, JSON.stringify({ 'h/z.bin': req }));
  const before = cos.server!.log.length;
  const r = await cli(['put', file, '--base-dir', dir]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    /^cos-presign put: key "h\/z\.bin": .*z\.bin: is not the file the URL was signed for: its Content-MD5 is .*, the URL pins .*; sign again for this file/,
  );
  expect(cos.server!.log.length).toBe(before);
});

test('put <url> <file> -H: one upload into the COS test server, CRC-64 verified', async () => {
  const w = writeRandom(dir, 'put/w.bin', 1234);
  const req = pinnedRequest(cos, 'one/w.bin', w.data, 'put/w.bin');
  const h = Object.entries(req.headers).flatMap(([n, v]) => ['-H', `${n}: ${v}`]);
  const r = await cli(['put', req.url, w.file, ...h, '--json']);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)['one/w.bin'].checksum).toMatch(/^crc64ecma:\d+$/);
  expect(cos.server!.objects.get('one/w.bin')!.body.equals(w.data)).toBe(true);
});
