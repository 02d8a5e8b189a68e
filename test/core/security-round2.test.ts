/**
 * Security round 2 (issue 10), the core's classes: each class is tried with several inputs, and
 * every accepted URL is checked with the independent oracle (test/helpers/oracle.ts).
 */
import { COS_MAX_EXPIRES, presign, PresignInput, Provider } from '../../src';
import { parseAmzDate, parseIsoTime } from '../../src/core/time';
import { verify } from '../helpers/oracle';
import { attempt, expectRefused } from '../helpers/refusal';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const nowSec = NOW / 1000;
const clock = { now: () => NOW };
const SECRET = 'R2secretKEY0123456789abcdefGHIJ';
const TOKEN = 'R2token+/=ABCDEFGHIJklmnop0123456789';
const PROVIDERS = ['cos', 'tos', 's3'] as const;

const BASE: Record<Provider, PresignInput> = {
  cos: {
    provider: 'cos',
    secretId: 'AKIDround2',
    secretKey: SECRET,
    bucket: 'examplebucket-1250000000',
    region: 'ap-guangzhou',
    key: 'a/b.txt',
  },
  tos: {
    provider: 'tos',
    secretId: 'AKLTround2',
    secretKey: SECRET,
    bucket: 'examplebucket',
    region: 'cn-beijing',
    key: 'a/b.txt',
  },
  s3: {
    provider: 's3',
    secretId: 'AKIAROUND2',
    secretKey: SECRET,
    bucket: 'examplebucket',
    region: 'us-east-1',
    key: 'a/b.txt',
  },
};

function signed(input: PresignInput) {
  const r = presign(input, clock);
  expect(verify(input.provider!, { url: r.url, method: r.method, headers: r.headers }, input.secretKey)).toMatchObject({
    ok: true,
  });
  expect(new URL(r.url).href).toBe(r.url);
  return r;
}

describe('10.4 headers and params in the shapes plain-JS callers use', () => {
  const pairs: Array<[string, string]> = [
    ['Content-Type', 'text/plain'],
    ['x-cos-meta-a', '1'],
    ['x-tos-meta-a', '1'],
    ['x-amz-meta-a', '1'],
  ];
  const shapes: Array<[string, () => unknown]> = [
    ['Map', () => new Map(pairs)],
    ['array of pairs', () => pairs.map(([n, v]) => [n, v])],
    ['null-prototype object', () => Object.assign(Object.create(null), Object.fromEntries(pairs))],
    ['Headers', () => new Headers(pairs)],
  ];
  test.each(PROVIDERS)(
    '%s: Map, Headers, arrays of pairs sign the same as a plain object (names as the shape keeps them)',
    (p) => {
      for (const [shape, make] of shapes) {
        const value = make();
        const want =
          shape === 'Headers'
            ? Object.fromEntries(pairs.map(([n, v]) => [n.toLowerCase(), v]))
            : Object.fromEntries(pairs);
        const r = signed({ ...BASE[p], method: 'PUT', headers: value as Record<string, string> });
        expect(r.url).toBe(presign({ ...BASE[p], method: 'PUT', headers: want }, clock).url);
        expect(Object.keys(r.headers).length).toBeGreaterThan(0);
      }
    },
  );

  test.each(PROVIDERS)('%s: params as URLSearchParams, Map and pairs are signed, not dropped', (p) => {
    const want = { 'response-content-type': 'text/plain', versionId: 'v 1' };
    for (const value of [new URLSearchParams(want), new Map(Object.entries(want)), Object.entries(want)]) {
      const r = signed({ ...BASE[p], params: value as unknown as Record<string, string> });
      expect(r.url).toBe(presign({ ...BASE[p], params: want }, clock).url);
      expect(r.url).toContain('versionId=v%201');
    }
  });

  class Custom {
    'Content-Type' = 'text/plain';
  }
  const refused: Array<[string, unknown]> = [
    ['a Set of pairs', new Set([['Content-Type', 'text/plain']])],
    ['a string', 'Content-Type: text/plain'],
    ['a number', 42],
    ['a Date', new Date(0)],
    ['a class instance', new Custom()],
    ['a WeakMap', new WeakMap()],
    ['a function', () => ({})],
    [
      'a custom iterable',
      {
        [Symbol.iterator]: function* () {
          yield ['Content-Type', 'text/plain'];
        },
      },
    ],
    ['an array of strings', ['Content-Type', 'text/plain']],
    ['an array with a one-element entry', [['Content-Type']]],
    ['an array with a numeric name', [[1, 'x']]],
    ['an array with a 3-element entry', [['a', 'b', 'c']]],
  ];
  test.each(refused.map(([n, v]) => [n, v]))('headers and params as %s are refused naming the field', (_n, value) => {
    for (const p of PROVIDERS) {
      expectRefused({ ...BASE[p], headers: value as Record<string, string> }, 'headers', clock);
      expectRefused({ ...BASE[p], params: value as Record<string, string> }, 'params', clock);
    }
  });

  test('a name given twice (URLSearchParams, pairs) is refused, not silently reduced to one', () => {
    for (const p of PROVIDERS) {
      expectRefused(
        { ...BASE[p], params: new URLSearchParams('a=1&a=2') as unknown as Record<string, string> },
        'params',
        clock,
      );
      expectRefused(
        {
          ...BASE[p],
          headers: [
            ['x-amz-meta-a', '1'],
            ['x-amz-meta-a', '2'],
          ] as unknown as Record<string, string>,
        },
        'headers',
        clock,
      );
    }
  });
});

