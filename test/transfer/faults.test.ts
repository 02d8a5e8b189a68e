/**
 * Injected faults: each run either stores byte-identical objects (read back through a separately
 * signed GET) or fails naming the file with the right reason and leaves no multipart upload open.
 */
import * as fs from 'node:fs';
import type { Provider } from '../../src/core/types';
import { uploadFiles } from '../../src/transfer/engine';
import { closeAgent } from '../../src/transfer/http';
import { coreSigner } from '../../src/transfer/signer';
import type { SignFn } from '../../src/transfer/types';
import { startFaultProxy } from '../helpers/fault-proxy';
import type { RequestInfo } from '../helpers/object-server';
import { S3RVER_BUCKET } from '../helpers/s3rver';
import {
  baseFor,
  engineOptions,
  MiB,
  readBack,
  startTarget,
  Target,
  tempDir,
  transferFailure,
  writeRandom,
} from './harness';

afterAll(() => closeAgent());

const MULTI = { multipartThreshold: 5 * MiB, partSize: 5 * MiB };

const count = (t: Target, op: string, key: string) => t.server!.log.filter((l) => l.op === op && l.key === key).length;

describe.each(['cos', 'tos'] as Provider[])('%s test server faults', (provider) => {
  let t: Target;
  let dir: string;
  beforeAll(async () => {
    t = await startTarget(provider);
    dir = tempDir();
  });
  afterEach(() => {
    t.server!.faults.length = 0;
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a connection reset mid-body and a 503/429 burst are retried; the object is whole', async () => {
    const f = writeRandom(dir, 'reset.bin', 2 * MiB);
    t.server!.faults.push(
      { match: (r) => r.op === 'put' && r.key === 'f/reset.bin', times: 1, action: { reset: true } },
      {
        match: (r) => r.op === 'put' && r.key === 'f/reset.bin',
        times: 2,
        action: { status: 503, code: 'ServiceUnavailable' },
      },
      { match: (r) => r.op === 'put' && r.key === 'f/reset.bin', times: 1, action: { status: 429, code: 'SlowDown' } },
    );
    const o = engineOptions(t);
    const [r] = await uploadFiles([{ file: f.file, key: 'f/reset.bin' }], o);
    expect(r.size).toBe(2 * MiB);
    expect((await readBack(t, 'f/reset.bin')).body.equals(f.data)).toBe(true);
    expect(o.lines.filter((l) => l.startsWith('retrying upload of f/reset.bin'))).toHaveLength(4);
  });

  test('a part that fails three times is retried alone, then the upload completes', async () => {
    const f = writeRandom(dir, 'parts.bin', 12 * MiB);
    const part2 = (r: RequestInfo) => r.op === 'part' && r.query.get('partNumber') === '2';
    t.server!.faults.push({ match: part2, times: 3, action: { status: 500, code: 'InternalError' } });
    const before = t.server!.log.length;
    await uploadFiles([{ file: f.file, key: 'f/parts.bin' }], engineOptions(t, MULTI));
    const log = t.server!.log.slice(before);
    expect(
      log
        .filter((l) => l.op === 'part')
        .map((l) => l.status)
        .sort(),
    ).toEqual([200, 200, 200, 500, 500, 500]);
    expect(log.filter((l) => l.op === 'initiate')).toHaveLength(1);
    expect((await readBack(t, 'f/parts.bin')).body.equals(f.data)).toBe(true);
    expect(t.server!.uploads.size).toBe(0);
  });

  test('a slow server (no answer within the timeout) is retried', async () => {
    const f = writeRandom(dir, 'slow.bin', 1000);
    t.server!.faults.push({ match: (r) => r.op === 'put', times: 1, action: { delayMs: 1500 } });
    const o = engineOptions(t, { timeoutMs: 400 });
    await uploadFiles([{ file: f.file, key: 'f/slow.bin' }], o);
    expect(o.lines.join('\n')).toMatch(
      /retrying upload of f\/slow\.bin \(attempt 2 of 5\): no answer within the timeout/,
    );
    expect((await readBack(t, 'f/slow.bin')).body.equals(f.data)).toBe(true);
  });

  test('a wrong CRC-64 from the service fails naming the file', async () => {
    const f = writeRandom(dir, 'crc.bin', 5000);
    t.server!.faults.push({ match: (r) => r.op === 'put', times: 1, action: { wrongCrc: true } });
    const e = await transferFailure(
      uploadFiles([{ file: f.file, name: 'dist/crc.bin', key: 'f/crc.bin' }], engineOptions(t)),
    );
    expect(e.message).toMatch(
      new RegExp(
        `^dist/crc\\.bin: the service's CRC-64 \\(x-${provider}-hash-crc64ecma: \\d+\\) differs from the local one`,
      ),
    );
  });

  test('503 on every attempt: gives up after the retries and aborts the multipart upload', async () => {
    const f = writeRandom(dir, 'down.bin', 11 * MiB);
    t.server!.faults.push({
      match: (r) => r.op === 'part' && r.query.get('partNumber') === '3',
      times: 100,
      action: { status: 503, code: 'ServiceUnavailable' },
    });
    const e = await transferFailure(
      uploadFiles([{ file: f.file, key: 'f/down.bin' }], engineOptions(t, { ...MULTI, retries: 2 })),
    );
    expect(e.message).toMatch(
      /down\.bin: part 3 of 3 got HTTP 503 ServiceUnavailable; gave up after 3 attempts .*the multipart upload was aborted, no parts are left/,
    );
    expect(t.server!.uploads.size).toBe(0);
    expect(t.server!.objects.has('f/down.bin')).toBe(false);
  });

  test('403: not retried, and the reason is spelled out', async () => {
    const f = writeRandom(dir, 'denied.bin', 10);
    const bad = coreSigner({ ...baseFor(provider, t.endpoint), secretKey: 'not-the-right-secret-key-000000' });
    const before = t.server!.log.length;
    const e = await transferFailure(
      uploadFiles([{ file: f.file, key: 'f/denied.bin' }], engineOptions(t, { sign: bad })),
    );
    expect(e.message).toMatch(
      /^.*denied\.bin: upload was refused with HTTP 403 SignatureDoesNotMatch.*the service computed another signature/,
    );
    expect(e.message).not.toContain('not-the-right-secret');
    expect(e.message).not.toMatch(/https?:\/\//);
    expect(t.server!.log.length - before).toBe(1);
  });

  test('a file changed between hashing and sending fails before anything of it is stored', async () => {
    const f = writeRandom(dir, 'changing.bin', 3 * MiB);
    const sign = coreSigner(t.base);
    // The engine has hashed the file when it asks for the PUT URL: change it right then.
    const changing: SignFn = (method, key, req) => {
      if (method === 'PUT') writeRandom(dir, 'changing.bin', 3 * MiB);
      return sign(method, key, req);
    };
    const e = await transferFailure(
      uploadFiles(
        [{ file: f.file, name: 'changing.bin', key: 'f/changing.bin' }],
        engineOptions(t, { sign: changing }),
      ),
    );
    expect(e.message).toBe('changing.bin: changed after it was hashed (its MD5 differs)');
    expect(t.server!.objects.has('f/changing.bin')).toBe(false);
  });

  test('a file changed during a multipart upload is aborted, nothing stored', async () => {
    const f = writeRandom(dir, 'growing.bin', 11 * MiB);
    const sign = coreSigner(t.base);
    const changing: SignFn = (method, key, req) => {
      if (req.params?.partNumber === '2') fs.appendFileSync(f.file, 'more');
      return sign(method, key, req);
    };
    const e = await transferFailure(
      uploadFiles(
        [{ file: f.file, name: 'growing.bin', key: 'f/growing.bin' }],
        engineOptions(t, { ...MULTI, sign: changing }),
      ),
    );
    expect(e.message).toMatch(/^growing\.bin: changed during the upload .*the multipart upload was aborted/);
    expect(t.server!.uploads.size).toBe(0);
    expect(t.server!.objects.has('f/growing.bin')).toBe(false);
  });

  test('complete answered 200 with an error body: a retryable code is retried, another fails and aborts', async () => {
    const f = writeRandom(dir, 'merge.bin', 6 * MiB);
    t.server!.faults.push({ match: (r) => r.op === 'complete', times: 1, action: { completeError: 'InternalError' } });
    await uploadFiles([{ file: f.file, key: 'f/merge.bin' }], engineOptions(t, MULTI));
    expect((await readBack(t, 'f/merge.bin')).body.equals(f.data)).toBe(true);
    expect(count(t, 'complete', 'f/merge.bin')).toBe(2);

    t.server!.faults.push({ match: (r) => r.op === 'complete', times: 1, action: { completeError: 'InvalidPart' } });
    const g = writeRandom(dir, 'merge2.bin', 6 * MiB);
    const e = await transferFailure(
      uploadFiles([{ file: g.file, name: 'merge2.bin', key: 'f/merge2.bin' }], engineOptions(t, MULTI)),
    );
    expect(e.message).toMatch(
      /^merge2\.bin: completing the multipart upload answered 200 with an error InvalidPart.*aborted, no parts are left/,
    );
    expect(t.server!.uploads.size).toBe(0);
    expect(t.server!.objects.has('f/merge2.bin')).toBe(false);
  });

  test('a failure stops the run and says which files were already stored', async () => {
    const a = writeRandom(dir, 'run/a.bin', 100);
    const b = writeRandom(dir, 'run/b.bin', 100);
    t.server!.faults.push({
      match: (r) => r.key === 'run/b.bin',
      times: 1,
      action: { status: 400, code: 'InvalidArgument' },
    });
    const e = await transferFailure(
      uploadFiles(
        [
          { file: a.file, key: 'run/a.bin' },
          { file: b.file, key: 'run/b.bin' },
        ],
        engineOptions(t, { concurrency: 1 }),
      ),
    );
    expect(e.key).toBe('run/b.bin');
    expect(e.stored).toEqual(['run/a.bin']);
  });
});

describe('s3 (s3rver behind a fault proxy)', () => {
  let t: Target;
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
  let dir: string;
  beforeAll(async () => {
    const s3 = await startTarget('s3');
    proxy = await startFaultProxy(s3.endpoint);
    t = { ...s3, base: baseFor('s3', proxy.endpoint), endpoint: proxy.endpoint };
    dir = tempDir();
  });
  afterAll(async () => {
    await proxy.stop();
    await t.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('reset mid-body on a part and a 503 burst on another are retried; the object is whole', async () => {
    const f = writeRandom(dir, 's3.bin', 12 * MiB);
    proxy.faults.push(
      { match: (m, u) => m === 'PUT' && u.includes('partNumber=1&'), times: 1, action: { reset: true } },
      { match: (m, u) => m === 'PUT' && /partNumber=3&/.test(u), times: 3, action: { status: 503, code: 'SlowDown' } },
    );
    const o = engineOptions(t, MULTI);
    const [r] = await uploadFiles([{ file: f.file, key: 'p/s3.bin' }], o);
    expect(r.parts).toBe(3);
    expect((await readBack(t, 'p/s3.bin')).body.equals(f.data)).toBe(true);
    expect(proxy.seen.filter((s) => s === `PUT /${S3RVER_BUCKET}/p/s3.bin`).length).toBe(3 + 1 + 3);
  });

  test('a wrong ETag from the service fails naming the file', async () => {
    const f = writeRandom(dir, 'etag.bin', 100);
    proxy.faults.push({ match: (m) => m === 'PUT', times: 1, action: { etag: '"0123456789abcdef0123456789abcdef"' } });
    const e = await transferFailure(
      uploadFiles([{ file: f.file, name: 'etag.bin', key: 'p/etag.bin' }], engineOptions(t)),
    );
    expect(e.message).toMatch(
      /^etag\.bin: the service's ETag \(0123456789abcdef0123456789abcdef\) differs from the file's MD5 \([0-9a-f]{32}\)/,
    );
  });

  test("an SSE-KMS object's ETag (not an MD5) does not fail the upload", async () => {
    const f = writeRandom(dir, 'kms.bin', 100);
    proxy.faults.push({ match: (m) => m === 'PUT', times: 1, action: { etag: '"a5b5c5d5e5f5a5b5c5d5e5f5a5b5c5d5"' } });
    const [r] = await uploadFiles(
      [{ file: f.file, key: 'p/kms.bin', headers: { 'x-amz-server-side-encryption': 'aws:kms' } }],
      engineOptions(t),
    );
    expect(r.checksum).toMatch(/^md5:/);
  });
});
