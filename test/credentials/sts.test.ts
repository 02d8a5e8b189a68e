/**
 * The credential sources against local STS endpoints that check requests as the real APIs do
 * (test/helpers/sts-server.ts), with RS256 tokens from a local issuer; the URLs signed with the
 * temporary keys checked by the official SDKs (cos-nodejs-sdk-v5, @volcengine/tos-sdk) and, for
 * s3, round-tripped through @20minutes/s3rver which verifies SigV4 with the temporary secret.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import TOS from '@volcengine/tos-sdk';
import { presign } from '../../src/core/presign';
import { minimalPolicy } from '../../src/core/policy';
import {
  CredentialRequest,
  obtainCredentials,
  oidcFromEnv,
  sessionDuration,
  StsError,
  tokenFromFile,
} from '../../src/credentials';
import { withFrozenClock } from '../helpers/clock';
import { GITHUB_ISSUER, makeIssuer, makeJwt } from '../helpers/oidc-server';
import { send, startS3rver, RunningS3rver, S3RVER_BUCKET } from '../helpers/s3rver';
import { RunningStsServer, startStsServer, StsServerOptions } from '../helpers/sts-server';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account');

const issuer = makeIssuer();
const ROLES = {
  cos: 'qcs::cam::uin/100000000001:roleName/presign-ci',
  s3: 'arn:aws:iam::123456789012:role/presign-ci',
  tos: 'trn:iam::2100000001:role/presign-ci',
};
const AUD = { cos: 'sts.tencentcloudapi.com', s3: 'sts.amazonaws.com', tos: 'sts.volcengineapi.com' };
const LONG = { secretId: 'AKIDlonglived0001', secretKey: 'long-lived-secret-key-0001' };
const FAST = { retries: 3, minTimeout: 10 };

let sts: RunningStsServer;
let s3: RunningS3rver;

async function server(extra: Partial<StsServerOptions> = {}): Promise<RunningStsServer> {
  await sts?.stop();
  sts = await startStsServer({
    jwtKey: issuer.publicKey,
    roles: {
      [ROLES.cos]: { audience: AUD.cos, issuer: GITHUB_ISSUER },
      [ROLES.s3]: { audience: AUD.s3, issuer: GITHUB_ISSUER, subject: 'repo:octo/app:ref:refs/heads/main' },
      [ROLES.tos]: { audience: AUD.tos, issuer: GITHUB_ISSUER },
    },
    tencentProviders: { github: GITHUB_ISSUER },
    keys: { [LONG.secretId]: LONG.secretKey },
    onIssue: (i) => DUMMY_ACCOUNT.createKeyPair(i.secretId, i.secretKey),
    ...extra,
  });
  return sts;
}

function oidc(
  provider: 'cos' | 's3' | 'tos',
  extra: Partial<CredentialRequest> = {},
  claims: Record<string, unknown> = {},
): CredentialRequest {
  return {
    provider,
    roleArn: ROLES[provider],
    audience: AUD[provider],
    webIdentityToken: async () => makeJwt(issuer, { aud: AUD[provider], ...claims }),
    ...(provider === 'cos' ? { oidcProviderId: 'github', stsRegion: 'ap-guangzhou' } : {}),
    roleSessionName: 'cos-presign-42-1',
    durationSeconds: 3600,
    stsEndpoint: sts.endpoint,
    retry: FAST,
    ...extra,
  };
}

async function refusal(p: Promise<unknown>): Promise<StsError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(StsError);
    return e as StsError;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  s3 = await startS3rver();
});
beforeEach(async () => {
  await server();
});
afterAll(async () => {
  await sts?.stop();
  await s3.stop();
});

describe('OIDC web identity', () => {
  test('cos: AssumeRoleWithWebIdentity (SKIP) -> a URL that cos-nodejs-sdk-v5 signs identically with the temporary key', async () => {
    const c = await obtainCredentials(oidc('cos'));
    const i = sts.issued[0];
    expect(sts.requests[0].headers.authorization).toBe('SKIP');
    expect(sts.requests[0].headers['x-tc-region']).toBe('ap-guangzhou');
    expect(JSON.parse(sts.requests[0].body)).toMatchObject({
      ProviderId: 'github',
      RoleArn: ROLES.cos,
      RoleSessionName: 'cos-presign-42-1',
      DurationSeconds: 3600,
    });
    expect(c).toMatchObject({
      secretId: i.secretId,
      secretKey: i.secretKey,
      securityToken: i.token,
      expiresAt: i.expiresAt,
    });
    expect(c.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const start = Math.floor(Date.now() / 1000);
    const r = presign({
      provider: 'cos',
      secretId: c.secretId,
      secretKey: c.secretKey,
      securityToken: c.securityToken,
      credentialExpiresAt: c.expiresAt,
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      key: 'rel/app.tgz',
      expires: 7200,
      startTime: start,
    });
    // The URL cannot outlive the key: cut to the credentials' expiry, and said so.
    expect(r.expiresAt.getTime()).toBe(c.expiresAt.getTime());
    expect(r.warnings.join()).toMatch(/cut|credential/i);
    const q = new URL(r.url).searchParams;
    expect(q.get('x-cos-security-token')).toBe(i.token);
    const sdk = COS.getAuthorization({
      SecretId: i.secretId,
      SecretKey: i.secretKey,
      Bucket: 'examplebucket-1250000000',
      Region: 'ap-guangzhou',
      Method: 'GET',
      Key: 'rel/app.tgz',
      Query: { 'x-cos-security-token': i.token },
      KeyTime: q.get('q-key-time')!,
      ForceSignHost: true,
    } as COS.StaticGetAuthorizationOptions);
    expect(new URLSearchParams(sdk).get('q-signature')).toBe(q.get('q-signature'));
    expect(new URLSearchParams(sdk).get('q-ak')).toBe(i.secretId);
  });

  test('s3: AssumeRoleWithWebIdentity with the minimal policy inline -> PUT and GET through s3rver with the temporary key', async () => {
    const policy = minimalPolicy({
      provider: 's3',
      bucket: S3RVER_BUCKET,
      keys: ['oidc/a.txt'],
      methods: ['PUT', 'GET'],
    });
    const c = await obtainCredentials(oidc('s3', { policy: policy.json }));
    expect(sts.issued[0].params.Policy).toBe(policy.json);
    expect(sts.requests[0].headers.authorization).toBeUndefined();
    const base = {
      provider: 's3' as const,
      secretId: c.secretId,
      secretKey: c.secretKey,
      securityToken: c.securityToken,
      credentialExpiresAt: c.expiresAt,
      bucket: S3RVER_BUCKET,
      endpoint: s3.endpoint,
      key: 'oidc/a.txt',
      expires: 600,
    };
    const put = presign({ ...base, method: 'PUT' });
    expect(new URL(put.url).searchParams.get('X-Amz-Security-Token')).toBe(c.securityToken);
    expect((await send(put.url, { method: 'PUT', body: 'hello from oidc' })).status).toBe(200);
    const got = await send(presign({ ...base, method: 'GET' }).url);
    expect(got.status).toBe(200);
    expect(got.body.toString()).toBe('hello from oidc');
    // The same URL signed with another secret is refused by s3rver: it really checks.
    const forged = presign({ ...base, method: 'GET', secretKey: 'not-the-temporary-secret' });
    expect((await send(forged.url)).status).toBe(403);
  });

  test('tos: AssumeRoleWithOIDC form POST, policy inline -> the TOS SDK presigns with the same key id and token', async () => {
    const policy = minimalPolicy({ provider: 'tos', bucket: 'bkt', keys: ['k.bin'], methods: ['GET'] });
    const c = await obtainCredentials(oidc('tos', { policy: policy.json }));
    expect(sts.requests[0].headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(sts.issued[0].params.Policy).toBe(policy.json);
    const t = Math.floor(Date.now() / 1000);
    const ours = new URL(
      presign({
        provider: 'tos',
        secretId: c.secretId,
        secretKey: c.secretKey,
        securityToken: c.securityToken,
        bucket: 'bkt',
        region: 'cn-beijing',
        key: 'k.bin',
        expires: 600,
        startTime: t,
      }).url,
    );
    // Scope from the region, as the core signs (see test/core/differential.test.ts for the SDK's options).
    const client = new TOS({
      accessKeyId: c.secretId,
      accessKeySecret: c.secretKey,
      stsToken: c.securityToken,
      region: 'cn-beijing',
      endpoint: 'cn-beijing',
    });
    const sdk = new URL(
      withFrozenClock(t * 1000, () =>
        client.getPreSignedUrl({
          bucket: 'bkt',
          key: 'k.bin',
          method: 'GET',
          expires: 600,
          alternativeEndpoint: 'bkt.tos-cn-beijing.volces.com',
        }),
      ),
    );
    for (const n of ['X-Tos-Security-Token', 'X-Tos-Credential', 'X-Tos-Date', 'X-Tos-Expires'])
      expect(ours.searchParams.get(n)).toBe(sdk.searchParams.get(n));
    expect(ours.host).toBe(sdk.host);
  });

  test("the token is read from a token file with the SDKs' environment conventions", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-oidc-'));
    try {
      const file = path.join(dir, 'token');
      fs.writeFileSync(file, makeJwt(issuer, { aud: AUD.s3 }) + '\n');
      const env = oidcFromEnv(
        { AWS_ROLE_ARN: ROLES.s3, AWS_WEB_IDENTITY_TOKEN_FILE: file, AWS_ROLE_SESSION_NAME: 'cli-run' },
        's3',
      )!;
      expect(env).toMatchObject({
        roleArn: ROLES.s3,
        roleSessionName: 'cli-run',
        source: 'AWS_ROLE_ARN/AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_SESSION_NAME',
      });
      const c = await obtainCredentials(
        oidc('s3', {
          webIdentityToken: tokenFromFile(env.tokenFile, env.tokenFileVar),
          roleSessionName: env.roleSessionName!,
        }),
      );
      expect(c.secretId).toBe(sts.issued[0].secretId);
      expect(
        oidcFromEnv(
          {
            TKE_ROLE_ARN: ROLES.cos,
            TKE_WEB_IDENTITY_TOKEN_FILE: file,
            TKE_PROVIDER_ID: 'github',
            TKE_REGION: 'ap-shanghai',
          },
          'cos',
        ),
      ).toMatchObject({ providerId: 'github', region: 'ap-shanghai' });
      expect(
        oidcFromEnv({ VOLCENGINE_OIDC_ROLE_TRN: ROLES.tos, VOLCENGINE_OIDC_TOKEN_FILE: file }, 'tos')?.roleArn,
      ).toBe(ROLES.tos);
      expect(oidcFromEnv({}, 'tos')).toBeUndefined();
      expect(() => oidcFromEnv({ TKE_ROLE_ARN: ROLES.cos, TKE_WEB_IDENTITY_TOKEN_FILE: file }, 'cos')).toThrow(
        /TKE_PROVIDER_ID/,
      );
      expect(() => oidcFromEnv({ AWS_ROLE_ARN: ROLES.s3 }, 's3')).toThrow(/AWS_WEB_IDENTITY_TOKEN_FILE/);
      expect((await refusal(tokenFromFile(path.join(dir, 'missing'), 'AWS_WEB_IDENTITY_TOKEN_FILE')())).field).toBe(
        'AWS_WEB_IDENTITY_TOKEN_FILE',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('minted from long-lived keys', () => {
  test('cos GetFederationToken: TC3 verified by the SDK signer, policy URL-encoded, scoped credentials back', async () => {
    const policy = minimalPolicy({
      provider: 'cos',
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      keys: ['a.txt'],
      methods: ['GET'],
    });
    const c = await obtainCredentials({
      provider: 'cos',
      keys: LONG,
      policy: policy.json,
      roleSessionName: 'run-1',
      durationSeconds: 1800,
      stsEndpoint: sts.endpoint,
      stsRegion: 'ap-guangzhou',
      retry: FAST,
    });
    expect(sts.issued[0]).toMatchObject({
      action: 'GetFederationToken',
      params: { Policy: policy.json, DurationSeconds: 1800 },
    });
    expect(JSON.parse(sts.requests[0].body).Policy).toBe(encodeURIComponent(policy.json));
    expect(c.secretId).toBe(sts.issued[0].secretId);
  });

  test('cos AssumeRole with role-arn, policy inline', async () => {
    const c = await obtainCredentials({
      provider: 'cos',
      keys: LONG,
      roleArn: ROLES.cos,
      policy: '{"version":"2.0","statement":[]}',
      roleSessionName: 'run-1',
      durationSeconds: 900,
      stsEndpoint: sts.endpoint,
      stsRegion: 'ap-guangzhou',
      retry: FAST,
    });
    expect(sts.issued[0].action).toBe('AssumeRole');
    expect(c.api).toBe('Tencent Cloud STS AssumeRole');
  });

  test('s3 AssumeRole and GetFederationToken: SigV4 verified with aws4; the temporary key works against s3rver', async () => {
    const policy = minimalPolicy({
      provider: 's3',
      bucket: S3RVER_BUCKET,
      keys: ['minted/b.txt'],
      methods: ['PUT', 'GET'],
    }).json;
    const assumed = await obtainCredentials({
      provider: 's3',
      keys: LONG,
      roleArn: ROLES.s3,
      policy,
      roleSessionName: 'run-1',
      durationSeconds: 900,
      stsEndpoint: sts.endpoint,
      retry: FAST,
    });
    const fed = await obtainCredentials({
      provider: 's3',
      keys: LONG,
      policy,
      roleSessionName: 'run-1',
      durationSeconds: 900,
      stsEndpoint: sts.endpoint,
      retry: FAST,
    });
    expect(sts.issued.map((i) => i.action)).toEqual(['AssumeRole', 'GetFederationToken']);
    expect(String(sts.requests[0].headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDlonglived0001\/\d{8}\/us-east-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-date, /,
    );
    for (const c of [assumed, fed]) {
      const base = {
        provider: 's3' as const,
        secretId: c.secretId,
        secretKey: c.secretKey,
        securityToken: c.securityToken,
        bucket: S3RVER_BUCKET,
        endpoint: s3.endpoint,
        key: 'minted/b.txt',
        expires: 300,
      };
      expect((await send(presign({ ...base, method: 'PUT' }).url, { method: 'PUT', body: c.secretId })).status).toBe(
        200,
      );
      expect((await send(presign({ ...base, method: 'GET' }).url)).body.toString()).toBe(c.secretId);
    }
  });

  test('a wrong long-lived secret is refused by the verifying server, named, with RequestId, not retried', async () => {
    const e = await refusal(
      obtainCredentials({
        provider: 'cos',
        keys: { ...LONG, secretKey: 'wrong' },
        policy: '{"version":"2.0","statement":[]}',
        roleSessionName: 'run-1',
        durationSeconds: 900,
        stsEndpoint: sts.endpoint,
        stsRegion: 'ap-guangzhou',
        retry: FAST,
      }),
    );
    expect(e.field).toBe('secret-id');
    expect(e.code).toBe('AuthFailure.SignatureFailure');
    expect(e.message).toMatch(/RequestId [0-9a-f-]{36}/);
    expect(sts.requests).toHaveLength(1);
    const a = await refusal(
      obtainCredentials({
        provider: 's3',
        keys: { ...LONG, secretKey: 'wrong' },
        roleArn: ROLES.s3,
        roleSessionName: 'run-1',
        durationSeconds: 900,
        stsEndpoint: sts.endpoint,
        retry: FAST,
      }),
    );
    expect([a.field, a.code]).toEqual(['secret-id', 'SignatureDoesNotMatch']);
    expect(e.message).not.toContain('wrong');
  });
});

describe('errors and retries', () => {
  test('throttling then success: retried, one set of credentials', async () => {
    await server({
      faults: [
        { status: 200, code: 'RequestLimitExceeded' },
        { status: 200, code: 'RequestLimitExceeded' },
      ],
    });
    const c = await obtainCredentials(oidc('cos'));
    expect(sts.requests).toHaveLength(3);
    expect(sts.issued).toHaveLength(1);
    expect(c.secretId).toBe(sts.issued[0].secretId);
    await server({ faults: [{ status: 400, code: 'Throttling', message: 'Rate exceeded' }] });
    await obtainCredentials(oidc('s3'));
    expect(sts.requests).toHaveLength(2);
  });

  test('5xx then success; 5xx every time ends with one clear line', async () => {
    await server({ faults: [{ status: 503, code: 'ServiceUnavailable' }] });
    await obtainCredentials(oidc('tos'));
    expect(sts.requests).toHaveLength(2);
    await server({ faults: Array(4).fill({ status: 500, code: 'InternalFailure' }) });
    const e = await refusal(obtainCredentials(oidc('s3')));
    expect(sts.requests).toHaveLength(4);
    expect(e.field).toBe('sts-endpoint');
    expect(e.message).toMatch(/retry the job later.*RequestId/);
  });

  test('non-retryable refusals: one attempt, the input to fix named', async () => {
    const cases: Array<[CredentialRequest, string, RegExp]> = [
      [oidc('s3', {}, { aud: 'wrong-audience' }), 'audience', /audience "sts.amazonaws.com"/],
      [oidc('cos', {}, { aud: 'wrong-audience' }), 'audience', /audience "sts.tencentcloudapi.com"/],
      [oidc('tos', {}, { iss: 'https://gitlab.example' }), 'role-arn', /OIDC identity provider|trust/],
      [oidc('s3', {}, { ttl: -10 }), 'id-token', /expired/],
      [oidc('tos', {}, { ttl: -10 }), 'id-token', /expired/],
      [
        oidc('s3', {}, { sub: 'repo:evil/fork:ref:refs/heads/main' }),
        'role-arn',
        /trust policy does not let this workflow/,
      ],
      [oidc('s3', { roleArn: 'arn:aws:iam::123456789012:role/nope' }), 'role-arn', /does not exist|cannot be assumed/],
      [oidc('cos', { oidcProviderId: 'gitlab' }), 'oidc-provider-id', /"gitlab"/],
      [oidc('s3', { durationSeconds: 7200 }), 'role-duration', /duration/],
      [oidc('tos', { policy: '{"Statement":' }), 'scope', /inline policy/],
    ];
    for (const [req, field, text] of cases) {
      await server();
      const e = await refusal(obtainCredentials({ ...req, stsEndpoint: sts.endpoint }));
      expect([e.field, e.message]).toEqual([field, expect.stringMatching(text)]);
      expect(e.message).toMatch(/RequestId/);
      expect(e.message.split('\n')).toHaveLength(1);
      expect(sts.requests).toHaveLength(1);
    }
  });

  test('scope: objects where the call takes no policy fails before any request, naming scope', async () => {
    const e = await refusal(obtainCredentials(oidc('cos', { policy: '{}' })));
    expect(e.field).toBe('scope');
    expect(e.message).toMatch(/AssumeRoleWithWebIdentity has no Policy/);
    const t = await refusal(
      obtainCredentials({
        provider: 'tos',
        keys: LONG,
        policy: '{}',
        roleSessionName: 'ab',
        durationSeconds: 900,
        stsEndpoint: sts.endpoint,
      }),
    );
    expect(t.field).toBe('scope');
    const f = await refusal(
      obtainCredentials({
        provider: 's3',
        keys: { ...LONG, securityToken: 'tok' },
        policy: '{}',
        roleSessionName: 'ab',
        durationSeconds: 900,
        stsEndpoint: sts.endpoint,
      }),
    );
    expect(f.message).toMatch(/GetFederationToken/);
    expect(sts.requests).toHaveLength(0);
  });

  test('an STS message that quotes the token or the secret key is cut before it can be printed', async () => {
    const jwt = makeJwt(issuer, { aud: AUD.s3 });
    for (const provider of ['cos', 's3', 'tos'] as const) {
      await server({
        faults: [
          {
            status: 400,
            code: 'InvalidParameter',
            message: `token ${jwt} and key ${LONG.secretKey} rejected\r\nline two`,
          },
        ],
      });
      const e = await refusal(obtainCredentials(oidc(provider, { webIdentityToken: async () => jwt })));
      expect(e.message).not.toContain(jwt);
      expect(e.message).not.toContain(jwt.slice(0, 40));
      expect(e.message.split('\n')).toHaveLength(1);
      expect(e.message).toContain('token ***');
    }
    await server({ faults: [{ status: 200, code: 'InvalidParameter', message: `key ${LONG.secretKey}` }] });
    const k = await refusal(
      obtainCredentials({
        provider: 'cos',
        keys: LONG,
        policy: '{}',
        roleSessionName: 'ab',
        durationSeconds: 900,
        stsEndpoint: sts.endpoint,
        stsRegion: 'ap-guangzhou',
      }),
    );
    expect(k.message).not.toContain(LONG.secretKey);
  });

  test('a dead endpoint is retried, then named', async () => {
    await sts.stop();
    const e = await refusal(obtainCredentials(oidc('s3', { retry: { retries: 1, minTimeout: 5 } })));
    expect(e.field).toBe('sts-endpoint');
    expect(e.code).toBe('network');
  });

  test('sts-endpoint: plain http only for loopback; session names checked', async () => {
    expect((await refusal(obtainCredentials(oidc('s3', { stsEndpoint: 'http://sts.example.com' })))).message).toMatch(
      /loopback/,
    );
    expect((await refusal(obtainCredentials(oidc('s3', { roleSessionName: 'has space' })))).field).toBe(
      'role-session-name',
    );
  });
});

describe('sessionDuration', () => {
  test('URL lifetime plus a margin, within what a role accepts by default', () => {
    expect(sessionDuration('s3', 'oidc', 600)).toEqual({ seconds: 900 });
    expect(sessionDuration('s3', 'oidc', 3000)).toEqual({ seconds: 3300 });
    // The role's default ceiling costs a 3600 s URL only the margin: the core's cut warning says so, no extra note.
    expect(sessionDuration('s3', 'oidc', 3600)).toEqual({ seconds: 3600 });
    expect(sessionDuration('s3', 'oidc', 7200).seconds).toBe(3600);
    expect(sessionDuration('s3', 'oidc', 7200).note).toMatch(/role-duration/);
    expect(sessionDuration('cos', 'oidc', 3600)).toEqual({ seconds: 3900 });
    expect(sessionDuration('s3', 'AssumeRole', 100, 43200)).toEqual({ seconds: 43200 });
    expect(() => sessionDuration('tos', 'oidc', 100, 600)).toThrow(/role-duration/);
  });
});
