/**
 * The core's S3 URLs against a real server that recomputes SigV4 (@20minutes/s3rver on
 * 127.0.0.1): presigned PUT with signed Content-Type and x-amz-meta-* headers, GET (bytes
 * identical), HEAD, DELETE, GET -> 404; and 403 for every kind of tampering.
 *
 * Chosen around that server's own canonicalisation bugs (research/s3rver.md §2): no `! ' ( ) *`
 * in param values or tokens, no inner runs of spaces in signed header values, no bucket-level
 * requests. Keys may hold any of those characters: its path handling is correct.
 */
import { randomBytes } from 'node:crypto';
import { presign, PresignInput } from '../../src';
import { RunningS3rver, send, startS3rver, S3RVER_BUCKET, S3RVER_CREDENTIALS } from '../helpers/s3rver';

// Keys with empty segments ("a//b", "/leading") round-trip, but that server's filesystem store
// mishandles deleting them (500, or it removes the bucket's directory), so each gets a bucket of
// its own where that cannot spill into the other tests.
const EMPTY_SEGMENT_KEYS: Array<[key: string, bucket: string]> = [
  ['a//b', 'empty-segments-1'],
  ['/leading-slash', 'empty-segments-2'],
  ['x//y///z', 'empty-segments-3'],
];

let server: RunningS3rver;
beforeAll(async () => {
  server = await startS3rver([S3RVER_BUCKET, ...EMPTY_SEGMENT_KEYS.map(([, b]) => b)]);
});
afterAll(async () => {
  await server?.stop();
});

const base = (): Omit<PresignInput, 'key'> => ({
  provider: 's3',
  ...S3RVER_CREDENTIALS,
  bucket: S3RVER_BUCKET,
  region: 'us-east-1',
  endpoint: server.endpoint,
});

const NASTY_KEYS = [
  'plain.txt',
  'a b.txt',
  'a+b.txt',
  '100%.txt',
  'already%20encoded%2Fslash.txt',
  '中文/文件 名.txt',
  'emoji-😀🚀.bin',
  "paren(1)!*'.txt",
  'sym $&,;:=@[]{}^`|~.txt',
  'question?hash#.txt',
  'trailing-slash/',
  'ünïcödé/ж/한국어/日本語',
];

const UPLOAD_HEADERS = {
  'Content-Type': 'application/x-cos-presign; charset=utf-8',
  'x-amz-meta-owner': 'release-bot',
  'X-Amz-Meta-Build': '2026.1 #42',
};

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([n, v]) => [n.toLowerCase(), v]));
}