describe('10.6 secrets never appear in errors or warnings, in any case, however short', () => {
  const FIELDS = ['bucket', 'region', 'method', 'endpoint', 'domain', 'scheme'] as const;
  const caseForms = (s: string) => [s, s.toLowerCase(), s.toUpperCase(), s[0].toLowerCase() + s.slice(1).toUpperCase()];

  test.each(PROVIDERS)('%s: a secret pasted into an ordinary field is redacted in every letter case', (p) => {
    let refusals = 0;
    for (const secretKey of [SECRET, 'MiXeDcAsE-SeCrEt-42', 'S3cr', 'Ab12Cd']) {
      for (const [field, value] of FIELDS.flatMap((f) => caseForms(secretKey).map((v) => [f, v] as const))) {
        const input = { ...BASE[p], secretKey, securityToken: TOKEN, [field]: value } as PresignInput;
        const r = attempt(input, clock);
        if ('ok' in r) continue;
        refusals++;
        const text = `${r.error.message}\n${r.error.stack}`.toLowerCase();
        expect(text).not.toContain(secretKey.toLowerCase());
        if (r.error.message.includes('<')) expect(r.error.message).toMatch(/<secretKey>/);
      }
      // the token too, upper-cased into a header value of a Host header naming another host
      const r = attempt({ ...BASE[p], securityToken: TOKEN, headers: { Host: TOKEN.toUpperCase() } }, clock);
      expect('error' in r && r.error.message.toLowerCase().includes(TOKEN.toLowerCase())).toBe(false);
    }
    expect(refusals).toBeGreaterThan(40);
  });

  test('secrets of 4 to 7 characters are redacted as whole words; ordinary words around them stay', () => {
    for (const secretKey of ['S3cr', 'abcd12', 'Zq9Zq9Z']) {
      const e = expectRefused({ ...BASE.s3, secretKey, bucket: secretKey.toUpperCase() }, 'bucket', clock);
      expect(e.message.toLowerCase()).not.toContain(secretKey.toLowerCase());
      expect(e.message).toContain('<secretKey>');
      expect(e.message).toContain('is not an S3 bucket name');
    }
  });

  test('secretId === secretKey is refused naming secretKey, quoting neither', () => {
    for (const p of PROVIDERS) {
      for (const same of [SECRET, 'AKIDsame0000', 'abcdEFGH+==', 'Zq9Zq9']) {
        const e = expectRefused({ ...BASE[p], secretId: same, secretKey: same }, 'secretKey', clock);
        expect(e.message).not.toContain(same);
      }
    }
    // The built-in logins of s3rver and MinIO are public: nothing secret to protect.
    for (const same of ['S3RVER', 'minioadmin']) {
      expect(() =>
        presign({ ...BASE.s3, endpoint: 'http://127.0.0.1:9000', secretId: same, secretKey: same }, clock),
      ).not.toThrow();
    }
  });

  test('warnings are redacted the same way', () => {
    const r = presign({ ...BASE.cos, headers: { [`X-${SECRET.toLowerCase()}`]: '1' } }, clock);
    expect(r.warnings.join('\n').toLowerCase()).not.toContain(SECRET.toLowerCase());
    expect(r.warnings.join('\n')).toMatch(/<secretKey>/);
  });
});

