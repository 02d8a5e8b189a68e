/**
 * `scope: objects` with `upload: 'true'`, through the bundled action: the temporary credentials are
 * narrowed to exactly the uploaded keys (key-prefix + path under base-dir) and the operations the
 * upload makes. Local STS endpoints (TC3 / SigV4 checked with the official signers) record the
 * inline policy; the object servers (COS and TOS test servers checking signatures with their SDKs'
 * signers, s3rver behind a proxy) enforce that policy on every request the upload sends
 * (test/helpers/policy-gate.ts, from the providers' docs). So a passing upload proves the policy
 * is enough, and a refused request for another key proves it is no wider.
 */
import { randomBytes } from 'node:crypto';
import { presign } from '../../src/core/presign';
import type { PresignInput } from '../../src/core/types';
import { COS_TEST_BUCKET, cosDialect } from '../helpers/cos-server';
import { RunningProxy, startFaultProxy } from '../helpers/fault-proxy';
import { RunningObjectServer, startObjectServer } from '../helpers/object-server';
import { GITHUB_ISSUER, makeIssuer, RunningOidcServer, startOidcServer } from '../helpers/oidc-server';
import { IssuedKey, objectServerGate, policyAllows, resourceOf, s3ProxyGate } from '../helpers/policy-gate';
import { RunningS3rver, S3RVER_BUCKET, send, startS3rver } from '../helpers/s3rver';
import { RunningStsServer, startStsServer } from '../helpers/sts-server';
import { TOS_TEST_BUCKET, TOS_TEST_REGION, tosDialect } from '../helpers/tos-server';
import { removeWorkspaces, runAction, tempWorkspace } from './run-action';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account');

const MiB = 1024 * 1024;
const issuer = makeIssuer();
const ROLE = {
  s3: 'arn:aws:iam::123456789012:role/presign-ci',
  tos: 'trn:iam::2100000001:role/presign-ci',
  cos: 'qcs::cam::uin/100000000001:roleName/presign-ci',
};
const LONG = { id: 'AKIDlonglivedupload1', key: 'long-lived-upload-secret-1' };
let oidc: RunningOidcServer;
let sts: RunningStsServer;
let s3: RunningS3rver;
let proxy: RunningProxy;
let cos: RunningObjectServer;
let tos: RunningObjectServer;
/** Every request an object server refused by policy, with the reason. */
const refusals: string[] = [];

const issuedKey = (ak: string): IssuedKey | undefined => {
  const i = sts.issued.find((x) => x.secretId === ak);
  return i && { secretKey: i.secretKey, token: i.token, policy: i.params.Policy as string | undefined };
};

beforeAll(async () => {
  [oidc, s3] = await Promise.all([startOidcServer(issuer), startS3rver()]);
  sts = await startStsServer({
    jwtKey: issuer.publicKey,
    roles: {
      [ROLE.s3]: { audience: 'sts.amazonaws.com', issuer: GITHUB_ISSUER },
      [ROLE.tos]: { audience: 'sts.volcengineapi.com', issuer: GITHUB_ISSUER },
      [ROLE.cos]: { audience: 'sts.tencentcloudapi.com', issuer: GITHUB_ISSUER },
    },
    tencentProviders: { github: GITHUB_ISSUER },
    keys: { [LONG.id]: LONG.key },
    onIssue: (i) => DUMMY_ACCOUNT.createKeyPair(i.secretId, i.secretKey),
  });
  proxy = await startFaultProxy(s3.endpoint);
  proxy.faults.push({
    match: s3ProxyGate(issuedKey, refusals),
    times: Infinity,
    action: { status: 403, code: 'AccessDenied' },
  });
  // COS and TOS servers that accept the keys the local STS issued (signatures checked by the SDKs).
  const withIssued = (dialect: typeof cosDialect | typeof tosDialect, name: string) => {
    const d = dialect();
    return {
      ...d,
      verify: (...a: Parameters<typeof d.verify>) => {
        const q = new Map(a[2]);
        const ak = name === 'q-ak' ? q.get('q-ak') : q.get('X-Tos-Credential')?.split('/')[0];
        const i = ak === undefined ? undefined : issuedKey(ak);
        return i ? dialect({ secretId: ak!, secretKey: i.secretKey }).verify(...a) : 'unknown access key';
      },
    };
  };
  [cos, tos] = await Promise.all([
    startObjectServer(withIssued(cosDialect, 'q-ak')),
    startObjectServer(withIssued(tosDialect, 'X-Tos-Credential')),
  ]);
  cos.faults.push({
    match: objectServerGate(issuedKey, 'cos', COS_TEST_BUCKET, 'ap-guangzhou', refusals),
    times: Infinity,
    action: { status: 403, code: 'AccessDenied' },
  });
  tos.faults.push({
    match: objectServerGate(issuedKey, 'tos', TOS_TEST_BUCKET, TOS_TEST_REGION, refusals),
    times: Infinity,
    action: { status: 403, code: 'AccessDenied' },
  });
});
afterAll(async () => {
  await Promise.all([oidc?.stop(), sts?.stop(), proxy?.stop(), s3?.stop(), cos?.stop(), tos?.stop()]);
  removeWorkspaces();
});
beforeEach(() => refusals.splice(0));

