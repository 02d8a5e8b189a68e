/**
 * inspectUrl / verifyUrl: every SDK-made vector URL (test/fixtures/vectors, all three providers)
 * is read back to the inputs it was made from and verifies with the vector's secret; then each
 * failure reason is produced by a real change to a URL made by an official SDK
 * (cos-nodejs-sdk-v5, aws4, @volcengine/tos-sdk). Expected values are literals or the vectors'
 * inputs, never computed with the code under test.
 */
import { inspectUrl, PresignError, verifyUrl, formatDuration } from '../../src';
import { loadVectors, Vector } from '../helpers/vectors';
import { signsHeader } from '../hardening/model';
import { cosSdkUrl, s3SdkUrl, SdkUrlInput, tosSdkUrl } from './inspect-sdk';

const providers = ['cos', 'tos', 's3'] as const;

type P = (typeof providers)[number];

function expectedSignedHeaders(provider: P, v: Vector): string[] {
  const names = Object.keys(v.input.headers ?? {}).map((n) => n.toLowerCase());
  const hasHost = names.includes('host');
  const signed = names.filter((n) => n !== 'host' && signsHeader(provider, n));
  if (provider !== 'cos' || v.input.signHost !== false || hasHost) signed.push('host');
  return signed.sort();
}

function hostNamesBucket(provider: P, v: Vector): boolean {
  if (provider === 'cos') return !v.input.domain;
  if (provider === 'tos') return !v.input.isCustomDomain;
  return true;
}

describe.each(providers)('%s vector URLs read back', (provider) => {
  const vectors = loadVectors(provider).filter((v) => v.expected.url);
  test('there are vector URLs', () => expect(vectors.length).toBeGreaterThan(20));

  test.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const i = v.input;
    const now = () => (i.startTime! + 1) * 1000;
    const info = inspectUrl(v.expected.url!, { now });
    expect(info.provider).toBe(provider);
    expect(info.accessKeyId).toBe(i.secretId);
    expect(info.start.getTime() / 1000).toBe(i.startTime);
    expect(info.end.getTime() / 1000).toBe(i.startTime! + i.expires!);
    expect(info.lifetimeSeconds).toBe(i.expires);
    expect(info.status).toBe('valid');
    // COS ignores one leading "/" of the key ("/a" and "a" are the same object).
    expect(info.key).toBe(provider === 'cos' && i.key.startsWith('/') ? i.key.slice(1) : i.key);
    if (hostNamesBucket(provider, v)) expect(info.bucket).toBe(i.bucket);
    else expect(info.bucket).toBeUndefined();
    if (provider !== 'cos') expect(info.region).toBe(i.region);
    else if (!i.domain && !i.accelerate) expect(info.region).toBe(i.region);
    expect([...info.signedHeaders].sort()).toEqual(expectedSignedHeaders(provider, v));
    expect(info.headersToSend).toEqual(info.signedHeaders.filter((n) => n !== 'host'));
    // A COS token is a signed param; it is reported as present, never with its value.
    const inputParams = Object.entries(i.params ?? {}).filter(([n]) => n !== 'x-cos-security-token');
    const tokenInParams = inputParams.length !== Object.keys(i.params ?? {}).length;
    expect(info.signedParams.map((p) => [p.name, p.value]).sort()).toEqual(inputParams.sort());
    expect(info.unsignedParams).toEqual([]);
    expect(info.missingSignedParams).toEqual([]);
    expect(info.securityToken).toBe(i.securityToken || tokenInParams ? 'signed' : 'none');
    // Nothing secret in the result.
    const dump = JSON.stringify(info);
    expect(dump).not.toContain(v.expected.signature!);
    if (i.securityToken) expect(dump).not.toContain(i.securityToken);

    const r = verifyUrl(v.expected.url!, {
      secretKey: i.secretKey,
      secretId: i.secretId,
      method: i.method,
      headers: i.headers,
      now,
    });
    expect(r.reasons).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.signatureMatches).toBe(true);

    const other = i.method === 'GET' ? 'PUT' : 'GET';
    const wrong = verifyUrl(v.expected.url!, { secretKey: i.secretKey, method: other, headers: i.headers, now });
    expect(wrong.ok).toBe(false);
    expect(wrong.reasons.map((x) => x.code)).toEqual(['wrong-method']);
    expect(wrong.reasons[0].message).toContain(`signed for ${(i.method ?? 'GET').toUpperCase()}, not ${other}`);
  });
});

// ---- failure reasons on real URLs -----------------------------------------------------------