describe('10.7 inputs that escaped validation', () => {
  test('COS lifetimes are bounded at 10 years (COS_MAX_EXPIRES), and expiresAt is always a valid Date', () => {
    expect(COS_MAX_EXPIRES).toBe(315360000);
    expect(signed({ ...BASE.cos, expires: COS_MAX_EXPIRES }).expiresAt.getTime()).toBe(NOW + COS_MAX_EXPIRES * 1000);
    for (const expires of [COS_MAX_EXPIRES + 1, 1e12, Number.MAX_SAFE_INTEGER, 1e21, 2 ** 60])
      expectRefused({ ...BASE.cos, expires }, 'expires', clock);
  });

  test('start times beyond year 9999, or not safe integers, are refused naming startTime', () => {
    for (const p of PROVIDERS) {
      for (const startTime of [1e21, 1e15, 253402300800, Number.MAX_SAFE_INTEGER + 1, 2 ** 53 + 2])
        expectRefused({ ...BASE[p], startTime }, 'startTime', clock);
      // a start just inside the range whose end is not
      expectRefused({ ...BASE[p], startTime: 253402300799 - 10, expires: 60 }, 'startTime', clock);
    }
  });

  test('BigInt expires, startTime and credentialExpiresAt are PresignErrors naming the field, not TypeErrors', () => {
    for (const p of PROVIDERS) {
      expectRefused({ ...BASE[p], expires: 3600n as unknown as number }, 'expires', clock);
      expectRefused({ ...BASE[p], startTime: BigInt(nowSec) as unknown as number }, 'startTime', clock);
      expectRefused(
        { ...BASE[p], credentialExpiresAt: BigInt(nowSec + 60) as unknown as number },
        'credentialExpiresAt',
        clock,
      );
    }
  });

  test('impossible calendar dates are refused instead of rolling over', () => {
    const bad = [
      '2026-02-30',
      '2026-02-29T00:00:00Z',
      '2026-04-31T12:00:00Z',
      '2026-12-01T24:00:00Z',
      '2026-12-01T23:60:00Z',
      '2026-12-01T23:00:60Z',
      '2026-00-10',
      '2026-13-01',
      '2026-12-01T12:00:00+25:00',
      '2026-12-01T12:00:00+05:61',
    ];
    for (const p of PROVIDERS)
      for (const credentialExpiresAt of bad)
        expectRefused({ ...BASE[p], credentialExpiresAt }, 'credentialExpiresAt', clock);
    expect(parseIsoTime('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
    expect(parseIsoTime('2026-12-01T13:00:00+01:00')).toBe(Date.UTC(2026, 11, 1, 12));
    expect(parseIsoTime('2026-12-01T12:00:00.250Z')).toBe(Date.UTC(2026, 11, 1, 12, 0, 0, 250));
    expect(parseIsoTime('2026-12-01')).toBe(Date.UTC(2026, 11, 1));
    for (const s of ['20201399T999999Z', '20260230T000000Z', '20261201T240000Z', '20261301T000000Z', '2026121T000000Z'])
      expect(parseAmzDate(s)).toBeUndefined();
    expect(parseAmzDate('20261201T235959Z')).toBe(Date.UTC(2026, 11, 1, 23, 59, 59) / 1000);
  });

  test('a start so far in the past that the URL is already expired is refused naming startTime', () => {
    for (const p of PROVIDERS) {
      for (const [startTime, expires] of [
        [nowSec - 3600, 3600],
        [nowSec - 7200, 60],
        [0, 60],
        [946684800, 86400],
      ]) {
        expectRefused({ ...BASE[p], startTime, expires }, 'startTime', clock);
      }
      // one second of validity left is still a working URL
      expect(signed({ ...BASE[p], startTime: nowSec - 3599, expires: 3600 }).expiresAt.getTime()).toBe(NOW + 1000);
    }
  });
});

describe('10.8 hosts that clients rewrite are canonicalised as WHATWG URL does, or refused', () => {
  const endpointCases: Array<[Provider, Partial<PresignInput>, string | undefined]> = [
    ['s3', { endpoint: 'example.com:00443' }, 'examplebucket.example.com'],
    ['s3', { endpoint: 'http://minio.local:080' }, 'examplebucket.minio.local'],
    ['s3', { endpoint: 'http://minio.local:09000' }, 'examplebucket.minio.local:9000'],
    ['s3', { endpoint: 'http://[0:0::1]:9000' }, '[::1]:9000'],
    ['s3', { endpoint: 'http://[::FFFF:1.2.3.4]' }, '[::ffff:102:304]'],
    ['s3', { endpoint: 'http://[0000:0000:0000:0000:0000:0000:0000:0001]:00080' }, '[::1]'],
    ['s3', { endpoint: 'http://[:::::]' }, undefined],
    ['s3', { endpoint: 'http://[1::2::3]' }, undefined],
    ['s3', { endpoint: '127.1' }, undefined],
    ['s3', { endpoint: '0x7f.0.0.1' }, undefined],
    ['s3', { endpoint: '010.0.0.1' }, undefined],
    ['s3', { endpoint: '127.000.0.1' }, undefined],
    ['s3', { endpoint: 'foo.123' }, undefined],
    ['s3', { endpoint: 'a.0x10' }, undefined],
    ['s3', { endpoint: '1.2.3.4.5' }, undefined],
    ['tos', { endpoint: 'tos-cn-beijing.volces.com:00443' }, 'examplebucket.tos-cn-beijing.volces.com'],
    ['tos', { endpoint: 'http://test.tos.com:080' }, 'examplebucket.test.tos.com'],
    ['tos', { endpoint: 'http://[::1]:9000' }, undefined],
    ['tos', { endpoint: 'http://127.0.0.1:9000' }, undefined],
    ['tos', { endpoint: 'http://[0:0::1]:9000', isCustomDomain: true }, '[::1]:9000'],
    ['tos', { endpoint: '127.1', isCustomDomain: true }, undefined],
    ['cos', { domain: 'cdn.example.com:00443' }, 'cdn.example.com'],
    ['cos', { domain: 'http://cdn.example.com:080' }, 'cdn.example.com'],
    ['cos', { domain: '[::FFFF:1.2.3.4]:8443' }, '[::ffff:102:304]:8443'],
    ['cos', { domain: '[:::::]' }, undefined],
    ['cos', { domain: '0x7f.0.0.1' }, undefined],
    ['cos', { domain: 'cdn.12' }, undefined],
  ];
  test.each(endpointCases.map(([p, extra, host]) => [p, JSON.stringify(extra), extra, host] as const))(
    '%s %s',
    (p, _s, extra, host) => {
      const input = { ...BASE[p], ...extra } as PresignInput;
      if (host === undefined) {
        expectRefused(input, 'domain' in extra ? 'domain' : 'endpoint', clock);
        return;
      }
      const r = signed(input);
      expect(new URL(r.url).host).toBe(host);
    },
  );
});

describe('10.9 credentialExpiresAt in milliseconds', () => {
  test.each(PROVIDERS)('%s: numbers and digit strings above 10^11 are read as milliseconds, with a warning', (p) => {
    for (const ms of [NOW + 3600e3, NOW + 120e3, NOW + 86400e3 - 1]) {
      for (const credentialExpiresAt of [ms, String(ms)]) {
        const r = signed({ ...BASE[p], expires: 7200, credentialExpiresAt });
        expect(r.expiresAt.getTime()).toBe(Math.min(NOW + 7200e3, Math.floor(ms / 1000) * 1000));
        expect(r.warnings.join('\n')).toMatch(/read as unix milliseconds/);
      }
    }
    // seconds are untouched and silent; far-future milliseconds are refused, not a year-58,000 expiry
    expect(signed({ ...BASE[p], expires: 60, credentialExpiresAt: nowSec + 3600 }).warnings).toEqual([]);
    for (const credentialExpiresAt of [1e20, '99999999999999999', -5])
      expectRefused({ ...BASE[p], credentialExpiresAt }, 'credentialExpiresAt', clock);
  });
});

describe("10.10 a custom domain or endpoint that is another bucket's provider host", () => {
  const cosHosts = [
    'b-1250000000.cos.ap-guangzhou.myqcloud.com',
    'https://B-1250000000.COS.ap-guangzhou.myqcloud.com:443',
    'b-1250000000.cos.accelerate.myqcloud.com',
    'b-1250000000.cn-south.myqcloud.com',
    'b-1250000000.cos.ap-guangzhou.tencentcos.cn',
    'cos.ap-guangzhou.myqcloud.com',
    'b-1250000000.cos-website.ap-guangzhou.myqcloud.com',
  ];
  test.each(cosHosts)('COS domain %s is refused for bucket examplebucket-1250000000', (domain) => {
    expectRefused({ ...BASE.cos, domain }, 'domain', clock);
  });
  test("COS: the bucket's own host and real custom domains still work", () => {
    for (const domain of [
      'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com',
      'cdn.example.com',
      'myqcloud.com.example.org',
    ])
      signed({ ...BASE.cos, domain });
  });
  test('TOS: an endpoint holding another bucket (or, without isCustomDomain, any bucket) is refused', () => {
    for (const [endpoint, isCustomDomain] of [
      ['other.tos-cn-beijing.volces.com', true],
      ['other.tos-cn-beijing.volces.com', false],
      ['other.tos-cn-beijing.ivolces.com', true],
      ['https://other.tos-cn-beijing.volces.com:443', true],
      ['examplebucket.tos-cn-beijing.volces.com', false],
      ['tos-cn-beijing.volces.com', true],
    ] as const) {
      expectRefused({ ...BASE.tos, endpoint, isCustomDomain }, 'endpoint', clock);
    }
    expect(
      new URL(signed({ ...BASE.tos, endpoint: 'examplebucket.tos-cn-beijing.volces.com', isCustomDomain: true }).url)
        .host,
    ).toBe('examplebucket.tos-cn-beijing.volces.com');
  });
});

describe('10.11 response-* params with control characters', () => {
  const values = ['attachment\r\nSet-Cookie: a=b', 'a\nb', 'a\rb', 'nul\0', 'del\x7f', '\x1b[31mred', 'bell\x07'];
  test.each(PROVIDERS)('%s: refused like header values; other params and tabs unaffected', (p) => {
    for (const name of [
      'response-content-disposition',
      'Response-Content-Type',
      'RESPONSE-CACHE-CONTROL',
      'response-expires',
    ]) {
      for (const v of values) expectRefused({ ...BASE[p], params: { [name]: v } }, 'params', clock);
      signed({ ...BASE[p], params: { [name]: 'attachment;\tfilename="a b.txt"' } });
    }
    signed({ ...BASE[p], params: { 'x-note': 'a\nb' } });
  });
});
