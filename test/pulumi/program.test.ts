/**
 * The program side under the SDK's mocks: `presignedUrl()` (signed in the program, every run)
 * and the wiring of `PresignedUrl`'s arguments. Mocks never run the provider; the host tests do.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { presign } from '../../src';
import { PresignedUrl, presignedUrl } from '../../pulumi';
import { GITHUB_ISSUER, makeIssuer, makeJwt } from '../helpers/oidc-server';
import { startStsServer } from '../helpers/sts-server';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const registered: pulumi.runtime.MockResourceArgs[] = [];
const savedEnv = { ...process.env };

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        return { id: `${args.name}-id`, state: { ...args.inputs, url: 'https://mocked.invalid/' } };
      },
      call: (args) => args.inputs,
    },
    'presign-test',
    'test',
    false,
  );
});
beforeEach(() => {
  // Only Date is faked: the SDK's promises and timers keep running.
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
  for (const k of Object.keys(process.env)) if (/^(TENCENTCLOUD_|COS_|TOS_|AWS_)/.test(k)) delete process.env[k];
});
afterEach(() => {
  jest.useRealTimers();
  process.env = { ...savedEnv };
});

/** Resolves an Output, rejecting if its computation threw (internal API, test only). */
const value = <T>(o: pulumi.Output<T>): Promise<T> => (o as unknown as { promise(): Promise<T> }).promise();
/** The error an Output's computation threw (every promise of the Output observed, as the runtime does). */
async function failure(o: pulumi.Output<unknown>): Promise<Error> {
  const out = o as unknown as {
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    allResources(): Promise<unknown>;
  };
  const others = [out.isKnown, out.isSecret, out.allResources()].map((p) => p.catch((e: Error) => e));
  const e = await value(o).then(
    () => {
      throw new Error('expected the output to fail');
    },
    (err: Error) => err,
  );
  for (const other of await Promise.all(others)) expect(other).toBe(e);
  return e;
}
const isSecret = (o: pulumi.Output<unknown>): Promise<boolean> =>
  (o as unknown as { isSecret: Promise<boolean> }).isSecret;

