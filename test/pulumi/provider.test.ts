/**
 * The provider's methods in-process, with a controlled clock (jest's fake Date). The host
 * resolves `cos-presign/core` from the program's node_modules; here it maps to the source.
 */
import { presign } from '../../src';
import { presignedUrlProvider } from '../../pulumi/provider';
import type { PresignedUrlProvider } from '../../pulumi/provider';

jest.mock('cos-presign/core', () => jest.requireActual('../../src'), { virtual: true });

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const ENV = {
  TENCENTCLOUD_SECRET_ID: 'AKIDunitEnvId',
  TENCENTCLOUD_SECRET_KEY: 'unitEnvSecretKey0001',
  TENCENTCLOUD_SESSION_TOKEN: 'unitEnvToken0001',
  AWS_ACCESS_KEY_ID: 'AKIAUNITENV',
  AWS_SECRET_ACCESS_KEY: 'unitAwsSecret0001',
};
const SECRET_VALUES = [
  'unitEnvSecretKey0001',
  'unitEnvToken0001',
  'unitAwsSecret0001',
  'unitExplicitKey0001',
  'unitExplicitToken0001',
];
const COS = {
  provider: 'cos',
  bucket: 'examplebucket-1250000000',
  region: 'ap-guangzhou',
  key: 'bootstrap/install.sh',
  expiresIn: 3600,
};
const PROVIDER_TEXT = 'exports.handler = ...'; // what the SDK puts in __provider; must be ignored by the provider

type Props = Record<string, any>;
type Lifecycle = 'check' | 'diff' | 'create' | 'update' | 'read' | 'delete';
/**
 * The provider as the host drives it: property bags in and out. The declared input types are
 * what check establishes; these tests also feed it what a program may wrongly pass.
 */
const provider = presignedUrlProvider as unknown as Omit<PresignedUrlProvider, Lifecycle> & {
  [M in Lifecycle]: (...args: any[]) => Promise<any>;
};
const savedEnv = { ...process.env };

function setEnv(vars: Record<string, string>) {
  for (const k of Object.keys(process.env)) if (/^(TENCENTCLOUD_|COS_|TOS_|AWS_)/.test(k)) delete process.env[k];
  Object.assign(process.env, vars);
}
const at = (ms: number) => jest.setSystemTime(ms);

async function checked(news: Props): Promise<Props> {
  const r = await provider.check!({}, { ...news, __provider: PROVIDER_TEXT });
  expect(r.failures).toEqual([]);
  return { ...r.inputs, __provider: PROVIDER_TEXT };
}
async function failures(news: Props): Promise<Array<{ property: string; reason: string }>> {
  return (await provider.check!({}, { ...news, __provider: PROVIDER_TEXT })).failures!;
}
async function created(news: Props): Promise<{ id: string; inputs: Props; outs: Props }> {
  const inputs = await checked(news);
  const r = await provider.create(inputs);
  return { id: r.id, inputs, outs: r.outs };
}

beforeEach(() => {
  jest.useFakeTimers({
    now: T0,
    doNotFake: [
      'nextTick',
      'setImmediate',
      'setTimeout',
      'setInterval',
      'clearTimeout',
      'clearInterval',
      'clearImmediate',
      'queueMicrotask',
    ],
  });
  setEnv(ENV);
  // The host shows what the provider prints; here it would only clutter the test output.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  jest.useRealTimers();
  process.env = { ...savedEnv };
  jest.restoreAllMocks();
});

