/** Behaviour of presign() beyond the SDK vectors: defaults, clocks, clamping, refusals. */
import { cosAuthorization, presign, PresignError, PresignInput } from '../../src';
import { verify } from '../helpers/oracle';
import { parseRawUrl } from '../helpers/url';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0); // 2026-11-23T12:00:00Z
const nowSec = NOW / 1000;
const clock = { now: () => NOW };

const cos: PresignInput = {
  secretId: 'AKIDEXAMPLE0000000000000000000000000',
  secretKey: 'EXAMPLEsecretKey00000000000000000',
  bucket: 'examplebucket-1250000000',
  region: 'ap-guangzhou',
  key: 'releases/app.tar.gz',
};
const tos: PresignInput = { ...cos, provider: 'tos', bucket: 'examplebucket', region: 'cn-beijing' };
const s3: PresignInput = { ...cos, provider: 's3', bucket: 'examplebucket', region: 'us-west-2' };

function refusal(input: PresignInput): PresignError {
  try {
    presign(input, clock);
  } catch (e) {
    expect(e).toBeInstanceOf(PresignError);
    return e as PresignError;
  }
  throw new Error('expected a PresignError');
}

describe('defaults and the validity window', () => {
  test('COS signs from 60 s before now for 300 s after now, like the Python SDK', () => {
    const r = presign(cos, clock);
    expect(parseRawUrl(r.url).query['q-sign-time']).toBe(`${nowSec - 60};${nowSec + 300}`);
    expect(r.expiresAt.getTime()).toBe(NOW + 300_000);
    expect(r.method).toBe('GET');
    expect(r.warnings).toEqual([]);
  });

  test('TOS defaults to 3600 s and S3 to 900 s, both starting now', () => {
    const t = parseRawUrl(presign(tos, clock).url).query;
    expect(t['X-Tos-Expires']).toBe('3600');
    expect(t['X-Tos-Date']).toBe('20261123T120000Z');
    const s = parseRawUrl(presign(s3, clock).url).query;
    expect(s['X-Amz-Expires']).toBe('900');
    expect(s['X-Amz-Date']).toBe('20261123T120000Z');
  });

  test('lower-case methods are accepted and upper-cased', () => {
    expect(presign({ ...s3, method: 'put' }, clock).method).toBe('PUT');
  });
});

