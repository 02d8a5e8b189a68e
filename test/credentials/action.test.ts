/**
 * The bundled action (dist/index.js) with role-arn and scope, against a local OIDC token endpoint
 * (ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN) and local STS endpoints; the s3 URLs are then used against
 * s3rver, which verifies them with the temporary secret. Checks what the runner would mask: the
 * temporary secret key and the OIDC token always, the session token only with mask-urls (masked
 * values would make the runner drop the URL outputs when they cross jobs).
 */
import * as fs from 'node:fs';
import COS from 'cos-nodejs-sdk-v5';
import { minimalPolicy } from '../../src/core/policy';
import { DIST, ensureBundle, removeWorkspaces, runAction } from '../action/run-action';
import { GITHUB_ISSUER, makeIssuer, RunningOidcServer, startOidcServer } from '../helpers/oidc-server';
import { RunningS3rver, S3RVER_BUCKET, send, startS3rver } from '../helpers/s3rver';
import { RunningStsServer, startStsServer } from '../helpers/sts-server';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account');

const issuer = makeIssuer();
const ROLE_S3 = 'arn:aws:iam::123456789012:role/presign-ci';
const ROLE_COS = 'qcs::cam::uin/100000000001:roleName/presign-ci';
const LONG = { id: 'AKIDlonglivedaction1', key: 'long-lived-action-secret-1' };
let oidc: RunningOidcServer;
let sts: RunningStsServer;
let s3: RunningS3rver;

beforeAll(async () => {
  ensureBundle();
  // These tests run the bundle, as the runner does; say so plainly when it predates the STS inputs.
  if (!fs.readFileSync(DIST, 'utf8').includes('AssumeRoleWithWebIdentity'))
    throw new Error('dist/index.js predates the STS inputs (role-arn, scope): run npm run bundle');
  [oidc, s3] = await Promise.all([startOidcServer(issuer), startS3rver()]);
  sts = await startStsServer({
    jwtKey: issuer.publicKey,
    roles: {
      [ROLE_S3]: { audience: 'sts.amazonaws.com', issuer: GITHUB_ISSUER },
      [ROLE_COS]: { audience: 'sts.tencentcloudapi.com', issuer: GITHUB_ISSUER },
    },
    tencentProviders: { github: GITHUB_ISSUER },
    keys: { [LONG.id]: LONG.key },
    onIssue: (i) => DUMMY_ACCOUNT.createKeyPair(i.secretId, i.secretKey),
  });
});
afterAll(async () => {
  await Promise.all([oidc?.stop(), sts?.stop(), s3?.stop()]);
  removeWorkspaces();
});

const oidcEnv = () => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
});
const masks = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('::add-mask::'))
    .map((l) => l.slice('::add-mask::'.length));