describe('check', () => {
  test('fills in defaults, keeps credentials for create, and does not depend on the clock', async () => {
    const news = {
      ...COS,
      method: 'put',
      secretId: 'AKIDx',
      secretKey: 'unitExplicitKey0001',
      __provider: PROVIDER_TEXT,
    };
    const a = await provider.check!({}, news);
    at(T0 + 86_400_000 * 400);
    const b = await provider.check!({}, news);
    expect(a).toEqual(b);
    expect(a.failures).toEqual([]);
    expect(a.inputs).toEqual({
      ...COS,
      method: 'PUT',
      renewBefore: 360,
      secretId: 'AKIDx',
      secretKey: 'unitExplicitKey0001',
    });
  });

  test.each([
    [{ expiresIn: undefined }, 'expiresIn', /^expiresIn: is required/],
    [{ expiresIn: 0 }, 'expiresIn', /^expiresIn: must be a whole number/],
    [{ expiresIn: 1.5 }, 'expiresIn', /^expiresIn: must be a whole number/],
    [
      { renewBefore: 3600 },
      'renewBefore',
      /^renewBefore: \(3600\) must be less than expiresIn \(3600\).*use e\.g\. 360/,
    ],
    [{ renewBefore: -1 }, 'renewBefore', /^renewBefore: must be a whole number/],
    [{ provider: 's3', region: 'us-east-1', expiresIn: 604801 }, 'expiresIn', /^expiresIn: exceeds 604800 seconds/],
    [{ provider: 'tos', region: 'cn-beijing', expiresIn: 2592001 }, 'expiresIn', /^expiresIn: exceeds 2592000 seconds/],
    [{ provider: 'tos', region: undefined }, 'region', /^region: is required/],
    [{ provider: 'gcs' }, 'provider', /^provider: unknown provider "gcs"/],
    [{ method: 'PATCH' }, 'method', /^method: unsupported method/],
    [{ key: '' }, 'key', /^key: is required/],
    [{ key: 'a/..' }, 'key', /simplifies to "\/"/],
    [{ headers: { Host: 'other.example.com' } }, 'headers', /^headers: Host "other.example.com" differs/],
    [{ params: { 'q-signature': 'x' } }, 'params', /^params: "q-signature" is set by the signer/],
    [{ triggers: ['v1'] }, 'triggers', /^triggers: must be a map/],
    [{ triggers: { a: { nested: true } } }, 'triggers', /^triggers: value of "a" must be a string/],
    [{ secretId: 'AKIDx' }, 'secretKey', /^secretKey: is required when secretId/],
    [{ securityToken: 'unitExplicitToken0001' }, 'securityToken', /^securityToken: needs secretId and secretKey/],
    [
      { secretId: 'AKIDx', secretKey: ' unitExplicitKey0001' },
      'secretKey',
      /^secretKey: has leading or trailing whitespace/,
    ],
    [{ credentialExpiresAt: 'tomorrow' }, 'credentialExpiresAt', /^credentialExpiresAt: must be/],
    [{ expires: 60 }, 'expires', /^expires: is not an input of PresignedUrl/],
    [{ startTime: 1 }, 'startTime', /^startTime: is not an input of PresignedUrl/],
  ])('refuses %j naming %s', async (change, property, reason) => {
    const f = await failures({ ...COS, ...change });
    expect(f.map((x) => x.property)).toEqual([property]);
    expect(f[0].reason).toMatch(reason);
    for (const s of SECRET_VALUES) expect(f[0].reason).not.toContain(s);
  });

  test('tolerates unknown values during preview, at the top level and inside maps', async () => {
    for (const change of [
      { key: UNKNOWN },
      { expiresIn: UNKNOWN },
      { provider: UNKNOWN },
      { headers: { 'x-cos-meta-a': UNKNOWN } },
      { secretId: UNKNOWN, secretKey: UNKNOWN },
      { triggers: UNKNOWN },
    ]) {
      expect(await failures({ ...COS, ...change })).toEqual([]);
    }
    // A known field is still checked while another one is unknown.
    expect((await failures({ ...COS, key: UNKNOWN, renewBefore: 7200 })).map((f) => f.property)).toEqual([
      'renewBefore',
    ]);
  });
});

