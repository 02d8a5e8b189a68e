/**
 * The cache of presign(input) (src/core/presign-cache.ts): a cached call returns exactly what an
 * uncached one returns (URL, headers, expiry, warnings, or the same error), the cache stays
 * bounded, is keyed by digests without secrets, bypasses inputs it cannot read back reliably,
 * never keeps a call that threw, and gives a new window when the clock's second changes.
 *
 * The uncached reference is presign() on a Proxy of the same input: proxies bypass the cache.
 */
import fc from 'fast-check';
import { clearPresignCache, presign, PresignError, PresignInput, PresignedRequest } from '../../src';
import {
  batchDigest,
  PER_URL_FIELDS,
  PRESIGN_CACHE_SIZE,
  presignCacheKeys,
  SHARED_FIELDS,
  snapshot,
} from '../../src/core/presign-cache';
import * as request from '../../src/core/resolve/request';
import { verify } from '../helpers/oracle';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const clockAt = (ms: number) => ({ now: () => ms });
const clock = clockAt(NOW);
const SECRET = 'CACHEsecretKey0123456789abcdefXYZ';
const TOKEN = 'CACHEsessionToken+/=0123456789';

const BASE: Record<'cos' | 'tos' | 's3', Omit<PresignInput, 'key'>> = {
  cos: {
    provider: 'cos',
    secretId: 'AKIDcache',
    secretKey: SECRET,
    bucket: 'examplebucket-1250000000',
    region: 'ap-guangzhou',
  },
  tos: { provider: 'tos', secretId: 'AKLTcache', secretKey: SECRET, bucket: 'examplebucket', region: 'cn-beijing' },
  s3: { provider: 's3', secretId: 'AKIAcache', secretKey: SECRET, bucket: 'examplebucket', region: 'us-west-2' },
};

type Outcome = { ok: PresignedRequest } | { error: { field: string; code: string; message: string } | string };

function outcome(f: () => PresignedRequest): Outcome {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: e instanceof PresignError ? { field: e.field, code: e.code, message: e.message } : String(e) };
  }
}

const uncached = (input: PresignInput, now = NOW): Outcome =>
  outcome(() => presign(new Proxy(input, {}), clockAt(now)));
const cached = (input: PresignInput, now = NOW): Outcome => outcome(() => presign(input, clockAt(now)));

let resolveBatchCalls: jest.SpyInstance;
beforeEach(() => {
  clearPresignCache();
  resolveBatchCalls = jest.spyOn(request, 'resolveBatch');
});
afterEach(() => {
  resolveBatchCalls.mockRestore();
  clearPresignCache();
});

