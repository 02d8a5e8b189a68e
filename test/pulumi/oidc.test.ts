/**
 * PresignedUrl with no stored secret, through Pulumi's real dynamic-provider host (harness.ts):
 * the environment of `pulumi up` holds only the provider SDK's OIDC variables (a role and a token
 * file), and `COS_PRESIGN_STS_ENDPOINT` points at the local STS server, which checks the token
 * (RS256, issuer, audience) and issues temporary keys. The URLs are checked with the official
 * SDK (cos-nodejs-sdk-v5) and, for s3, round-trip through s3rver with the temporary key.
 * The host runs on the real clock: the STS server checks the token's times against its own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import { GITHUB_ISSUER, makeIssuer, makeJwt } from '../helpers/oidc-server';
import { RunningS3rver, S3RVER_BUCKET, send, startS3rver } from '../helpers/s3rver';
import { RunningStsServer, startStsServer } from '../helpers/sts-server';
import { installBuiltPackage, InstalledProgram, ProviderHost, registerResources, Registration, Stack } from './harness';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account');

const issuer = makeIssuer();
const ROLE_S3 = 'arn:aws:iam::123456789012:role/pulumi';
const ROLE_COS = 'qcs::cam::uin/100000000001:roleName/pulumi';
const COS_BUCKET = 'examplebucket-1250000000';

let installed: InstalledProgram;
let sts: RunningStsServer;
let s3: RunningS3rver;
let regs: Record<string, Registration>;
const hosts: ProviderHost[] = [];
/** Every OIDC token written to a token file (none may be printed). */
const jwts: string[] = [];

function tokenFile(aud: string): string {
  const jwt = makeJwt(issuer, { aud, ttl: 600 });
  jwts.push(jwt);
  const f = path.join(installed.root, `token-${jwts.length}`);
  fs.writeFileSync(f, jwt);
  return f;
}

async function host(env: Record<string, string>): Promise<ProviderHost> {
  const h = await ProviderHost.start({
    cwd: installed.program,
    env: { ...env, COS_PRESIGN_STS_ENDPOINT: sts.endpoint },
  });
  hosts.push(h);
  return h;
}

const cosEnv = () => ({
  TKE_ROLE_ARN: ROLE_COS,
  TKE_PROVIDER_ID: 'github',
  TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile('sts.tencentcloudapi.com'),
  TKE_REGION: 'ap-shanghai',
});

beforeAll(async () => {
  installed = installBuiltPackage();
  s3 = await startS3rver();
  sts = await startStsServer({
    jwtKey: issuer.publicKey,
    roles: {
      [ROLE_S3]: { audience: 'sts.amazonaws.com', issuer: GITHUB_ISSUER },
      [ROLE_COS]: { audience: 'sts.tencentcloudapi.com', issuer: GITHUB_ISSUER },
    },
    tencentProviders: { github: GITHUB_ISSUER },
    onIssue: (i) => DUMMY_ACCOUNT.createKeyPair(i.secretId, i.secretKey),
  });
  const list = registerResources(
    installed.program,
    [
      {
        name: 'cos-day',
        args: {
          provider: 'cos',
          bucket: COS_BUCKET,
          region: 'ap-guangzhou',
          key: 'rel/app v1.tgz',
          expiresIn: 86400,
          renewBefore: 600,
        },
      },
      {
        name: 's3-put',
        args: {
          provider: 's3',
          bucket: S3RVER_BUCKET,
          endpoint: s3.endpoint,
          key: 'pulumi/oidc.txt',
          method: 'PUT',
          expiresIn: 900,
          renewBefore: 300,
        },
      },
    ],
    {},
  );
  regs = Object.fromEntries(list.map((r) => [r.name, r]));
}, 120000);

// What `pulumi up` shows: no temporary secret, no session token, no OIDC token, whichever tests ran.
afterEach(() => {
  const secrets = [...jwts, ...sts.issued.flatMap((i) => [i.secretKey, i.token])];
  for (const h of hosts) for (const s of secrets) expect(h.logs).not.toContain(s);
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  await Promise.all([sts?.stop(), s3?.stop()]);
  installed?.cleanup();
});