describe('create', () => {
  test('signs with the environment credentials read at call time, at the current clock', async () => {
    const { id, outs } = await created({ ...COS, headers: { 'Content-Type': 'application/x-sh' } });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    const expected = presign(
      {
        ...COS,
        provider: 'cos',
        headers: { 'Content-Type': 'application/x-sh' },
        expires: 3600,
        secretId: ENV.TENCENTCLOUD_SECRET_ID,
        secretKey: ENV.TENCENTCLOUD_SECRET_KEY,
        securityToken: ENV.TENCENTCLOUD_SESSION_TOKEN,
      },
      { now: () => T0 },
    );
    expect(outs).toEqual({
      url: expected.url,
      method: 'GET',
      headers: { 'Content-Type': 'application/x-sh' },
      expiresAt: '2026-11-23T13:00:00.000Z',
      renewAt: '2026-11-23T12:54:00.000Z',
      signedAt: '2026-11-23T12:00:00.000Z',
      warnings: [],
      provider: 'cos',
      bucket: COS.bucket,
      region: COS.region,
      key: COS.key,
      expiresIn: 3600,
      renewBefore: 360,
    });
    // Credentials changed in the environment are picked up by the next signing.
    setEnv({ COS_SECRET_ID: 'AKIDother', COS_SECRET_KEY: 'otherKey' });
    const again = await provider.update!(id, outs, await checked(COS));
    expect(again.outs.url).toContain('q-ak=AKIDother');
  });

  test('explicit credentials take precedence and never reach the outputs', async () => {
    const { outs } = await created({
      ...COS,
      secretId: 'AKIDexplicit',
      secretKey: 'unitExplicitKey0001',
      securityToken: 'unitExplicitToken0001',
    });
    expect(outs.url).toContain('q-ak=AKIDexplicit');
    expect(outs.url).toContain('x-cos-security-token=unitExplicitToken0001');
    const { url, ...rest } = outs;
    expect(url).not.toContain('unitExplicitKey0001');
    for (const s of ['AKIDexplicit', ...SECRET_VALUES]) expect(JSON.stringify(rest)).not.toContain(s);
    for (const f of ['secretId', 'secretKey', 'securityToken', 'credentialExpiresAt', '__provider'])
      expect(outs).not.toHaveProperty(f);
  });

  test("renewal is planned from the credentials' expiry when they die first, with a warning", async () => {
    const credentialExpiresAt = new Date(T0 + 1800_000).toISOString();
    const { outs } = await created({ ...COS, credentialExpiresAt });
    expect(outs).toMatchObject({
      expiresAt: credentialExpiresAt,
      renewAt: new Date(T0 + 1800_000 - 360_000).toISOString(),
    });
    expect(outs.warnings).toEqual([expect.stringMatching(/cut to the temporary credential's expiry/)]);
    // Credentials that die within renewBefore: every up renews, and the user is told why.
    const short = await created({ ...COS, credentialExpiresAt: new Date(T0 + 300_000).toISOString() });
    expect(short.outs.warnings).toEqual([
      expect.stringMatching(/cut/),
      expect.stringMatching(/lives less than renewBefore \(360 s\)/),
    ]);
  });

  test('fails clearly without credentials, naming the variables', async () => {
    setEnv({});
    await expect(provider.create(await checked({ ...COS, provider: 'tos', region: 'cn-beijing' }))).rejects.toThrow(
      'no credentials for provider "tos": set TOS_ACCESS_KEY + TOS_SECRET_KEY in the environment of pulumi up, or the OIDC variables of the provider\'s SDK (a role and a token file, see docs/credentials.md), or pass secretId and secretKey',
    );
  });

  test('fails naming the field when the credentials have already expired', async () => {
    const inputs = await checked({ ...COS, credentialExpiresAt: new Date(T0 - 1000).toISOString() });
    await expect(provider.create(inputs)).rejects.toThrow(/^credentialExpiresAt: the credentials expired at/);
  });
});

describe('diff', () => {
  test('no change right after create, nor just before renewAt', async () => {
    const { id, inputs, outs } = await created(COS);
    expect(await provider.diff(id, outs, inputs)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      diffs: [],
    });
    at(Date.parse(outs.renewAt) - 1);
    expect((await provider.diff(id, outs, await checked(COS))).changes).toBe(false);
  });

  test('renews in place at renewAt, and the renewed URL is stable again', async () => {
    const { id, inputs, outs } = await created(COS);
    const renewAt = Date.parse(outs.renewAt);
    at(renewAt);
    expect(await provider.diff(id, outs, inputs)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      diffs: ['renewAt'],
    });
    const renewed = (await provider.update!(id, outs, inputs)).outs;
    expect(renewed.signedAt).toBe(new Date(renewAt).toISOString());
    expect(renewed.url).not.toBe(outs.url);
    expect((await provider.diff(id, renewed, inputs)).changes).toBe(false);
  });

  test('a changed trigger or signed input re-signs; what the signature does not cover does not', async () => {
    const base = {
      ...COS,
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain', 'User-Agent': 'a' },
      triggers: { release: 'v1' },
    };
    const { id, outs } = await created(base);
    const d = async (news: Props) => (await provider.diff(id, outs, await checked(news))).diffs;
    expect(await d(base)).toEqual([]);
    expect(await d({ ...base, method: 'put' })).toEqual([]);
    expect(await d({ ...base, headers: { 'Content-Type': 'text/plain', 'User-Agent': 'b' } })).toEqual([]); // COS does not sign User-Agent
    expect(await d({ ...base, triggers: { release: 'v2' } })).toEqual(['triggers']);
    expect(await d({ ...base, triggers: undefined })).toEqual(['triggers']);
    expect(await d({ ...base, key: 'other.sh' })).toEqual(['key']);
    expect(await d({ ...base, headers: { 'Content-Type': 'text/html' } })).toEqual(['headers']);
    expect(await d({ ...base, expiresIn: 7200 })).toEqual(['expiresIn', 'renewBefore']);
    expect(await d({ ...base, params: { 'response-content-type': 'text/plain' } })).toEqual(['params']);
  });

  test('ignores credentials: rotated explicit keys, tokens, their expiry or environment do not re-sign', async () => {
    const base = {
      ...COS,
      secretId: 'AKIDexplicit',
      secretKey: 'unitExplicitKey0001',
      securityToken: 'unitExplicitToken0001',
      credentialExpiresAt: new Date(T0 + 86_400_000).toISOString(),
    };
    const { id, outs } = await created(base);
    at(T0 + 60_000);
    const rotated = await checked({
      ...base,
      secretId: 'AKIDrotated',
      secretKey: 'rotatedKey',
      securityToken: 'rotatedToken',
      credentialExpiresAt: new Date(T0 + 2 * 86_400_000).toISOString(),
    });
    expect((await provider.diff(id, outs, rotated)).changes).toBe(false);
    setEnv({});
    expect((await provider.diff(id, outs, await checked(COS))).changes).toBe(false);
  });

  test('unknown inputs during preview, and state without renewAt, count as changes', async () => {
    const { id, outs } = await created(COS);
    expect((await provider.diff(id, outs, { ...(await checked(COS)), key: UNKNOWN })).diffs).toEqual([
      'key',
      'headers',
    ]);
    expect(
      (await provider.diff(id, outs, { ...(await checked(COS)), headers: { 'x-cos-meta-a': UNKNOWN } })).diffs,
    ).toEqual(['headers']);
    expect((await provider.diff(id, outs, { ...(await checked(COS)), secretKey: UNKNOWN })).changes).toBe(false);
    const { renewAt, ...old } = outs;
    expect(renewAt).toBeDefined();
    expect((await provider.diff(id, old, await checked(COS))).diffs).toEqual(['renewAt']);
  });
});

describe('read and delete', () => {
  test('need neither credentials nor the signing core', async () => {
    const { id, outs } = await created(COS);
    setEnv({});
    const bare = {
      ...provider,
      core(): never {
        throw new Error('the core must not be loaded');
      },
    };
    const props = { ...outs, __provider: PROVIDER_TEXT };
    expect(await bare.read!(id, props)).toEqual({ id, props });
    await expect(bare.delete!(id, props)).resolves.toBeUndefined();
  });
});

test('nothing the provider returns, prints or throws contains a secret key or token', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const seen: unknown[] = [];
  for (const news of [
    { ...COS, credentialExpiresAt: new Date(T0 + 60_000).toISOString(), headers: { 'User-Agent': 'x' } },
    { ...COS, secretId: 'AKIDx', secretKey: 'unitExplicitKey0001', securityToken: 'unitExplicitToken0001' },
    { ...COS, provider: 's3', region: 'us-east-1' },
  ]) {
    const { id, inputs, outs } = await created(news);
    const { url, ...rest } = outs;
    // The URL carries the key id and (COS) the token by design, never the secret key.
    for (const s of ['unitExplicitKey0001', 'unitEnvSecretKey0001', 'unitAwsSecret0001']) expect(url).not.toContain(s);
    seen.push(rest, await provider.diff(id, outs, inputs));
  }
  setEnv({});
  seen.push(await provider.create(await checked(COS)).catch((e: Error) => e.message));
  expect(warn).toHaveBeenCalled();
  seen.push(warn.mock.calls);
  const text = JSON.stringify(seen);
  for (const s of SECRET_VALUES) expect(text).not.toContain(s);
});