describe('what is cached', () => {
  test.each(['cos', 'tos', 's3'] as const)(
    '%s: a second key of the same batch is signed from the cache, and equals the uncached URL',
    (p) => {
      const first = presign({ ...BASE[p], key: 'a.txt' }, clock);
      expect(resolveBatchCalls).toHaveBeenCalledTimes(1);
      const second = presign({ ...BASE[p], key: '报告/with space (1).pdf' }, clock);
      expect(resolveBatchCalls).toHaveBeenCalledTimes(1); // not resolved again: a hit
      expect(presignCacheKeys()).toHaveLength(1);
      expect(first).toEqual((uncached({ ...BASE[p], key: 'a.txt' }) as { ok: PresignedRequest }).ok);
      expect(second).toEqual((uncached({ ...BASE[p], key: '报告/with space (1).pdf' }) as { ok: PresignedRequest }).ok);
      // The uncached reference does resolve (it bypasses the cache).
      expect(resolveBatchCalls).toHaveBeenCalledTimes(3);
      expect(verify(p, { url: second.url, method: second.method, headers: second.headers }, SECRET)).toMatchObject({
        ok: true,
      });
    },
  );

  test('method, headers and params are per call: they vary on one cache entry and are checked every time', () => {
    const base = { ...BASE.s3, securityToken: TOKEN };
    const inputs: PresignInput[] = [
      { ...base, key: 'k' },
      { ...base, key: 'k', method: 'put', headers: { 'Content-Type': 'text/plain', 'x-amz-meta-a': ' b ' } },
      { ...base, key: 'k', params: new Map([['versionId', 'v1']]) as unknown as Record<string, string> },
      { ...base, key: 'k', method: 'bogus' as 'GET' },
      { ...base, key: 'k', headers: { 'Bad Name': 'x' } },
      { ...base, key: 'k', params: { 'X-Amz-Signature': 'x' } },
      // Two faults at once: resolveBatch checks the method before the key; so must a hit.
      { ...base, key: '', method: 'bogus' as 'GET' },
      { ...base, key: '', headers: { 'Bad Name': 'x' } },
    ];
    for (const input of inputs) expect(cached(input)).toEqual(uncached(input));
    expect(presignCacheKeys()).toHaveLength(1);
  });

  test('a COS token given both as securityToken and as a param is refused on a hit too', () => {
    const base = { ...BASE.cos, securityToken: TOKEN };
    expect(cached({ ...base, key: 'a' })).toHaveProperty('ok');
    const both = { ...base, key: 'a', params: { 'x-cos-security-token': TOKEN } };
    expect(cached(both)).toEqual(uncached(both));
    expect(cached(both)).toMatchObject({ error: { field: 'params', code: 'conflict' } });
  });

  test('an error naming a secret is redacted on a hit exactly as without the cache', () => {
    const base = { ...BASE.cos, securityToken: TOKEN };
    expect(cached({ ...base, key: 'a' })).toHaveProperty('ok');
    const leaky = { ...base, key: 'a', headers: { [`x-cos-meta-${SECRET}`]: `v${TOKEN}\n` } };
    const got = cached(leaky);
    expect(got).toEqual(uncached(leaky));
    expect(JSON.stringify(got)).not.toContain(SECRET);
    expect(JSON.stringify(got)).not.toContain(TOKEN);
  });

  test('warnings of the batch (region, lifetime cut) are returned on every call, as fresh arrays', () => {
    const input = {
      ...BASE.cos,
      region: 'ap-nowhere-9',
      credentialExpiresAt: new Date(NOW + 120_000),
      expires: 3600,
      headers: { 'X-Not-Signed': '1' },
    };
    const first = presign({ ...input, key: 'a' }, clock);
    expect(first.warnings.length).toBe(3);
    first.warnings.push('mutated by the caller');
    for (const key of ['b', 'c']) {
      const got = presign({ ...input, key }, clock);
      expect(got.warnings).toEqual((uncached({ ...input, key }) as { ok: PresignedRequest }).ok.warnings);
      expect(got.warnings.length).toBe(3);
    }
    expect(resolveBatchCalls).toHaveBeenCalledTimes(1 + 2); // one miss, two uncached references
  });
});

describe('the window follows the clock', () => {
  test('within one second a call hits; a second later it resolves a new window, as an uncached call would', () => {
    const input = { ...BASE.s3, key: 'a', expires: 600 };
    const t0 = NOW + 250;
    const a = presign(input, clockAt(t0));
    const b = presign(input, clockAt(t0 + 749)); // same second
    expect(b).toEqual(a);
    expect(presignCacheKeys()).toHaveLength(1);
    const c = presign(input, clockAt(t0 + 750)); // next second
    expect(presignCacheKeys()).toHaveLength(2);
    expect(c.expiresAt.getTime()).toBe(a.expiresAt.getTime() + 1000);
    expect(c).toEqual((uncached(input, t0 + 750) as { ok: PresignedRequest }).ok);
    expect(c.url).not.toBe(a.url);
  });

  test.each(['cos', 'tos', 's3'] as const)(
    '%s: start, end and expiry of a cached call equal the uncached ones',
    (p) => {
      for (const extra of [{}, { startTime: NOW / 1000 + 30 }, { credentialExpiresAt: NOW / 1000 + 100 }]) {
        clearPresignCache();
        const input = { ...BASE[p], ...extra, key: 'x' };
        presign({ ...input, key: 'warm' }, clock);
        expect(cached(input)).toEqual(uncached(input));
      }
    },
  );

  test('a batch whose explicit window has ended by a later second is refused then, not served from the cache', () => {
    const input = { ...BASE.s3, key: 'a', startTime: NOW / 1000 - 60, expires: 61 };
    expect(cached(input)).toHaveProperty('ok');
    const later = cached(input, NOW + 1000);
    expect(later).toEqual(uncached(input, NOW + 1000));
    expect(later).toMatchObject({ error: { field: 'startTime', code: 'expired' } });
  });

  test('the clock is read once per call', () => {
    const now = jest.fn(() => NOW);
    presign({ ...BASE.cos, key: 'a' }, { now });
    presign({ ...BASE.cos, key: 'b' }, { now });
    expect(now).toHaveBeenCalledTimes(2);
  });
});

