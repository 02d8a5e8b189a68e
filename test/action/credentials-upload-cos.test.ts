/**
 * `scope: objects` with `upload: 'true'` on cos, through the bundled action: GetFederationToken and
 * AssumeRole (long-lived keys, TC3-signed) get a CAM policy for exactly the uploaded keys and the
 * upload's operations, enforced by the COS test server on every request (upload-scope-env.ts);
 * OIDC (AssumeRoleWithWebIdentity has no Policy) is refused naming scope before any call.
 */
import { randomBytes } from 'node:crypto';
import { COS_TEST_BUCKET } from '../helpers/cos-server';
import { policyAllows } from '../helpers/policy-gate';
import { runAction, tempWorkspace } from './run-action';
import { LONG, MiB, ROLE, useUploadScopeEnv } from './upload-scope-env';

const e = useUploadScopeEnv();

describe("scope: objects with upload: 'true' (cos)", () => {
  test('cos + secret-id/secret-key: GetFederationToken gets the keys with PutObject, HeadObject, GetObject and the four part operations (no ListParts)', async () => {
    const big = randomBytes(Math.floor(2.5 * MiB));
    const ws = tempWorkspace({ 'pkg/big.bin': big, 'pkg/sum.txt': 'sha\n' });
    const before = e.sts.issued.length;
    const run = await runAction({
      inputs: {
        bucket: COS_TEST_BUCKET,
        region: 'ap-guangzhou',
        domain: e.cos.endpoint,
        upload: 'true',
        files: 'pkg/*',
        'base-dir': 'pkg',
        'key-prefix': 'r/',
        'multipart-threshold': '1MiB',
        'part-size': '1MiB',
        'skip-unchanged': 'true',
        'secret-id': LONG.id,
        'secret-key': LONG.key,
        'sts-endpoint': e.sts.endpoint,
        scope: 'objects',
      },
      workspace: ws,
    });
    expect(run.errors).toEqual([]);
    const issued = e.sts.issued[before];
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
    expect(e.refusals).toEqual([]);
    // HEAD (skip-unchanged, 404), initiate, parts, complete, GET link check: all under the policy.
    expect(new Set(e.cos.log.filter((l) => l.key === 'r/big.bin').map((l) => l.op))).toEqual(
      new Set(['head', 'initiate', 'part', 'complete', 'get']),
    );
    expect(e.cos.objects.get('r/big.bin')!.body.equals(big)).toBe(true);
    expect(JSON.parse(run.outputs.uploaded)['r/big.bin']).toMatchObject({ parts: 3 });
    const q = new URL(JSON.parse(run.outputs.urls)['r/big.bin']).searchParams;
    expect(q.get('q-ak')).toBe(issued.secretId);

    const base = { provider: 'cos', bucket: COS_TEST_BUCKET, region: 'ap-guangzhou', domain: e.cos.endpoint } as const;
    expect((await e.sendAs(base, issued.secretId, 'r/other.bin', 'PUT')).status).toBe(403);
    expect((await e.sendAs(base, issued.secretId, 'r/big.bin', 'DELETE')).status).toBe(403);
    expect(e.cos.objects.has('r/other.bin')).toBe(false);
    expect(policyAllows(String(issued.params.Policy), 'name/cos:ListParts', res('r/big.bin'))).toBe(false);
  });

  test('cos + role-arn with keys: AssumeRole gets PutObject, HeadObject and GetObject on the one key (no file goes multipart)', async () => {
    const before = e.sts.issued.length;
    const run = await runAction({
      inputs: {
        bucket: COS_TEST_BUCKET,
        region: 'ap-guangzhou',
        domain: e.cos.endpoint,
        upload: 'true',
        files: 'CHANGELOG.md',
        'key-prefix': 'docs/',
        'secret-id': LONG.id,
        'secret-key': LONG.key,
        'role-arn': ROLE.cos,
        'sts-endpoint': e.sts.endpoint,
        scope: 'objects',
      },
      workspace: tempWorkspace({ 'CHANGELOG.md': '# 1.0\n' }),
    });
    expect(run.errors).toEqual([]);
    const issued = e.sts.issued[before];
    expect(issued.action).toBe('AssumeRole');
    expect(JSON.parse(String(issued.params.Policy))).toEqual({
      version: '2.0',
      statement: [
        {
          effect: 'allow',
          action: ['name/cos:PutObject', 'name/cos:HeadObject', 'name/cos:GetObject'],
          resource: ['qcs::cos:ap-guangzhou:uid/1250000000:examplebucket-1250000000/docs/CHANGELOG.md'],
        },
      ],
    });
    expect(e.refusals).toEqual([]);
    expect(e.cos.objects.get('docs/CHANGELOG.md')!.body.toString()).toBe('# 1.0\n');
  });

  test('cos + OIDC is refused naming scope before any network call (AssumeRoleWithWebIdentity has no Policy)', async () => {
    const [stsBefore, oidcBefore, cosBefore] = [e.sts.requests.length, e.oidc.issued.length, e.cos.log.length];
    const run = await runAction({
      inputs: {
        bucket: COS_TEST_BUCKET,
        region: 'ap-guangzhou',
        domain: e.cos.endpoint,
        upload: 'true',
        files: '*.txt',
        'role-arn': ROLE.cos,
        'oidc-provider-id': 'github',
        'sts-endpoint': e.sts.endpoint,
        scope: 'objects',
      },
      workspace: tempWorkspace({ 'a.txt': 'a' }),
      env: e.oidcEnv(),
    });
    expect(run.code).not.toBe(0);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/Input "scope".*no Policy parameter/);
    expect(run.rawOutput).toBe('');
    expect([e.sts.requests.length, e.oidc.issued.length, e.cos.log.length]).toEqual([stsBefore, oidcBefore, cosBefore]);
  });
});
