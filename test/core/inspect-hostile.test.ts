/**
 * Hostile input to inspectUrl/verifyUrl (security round 2, finding 3): URLs at the size cap with
 * thousands of parameters, hosts built from repeated endpoint fragments, long keys and long
 * malformed text. Each call must finish well within a second (the quadratic versions took 1-30 s
 * on such input), and the work of the "which parameter was added" search is counted: a bounded
 * number of signatures, however many parameters the URL carries.
 */
import * as hash from '../../src/core/hash';
import { inspectUrl, MAX_URL_LENGTH, PresignError, verifyUrl } from '../../src';
import { cosSdkUrl, s3SdkUrl, tosSdkUrl } from './inspect-sdk';

const T0 = 1767225600; // 2026-01-01T00:00:00Z
const now = () => T0 * 1000 + 10_000;
const SECRET = 'hostile-input-secret-0123456789';
const base = { secretId: 'AKIDHOSTILE', secretKey: SECRET, key: 'a/b.txt', startTime: T0, expires: 600 };
const s3Url = s3SdkUrl({ ...base, bucket: 'examplebucket', region: 'us-west-2' });
const tosUrl = tosSdkUrl({ ...base, bucket: 'examplebucket', region: 'cn-beijing' });
const cosUrl = cosSdkUrl({ ...base, bucket: 'examplebucket-1250000000', region: 'ap-guangzhou' });
const queryOf = (url: string) => url.slice(url.indexOf('?') + 1);

/** Milliseconds one call takes; the bound is generous, it only says "not seconds". */
const LIMIT_MS = 1500;
function timed<T>(fn: () => T): { ms: number; value?: T; error?: unknown } {
  const t = process.hrtime.bigint();
  try {
    const value = fn();
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
  } catch (error) {
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, error };
  }
}

/** `&p0=v0&p1=v1…` up to `length` characters. */
function manyParams(length: number, prefix = 'p'): string {
  let q = '';
  for (let i = 0; q.length < length - 24; i++) q += `&${prefix}${i}=v${i}`;
  return q;
}

describe('the size cap', () => {
  test('MAX_URL_LENGTH is 64 KiB and named in the refusal', () => {
    expect(MAX_URL_LENGTH).toBe(65536);
    const long = s3Url + '&pad=' + 'a'.repeat(MAX_URL_LENGTH - s3Url.length);
    expect(long.length).toBe(MAX_URL_LENGTH + 5);
    for (const url of [long, 'https://' + 'h'.repeat(MAX_URL_LENGTH), 'x'.repeat(10 * MAX_URL_LENGTH)]) {
      const r = timed(() => inspectUrl(url));
      expect(r.error).toBeInstanceOf(PresignError);
      expect((r.error as PresignError).field).toBe('url');
      expect((r.error as PresignError).message).toMatch(/characters long; .*only URLs up to 65536 characters are read/);
      expect(r.ms).toBeLessThan(LIMIT_MS);
    }
  });

  test('a URL just under the cap is read', () => {
    const url = s3Url + '&pad=' + 'a'.repeat(MAX_URL_LENGTH - s3Url.length - 5);
    expect(url.length).toBe(MAX_URL_LENGTH);
    expect(inspectUrl(url, { now }).signedParams).toEqual([
      { name: 'pad', value: 'a'.repeat(MAX_URL_LENGTH - s3Url.length - 5) },
    ]);
  });
});