describe('temporary credentials', () => {
  test('lifetime is cut to the credential expiry, with a warning, in the signature too', () => {
    const credentialExpiresAt = new Date(NOW + 120_000).toISOString();
    for (const input of [cos, tos, s3]) {
      const r = presign({ ...input, expires: 3600, credentialExpiresAt }, clock);
      expect(r.expiresAt.toISOString()).toBe(credentialExpiresAt);
      expect(r.warnings.join('\n')).toMatch(/cut to the temporary credential's expiry/);
    }
    expect(parseRawUrl(presign({ ...s3, expires: 3600, credentialExpiresAt }, clock).url).query['X-Amz-Expires']).toBe(
      '120',
    );
    expect(parseRawUrl(presign({ ...cos, expires: 3600, credentialExpiresAt }, clock).url).query['q-key-time']).toBe(
      `${nowSec - 60};${nowSec + 120}`,
    );
  });

  test('a credential that outlives the URL changes nothing; unix seconds and Date are accepted', () => {
    const a = presign({ ...s3, credentialExpiresAt: nowSec + 86400 }, clock);
    const b = presign({ ...s3, credentialExpiresAt: new Date(NOW + 86400_000) }, clock);
    expect(a.warnings).toEqual([]);
    expect(a.url).toBe(b.url);
    expect(a.url).toBe(presign(s3, clock).url);
  });

  test('an already expired credential is refused', () => {
    expect(refusal({ ...s3, credentialExpiresAt: new Date(NOW - 1000) }).field).toBe('credentialExpiresAt');
    expect(refusal({ ...s3, credentialExpiresAt: 'yesterday' }).field).toBe('credentialExpiresAt');
  });

  test('the COS token is a signed URL parameter, left out of the Authorization value', () => {
    const token = 'tok+/=&x';
    const r = presign({ ...cos, securityToken: token }, clock);
    const q = parseRawUrl(r.url).query;
    expect(q['x-cos-security-token']).toBe(token);
    expect(q['q-url-param-list']).toBe('x-cos-security-token');
    expect(cosAuthorization({ ...cos, securityToken: token }, clock)).toBe(cosAuthorization(cos, clock));
    expect(refusal({ ...cos, securityToken: token, params: { 'X-Cos-Security-Token': token } }).field).toBe('params');
  });

  test('the S3 and TOS tokens are signed query parameters', () => {
    for (const [input, name] of [
      [s3, 'X-Amz-Security-Token'],
      [tos, 'X-Tos-Security-Token'],
    ] as const) {
      const url = presign({ ...input, securityToken: 'a+b/c=' }, clock).url;
      expect(parseRawUrl(url).query[name]).toBe('a+b/c=');
      // Signed: the independent oracle accepts the URL, and rejects it with the token removed or changed.
      const p = input.provider!;
      expect(verify(p, { url, method: 'GET', headers: {} }, input.secretKey)).toMatchObject({ ok: true });
      const encoded = `&${name}=a%2Bb%2Fc%3D`;
      expect(url).toContain(encoded);
      expect(verify(p, { url: url.replace(encoded, ''), method: 'GET', headers: {} }, input.secretKey).ok).toBe(false);
      expect(
        verify(p, { url: url.replace(encoded, `&${name}=other`), method: 'GET', headers: {} }, input.secretKey).ok,
      ).toBe(false);
    }
  });
});

describe('headers the consumer must send', () => {
  test('COS returns the headers it signs and warns about the ones it cannot', () => {
    const r = presign(
      { ...cos, method: 'PUT', headers: { 'Content-Type': 'text/plain', 'x-cos-meta-a': 'b', 'User-Agent': 'x' } },
      clock,
    );
    expect(r.headers).toEqual({ 'Content-Type': 'text/plain', 'x-cos-meta-a': 'b' });
    expect(parseRawUrl(r.url).query['q-header-list']).toBe('content-type;host;x-cos-meta-a');
    expect(r.warnings.join()).toMatch(/do not cover User-Agent/);
  });

  test('TOS signs only x-tos-* headers; S3 signs every header and trims values', () => {
    const t = presign({ ...tos, method: 'PUT', headers: { 'Content-Type': 'image/png', 'x-tos-meta-a': 'b' } }, clock);
    expect(t.headers).toEqual({ 'x-tos-meta-a': 'b' });
    const s = presign(
      { ...s3, method: 'PUT', headers: { 'Content-Type': ' image/png\t', 'x-amz-meta-a': 'a  b' } },
      clock,
    );
    expect(s.headers).toEqual({ 'Content-Type': 'image/png', 'x-amz-meta-a': 'a  b' });
  });

  test('a Host header equal to the URL host is signed; another host is refused', () => {
    const host = 'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com';
    const r = presign({ ...cos, signHost: false, headers: { Host: host.toUpperCase() } }, clock);
    expect(parseRawUrl(r.url).query['q-header-list']).toBe('host');
    expect(r.headers).toEqual({});
    const e = refusal({ ...cos, headers: { host: 'other-1250000000.cos.ap-guangzhou.myqcloud.com' } });
    expect(e.field).toBe('headers');
  });

  test('signHost false is allowed for COS with a warning, refused for S3 and TOS', () => {
    const r = presign({ ...cos, signHost: false }, clock);
    expect(parseRawUrl(r.url).query['q-header-list']).toBe('');
    expect(r.warnings.join()).toMatch(/replayed against another host/);
    expect(refusal({ ...s3, signHost: false }).field).toBe('signHost');
  });
});

describe('refusals name the field', () => {
  const cases: Array<[string, PresignInput, string]> = [
    ['unknown provider', { ...cos, provider: 'gcs' as never }, 'provider'],
    ['missing secretId', { ...cos, secretId: '' }, 'secretId'],
    ['secret with a trailing newline', { ...cos, secretKey: cos.secretKey + '\n' }, 'secretKey'],
    ['token with surrounding spaces', { ...cos, securityToken: ' tok ' }, 'securityToken'],
    ['empty key', { ...cos, key: '' }, 'key'],
    ['COS key over 850 bytes', { ...cos, key: 'é'.repeat(426) }, 'key'],
    ['COS key with a newline', { ...cos, key: 'a\nb' }, 'key'],
    ['COS key ending in /..', { ...cos, key: 'a/b/..', keySimplifyCheck: false }, 'key'],
    ['COS key "." even without the simplify check', { ...cos, key: '.', keySimplifyCheck: false }, 'key'],
    ['S3 key with a dot segment', { ...s3, key: 'a/./b' }, 'key'],
    ['TOS key with a dot-dot segment', { ...tos, key: 'a/../b' }, 'key'],
    ['key simplifying to the root', { ...s3, key: 'a/..' }, 'key'],
    ['lone surrogate in the key', { ...cos, key: 'a\uD800' }, 'key'],
    ['COS bucket without APPID', { ...cos, bucket: 'examplebucket' }, 'bucket'],
    ['COS bucket with a path', { ...cos, bucket: 'evil.com/x?-1250000000' }, 'bucket'],
    ['S3 bucket with upper case', { ...s3, bucket: 'Example' }, 'bucket'],
    ['bad region', { ...cos, region: 'ap guangzhou' }, 'region'],
    ['TOS without region', { ...tos, region: undefined }, 'region'],
    ['unknown method', { ...cos, method: 'PATCH' as never }, 'method'],
    ['unknown scheme', { ...cos, scheme: 'ftp' as never }, 'scheme'],
    ['expires not an integer', { ...cos, expires: 1.5 }, 'expires'],
    ['expires zero', { ...cos, expires: 0 }, 'expires'],
    ['expires as text', { ...cos, expires: 'abc' as never }, 'expires'],
    ['S3 expires over 7 days', { ...s3, expires: 604801 }, 'expires'],
    ['TOS expires over 30 days', { ...tos, expires: 2592001 }, 'expires'],
    ['header name not a token', { ...cos, headers: { 'Bad Name': 'x' } }, 'headers'],
    ['header value with CRLF', { ...cos, headers: { 'x-cos-meta-a': 'a\r\nHost: evil' } }, 'headers'],
    ['COS header value with surrounding spaces', { ...cos, headers: { 'Content-Type': ' text/plain' } }, 'headers'],
    ['S3 header value with a no-break space', { ...s3, headers: { 'x-amz-meta-a': 'a\u00A0b' } }, 'headers'],
    ['header names differing by case', { ...cos, headers: { 'content-type': 'a', 'Content-Type': 'b' } }, 'headers'],
    ['param names differing by case', { ...cos, params: { versionId: 'a', VersionId: 'b' } }, 'params'],
    ['param shadowing the signature', { ...s3, params: { 'x-amz-signature': '00' } }, 'params'],
    ['domain with a path', { ...cos, domain: 'cdn.example.com/evil' }, 'domain'],
    ['endpoint with user info', { ...s3, endpoint: 'https://user@minio.local' }, 'endpoint'],
    ['TOS S3-compatible endpoint for TOS4', { ...tos, endpoint: 'tos-s3-cn-beijing.volces.com' }, 'endpoint'],
    ['scheme disagreeing with the endpoint', { ...s3, endpoint: 'http://127.0.0.1:9000', scheme: 'https' }, 'scheme'],
    ['COS option on S3', { ...s3, domain: 'cdn.example.com' }, 'domain'],
  ];
  test.each(cases)('%s', (_name, input, field) => {
    const e = refusal(input);
    expect(e.field).toBe(field);
    expect(e.message).not.toContain(cos.secretKey);
  });
});

describe('hosts', () => {
  test('COS accelerate, custom domain with scheme and port, and old regions', () => {
    expect(parseRawUrl(presign({ ...cos, accelerate: true }, clock).url).host).toBe(
      'examplebucket-1250000000.cos.accelerate.myqcloud.com',
    );
    const d = parseRawUrl(presign({ ...cos, domain: 'http://CDN.example.com:8080' }, clock).url);
    expect([d.scheme, d.host]).toEqual(['http', 'cdn.example.com:8080']);
    expect(parseRawUrl(presign({ ...cos, domain: 'https://cdn.example.com:443' }, clock).url).host).toBe(
      'cdn.example.com',
    );
    expect(parseRawUrl(presign({ ...cos, region: 'cn-east' }, clock).url).host).toBe(
      'examplebucket-1250000000.cn-east.myqcloud.com',
    );
  });

  test('S3 goes path-style for dotted buckets and IP endpoints, and drops default ports', () => {
    const dotted = parseRawUrl(presign({ ...s3, bucket: 'bucket.with.dots' }, clock).url);
    expect([dotted.host, dotted.path]).toEqual(['s3.us-west-2.amazonaws.com', '/bucket.with.dots/releases/app.tar.gz']);
    const ip = parseRawUrl(presign({ ...s3, endpoint: 'http://127.0.0.1:9000' }, clock).url);
    expect([ip.host, ip.path]).toEqual(['127.0.0.1:9000', '/examplebucket/releases/app.tar.gz']);
    expect(parseRawUrl(presign({ ...s3, endpoint: 'http://minio.local:80' }, clock).url).host).toBe(
      'examplebucket.minio.local',
    );
    expect(parseRawUrl(presign({ ...s3, region: 'cn-north-1' }, clock).url).host).toBe(
      'examplebucket.s3.cn-north-1.amazonaws.com.cn',
    );
  });

  test('S3 with an endpoint defaults the signing region to us-east-1', () => {
    const q = parseRawUrl(presign({ ...s3, region: undefined, endpoint: 'http://127.0.0.1:9000' }, clock).url).query;
    expect(q['X-Amz-Credential']).toMatch(/\/us-east-1\/s3\/aws4_request$/);
  });
});

describe('batches', () => {
  test('cached signing keys never leak across secrets, times or regions', () => {
    const a = presign({ ...s3, startTime: nowSec }, clock).url;
    const b = presign({ ...s3, startTime: nowSec, secretKey: 'other' }, clock).url;
    const c = presign({ ...s3, startTime: nowSec + 86400 }, clock).url;
    const d = presign({ ...s3, startTime: nowSec, region: 'eu-west-1' }, clock).url;
    const sig = (u: string) => parseRawUrl(u).query['X-Amz-Signature'];
    expect(new Set([a, b, c, d].map(sig)).size).toBe(4);
    expect(presign({ ...s3, startTime: nowSec }, clock).url).toBe(a);
    const k1 = cosAuthorization({ ...cos, startTime: nowSec, expires: 60 }, clock);
    cosAuthorization({ ...cos, secretKey: 'other', startTime: nowSec, expires: 60 }, clock);
    expect(cosAuthorization({ ...cos, startTime: nowSec, expires: 60 }, clock)).toBe(k1);
  });
});