const T0 = 1767225600; // 2026-01-01T00:00:00Z
const at = (s: number) => () => s * 1000;
const SECRET = 'verify-test-secret-key-0123456789';
const cos: SdkUrlInput = {
  secretId: 'AKIDVERIFYTEST',
  secretKey: SECRET,
  bucket: 'examplebucket-1250000000',
  region: 'ap-guangzhou',
  key: 'docs/report 2026.pdf',
  method: 'PUT',
  startTime: T0,
  expires: 600,
  headers: { 'Content-Type': 'application/pdf' },
  params: { 'response-cache-control': 'no-cache' },
};
const tos: SdkUrlInput = {
  secretId: 'AKLTVERIFY',
  secretKey: SECRET,
  bucket: 'examplebucket',
  region: 'cn-beijing',
  key: 'a/b.txt',
  startTime: T0,
  expires: 3600,
};
const s3: SdkUrlInput = {
  secretId: 'AKIAVERIFY',
  secretKey: SECRET,
  bucket: 'examplebucket',
  region: 'us-west-2',
  key: 'a/b.txt',
  startTime: T0,
  expires: 900,
  params: { versionId: 'v1' },
};
// The SDKs' URLs, made once.
const presigned = { cos: cosSdkUrl(cos), tos: tosSdkUrl(tos), s3: s3SdkUrl(s3) };

function codes(url: string, o: Partial<Parameters<typeof verifyUrl>[1]>, now = at(T0 + 10)): string[] {
  return verifyUrl(url, { secretKey: SECRET, now, ...o }).reasons.map((r) => r.code);
}

describe('inspectUrl', () => {
  test('window: time left, expired ago, not yet valid', () => {
    const url = presigned.s3;
    expect(inspectUrl(url, { now: at(T0 + 100) })).toMatchObject({
      status: 'valid',
      secondsLeft: 800,
      lifetimeSeconds: 900,
    });
    expect(inspectUrl(url, { now: at(T0 + 1000) })).toMatchObject({ status: 'expired', secondsLeft: -100 });
    expect(inspectUrl(url, { now: at(T0 - 30) })).toMatchObject({ status: 'not-yet-valid', secondsToStart: 30 });
  });

  test('COS: headers to send, signed and unsigned params, removed params, token', () => {
    const url = cosSdkUrl({ ...cos, securityToken: 'TOKEN-SECRET-VALUE' });
    const info = inspectUrl(url + '&added=1');
    expect(info).toMatchObject({
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      key: 'docs/report 2026.pdf',
      securityToken: 'signed',
    });
    expect(info.headersToSend).toEqual(['content-type']);
    expect(info.signedParams).toEqual([{ name: 'response-cache-control', value: 'no-cache' }]);
    expect(info.unsignedParams).toEqual([{ name: 'added', value: '1' }]);
    expect(info.notes).toContainEqual({
      code: 'unsigned-params',
      message: expect.stringMatching(/^added is not in q-url-param-list/),
    });
    expect(JSON.stringify(info)).not.toContain('TOKEN-SECRET-VALUE');
    const removed = inspectUrl(url.replace('response-cache-control=no-cache&', ''));
    expect(removed.missingSignedParams).toEqual(['response-cache-control']);
  });

  test('COS: "./" written as ".%2F" comes back as the raw key', () => {
    // Signed by the SDK for HttpURI /a/./b, written as the Python SDK writes it so clients keep the dot segment.
    const url = cosSdkUrl({ ...cos, key: 'a/./b', headers: {}, params: {} }).replace('/a/./b?', '/a/.%2Fb?');
    expect(url).toContain('/a/.%2Fb?');
    expect(inspectUrl(url).key).toBe('a/./b');
    expect(verifyUrl(url, { secretKey: SECRET, method: 'PUT', now: at(T0) }).ok).toBe(true);
  });

  test('S3: path-style, unknown hosts, and the bucket hint', () => {
    const path = s3SdkUrl({ ...s3, endpoint: 'http://127.0.0.1:9000' });
    expect(inspectUrl(path)).toMatchObject({ addressing: 'path', bucket: 'examplebucket', key: 'a/b.txt' });
    const minio = s3SdkUrl({ ...s3, endpoint: 'https://minio.example.com' });
    expect(inspectUrl(minio)).toMatchObject({ addressing: 'unknown', key: 'examplebucket/a/b.txt' });
    expect(inspectUrl(minio).bucket).toBeUndefined();
    expect(inspectUrl(minio, { bucket: 'examplebucket' })).toMatchObject({
      addressing: 'path',
      bucket: 'examplebucket',
      key: 'a/b.txt',
    });
  });

  test.each([
    ['not a URL', 'examplebucket/a.txt', /not an http\(s\) URL/],
    ['no query', 'https://h.example.com/a.txt', /no query string/],
    ['not presigned', 'https://h.example.com/a.txt?x=1', /not a presigned URL/],
    [
      'bad percent-encoding',
      'https://h.example.com/a.txt?q-sign-algorithm=sha1&q-ak=%ZZ',
      /malformed percent-encoding/,
    ],
    ['cut short', 'https://h.example.com/a.txt?q-sign-algorithm=sha1&q-ak=x', /no q-sign-time parameter/],
  ])('refuses %s with a PresignError on field url', (_n, url, msg) => {
    let err: unknown;
    try {
      inspectUrl(url);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PresignError);
    expect((err as PresignError).field).toBe('url');
    expect((err as PresignError).message).toMatch(msg);
  });
});

