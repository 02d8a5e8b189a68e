/** createPresigner: the batch form signs exactly what presign() signs, with shared work done once. */
import { createPresigner, presign, PresignError, PresignInput, Provider } from '../../src';
import { verify } from '../helpers/oracle';

const NOW = Date.UTC(2026, 10, 23, 12);
const clock = { now: () => NOW };
const SECRET = 'BATCHsecret0123456789abcdefXYZ';
const BASE: Record<Provider, Omit<PresignInput, 'key'>> = {
  cos: {
    provider: 'cos',
    secretId: 'AKIDbatch',
    secretKey: SECRET,
    securityToken: 'tok+/=',
    bucket: 'examplebucket-1250000000',
    region: 'ap-guangzhou',
    expires: 600,
  },
  tos: {
    provider: 'tos',
    secretId: 'AKLTbatch',
    secretKey: SECRET,
    bucket: 'examplebucket',
    region: 'cn-beijing',
    params: { 'x-tos-process': 'a' },
  },
  s3: {
    provider: 's3',
    secretId: 'AKIABATCH',
    secretKey: SECRET,
    securityToken: 'tok+/=',
    bucket: 'examplebucket',
    region: 'us-west-2',
    headers: { 'x-amz-meta-a': 'b' },
  },
};
const KEYS = ['a.txt', 'dir/with space.txt', 'paren (1).pdf', '报告/中文 ü.pdf', '😀/emoji', 'a+b=c&d', '/leading'];

describe.each(['cos', 'tos', 's3'] as const)('%s', (p) => {
  test('every key gives the same URL, headers, expiry and warnings as presign()', () => {
    const signer = createPresigner(BASE[p], clock);
    for (const key of KEYS) {
      const want = presign({ ...BASE[p], key }, clock);
      const got = signer.presign(key);
      expect(got).toEqual(want);
      expect(verify(p, { url: got.url, method: got.method, headers: got.headers }, SECRET)).toMatchObject({ ok: true });
    }
  });

  test('per-URL overrides of method, headers and params equal presign() with those fields', () => {
    const signer = createPresigner(BASE[p], clock);
    const overrides = [
      { method: 'PUT' as const, headers: { 'Content-Type': 'text/plain', 'x-cos-meta-x': '1', 'x-tos-meta-x': '1' } },
      { params: { 'response-content-disposition': 'attachment' } },
      { method: 'head' as const, params: new Map([['versionId', 'v1']]) as unknown as Record<string, string> },
      {},
    ];
    for (const o of overrides) {
      const got = signer.presign('k/x.bin', o);
      expect(got).toEqual(presign({ ...BASE[p], key: 'k/x.bin', ...o }, clock));
      expect(verify(p, { url: got.url, method: got.method, headers: got.headers }, SECRET)).toMatchObject({ ok: true });
    }
    // an override does not stick: the next URL uses the batch's own values again
    expect(signer.presign('k/x.bin')).toEqual(presign({ ...BASE[p], key: 'k/x.bin' }, clock));
  });

  test('bad shared input is refused when the presigner is made; a bad key or override per URL, naming the field', () => {
    expect(() => createPresigner({ ...BASE[p], bucket: 'Bad Bucket' }, clock)).toThrow(PresignError);
    const signer = createPresigner(BASE[p], clock);
    for (const [key, o, field] of [
      ['', {}, 'key'],
      ['/', {}, 'key'],
      ['ok', { method: 'PATCH' }, 'method'],
      ['ok', { headers: { 'a b': 'x' } }, 'headers'],
      ['ok', { params: { 'response-expires': '\r\n' } }, 'params'],
      ['ok', { headers: new Set() }, 'headers'],
    ] as const) {
      let err: unknown;
      try {
        signer.presign(key, o as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PresignError);
      expect((err as PresignError).field).toBe(field);
    }
    expect(signer.presign('still/works').url).toContain('/still/works?');
  });

  test('the window is fixed when the presigner is made; results share no mutable state', () => {
    let now = NOW;
    const signer = createPresigner(BASE[p], { now: () => now });
    const a = signer.presign('a');
    now += 3600_000;
    const b = signer.presign('a');
    expect(b.url).toBe(a.url);
    a.warnings.push('mine');
    a.headers.extra = 'x';
    expect(signer.presign('a')).toEqual(b);
  });

  test('a secret pasted into a key or override is redacted in the per-URL error', () => {
    const signer = createPresigner(BASE[p], clock);
    try {
      signer.presign('ok', { headers: { [`x-${SECRET.toUpperCase()}`]: '\n' } });
      throw new Error('expected a refusal');
    } catch (e) {
      expect((e as Error).message.toLowerCase()).not.toContain(SECRET.toLowerCase());
      expect((e as Error).message).toContain('<secretKey>');
    }
  });
});

test('PresignError carries field, a stable code and the detail; message stays "field: detail"', () => {
  const cases: Array<[Partial<PresignInput>, string, string]> = [
    [{ key: '' }, 'key', 'required'],
    [{ key: '/' }, 'key', 'unsafe'],
    [{ expires: 1e12 }, 'expires', 'out-of-range'],
    [{ startTime: Math.floor(NOW / 1000) - 7200, expires: 60 }, 'startTime', 'expired'],
    [{ params: { a: '1', A: '2' } }, 'params', 'conflict'],
    [{ method: 'PATCH' as 'GET' }, 'method', 'invalid'],
  ];
  for (const [patch, field, code] of cases) {
    try {
      presign({ ...BASE.s3, key: 'k', ...patch } as PresignInput, clock);
      throw new Error(`expected a refusal on ${field}`);
    } catch (e) {
      const err = e as PresignError;
      expect({ field: err.field, code: err.code }).toEqual({ field, code });
      expect(err.message).toBe(`${field}: ${err.detail}`);
    }
  }
});