describe('bounds and keys', () => {
  test(`never more than ${PRESIGN_CACHE_SIZE} entries; the least recently used goes first`, () => {
    const bucket = (i: number) => `bucket${i}-1250000000`;
    presign({ ...BASE.cos, bucket: bucket(0), key: 'k' }, clock);
    for (let i = 1; i < PRESIGN_CACHE_SIZE + 10; i++) {
      presign({ ...BASE.cos, bucket: bucket(i), key: 'k' }, clock);
      presign({ ...BASE.cos, bucket: bucket(0), key: 'k' }, clock); // keeps bucket 0 recent
      expect(presignCacheKeys().length).toBeLessThanOrEqual(PRESIGN_CACHE_SIZE);
    }
    expect(presignCacheKeys()).toHaveLength(PRESIGN_CACHE_SIZE);
    const calls = resolveBatchCalls.mock.calls.length;
    presign({ ...BASE.cos, bucket: bucket(0), key: 'other' }, clock); // still cached
    expect(resolveBatchCalls.mock.calls.length).toBe(calls);
    presign({ ...BASE.cos, bucket: bucket(1), key: 'other' }, clock); // evicted long ago
    expect(resolveBatchCalls.mock.calls.length).toBe(calls + 1);
  });

  test('clearPresignCache() empties it: the next call resolves again', () => {
    presign({ ...BASE.tos, key: 'a' }, clock);
    expect(presignCacheKeys()).toHaveLength(1);
    clearPresignCache();
    expect(presignCacheKeys()).toEqual([]);
    presign({ ...BASE.tos, key: 'b' }, clock);
    expect(resolveBatchCalls).toHaveBeenCalledTimes(2);
  });

  test('keys are SHA-256 digests: no secret, token or other field in them', () => {
    presign({ ...BASE.s3, securityToken: TOKEN, key: 'a' }, clock);
    presign({ ...BASE.cos, securityToken: TOKEN, key: 'a' }, clock);
    const keys = presignCacheKeys();
    expect(keys).toHaveLength(2);
    for (const k of keys) {
      expect(k).toMatch(/^[0-9a-f]{64}$/);
      for (const secret of [SECRET, TOKEN, 'AKIAcache', 'examplebucket']) expect(k).not.toContain(secret);
    }
  });

  test('every shared field, and the second, changes the digest; per-URL fields do not', () => {
    const base: PresignInput = {
      ...BASE.s3,
      key: 'k',
      securityToken: 't',
      scheme: 'https',
      signHost: true,
      keySimplifyCheck: true,
      endpoint: 'e.example',
      domain: 'd.example',
      accelerate: false,
      isCustomDomain: false,
      forcePathStyle: false,
      expires: 60,
      startTime: 1,
      credentialExpiresAt: 2,
    };
    const d = (input: PresignInput, sec = 100) => batchDigest(snapshot(input)!, sec);
    const digests = new Set([d(base)]);
    for (const field of SHARED_FIELDS) {
      const v = base[field];
      const changed =
        typeof v === 'string' ? v + 'x' : typeof v === 'boolean' ? !v : typeof v === 'number' ? v + 1 : 'x';
      digests.add(d({ ...base, [field]: changed }));
      digests.add(d({ ...base, [field]: undefined }));
    }
    expect(digests.size).toBe(1 + 2 * SHARED_FIELDS.length);
    expect(d(base, 101)).not.toBe(d(base));
    // Type matters: "60" is not 60, an ISO string is not the Date.
    expect(d({ ...base, expires: '60' as unknown as number })).not.toBe(d(base));
    const when = new Date(NOW);
    expect(d({ ...base, credentialExpiresAt: when })).not.toBe(d({ ...base, credentialExpiresAt: when.toISOString() }));
    for (const field of PER_URL_FIELDS) expect(d({ ...base, [field]: 'other' })).toBe(d(base));
  });

  test('resolveBatch and resolveKey read no field of the input that the cache does not know of', () => {
    const read = new Set<string>();
    const recording = (input: PresignInput) =>
      new Proxy(input, {
        get(target, name, receiver) {
          if (typeof name === 'string') read.add(name);
          return Reflect.get(target, name, receiver);
        },
      });
    const extra = { headers: { 'Content-Type': 'x' }, params: { a: 'b' }, credentialExpiresAt: NOW / 1000 + 60 };
    for (const provider of ['cos', 'tos', 's3'] as const) {
      const input = recording({ ...BASE[provider], ...extra, key: 'a' });
      request.resolveKey(request.resolveBatch(input, clock), input.key);
    }
    const known = new Set<string>([...SHARED_FIELDS, ...PER_URL_FIELDS]);
    expect([...read].filter((f) => !known.has(f))).toEqual([]);
    expect(read.has('secretKey') && read.has('credentialExpiresAt') && read.has('method')).toBe(true);
  });
});