describe('action: no secrets, OIDC', () => {
  test('s3 with scope: objects -> URLs that work, policy and credential-expiration outputs; secret key and OIDC token masked, session token not', async () => {
    const before = sts.issued.length;
    const run = await runAction({
      inputs: {
        provider: 's3',
        bucket: S3RVER_BUCKET,
        endpoint: s3.endpoint,
        keys: 'ci/one.txt\nci/two.txt',
        method: 'PUT',
        'role-arn': ROLE_S3,
        'sts-endpoint': sts.endpoint,
        scope: 'objects',
        expires: '600',
      },
      env: oidcEnv(),
    });
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    const issued = sts.issued[before];
    expect(issued.action).toBe('AssumeRoleWithWebIdentity');
    expect(issued.params.RoleSessionName).toBe('cos-presign-987654321-1');
    expect(issued.params.DurationSeconds).toBe('900');
    const policy = minimalPolicy({
      provider: 's3',
      bucket: S3RVER_BUCKET,
      keys: ['ci/one.txt', 'ci/two.txt'],
      methods: ['PUT'],
    }).json;
    expect(issued.params.Policy).toBe(policy);
    expect(run.outputs.policy).toBe(policy);
    expect(run.outputs['credential-expiration']).toBe(issued.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    expect(oidc.audiences.at(-1)).toBe('sts.amazonaws.com');

    const urls = JSON.parse(run.outputs.urls) as Record<string, string>;
    for (const [key, url] of Object.entries(urls)) {
      expect(new URL(url).searchParams.get('X-Amz-Security-Token')).toBe(issued.token);
      expect((await send(url, { method: 'PUT', body: key })).status).toBe(200);
    }
    // Masks: registered first, cover the temporary secret key and the OIDC token...
    const m = masks(run.stdout);
    expect(m).toEqual(expect.arrayContaining([issued.secretKey, oidc.issued.at(-1)]));
    // ...but nothing that is part of a URL, so the runner keeps the URL outputs across jobs.
    for (const url of Object.values(urls)) for (const s of m) expect(url.includes(s)).toBe(false);
    for (const secret of [issued.secretKey, oidc.issued.at(-1)!, issued.token]) {
      expect(run.visibleLog).not.toContain(secret);
      expect(run.summary).not.toContain(secret);
    }
    expect(run.visibleLog).toMatch(
      /Temporary credentials from AWS STS AssumeRoleWithWebIdentity for arn:aws:iam::123456789012:role\/presign-ci \(RequestId [0-9a-f-]{36}\), valid until/,
    );
  });

  test('mask-urls: true masks the session token as well (the URLs then stay inside the job)', async () => {
    const before = sts.issued.length;
    const run = await runAction({
      inputs: {
        provider: 's3',
        bucket: S3RVER_BUCKET,
        endpoint: s3.endpoint,
        key: 'ci/m.txt',
        'role-arn': ROLE_S3,
        'sts-endpoint': sts.endpoint,
        'mask-urls': 'true',
      },
      env: oidcEnv(),
    });
    expect(run.code).toBe(0);
    expect(masks(run.stdout)).toContain(sts.issued[before].token);
    expect(run.outputs.policy).toBeUndefined();
  });

  test('without permissions: id-token: write, one error naming role-arn and the fix', async () => {
    const run = await runAction({
      inputs: {
        provider: 's3',
        bucket: S3RVER_BUCKET,
        endpoint: s3.endpoint,
        key: 'k',
        'role-arn': ROLE_S3,
        'sts-endpoint': sts.endpoint,
      },
    });
    expect(run.code).not.toBe(0);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/Input "role-arn".*permissions: id-token: write/);
    expect(run.outputs).toEqual({});
  });

  test('an STS refusal is one line naming the input, with the RequestId, and no outputs', async () => {
    const run = await runAction({
      inputs: {
        provider: 's3',
        bucket: S3RVER_BUCKET,
        endpoint: s3.endpoint,
        key: 'k',
        'role-arn': ROLE_S3,
        'sts-endpoint': sts.endpoint,
        audience: 'something-else',
      },
      env: oidcEnv(),
    });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/Input "audience".*"something-else".*RequestId/);
    expect(run.outputs).toEqual({});
    expect(run.visibleLog).not.toContain(oidc.issued.at(-1));
  });

  test('cos: scope: objects cannot narrow AssumeRoleWithWebIdentity, so the step fails naming scope before any STS call', async () => {
    const before = sts.requests.length;
    const run = await runAction({
      inputs: {
        bucket: 'examplebucket-1250000000',
        region: 'ap-guangzhou',
        key: 'k',
        'role-arn': ROLE_COS,
        'oidc-provider-id': 'github',
        'sts-endpoint': sts.endpoint,
        scope: 'objects',
      },
      env: oidcEnv(),
    });
    expect(run.errors[0]).toMatch(/Input "scope".*no Policy parameter/);
    expect(sts.requests.length).toBe(before);
  });

  test('cos OIDC: the COS SDK computes the same signature with the temporary key', async () => {
    const before = sts.issued.length;
    const run = await runAction({
      inputs: {
        bucket: 'examplebucket-1250000000',
        region: 'ap-guangzhou',
        key: 'rel/a.zip',
        'role-arn': ROLE_COS,
        'oidc-provider-id': 'github',
        'sts-endpoint': sts.endpoint,
      },
      env: oidcEnv(),
    });
    expect(run.errors).toEqual([]);
    const i = sts.issued[before];
    const q = new URL(run.outputs.url).searchParams;
    const sdk = new URLSearchParams(
      COS.getAuthorization({
        SecretId: i.secretId,
        SecretKey: i.secretKey,
        Bucket: 'examplebucket-1250000000',
        Region: 'ap-guangzhou',
        Method: 'GET',
        Key: 'rel/a.zip',
        Query: { 'x-cos-security-token': i.token },
        KeyTime: q.get('q-key-time')!,
        ForceSignHost: true,
      } as COS.StaticGetAuthorizationOptions),
    );
    expect(q.get('q-signature')).toBe(sdk.get('q-signature'));
    expect(masks(run.stdout)).toContain(i.secretKey);
  });
});

describe('action: long-lived keys narrowed', () => {
  test('cos secret-id/secret-key + scope: objects -> GetFederationToken (TC3-checked), URL signed by the temporary key', async () => {
    const before = sts.issued.length;
    const run = await runAction({
      inputs: {
        bucket: 'examplebucket-1250000000',
        region: 'ap-guangzhou',
        key: 'up/x.bin',
        method: 'PUT',
        'secret-id': LONG.id,
        'secret-key': LONG.key,
        'sts-endpoint': sts.endpoint,
        scope: 'objects',
      },
    });
    expect(run.errors).toEqual([]);
    const i = sts.issued[before];
    expect(i.action).toBe('GetFederationToken');
    expect(JSON.parse(run.outputs.policy)).toEqual({
      version: '2.0',
      statement: [
        {
          effect: 'allow',
          action: ['name/cos:PutObject'],
          resource: ['qcs::cos:ap-guangzhou:uid/1250000000:examplebucket-1250000000/up/x.bin'],
        },
      ],
    });
    expect(new URL(run.outputs.url).searchParams.get('q-ak')).toBe(i.secretId);
    expect(run.outputs.url).not.toContain(LONG.id);
  });
});