describe('presignedUrl()', () => {
  test('signs in the program with the environment credentials, as a secret', async () => {
    process.env.TOS_ACCESS_KEY = 'AKLTprogram';
    process.env.TOS_SECRET_KEY = 'programSecret0001';
    const args = {
      provider: 'tos' as const,
      bucket: 'examplebucket',
      region: 'cn-beijing',
      key: 'data/report.csv',
      expiresIn: 600,
    };
    const url = presignedUrl({ ...args, key: pulumi.output(args.key) });
    expect(await isSecret(url)).toBe(true);
    const { expiresIn, ...rest } = args;
    expect(await value(url)).toBe(
      presign(
        { ...rest, expires: expiresIn, secretId: 'AKLTprogram', secretKey: 'programSecret0001' },
        { now: () => T0 },
      ).url,
    );
  });

  test('explicit credentials take precedence over the environment', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'envSecret';
    const url = await value(
      presignedUrl({
        provider: 's3',
        bucket: 'example-bucket',
        region: 'us-east-1',
        key: 'k',
        secretId: 'AKIAEXPLICIT',
        secretKey: pulumi.secret('explicitSecret'),
      }),
    );
    expect(url).toContain('X-Amz-Credential=AKIAEXPLICIT%2F');
    expect(url).toContain('X-Amz-Expires=900');
  });

  test('bad input and missing credentials fail naming the field', async () => {
    process.env.COS_SECRET_ID = 'AKIDx';
    process.env.COS_SECRET_KEY = 'cosSecret0001';
    process.env.AWS_ACCESS_KEY_ID = 'AKIAENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'envSecret';
    expect(
      (await failure(presignedUrl({ bucket: 'examplebucket-1250000000', region: 'ap-guangzhou', key: '/' }))).message,
    ).toMatch(/^key: /);
    expect(
      (
        await failure(
          presignedUrl({ provider: 's3', bucket: 'example-bucket', region: 'us-east-1', key: 'k', expiresIn: 604801 }),
        )
      ).message,
    ).toMatch(/^expiresIn: exceeds 604800/);
    expect(
      (await failure(presignedUrl({ provider: 'tos', bucket: 'example-bucket', region: 'cn-beijing', key: 'k' })))
        .message,
    ).toBe(
      'secretId: no credentials for provider "tos": set TOS_ACCESS_KEY + TOS_SECRET_KEY, or the OIDC variables of the provider\'s SDK (a role and a token file, see docs/credentials.md), or pass secretId and secretKey',
    );
  });

  test('no stored secret: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE are exchanged at the local STS; the URL carries the token and dies with the key', async () => {
    const issuer = makeIssuer();
    const role = 'arn:aws:iam::123456789012:role/program';
    const sts = await startStsServer({
      jwtKey: issuer.publicKey,
      roles: { [role]: { audience: 'sts.amazonaws.com', issuer: GITHUB_ISSUER } },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-program-oidc-'));
    try {
      const file = path.join(dir, 'token');
      const jwt = makeJwt(issuer, { aud: 'sts.amazonaws.com' });
      fs.writeFileSync(file, jwt);
      Object.assign(process.env, {
        AWS_ROLE_ARN: role,
        AWS_WEB_IDENTITY_TOKEN_FILE: file,
        COS_PRESIGN_STS_ENDPOINT: sts.endpoint,
      });
      const url = new URL(
        await value(
          presignedUrl({ provider: 's3', bucket: 'example-bucket', region: 'us-east-1', key: 'k', expiresIn: 86400 }),
        ),
      );
      const i = sts.issued.at(-1)!;
      expect(url.searchParams.get('X-Amz-Security-Token')).toBe(i.token);
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(new RegExp(`^${i.secretId}/`));
      // A day was asked; the session is an hour (what a role accepts by default): the URL is cut to it.
      expect(Number(url.searchParams.get('X-Amz-Expires'))).toBe(Math.floor((i.expiresAt.getTime() - T0) / 1000));
      // A token the role's trust does not accept: one error naming the variable, never the token.
      fs.writeFileSync(file, makeJwt(issuer, { aud: 'wrong-audience' }));
      const e = await failure(
        presignedUrl({ provider: 's3', bucket: 'example-bucket', region: 'us-east-1', key: 'k' }),
      );
      expect(e.message).toMatch(/^AWS_ROLE_ARN: AssumeRoleWithWebIdentity failed: .*audience/);
      expect(e.message).not.toContain(jwt.slice(-20));
    } finally {
      await sts.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a refusal quotes no secret from the environment, in any letter case', async () => {
    process.env.COS_SECRET_ID = 'AKIDx';
    process.env.COS_SECRET_KEY = 'programEnvSecret0001';
    process.env.COS_SECURITY_TOKEN = 'programEnvToken0001';
    for (const secret of ['programEnvSecret0001', 'programEnvToken0001']) {
      for (const pasted of [secret, secret.toUpperCase(), secret.toLowerCase()]) {
        for (const args of [
          { bucket: pasted },
          { bucket: 'examplebucket-1250000000', method: pasted as 'GET' },
          { bucket: 'examplebucket-1250000000', key: `${pasted}/../..` },
        ]) {
          const e = await failure(presignedUrl({ region: 'ap-guangzhou', key: 'k', ...args }));
          expect(e.message).toMatch(/^(bucket|method|key): /);
          expect(`${e.message}\n${e.stack}`.toLowerCase()).not.toContain(secret.toLowerCase());
        }
      }
    }
  });
});

describe('PresignedUrl', () => {
  test('registers the dynamic type with its inputs, explicit credentials as secrets, and exposes the outputs', async () => {
    const r = new PresignedUrl('bootstrap', {
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      key: 'bootstrap/install.sh',
      expiresIn: 86400,
      triggers: { release: 'v1' },
      secretId: 'AKIDclass',
      secretKey: 'classSecret0001',
    });
    expect(await value(r.url)).toBe('https://mocked.invalid/');
    const reg = registered.find((x) => x.name === 'bootstrap')!;
    expect(reg.type).toBe('pulumi-nodejs:dynamic/cos-presign:PresignedUrl');
    const SECRET = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270' };
    expect(reg.inputs).toMatchObject({
      bucket: 'examplebucket-1250000000',
      key: 'bootstrap/install.sh',
      expiresIn: 86400,
      triggers: { release: 'v1' },
      secretId: { ...SECRET, value: 'AKIDclass' },
      secretKey: { ...SECRET, value: 'classSecret0001' },
    });
    expect(typeof reg.inputs.__provider).toBe('string');
    expect(reg.inputs.__provider).not.toContain('classSecret0001');
    for (const out of ['url', 'expiresAt', 'renewAt', 'signedAt', 'warnings'])
      expect(reg.inputs).not.toHaveProperty(out);
  });
});