describe('bypass and errors', () => {
  class Input {
    provider = 'cos' as const;
    secretId = 'AKIDcache';
    bucket = 'examplebucket-1250000000';
    region = 'ap-guangzhou';
    key = 'a';
    get secretKey(): string {
      return SECRET;
    }
  }
  class LaterDate extends Date {}
  const nonEnumerable = (): PresignInput => {
    const o = { ...BASE.cos, key: 'a' } as Partial<PresignInput>;
    delete o.secretKey;
    Object.defineProperty(o, 'secretKey', { value: SECRET, enumerable: false });
    return o as PresignInput;
  };
  const dateWithOwnProperty = Object.assign(new Date(NOW + 60_000), { extra: 1 });
  const bypassing: Array<[string, () => PresignInput]> = [
    ['a class instance (its getter lives on the prototype)', () => new Input() as unknown as PresignInput],
    ['a non-enumerable secretKey', nonEnumerable],
    [
      'a Date subclass as credentialExpiresAt',
      () => ({ ...BASE.cos, key: 'a', credentialExpiresAt: new LaterDate(NOW + 60_000) }),
    ],
    ['a Date with own properties', () => ({ ...BASE.cos, key: 'a', credentialExpiresAt: dateWithOwnProperty })],
    ['an invalid Date', () => ({ ...BASE.cos, key: 'a', credentialExpiresAt: new Date(NaN) })],
    ['a BigInt expires', () => ({ ...BASE.cos, key: 'a', expires: BigInt(60) as unknown as number })],
    ['a NaN expires', () => ({ ...BASE.cos, key: 'a', expires: NaN })],
    ['a function as region', () => ({ ...BASE.cos, key: 'a', region: (() => 'x') as unknown as string })],
    ['null as credentialExpiresAt', () => ({ ...BASE.cos, key: 'a', credentialExpiresAt: null as unknown as string })],
    ['an object as endpoint', () => ({ ...BASE.s3, key: 'a', endpoint: { host: 'x' } as unknown as string })],
    ['a proxy', () => new Proxy({ ...BASE.cos, key: 'a' }, {})],
  ];
  test.each(bypassing)('%s bypasses the cache and gives the uncached outcome', (_, make) => {
    const got = cached(make());
    expect(got).toEqual(uncached(make()));
    expect(presignCacheKeys()).toEqual([]);
  });

  test('a null-prototype input and a Map of headers are cached normally', () => {
    const input = Object.assign(Object.create(null), BASE.cos, { key: 'a' }) as PresignInput;
    expect(cached(input)).toEqual(uncached({ ...BASE.cos, key: 'a' }));
    const mapHeaders = {
      ...BASE.cos,
      key: 'b',
      headers: new Map([['Content-Type', 'x']]) as unknown as Record<string, string>,
    };
    expect(cached(mapHeaders)).toEqual(uncached(mapHeaders));
    expect(presignCacheKeys()).toHaveLength(1);
  });

  test('an own getter is read once per call, into the snapshot that is both digested and signed', () => {
    let reads = 0;
    const make = (region: string) =>
      ({
        ...BASE.cos,
        key: 'a',
        get region() {
          reads++;
          return region;
        },
      }) as PresignInput;
    expect(cached(make('ap-guangzhou'))).toEqual(uncached({ ...BASE.cos, key: 'a' }));
    expect(cached(make('ap-beijing'))).toEqual(uncached({ ...BASE.cos, key: 'a', region: 'ap-beijing' }));
    expect(reads).toBe(2);
    expect(presignCacheKeys()).toHaveLength(2);
  });

  test('a call that throws leaves nothing in the cache', () => {
    const failing: PresignInput[] = [
      { ...BASE.cos, key: '' }, // the batch is fine, the key is not
      { ...BASE.cos, key: '/' },
      { ...BASE.cos, key: 'a', bucket: 'no-appid' },
      { ...BASE.s3, key: 'a', expires: 604801 },
      { ...BASE.tos, key: 'a', region: undefined },
      { ...BASE.cos, key: 'a', credentialExpiresAt: NOW / 1000 - 1 },
      { ...BASE.cos, key: 'a', method: 'bogus' as 'GET' },
    ];
    for (const input of failing) {
      expect(cached(input)).toEqual(uncached(input));
      expect(cached(input)).toHaveProperty('error');
      expect(presignCacheKeys()).toEqual([]);
    }
  });
});

