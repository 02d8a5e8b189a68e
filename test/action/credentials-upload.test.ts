/**
 * `scope: objects` with `upload: 'true'`, through the bundled action, on s3 and tos (OIDC): the
 * temporary credentials are narrowed to exactly the uploaded keys (key-prefix + path under
 * base-dir) and the operations the upload makes. The STS server records the inline policy; the
 * object servers enforce it on every request (upload-scope-env.ts). cos: credentials-upload-cos.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { policyAllows, resourceOf } from '../helpers/policy-gate';
import { S3RVER_BUCKET, send } from '../helpers/s3rver';
import { TOS_TEST_BUCKET, TOS_TEST_REGION } from '../helpers/tos-server';
import { runAction, tempWorkspace } from './run-action';
import { MiB, ROLE, useUploadScopeEnv } from './upload-scope-env';

const e = useUploadScopeEnv();

describe("scope: objects with upload: 'true' (s3, tos)", () => {
  test('s3 + OIDC: the inline Policy of AssumeRoleWithWebIdentity is the uploaded keys with PutObject, GetObject and AbortMultipartUpload; the upload passes the policy; other keys are refused', async () => {
    const big = randomBytes(6 * MiB + 5);
    const small = Buffer.from('notes\n');
    const ws = tempWorkspace({ 'dist/app.bin': big, 'dist/doc/notes.txt': small, 'other.txt': 'not uploaded' });
    const inputs = {
      provider: 's3',
      bucket: S3RVER_BUCKET,
      region: 'us-east-1',
      endpoint: e.proxy.endpoint,
      upload: 'true',
      files: 'dist/**',
      'base-dir': 'dist',
      'key-prefix': 'rel/{ref_name}/',
      'multipart-threshold': '5MiB',
      'part-size': '5MiB',
      'role-arn': ROLE.s3,
      'sts-endpoint': e.sts.endpoint,
      scope: 'objects',
    };
    const before = e.sts.issued.length;
    const run = await runAction({ inputs, workspace: ws, env: e.oidcEnv() });
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    const issued = e.sts.issued[before];
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
    expect(e.refusals).toEqual([]);
    const uploaded = JSON.parse(run.outputs.uploaded);
    expect(uploaded['rel/v1.2.3/app.bin']).toMatchObject({ size: big.length, parts: 2 });
    const urls = JSON.parse(run.outputs.urls) as Record<string, string>;
    expect((await send(urls['rel/v1.2.3/app.bin'])).body.equals(big)).toBe(true);
    expect((await send(urls['rel/v1.2.3/doc/notes.txt'])).body.equals(small)).toBe(true);
    expect(run.visibleLog).toMatch(/narrowed to 2 objects \(s3:PutObject, s3:GetObject, s3:AbortMultipartUpload\)/);

    // skip-unchanged reads each object with HEAD: granted too, so the rerun sends nothing.
    const again = await runAction({ inputs: { ...inputs, 'skip-unchanged': 'true' }, workspace: ws, env: e.oidcEnv() });
    expect(again.errors).toEqual([]);
    expect(Object.values(JSON.parse(again.outputs.uploaded)).every((u) => (u as { skipped?: boolean }).skipped)).toBe(
      true,
    );
    expect(e.refusals).toEqual([]);

    // The same temporary key, for a key outside the upload or an operation not granted: refused
    // (a PUT to an uploaded key is the control: same key, same signer, allowed).
    const base = { provider: 's3', bucket: S3RVER_BUCKET, region: 'us-east-1', endpoint: e.proxy.endpoint } as const;
    expect((await e.sendAs(base, issued.secretId, 'rel/v1.2.3/app.bin', 'PUT')).status).toBe(200);
    expect((await e.sendAs(base, issued.secretId, 'rel/v1.2.3/other.txt', 'PUT')).status).toBe(403);
    expect((await e.sendAs(base, issued.secretId, 'elsewhere/app.bin', 'GET')).status).toBe(403);
    expect((await e.sendAs(base, issued.secretId, 'rel/v1.2.3/app.bin', 'DELETE')).status).toBe(403);
    expect(e.refusals).toEqual([
      expect.stringMatching(/^PUT rel\/v1\.2\.3\/other\.txt: the session policy does not allow s3:PutObject/),
      expect.stringMatching(/^GET elsewhere\/app\.bin: .*s3:GetObject/),
      expect.stringMatching(/^DELETE rel\/v1\.2\.3\/app\.bin: .*s3:DeleteObject/),
    ]);
    const own = resourceOf('s3', S3RVER_BUCKET, 'rel/v1.2.3/app.bin');
    expect(policyAllows(run.outputs.policy, 's3:ListMultipartUploadParts', own)).toBe(false);
  });

  test('tos + OIDC: small files only, so the AssumeRoleWithOIDC Policy has no multipart operation at all', async () => {
    const ws = tempWorkspace({ 'out/a.txt': 'alpha', 'out/b.txt': 'beta' });
    const before = e.sts.issued.length;
    const run = await runAction({
      inputs: {
        provider: 'tos',
        bucket: TOS_TEST_BUCKET,
        region: TOS_TEST_REGION,
        domain: e.tos.endpoint,
        upload: 'true',
        files: 'out/*.txt',
        'base-dir': 'out',
        'key-prefix': 'builds/7/',
        'role-arn': ROLE.tos,
        'sts-endpoint': e.sts.endpoint,
        scope: 'objects',
      },
      workspace: ws,
      env: e.oidcEnv(),
    });
    expect(run.errors).toEqual([]);
    const issued = e.sts.issued[before];
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
    expect(e.refusals).toEqual([]);
    expect(e.tos.objects.get('builds/7/a.txt')!.body.toString()).toBe('alpha');
    expect(e.tos.objects.get('builds/7/b.txt')!.body.toString()).toBe('beta');
    const tosBase = {
      provider: 'tos',
      bucket: TOS_TEST_BUCKET,
      region: TOS_TEST_REGION,
      endpoint: e.tos.endpoint,
      isCustomDomain: true,
    } as const;
    expect((await e.sendAs(tosBase, issued.secretId, 'builds/7/a.txt', 'GET')).status).toBe(200);
    expect((await e.sendAs(tosBase, issued.secretId, 'builds/7/c.txt', 'PUT')).status).toBe(403);
    expect(e.tos.objects.has('builds/7/c.txt')).toBe(false);
  });

  test('many files: the keys collapse to their common prefix to fit the policy limit, with a warning, and the upload passes', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [
        `site/page-${String(i).padStart(2, '0')}-of-the-handbook.html`,
        `<p>${i}</p>`,
      ]),
    );
    const before = e.sts.issued.length;
    const run = await runAction({
      inputs: {
        provider: 's3',
        bucket: S3RVER_BUCKET,
        region: 'us-east-1',
        endpoint: e.proxy.endpoint,
        upload: 'true',
        files: 'site/*.html',
        'base-dir': 'site',
        'key-prefix': 'www/',
        'role-arn': ROLE.s3,
        'sts-endpoint': e.sts.endpoint,
        scope: 'objects',
      },
      workspace: tempWorkspace(files),
      env: e.oidcEnv(),
    });
    expect(run.errors).toEqual([]);
    expect(JSON.parse(String(e.sts.issued[before].params.Policy))).toEqual({
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
    expect(e.refusals).toEqual([]);
  });

  test('upload-mode refusals (a key with no file) come before any STS call', async () => {
    const before = e.sts.requests.length;
    const run = await runAction({
      inputs: {
        provider: 's3',
        bucket: S3RVER_BUCKET,
        region: 'us-east-1',
        endpoint: e.proxy.endpoint,
        upload: 'true',
        key: 'no-file.bin',
        'role-arn': ROLE.s3,
        'sts-endpoint': e.sts.endpoint,
        scope: 'objects',
      },
      env: e.oidcEnv(),
    });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/Input "key".*has no file/);
    expect(e.sts.requests.length).toBe(before);
  });
});