describe('secrets in diagnostics (credentials from the environment too)', () => {
  const ENV_SECRETS = [ENV.TENCENTCLOUD_SECRET_KEY, ENV.TENCENTCLOUD_SESSION_TOKEN, ENV.AWS_SECRET_ACCESS_KEY];
  /** Every secret, in any letter case, that `text` still holds. */
  const leaks = (text: string) => SECRET_VALUES.filter((s) => text.toLowerCase().includes(s.toLowerCase()));
  /** A secret pasted into each field whose refusal would quote it, as is and case-changed. */
  const pasted = (secret: string): Props[] =>
    [secret, secret.toUpperCase(), secret.toLowerCase()].flatMap((s) => [
      { method: s },
      { bucket: s },
      { region: `${s}/` },
      { provider: s },
      { scheme: s },
      { expiresIn: s },
      { renewBefore: s },
      { key: `${s}/../..` },
      { headers: { [`${s}:`]: 'x' } },
      { headers: { Host: s } },
      { triggers: { [s]: { nested: true } } },
      { [s]: 'an input that does not exist' },
    ]);

  test.each(ENV_SECRETS)(
    'check refuses, naming the field, never quoting %s (or a case-changed copy)',
    async (secret) => {
      for (const change of pasted(secret)) {
        const f = await failures({ ...COS, ...change });
        expect(f.length).toBeGreaterThan(0);
        expect(leaks(JSON.stringify(f))).toEqual([]);
      }
    },
  );

  test('the same with explicit credentials', async () => {
    const creds = {
      secretId: 'AKIDexplicit',
      secretKey: 'unitExplicitKey0001',
      securityToken: 'unitExplicitToken0001',
    };
    for (const change of [...pasted(creds.secretKey), ...pasted(creds.securityToken)]) {
      const f = await failures({ ...COS, ...creds, ...change });
      expect(f.length).toBeGreaterThan(0);
      expect(leaks(JSON.stringify(f))).toEqual([]);
    }
  });

  test('a method is upper-cased only once the core accepted it', async () => {
    expect((await checked({ ...COS, method: 'put' })).method).toBe('PUT');
    const [f] = await failures({ ...COS, method: 'Fetch' });
    expect(f.reason).toContain('"Fetch"');
  });

  test('faulty credentials in the environment do not fail check (they are not inputs); create names the variables, not the value', async () => {
    setEnv({ ...ENV, TENCENTCLOUD_SECRET_KEY: `${ENV.TENCENTCLOUD_SECRET_KEY}\n` });
    const inputs = await checked(COS);
    // ... and do not hide a fault of the inputs.
    expect((await failures({ ...COS, key: '/' })).map((f) => f.property)).toEqual(['key']);
    const err = await provider.create(inputs).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      /^secretKey: has leading or trailing whitespace.* \(credentials read from TENCENTCLOUD_SECRET_ID\/TENCENTCLOUD_SECRET_KEY\/TENCENTCLOUD_SESSION_TOKEN in the environment of pulumi up\)$/,
    );
  });

  test('warnings (outputs and what the host prints) are redacted too', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const key = `notes/${ENV.TENCENTCLOUD_SESSION_TOKEN.toUpperCase()}.txt`;
    const { outs } = await created({ ...COS, key, credentialExpiresAt: new Date(T0 + 60_000).toISOString() });
    expect(warn).toHaveBeenCalled();
    const printed = JSON.stringify(warn.mock.calls);
    expect(printed).toContain('cos-presign: examplebucket-1250000000/notes/<TENCENTCLOUD_SESSION_TOKEN>.txt: ');
    expect(leaks(printed + JSON.stringify(outs.warnings))).toEqual([]);
  });
});