describe('cached and uncached agree on generated inputs', () => {
  const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
  // Mostly valid batches (so that calls hit), each field sometimes replaced by an odd or bad value.
  const SKIP = Symbol('skip');
  const rarely = <T>(...xs: T[]) =>
    fc.oneof({ weight: 5, arbitrary: fc.constant<typeof SKIP>(SKIP) }, { weight: 1, arbitrary: pick(...xs) });
  const shared = fc
    .tuple(
      pick('cos', 'tos', 's3') as fc.Arbitrary<'cos' | 'tos' | 's3'>,
      fc.record({
        provider: rarely<PresignInput['provider']>(undefined),
        secretKey: rarely('otherSecretKey0123456789', ''),
        securityToken: rarely(TOKEN),
        bucket: rarely('examplebucket', 'Bad_Bucket'),
        region: rarely('us-east-1', 'ap-nowhere-9', undefined, 'UPPER'),
        endpoint: rarely('127.0.0.1:9000', 'http://127.0.0.1:9000'),
        forcePathStyle: rarely(true),
        signHost: rarely(true, false),
        expires: rarely(1, 600, 604801, 0),
        startTime: rarely(NOW / 1000 - 30, NOW / 1000 + 30, NOW / 1000 - 100_000),
        credentialExpiresAt: rarely<PresignInput['credentialExpiresAt']>(
          NOW / 1000 + 120,
          NOW + 120_000,
          new Date(NOW + 300_000).toISOString(),
          NOW / 1000 - 5,
        ),
      }),
    )
    .map(([p, changes]) => {
      const out: Record<string, unknown> = { ...BASE[p] };
      for (const [k, v] of Object.entries(changes)) if (v !== SKIP) out[k] = v;
      return out as Omit<PresignInput, 'key'>;
    });
  const perUrl = fc
    .record({
      method: rarely<PresignInput['method']>('GET', 'put', 'HEAD', 'bogus' as 'GET'),
      headers: rarely<PresignInput['headers']>(
        { 'Content-Type': 'text/plain' },
        { 'x-cos-meta-a': '1', 'x-tos-meta-a': '1', 'X-Amz-Meta-A': ' 1 ' },
        { Host: 'evil.example' },
      ),
      params: rarely<PresignInput['params']>({ versionId: 'v1' }, { 'response-content-type': 'a\nb' }),
      key: fc.oneof(
        { weight: 4, arbitrary: pick('a.txt', '报告 (1).pdf', '😀/x', 'dir/with space') },
        { weight: 1, arbitrary: pick('', '/', 'a/../..') },
      ),
    })
    .map((fields) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields)) if (v !== SKIP) out[k] = v;
      return out as Pick<PresignInput, 'key' | 'method' | 'headers' | 'params'>;
    });
  // A few batches, and calls that each take one of them with their own key, method, headers, params.
  const run = fc.record({
    batches: fc.array(shared, { minLength: 1, maxLength: 3 }),
    calls: fc.array(fc.record({ batch: fc.nat(2), url: perUrl, tick: pick(0, 0, 0, 0, 0, 0, 400, 1000) }), {
      minLength: 1,
      maxLength: 12,
    }),
  });

  test('every call of a sequence (with hits, misses, errors, ticks of the clock) equals the uncached call', () => {
    let hits = 0;
    fc.assert(
      fc.property(run, ({ batches, calls }) => {
        clearPresignCache();
        let now = NOW;
        for (const { batch, url, tick } of calls) {
          now += tick;
          const full = { ...batches[batch % batches.length], ...url } as PresignInput;
          const before = resolveBatchCalls.mock.calls.length;
          const got = cached(full, now);
          if ('ok' in got && resolveBatchCalls.mock.calls.length === before) hits++;
          expect(got).toEqual(uncached(full, now));
          expect(presignCacheKeys().length).toBeLessThanOrEqual(PRESIGN_CACHE_SIZE);
        }
      }),
      { seed: 20261123, numRuns: 300 },
    );
    // The property says something about the cache only if calls were served from it.
    expect(hits).toBeGreaterThan(150);
  });
});