describe('verifyUrl reasons', () => {
  const cosUrl = presigned.cos;
  const cosHeaders = { 'Content-Type': 'application/pdf' };

  test('a good URL verifies, and unsigned headers sent are only a warning', () => {
    const r = verifyUrl(cosUrl, {
      secretKey: SECRET,
      method: 'put',
      headers: { ...cosHeaders, 'User-Agent': 'x' },
      now: at(T0 + 1),
    });
    expect(r).toMatchObject({ ok: true, signatureMatches: true, method: 'PUT', reasons: [] });
    expect(r.warnings).toContainEqual({
      code: 'unsigned-headers-sent',
      message: expect.stringMatching(/^user-agent is not signed/),
    });
  });

  test('wrong method', () => {
    const r = verifyUrl(cosUrl, { secretKey: SECRET, headers: cosHeaders, now: at(T0) });
    expect(r.reasons.map((x) => x.code)).toEqual(['wrong-method']);
    expect(r.reasons[0].message).toMatch(/signed for PUT, not GET; send the request with PUT/);
  });

  test('signed header not given: needs-headers, not a failure; the usual value is tried', () => {
    const r = verifyUrl(cosUrl, { secretKey: SECRET, method: 'PUT', now: at(T0) });
    expect(r).toMatchObject({ verdict: 'needs-headers', ok: false, signatureMatches: true, reasons: [] });
    expect(r.headersToSend).toEqual([
      { name: 'content-type', value: 'application/pdf', note: 'found: the signature matches with this value' },
    ]);
  });

  test('different signed header value', () => {
    const r = verifyUrl(cosUrl, {
      secretKey: SECRET,
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      now: at(T0),
    });
    expect(r.reasons.map((x) => x.code)).toEqual(['signature-mismatch']);
    expect(r.reasons[0].message).toContain(
      'a signed header value differs from the one signed (content-type: "text/plain")',
    );
  });

  test('expired and not yet valid (signature fine)', () => {
    const late = verifyUrl(cosUrl, { secretKey: SECRET, method: 'PUT', headers: cosHeaders, now: at(T0 + 600 + 7200) });
    expect(late.signatureMatches).toBe(true);
    expect(late.reasons.map((x) => x.code)).toEqual(['expired']);
    expect(late.reasons[0].message).toMatch(/^expired 2h ago \(at 2026-01-01T00:10:00.000Z\)/);
    const early = verifyUrl(cosUrl, { secretKey: SECRET, method: 'PUT', headers: cosHeaders, now: at(T0 - 90) });
    expect(early.reasons.map((x) => x.code)).toEqual(['not-yet-valid']);
    expect(early.reasons[0].message).toMatch(/1m 30s from now/);
  });

  test('host changed: a proxy sends another Host', () => {
    const r = verifyUrl(cosUrl, {
      secretKey: SECRET,
      method: 'PUT',
      headers: { ...cosHeaders, Host: 'cdn.example.com' },
      now: at(T0),
    });
    expect(r.reasons.map((x) => x.code)).toEqual(['host-changed']);
    expect(r.reasons[0].message).toMatch(
      /covers the host examplebucket-1250000000\.cos\.ap-guangzhou\.myqcloud\.com, but the request reaches the server as cdn\.example\.com/,
    );
    expect(r.reasons[0].message).toMatch(/as the custom domain cdn\.example\.com/);
  });

  test('host changed: the URL host was edited away from the default endpoint', () => {
    const s3Url = presigned.s3.replace('examplebucket.s3.us-west-2.amazonaws.com', 'examplebucket.s3.amazonaws.com');
    const r = verifyUrl(s3Url, { secretKey: SECRET, now: at(T0) });
    expect(r.reasons.map((x) => x.code)).toEqual(['host-changed']);
    expect(r.reasons[0].message).toContain(
      'covers the host examplebucket.s3.us-west-2.amazonaws.com, but the request reaches the server as examplebucket.s3.amazonaws.com',
    );
    const tosUrl = presigned.tos.replace('.volces.com/', '.ivolces.com/');
    expect(codes(tosUrl, {})).toEqual(['host-changed']);
  });

  test('host changed: an explicit default port', () => {
    const url = presigned.tos.replace('.volces.com/', '.volces.com:443/');
    const r = verifyUrl(url, { secretKey: SECRET, now: at(T0) });
    expect(r.reasons.map((x) => x.code)).toEqual(['host-changed']);
    expect(r.reasons[0].message).toContain(
      'covers the host examplebucket.tos-cn-beijing.volces.com, but the request reaches the server as examplebucket.tos-cn-beijing.volces.com:443',
    );
  });

  test('host not signed: another host is fine, with a warning', () => {
    const url = cosSdkUrl({ ...cos, signHost: false }).replace(
      'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com',
      'cdn.example.com',
    );
    const r = verifyUrl(url, { secretKey: SECRET, method: 'PUT', headers: cosHeaders, now: at(T0) });
    expect(r.ok).toBe(true);
    expect(r.warnings).toContainEqual({ code: 'host-unsigned', message: expect.stringMatching(/^host is not signed/) });
  });

  test('S3/TOS: a parameter added after signing', () => {
    const url = presigned.s3 + '&response-content-type=text%2Fhtml';
    const r = verifyUrl(url, { secretKey: SECRET, now: at(T0) });
    expect(r.reasons.map((x) => x.code)).toEqual(['param-added']);
    expect(r.reasons[0].message).toMatch(/"response-content-type" was added to the URL after signing/);
    const t = presigned.tos + '&a=1&b=2';
    expect(codes(t, {})).toEqual(['param-added']);
  });

  test('COS: a signed parameter removed, an unsigned one added', () => {
    const removed = cosUrl.replace('response-cache-control=no-cache&', '');
    const r = verifyUrl(removed, { secretKey: SECRET, method: 'PUT', headers: cosHeaders, now: at(T0) });
    expect(r.reasons.map((x) => x.code)).toEqual(['param-removed']);
    expect(r.reasons[0].message).toMatch(/signs the parameter "response-cache-control", but the URL does not carry it/);
    const added = verifyUrl(cosUrl + '&response-content-type=text%2Fhtml', {
      secretKey: SECRET,
      method: 'PUT',
      headers: cosHeaders,
      now: at(T0),
    });
    expect(added.ok).toBe(true); // COS checks only the listed params…
    expect(added.warnings).toContainEqual({
      code: 'unsigned-params',
      message: expect.stringMatching(/^response-content-type is not in q-url-param-list/),
    }); // …and says so
  });

  test('signed parameter changed and wrong secret: the same result, said honestly', () => {
    const changed = presigned.s3.replace('versionId=v1', 'versionId=v2');
    const r = verifyUrl(changed, { secretKey: SECRET, now: at(T0) });
    expect(r.reasons.map((x) => x.code)).toEqual(['signature-mismatch']);
    expect(r.reasons[0].message).toMatch(
      /the secret key is not the one of access key id AKIAVERIFY.*or a signed parameter value \(versionId\) was edited/,
    );
    expect(codes(presigned.s3, { secretKey: 'another-secret' })).toEqual(['signature-mismatch']);
  });

  test('wrong access key id is named when the caller says whose secret it is', () => {
    const r = verifyUrl(presigned.s3, { secretKey: 'another-secret', secretId: 'AKIAOTHER', now: at(T0) });
    expect(r.reasons.map((x) => x.code)).toEqual(['wrong-access-key']);
    expect(r.reasons.find((x) => x.code === 'wrong-access-key')!.message).toMatch(
      /signed by access key id AKIAVERIFY, but the credentials given are for AKIAOTHER/,
    );
  });

  test('S3 lifetime over 7 days', () => {
    const url = presigned.s3.replace('X-Amz-Expires=900', 'X-Amz-Expires=604801');
    expect(codes(url, {})).toContain('lifetime-too-long');
  });

  test('bad options name the field', () => {
    expect(() => verifyUrl(cosUrl, { secretKey: '' })).toThrow(expect.objectContaining({ field: 'secretKey' }));
    expect(() => verifyUrl(cosUrl, { secretKey: SECRET, method: 'FETCH' as never })).toThrow(
      expect.objectContaining({ field: 'method' }),
    );
    expect(() => verifyUrl(cosUrl, { secretKey: SECRET, headers: { a: '1', A: '2' } })).toThrow(
      expect.objectContaining({ field: 'headers' }),
    );
  });

  test('formatDuration', () => {
    expect([5, 60, 90, 3600, 3660, 86400, 90000].map(formatDuration)).toEqual([
      '5s',
      '1m',
      '1m 30s',
      '1h',
      '1h 1m',
      '1d',
      '1d 1h',
    ]);
  });
});