test('cos: TKE_* variables -> signed with the temporary key (checked by cos-nodejs-sdk-v5), cut to the credentials, renewed before they die', async () => {
  const h = await host(cosEnv());
  const st = new Stack(regs['cos-day']);
  const before = sts.requests.length;
  const started = Date.now();
  expect(await st.up(h)).toEqual({ step: 'create' });
  expect(sts.requests.length).toBe(before + 1);
  const req = sts.requests.at(-1)!;
  expect(req.headers['x-tc-region']).toBe('ap-shanghai');
  const i = sts.issued.at(-1)!;
  // Session sized to the URL's lifetime within what a role accepts by default (7200 s).
  expect(i.params.DurationSeconds).toBe(7200);

  const o = st.state!.outputs;
  const q = new URL(o.url).searchParams;
  expect(q.get('q-ak')).toBe(i.secretId);
  expect(q.get('x-cos-security-token')).toBe(i.token);
  const sdk = new URLSearchParams(
    COS.getAuthorization({
      SecretId: i.secretId,
      SecretKey: i.secretKey,
      Bucket: COS_BUCKET,
      Region: 'ap-guangzhou',
      Method: 'GET',
      Key: 'rel/app v1.tgz',
      Query: { 'x-cos-security-token': i.token },
      KeyTime: q.get('q-key-time')!,
      ForceSignHost: true,
    } as COS.StaticGetAuthorizationOptions),
  );
  expect(q.get('q-signature')).toBe(sdk.get('q-signature'));

  // A day was asked; the URL ends with the credentials, and renewal is planned before that.
  expect(o.expiresAt).toBe(i.expiresAt.toISOString());
  expect(Date.parse(o.expiresAt)).toBeLessThan(started + 7300_000);
  expect(o.renewAt).toBe(new Date(i.expiresAt.getTime() - 600_000).toISOString());
  expect(o.warnings).toEqual([expect.stringMatching(/cut to the temporary credential's expiry/)]);
  await h.waitForLog('cut to the temporary credential');
  // The temporary keys are not state: nothing but the URL (a secret output) carries the token.
  const { url, ...rest } = o;
  expect(url).toContain(i.token.slice(0, 8));
  expect(JSON.stringify(rest)).not.toContain(i.token);
  expect(JSON.stringify(rest)).not.toContain(i.secretId);
  expect([...st.state!.secretOutputs]).toEqual(['url']);

  // The next up, before renewAt: same URL, and no STS call (check and diff never mint).
  const calls = sts.requests.length;
  expect(await st.up(h)).toEqual({ step: 'same' });
  expect(sts.requests.length).toBe(calls);
  expect(st.state!.outputs.url).toBe(url);
});

test('s3: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE -> a PUT URL that s3rver accepts with the temporary key', async () => {
  const h = await host({
    AWS_ROLE_ARN: ROLE_S3,
    AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile('sts.amazonaws.com'),
    AWS_ROLE_SESSION_NAME: 'pulumi-up',
  });
  const st = new Stack(regs['s3-put']);
  const started = Date.now();
  expect(await st.up(h)).toEqual({ step: 'create' });
  const i = sts.issued.at(-1)!;
  expect(i.params).toMatchObject({ RoleArn: ROLE_S3, RoleSessionName: 'pulumi-up' });
  const o = st.state!.outputs;
  const q = new URL(o.url).searchParams;
  expect(q.get('X-Amz-Security-Token')).toBe(i.token);
  expect(q.get('X-Amz-Credential')).toMatch(new RegExp(`^${i.secretId}/`));
  // The session outlives the URL (900 s + margin): no cut, and the state says so.
  expect(Date.parse(o.expiresAt)).toBeLessThanOrEqual(i.expiresAt.getTime());
  expect(Date.parse(o.expiresAt)).toBe(Math.floor(Date.parse(o.signedAt) / 1000) * 1000 + 900_000);
  expect(Date.parse(o.signedAt)).toBeGreaterThanOrEqual(started - 1000);
  expect(o.warnings).toEqual([]);
  expect((await send(o.url, { method: 'PUT', body: 'from pulumi with oidc' })).status).toBe(200);
});

test('an STS refusal is one error naming the variable to fix, with the RequestId; static keys in the environment win', async () => {
  const h = await host({ ...cosEnv(), TKE_PROVIDER_ID: 'nope' });
  const st = new Stack(regs['cos-day']);
  const err = await st.up(h).then(
    () => undefined,
    (e: { details?: string }) => e,
  );
  expect(err).toBeDefined();
  const details = String(err!.details);
  expect(details).toMatch(
    /^TKE_PROVIDER_ID: AssumeRoleWithWebIdentity failed: .*"nope".*RequestId [0-9a-f-]{36}.*\(OIDC variables in the environment of pulumi up\)$/,
  );
  expect(details.split('\n')).toHaveLength(1);
  expect(st.state).toBeUndefined();

  // A half-set group is named before any call.
  const calls = sts.requests.length;
  const half = await host({
    TKE_ROLE_ARN: ROLE_COS,
    TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile('sts.tencentcloudapi.com'),
  });
  const e2 = await new Stack(regs['cos-day']).up(half).then(
    () => undefined,
    (e: { details?: string }) => e,
  );
  expect(String(e2?.details)).toMatch(/^TKE_PROVIDER_ID: is not set; .*identity provider/);

  // The SDKs' precedence: static keys win, and STS is not asked.
  const both = await host({
    ...cosEnv(),
    TENCENTCLOUD_SECRET_ID: 'AKIDstaticPulumi01',
    TENCENTCLOUD_SECRET_KEY: 'staticPulumiSecretKey01',
  });
  const st3 = new Stack(regs['cos-day']);
  expect(await st3.up(both)).toEqual({ step: 'create' });
  expect(new URL(st3.state!.outputs.url).searchParams.get('q-ak')).toBe('AKIDstaticPulumi01');
  expect(sts.requests.length).toBe(calls);
  expect(both.logs).not.toContain('staticPulumiSecretKey01');
});