describe('presigned object lifecycle on a SigV4-verifying server', () => {
  test.each(NASTY_KEYS)('PUT, GET, HEAD, DELETE, GET -> 404 for key %j', async (key) => {
    const body = randomBytes(4096 + key.length); // every byte value, so any re-encoding shows
    const put = presign({ ...base(), key, method: 'PUT', expires: 300, headers: UPLOAD_HEADERS });
    expect(lowerKeys(put.headers)).toEqual(lowerKeys(UPLOAD_HEADERS));
    const putRes = await send(put.url, { method: 'PUT', headers: put.headers, body });
    expect(putRes.status).toBe(200);

    const got = await send(presign({ ...base(), key }).url);
    expect(got.status).toBe(200);
    expect(got.body.equals(body)).toBe(true);
    expect(got.headers['content-type']).toBe(UPLOAD_HEADERS['Content-Type']);
    expect(got.headers['x-amz-meta-owner']).toBe('release-bot');
    expect(got.headers['x-amz-meta-build']).toBe('2026.1 #42');

    const head = await send(presign({ ...base(), key, method: 'HEAD' }).url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(body.length));
    expect(head.body.length).toBe(0);

    const del = await send(presign({ ...base(), key, method: 'DELETE' }).url, { method: 'DELETE' });
    expect(del.status).toBe(204);
    const gone = await send(presign({ ...base(), key }).url);
    expect(gone.status).toBe(404);
    expect(gone.body.toString()).toContain('<Code>NoSuchKey</Code>');
  });

  test.each(EMPTY_SEGMENT_KEYS)(
    'PUT, GET, HEAD for key %j with empty segments; DELETE passes authentication',
    async (key, bucket) => {
      const body = randomBytes(2048);
      const put = presign({ ...base(), bucket, key, method: 'PUT', headers: UPLOAD_HEADERS });
      expect(put.url).toContain(`/${bucket}/${key}?`); // the empty segments are kept, never collapsed
      expect((await send(put.url, { method: 'PUT', headers: put.headers, body })).status).toBe(200);
      const got = await send(presign({ ...base(), bucket, key }).url);
      expect(got.status).toBe(200);
      expect(got.body.equals(body)).toBe(true);
      expect((await send(presign({ ...base(), bucket, key, method: 'HEAD' }).url, { method: 'HEAD' })).status).toBe(
        200,
      );
      // A wrong signature on the same path is still refused before the store is touched.
      expect(
        (
          await send(presign({ ...base(), bucket, key, method: 'DELETE', secretKey: 'WRONG' }).url, {
            method: 'DELETE',
          })
        ).status,
      ).toBe(403);
      const del = await send(presign({ ...base(), bucket, key, method: 'DELETE' }).url, { method: 'DELETE' });
      expect(del.status).not.toBe(403);
    },
  );

  test('signed response-* overrides are honoured', async () => {
    const key = 'reports/q1 summary.csv';
    const put = presign({ ...base(), key, method: 'PUT', headers: { 'Content-Type': 'text/csv' } });
    expect((await send(put.url, { method: 'PUT', headers: put.headers, body: 'a,b\n1,2\n' })).status).toBe(200);
    const get = presign({
      ...base(),
      key,
      params: {
        'response-content-type': 'application/octet-stream',
        'response-content-disposition': 'attachment; filename="q1 summary.csv"',
      },
    });
    const res = await send(get.url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe('attachment; filename="q1 summary.csv"');
  });
});

describe('tampered or misused URLs are refused with 403', () => {
  const key = 'guarded/object.bin';
  const body = randomBytes(1024);

  beforeAll(async () => {
    const put = presign({ ...base(), key, method: 'PUT', headers: UPLOAD_HEADERS });
    expect((await send(put.url, { method: 'PUT', headers: put.headers, body })).status).toBe(200);
  });

  async function expect403(res: Promise<{ status: number; body: Buffer }>, code: string): Promise<void> {
    const r = await res;
    expect(r.status).toBe(403);
    expect(r.body.toString()).toContain(`<Code>${code}</Code>`);
  }

  test('control: the untampered URL works', async () => {
    const res = await send(presign({ ...base(), key }).url);
    expect(res.status).toBe(200);
    expect(res.body.equals(body)).toBe(true);
  });

  test('a changed signature', async () => {
    const { url } = presign({ ...base(), key });
    const tampered = url.replace(
      /(X-Amz-Signature=[0-9a-f]{63})([0-9a-f])/,
      (_, head: string, last: string) => head + (last === '0' ? '1' : '0'),
    );
    expect(tampered).not.toBe(url);
    await expect403(send(tampered), 'SignatureDoesNotMatch');
  });

  test('an expired URL', async () => {
    // The core refuses to sign a window that already ended: sign it with a clock from then.
    const now = Math.floor(Date.now() / 1000);
    const then = { now: () => (now - 7200) * 1000 };
    await expect403(send(presign({ ...base(), key, startTime: now - 7200, expires: 60 }, then).url), 'AccessDenied');
  });

  test('a wrong secret', async () => {
    await expect403(send(presign({ ...base(), key, secretKey: 'NOT-THE-SECRET' }).url), 'SignatureDoesNotMatch');
  });

  test('a signed header left out, or sent with another value', async () => {
    const put = presign({ ...base(), key: 'guarded/upload.bin', method: 'PUT', headers: UPLOAD_HEADERS });
    const { 'Content-Type': _ct, ...withoutContentType } = put.headers;
    await expect403(send(put.url, { method: 'PUT', headers: withoutContentType, body }), 'SignatureDoesNotMatch');
    const { 'x-amz-meta-owner': _owner, ...withoutMeta } = put.headers;
    await expect403(send(put.url, { method: 'PUT', headers: withoutMeta, body }), 'SignatureDoesNotMatch');
    await expect403(
      send(put.url, { method: 'PUT', headers: { ...put.headers, 'x-amz-meta-owner': 'mallory' }, body }),
      'SignatureDoesNotMatch',
    );
    // Nothing was stored by the refused uploads.
    expect((await send(presign({ ...base(), key: 'guarded/upload.bin' }).url)).status).toBe(404);
  });

  test('a method swap', async () => {
    const get = presign({ ...base(), key });
    await expect403(send(get.url, { method: 'DELETE' }), 'SignatureDoesNotMatch');
    await expect403(send(get.url, { method: 'PUT', body: 'overwritten' }), 'SignatureDoesNotMatch');
    const put = presign({ ...base(), key, method: 'PUT', headers: UPLOAD_HEADERS });
    await expect403(send(put.url, { method: 'GET', headers: put.headers }), 'SignatureDoesNotMatch');
    // The object survived both attempts.
    const res = await send(get.url);
    expect(res.status).toBe(200);
    expect(res.body.equals(body)).toBe(true);
  });

  test('another key, or an added unsigned parameter, on a valid signature', async () => {
    const { url } = presign({ ...base(), key });
    await expect403(send(url.replace('/guarded/object.bin?', '/guarded/other.bin?')), 'SignatureDoesNotMatch');
    await expect403(send(`${url}&response-content-type=text%2Fhtml`), 'SignatureDoesNotMatch');
  });
});

describe('session tokens', () => {
  // The server has no STS: it accepts any token, but the token is part of the signed canonical
  // query, so it cannot be swapped or stripped without breaking the signature.
  const token = 'FwoGZXIvYXdzEJr/session+token=with/slashes+plus==';

  test('a URL signed with a session token is accepted, and the token is signed', async () => {
    const key = 'tokens/with-token.txt';
    const put = presign({
      ...base(),
      key,
      method: 'PUT',
      securityToken: token,
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(put.url).toContain('X-Amz-Security-Token=');
    expect((await send(put.url, { method: 'PUT', headers: put.headers, body: 'temporary' })).status).toBe(200);
    const get = presign({ ...base(), key, securityToken: token });
    const res = await send(get.url);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('temporary');

    const swapped = get.url.replace(/X-Amz-Security-Token=[^&]*/, 'X-Amz-Security-Token=another-token');
    expect((await send(swapped)).status).toBe(403);
    const stripped = get.url.replace(/&?X-Amz-Security-Token=[^&]*/, '');
    expect((await send(stripped)).status).toBe(403);
  });
});