const oidcEnv = () => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
});

/** A request the issued key signs itself, for a key of our choosing (what a leaked key could try). */
function sendAs(base: Partial<PresignInput>, ak: string, key: string, method: 'PUT' | 'DELETE' | 'GET', body = 'x') {
  const i = sts.issued.find((x) => x.secretId === ak)!;
  const r = presign({
    ...base,
    secretId: i.secretId,
    secretKey: i.secretKey,
    securityToken: i.token,
    key,
    method,
    expires: 300,
  } as PresignInput);
  return send(r.url, { method, headers: r.headers, body: method === 'PUT' ? body : undefined });
}

describe("scope: objects with upload: 'true'", () => {
  test('s3 + OIDC: the inline Policy of AssumeRoleWithWebIdentity is the uploaded keys with PutObject, GetObject and AbortMultipartUpload; the upload passes the policy; other keys are refused', async () => {
    const big = randomBytes(6 * MiB + 5);
    const small = Buffer.from('notes\n');
    const ws = tempWorkspace({ 'dist/app.bin': big, 'dist/doc/notes.txt': small, 'other.txt': 'not uploaded' });
    const inputs = {
      provider: 's3',
      bucket: S3RVER_BUCKET,
      region: 'us-east-1',
      endpoint: proxy.endpoint,
      upload: 'true',
      files: 'dist/**',
      'base-dir': 'dist',
      'key-prefix': 'rel/{ref_name}/',
      'multipart-threshold': '5MiB',
      'part-size': '5MiB',
      'role-arn': ROLE.s3,
      'sts-endpoint': sts.endpoint,
      scope: 'objects',
    };
    const before = sts.issued.length;
    const run = await runAction({ inputs, workspace: ws, env: oidcEnv() });
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    const issued = sts.issued[before];
    expect(issued.action).toBe('AssumeRoleWithWebIdentity');
    // Written out from the IAM docs: PutObject covers create/part/complete; HEAD is GetObject; no list parts.
    const expected = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
          Resource: [
            'arn:aws:s3:::test-bucket/rel/v1.2.3/app.bin',
            'arn:aws:s3:::test-bucket/rel/v1.2.3/doc/notes.txt',
          ],
        },
      ],
    };
    expect(JSON.parse(String(issued.params.Policy))).toEqual(expected);
    expect(run.outputs.policy).toBe(issued.params.Policy);
    expect(refusals).toEqual([]);
    const uploaded = JSON.parse(run.outputs.uploaded);
    expect(uploaded['rel/v1.2.3/app.bin']).toMatchObject({ size: big.length, parts: 2 });
    const urls = JSON.parse(run.outputs.urls) as Record<string, string>;
    expect((await send(urls['rel/v1.2.3/app.bin'])).body.equals(big)).toBe(true);
    expect((await send(urls['rel/v1.2.3/doc/notes.txt'])).body.equals(small)).toBe(true);
    expect(run.visibleLog).toMatch(/narrowed to 2 objects \(s3:PutObject, s3:GetObject, s3:AbortMultipartUpload\)/);

    // skip-unchanged reads each object with HEAD: granted too, so the rerun sends nothing.
    const again = await runAction({ inputs: { ...inputs, 'skip-unchanged': 'true' }, workspace: ws, env: oidcEnv() });
    expect(again.errors).toEqual([]);
    expect(Object.values(JSON.parse(again.outputs.uploaded)).every((u) => (u as { skipped?: boolean }).skipped)).toBe(
      true,
    );
    expect(refusals).toEqual([]);

    // The same temporary key, for a key outside the upload or an operation not granted: refused
    // (a PUT to an uploaded key is the control: same key, same signer, allowed).
    const base = { provider: 's3', bucket: S3RVER_BUCKET, region: 'us-east-1', endpoint: proxy.endpoint } as const;
    expect((await sendAs(base, issued.secretId, 'rel/v1.2.3/app.bin', 'PUT')).status).toBe(200);
    expect((await sendAs(base, issued.secretId, 'rel/v1.2.3/other.txt', 'PUT')).status).toBe(403);
    expect((await sendAs(base, issued.secretId, 'elsewhere/app.bin', 'GET')).status).toBe(403);
    expect((await sendAs(base, issued.secretId, 'rel/v1.2.3/app.bin', 'DELETE')).status).toBe(403);
    expect(refusals).toEqual([
      expect.stringMatching(/^PUT rel\/v1\.2\.3\/other\.txt: the session policy does not allow s3:PutObject/),
      expect.stringMatching(/^GET elsewhere\/app\.bin: .*s3:GetObject/),
      expect.stringMatching(/^DELETE rel\/v1\.2\.3\/app\.bin: .*s3:DeleteObject/),
    ]);
    const own = resourceOf('s3', S3RVER_BUCKET, 'rel/v1.2.3/app.bin');
    expect(policyAllows(run.outputs.policy, 's3:ListMultipartUploadParts', own)).toBe(false);
  });

  test('tos + OIDC: small files only, so the AssumeRoleWithOIDC Policy has no multipart operation at all', async () => {
    const ws = tempWorkspace({ 'out/a.txt': 'alpha', 'out/b.txt': 'beta' });
    const before = sts.issued.length;
    const run = await runAction({
      inputs: {
        provider: 'tos',
        bucket: TOS_TEST_BUCKET,
        region: TOS_TEST_REGION,
        domain: tos.endpoint,
        upload: 'true',
        files: 'out/*.txt',
        'base-dir': 'out',
        'key-prefix': 'builds/7/',
        'role-arn': ROLE.tos,
        'sts-endpoint': sts.endpoint,
        scope: 'objects',
      },
      workspace: ws,
      env: oidcEnv(),
    });
    expect(run.errors).toEqual([]);
    const issued = sts.issued[before];
    expect(issued.action).toBe('AssumeRoleWithOIDC');
    expect(JSON.parse(String(issued.params.Policy))).toEqual({
      Statement: [
        {
          Effect: 'Allow',
          Action: ['tos:PutObject', 'tos:GetObject'],
          Resource: ['trn:tos:::example-bucket/builds/7/a.txt', 'trn:tos:::example-bucket/builds/7/b.txt'],
        },
      ],
    });
    expect(refusals).toEqual([]);
    expect(tos.objects.get('builds/7/a.txt')!.body.toString()).toBe('alpha');
    expect(tos.objects.get('builds/7/b.txt')!.body.toString()).toBe('beta');
    const tosBase = {
      provider: 'tos',
      bucket: TOS_TEST_BUCKET,
      region: TOS_TEST_REGION,
      endpoint: tos.endpoint,
      isCustomDomain: true,
    } as const;
    expect((await sendAs(tosBase, issued.secretId, 'builds/7/a.txt', 'GET')).status).toBe(200);
    expect((await sendAs(tosBase, issued.secretId, 'builds/7/c.txt', 'PUT')).status).toBe(403);
    expect(tos.objects.has('builds/7/c.txt')).toBe(false);
  });

  test('cos + secret-id/secret-key: GetFederationToken gets the keys with PutObject, HeadObject, GetObject and the four part operations (no ListParts)', async () => {
    const big = randomBytes(Math.floor(2.5 * MiB));
    const ws = tempWorkspace({ 'pkg/big.bin': big, 'pkg/sum.txt': 'sha\n' });
    const before = sts.issued.length;
    const run = await runAction({
      inputs: {
        bucket: COS_TEST_BUCKET,
        region: 'ap-guangzhou',
        domain: cos.endpoint,
        upload: 'true',
        files: 'pkg/*',
        'base-dir': 'pkg',
        'key-prefix': 'r/',
        'multipart-threshold': '1MiB',
        'part-size': '1MiB',
        'skip-unchanged': 'true',
        'secret-id': LONG.id,
        'secret-key': LONG.key,
        'sts-endpoint': sts.endpoint,
        scope: 'objects',
      },
      workspace: ws,
    });
    expect(run.errors).toEqual([]);
    const issued = sts.issued[before];
    expect(issued.action).toBe('GetFederationToken');
    const res = (k: string) => `qcs::cos:ap-guangzhou:uid/1250000000:examplebucket-1250000000/${k}`;
    expect(JSON.parse(String(issued.params.Policy))).toEqual({
      version: '2.0',
      statement: [
        {
          effect: 'allow',
          action: [
            'name/cos:PutObject',
            'name/cos:HeadObject',
            'name/cos:GetObject',
            'name/cos:InitiateMultipartUpload',
            'name/cos:UploadPart',
            'name/cos:CompleteMultipartUpload',
            'name/cos:AbortMultipartUpload',
          ],
          resource: [res('r/big.bin'), res('r/sum.txt')],
        },
      ],
    });
    expect(refusals).toEqual([]);
    // HEAD (skip-unchanged, 404), initiate, parts, complete, GET link check: all under the policy.
    expect(new Set(cos.log.filter((l) => l.key === 'r/big.bin').map((l) => l.op))).toEqual(
      new Set(['head', 'initiate', 'part', 'complete', 'get']),
    );
    expect(cos.objects.get('r/big.bin')!.body.equals(big)).toBe(true);
    expect(JSON.parse(run.outputs.uploaded)['r/big.bin']).toMatchObject({ parts: 3 });
    const q = new URL(JSON.parse(run.outputs.urls)['r/big.bin']).searchParams;
    expect(q.get('q-ak')).toBe(issued.secretId);

    const base = { provider: 'cos', bucket: COS_TEST_BUCKET, region: 'ap-guangzhou', domain: cos.endpoint } as const;
    expect((await sendAs(base, issued.secretId, 'r/other.bin', 'PUT')).status).toBe(403);
    expect((await sendAs(base, issued.secretId, 'r/big.bin', 'DELETE')).status).toBe(403);
    expect(cos.objects.has('r/other.bin')).toBe(false);
    expect(policyAllows(String(issued.params.Policy), 'name/cos:ListParts', res('r/big.bin'))).toBe(false);
  });

  test('many files: the keys collapse to their common prefix to fit the policy limit, with a warning, and the upload passes', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [
        `site/page-${String(i).padStart(2, '0')}-of-the-handbook.html`,
        `<p>${i}</p>`,
      ]),
    );
    const before = sts.issued.length;
    const run = await runAction({
      inputs: {
        provider: 's3',
        bucket: S3RVER_BUCKET,
        region: 'us-east-1',
        endpoint: proxy.endpoint,
        upload: 'true',
        files: 'site/*.html',
        'base-dir': 'site',
        'key-prefix': 'www/',
        'role-arn': ROLE.s3,
        'sts-endpoint': sts.endpoint,
        scope: 'objects',
      },
      workspace: tempWorkspace(files),
      env: oidcEnv(),
    });
    expect(run.errors).toEqual([]);
    expect(JSON.parse(String(sts.issued[before].params.Policy))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:GetObject'],
          Resource: ['arn:aws:s3:::test-bucket/www/page-*'],
        },
      ],
    });
    expect(run.warnings.join('\n')).toMatch(
      /scope: the 40 keys do not fit the 2048-character policy limit.*"www\/page-\*"/,
    );
    expect(Object.keys(JSON.parse(run.outputs.uploaded))).toHaveLength(40);
    expect(refusals).toEqual([]);
  });

  test('cos + OIDC is refused naming scope before any network call (AssumeRoleWithWebIdentity has no Policy)', async () => {
    const [stsBefore, oidcBefore, cosBefore] = [sts.requests.length, oidc.issued.length, cos.log.length];
    const run = await runAction({
      inputs: {
        bucket: COS_TEST_BUCKET,
        region: 'ap-guangzhou',
        domain: cos.endpoint,
        upload: 'true',
        files: '*.txt',
        'role-arn': ROLE.cos,
        'oidc-provider-id': 'github',
        'sts-endpoint': sts.endpoint,
        scope: 'objects',
      },
      workspace: tempWorkspace({ 'a.txt': 'a' }),
      env: oidcEnv(),
    });
    expect(run.code).not.toBe(0);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/Input "scope".*no Policy parameter/);
    expect(run.rawOutput).toBe('');
    expect([sts.requests.length, oidc.issued.length, cos.log.length]).toEqual([stsBefore, oidcBefore, cosBefore]);
  });

  test('upload-mode refusals (a key with no file) come before any STS call', async () => {
    const before = sts.requests.length;
    const run = await runAction({
      inputs: {
        provider: 's3',
        bucket: S3RVER_BUCKET,
        region: 'us-east-1',
        endpoint: proxy.endpoint,
        upload: 'true',
        key: 'no-file.bin',
        'role-arn': ROLE.s3,
        'sts-endpoint': sts.endpoint,
        scope: 'objects',
      },
      env: oidcEnv(),
    });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/Input "key".*has no file/);
    expect(sts.requests.length).toBe(before);
  });
});