describe('many parameters: the added-parameter search stays linear', () => {
  // Every signature computed hashes one canonical request (SigV4) or HttpString (COS).
  let hashed = 0;
  const { sha256Hex, sha1Hex } = hash;
  beforeEach(() => {
    hashed = 0;
    jest.spyOn(hash, 'sha256Hex').mockImplementation((d) => (hashed++, sha256Hex(d)));
    jest.spyOn(hash, 'sha1Hex').mockImplementation((d) => (hashed++, sha1Hex(d)));
  });
  afterEach(() => jest.restoreAllMocks());

  // Signed parameters by the hundred (the SDK signed them all; aws4's query parser keeps at most
  // 1000), then one or many appended.
  const signedMany = Object.fromEntries(Array.from({ length: 900 }, (_, i) => [`s${i}`, `v${i}`]));
  const s3Many = s3SdkUrl({ ...base, bucket: 'examplebucket', region: 'us-west-2', params: signedMany });
  const tosMany = tosSdkUrl({ ...base, bucket: 'examplebucket', region: 'cn-beijing', params: signedMany });

  test.each([
    ['S3, one appended to 900 signed', s3Many + '&added=1', ['param-added'], /"added" was added/],
    ['TOS, one appended to 900 signed', tosMany + '&added=1', ['param-added'], /"added" was added/],
    [
      'S3, one inserted before the signature',
      s3Many.replace('&X-Amz-Signature', '&added=1&X-Amz-Signature'),
      ['param-added'],
      /"added" was added/,
    ],
    [
      'S3, thousands appended',
      s3Url + manyParams(MAX_URL_LENGTH - s3Url.length),
      ['param-added'],
      /parameters p0, p1, .* were added/,
    ],
    [
      'TOS, thousands appended',
      tosUrl + manyParams(MAX_URL_LENGTH - tosUrl.length),
      ['param-added'],
      /parameters p0, p1, .* were added/,
    ],
    ['S3, 900 signed and the wrong secret', s3Many, ['signature-mismatch'], /secret key is not the one/],
    [
      'S3, thousands inserted between auth parameters',
      s3Url.replace('&X-Amz-Expires', manyParams(MAX_URL_LENGTH - s3Url.length) + '&X-Amz-Expires'),
      ['param-added'],
      /were added/,
    ],
  ])('%s', (_name, url, codes, message) => {
    expect(url.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
    expect(url.length).toBeGreaterThan(8000);
    const secretKey = codes[0] === 'signature-mismatch' ? 'another-secret' : SECRET;
    const r = timed(() => verifyUrl(url, { secretKey, now }));
    expect(r.error).toBeUndefined();
    expect(r.value!.reasons.map((x) => x.code)).toEqual(codes);
    expect(r.value!.reasons[0].message).toMatch(message);
    // 5 methods, a handful of hosts, at most 2 x 8 single removals and 2 groups: never per parameter.
    expect(hashed).toBeLessThanOrEqual(40);
    expect(r.ms).toBeLessThan(LIMIT_MS);
  });

  test('COS: thousands of unsigned and of listed-but-missing parameters', () => {
    const unsigned = cosUrl + manyParams(MAX_URL_LENGTH - cosUrl.length);
    const r1 = timed(() => verifyUrl(unsigned, { secretKey: SECRET, now }));
    expect(r1.value!.ok).toBe(true);
    expect(r1.value!.inspected.unsignedParams.length).toBeGreaterThan(3000);
    const listed = Array.from({ length: 4000 }, (_, i) => `m${i}`).join(';');
    const missing = cosUrl.replace(/q-url-param-list=[^&]*/, `q-url-param-list=${listed}`);
    const r2 = timed(() => verifyUrl(missing, { secretKey: SECRET, now }));
    expect(r2.value!.reasons.filter((x) => x.code === 'param-removed')).toHaveLength(4000);
    expect(hashed).toBeLessThanOrEqual(40);
    for (const r of [r1, r2]) expect(r.ms).toBeLessThan(LIMIT_MS);
  });
});

describe('hosts made of repeated endpoint fragments', () => {
  const fill = (unit: string, tail: string, room: number) =>
    unit.repeat(Math.floor((MAX_URL_LENGTH - room - tail.length) / unit.length)) + tail;
  const hosts: Array<[string, string]> = [
    ['x.s3-', 'amazonaws.co'],
    ['x.s3-', 'amazonaws.com'],
    ['s3.', 'amazonaws.com.cn.x'],
    ['a-1.cos.', 'myqcloud.co'],
    ['a-1.cos.', 'x.myqcloud.com'],
    ['1-', '1.cos.ap-guangzhou.myqcloud.com'],
    ['b.tos-', 'cn.volces.co'],
    ['tos-s3-', 'x.volces.com'],
    ['a.', 'b'],
    ['-', '.x'],
  ];
  const urls: Array<[string, string]> = [
    ['COS', cosUrl],
    ['TOS', tosUrl],
    ['S3', s3Url],
  ];

  test.each(hosts)('%s… then %s', (unit, tail) => {
    for (const [, url] of urls) {
      const host = fill(unit, tail, url.length);
      const hostile = url.replace(/^https:\/\/[^/]+/, 'https://' + host);
      const r = timed(() => inspectUrl(hostile, { now }));
      expect(r.ms).toBeLessThan(LIMIT_MS);
      expect(r.error).toBeUndefined();
      // Too long for a DNS name: never read as a provider's endpoint, so no bucket is claimed.
      expect(r.value!.bucket).toBeUndefined();
      expect(r.value!.host).toBe(host);
    }
  });

  test('malformed hosts and ports are refused quickly', () => {
    for (const host of [
      '['.repeat(60000),
      '[' + ':'.repeat(60000),
      'a:' + '1'.repeat(60000) + 'x',
      ':'.repeat(60000),
      '[::1]' + ':1'.repeat(30000),
    ]) {
      const r = timed(() => inspectUrl(`https://${host}/a?${queryOf(s3Url)}`));
      expect(r.ms).toBeLessThan(LIMIT_MS);
      expect((r.error as PresignError).message).toMatch(/host .* is not valid/);
    }
  });
});

describe('long keys and long malformed text', () => {
  test.each([
    ['a key of 20000 segments', '/' + 'a/'.repeat(20000) + 'b'],
    ['a key of escapes', '/' + '%41'.repeat(20000)],
    ['a key of dot segments', '/' + './'.repeat(20000) + 'x'],
    ['a key of 60000 characters', '/' + 'k'.repeat(60000)],
  ])('%s', (_name, path) => {
    for (const url of [s3Url, cosUrl, tosUrl]) {
      const hostile = url.replace(/^(https:\/\/[^/]+)\/a\/b\.txt/, `$1${path}`);
      const r = timed(() => verifyUrl(hostile, { secretKey: SECRET, now }));
      expect(r.ms).toBeLessThan(LIMIT_MS);
      expect(r.value!.ok).toBe(false);
    }
  });

  test.each([
    ['whitespace at the end of a long host', 'https://' + 'a'.repeat(60000) + ' x'],
    ['a long path then whitespace', 'https://h.example.com/' + 'a'.repeat(60000) + ' ?x'],
    ['60000 ampersands', 'https://h.example.com/a?' + '&'.repeat(60000)],
    ['60000 equals signs', 'https://h.example.com/a?q-sign-algorithm=' + '='.repeat(60000)],
    ['60000 percent signs', 'https://h.example.com/a?x=' + '%'.repeat(60000)],
    ['a repeated auth parameter', 'https://h.example.com/a?' + 'X-Amz-Algorithm=AWS4-HMAC-SHA256&'.repeat(1800)],
    ['a long q-sign-time', cosUrl.replace(/q-sign-time=[^&]*/, 'q-sign-time=' + '1'.repeat(60000))],
    ['60000 closing brackets after the signature', s3Url + ')'.repeat(60000)],
    ['60000 quotes around the URL', '"'.repeat(30000) + s3Url + '"'.repeat(30000)],
    ['60000 HTML ampersands', s3Url + '&amp;'.repeat(12000)],
    ['a URL wrapped every character', s3Url.split('').join('\n')],
    [
      'a long X-Amz-Credential of slashes',
      s3Url.replace(/X-Amz-Credential=[^&]*/, 'X-Amz-Credential=' + '%2F'.repeat(20000)),
    ],
  ])('%s', (_name, url) => {
    expect(url.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
    const r = timed(() => verifyUrl(url, { secretKey: SECRET, now }));
    expect(r.ms).toBeLessThan(LIMIT_MS);
    expect(r.error === undefined ? r.value!.ok : r.error).not.toBe(true);
  });
});
