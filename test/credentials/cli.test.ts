/**
 * The CLI's `policy` command and OIDC from token files (url/auth with no stored secret), run
 * in-process through main() against the local STS server; s3 URLs round-trip through s3rver.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { Io } from '../../src/cli/io';
import { GITHUB_ISSUER, makeIssuer, makeJwt } from '../helpers/oidc-server';
import { RunningS3rver, S3RVER_BUCKET, send, startS3rver } from '../helpers/s3rver';
import { RunningStsServer, startStsServer } from '../helpers/sts-server';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account');

const issuer = makeIssuer();
const ROLE_S3 = 'arn:aws:iam::123456789012:role/cli';
const ROLE_COS = 'qcs::cam::uin/100000000001:roleName/cli';
let sts: RunningStsServer;
let s3: RunningS3rver;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-cli-oidc-'));
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
});
afterAll(async () => {
  await Promise.all([sts.stop(), s3.stop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    env: { PATH: process.env.PATH, ...env },
    out: (t) => {
      out += t;
    },
    warn: (l) => {
      err += `warning: ${l}\n`;
    },
    note: (l) => {
      err += `${l}\n`;
    },
  };
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    err += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(argv, io), out, err };
  } finally {
    process.stderr.write = write;
  }
}

function tokenFile(aud: string): string {
  const f = path.join(dir, `token-${aud}`);
  fs.writeFileSync(f, makeJwt(issuer, { aud }));
  return f;
}

describe('cos-presign policy', () => {
  test('prints the COS CAM policy for the keys and methods', async () => {
    const r = await cli([
      'policy',
      'examplebucket-1250000000',
      'a/1.txt',
      'a/2.txt',
      '-r',
      'ap-guangzhou',
      '-X',
      'PUT',
      '-X',
      'get',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      version: '2.0',
      statement: [
        {
          effect: 'allow',
          action: ['name/cos:PutObject', 'name/cos:GetObject'],
          resource: [
            'qcs::cos:ap-guangzhou:uid/1250000000:examplebucket-1250000000/a/1.txt',
            'qcs::cos:ap-guangzhou:uid/1250000000:examplebucket-1250000000/a/2.txt',
          ],
        },
      ],
    });
  });

  test('s3 multipart, compact; many keys collapse with a warning', async () => {
    const r = await cli(['policy', '-p', 's3', 'bkt', 'big.iso', '--method', 'PUT', '--multipart', '--compact']);
    expect(r.out).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:AbortMultipartUpload","s3:ListMultipartUploadParts"],"Resource":["arn:aws:s3:::bkt/big.iso"]}]}\n',
    );
    const many = await cli([
      'policy',
      '-p',
      'tos',
      'bkt',
      ...Array.from({ length: 100 }, (_, i) => `build/42/file-${i}.bin`),
    ]);
    expect(JSON.parse(many.out).Statement[0].Resource).toEqual(['trn:tos:::bkt/build/42/file-*']);
    expect(many.err).toMatch(/warning: .*common prefix "build\/42\/file-\*"/);
  });

  test('bad input: one line naming the argument, exit 2', async () => {
    expect(await cli(['policy', 'nobucket', 'k'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^cos-presign policy: <bucket>: .*APPID/),
    });
    expect(await cli(['policy', 'b-1250000000', 'k'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--region/),
    });
    expect(await cli(['policy', 'b'])).toMatchObject({ code: 2 });
    expect(await cli(['policy', '-p', 's3', 'b', 'k', '-X', 'PATCH'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--method/),
    });
  });
});

describe('url with OIDC token files (no stored secret)', () => {
  test('s3: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE -> a URL signed by the temporary key that s3rver accepts, cut to the credentials', async () => {
    const env = {
      AWS_ROLE_ARN: ROLE_S3,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile('sts.amazonaws.com'),
      AWS_ROLE_SESSION_NAME: 'cli-session',
      AWS_ENDPOINT_URL_STS: sts.endpoint,
    };
    const put = await cli(
      ['url', '-p', 's3', '--endpoint', s3.endpoint, S3RVER_BUCKET, 'cli/a.txt', '-X', 'PUT', '--json'],
      env,
    );
    expect(put.code).toBe(0);
    const i = sts.issued.at(-1)!;
    expect(i.params.RoleSessionName).toBe('cli-session');
    expect(put.err).toMatch(
      /temporary credentials from AWS STS AssumeRoleWithWebIdentity \(AWS_ROLE_ARN\/AWS_WEB_IDENTITY_TOKEN_FILE\/AWS_ROLE_SESSION_NAME\), valid until/,
    );
    const j = JSON.parse(put.out);
    expect(new URL(j.url).searchParams.get('X-Amz-Security-Token')).toBe(i.token);
    expect(Date.parse(j.expiresAt)).toBeLessThanOrEqual(i.expiresAt.getTime());
    expect((await send(j.url, { method: 'PUT', body: 'cli' })).status).toBe(200);
    expect(put.out + put.err).not.toContain(i.secretKey);
  });

  test('static credentials in the environment win, as in the SDKs; a half-set group is named', async () => {
    const before = sts.requests.length;
    const r = await cli(['url', '-p', 's3', 'bkt', 'k', '-r', 'us-east-1'], {
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'static-secret',
      AWS_ROLE_ARN: ROLE_S3,
      AWS_WEB_IDENTITY_TOKEN_FILE: '/nonexistent',
    });
    expect([r.code, r.err]).toEqual([0, '']);
    expect(sts.requests.length).toBe(before);
    const half = await cli(['url', 'b-1250000000', 'k', '-r', 'ap-guangzhou'], {
      TKE_ROLE_ARN: ROLE_COS,
      TKE_WEB_IDENTITY_TOKEN_FILE: '/x',
    });
    expect(half).toMatchObject({ code: 2, err: expect.stringMatching(/TKE_PROVIDER_ID/) });
  });

  test('cos: TKE_* variables; an STS refusal names the variable to fix', async () => {
    const env = {
      TKE_ROLE_ARN: ROLE_COS,
      TKE_PROVIDER_ID: 'github',
      TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile('sts.tencentcloudapi.com'),
      TKE_REGION: 'ap-shanghai',
      COS_PRESIGN_STS_ENDPOINT: sts.endpoint,
    };
    const ok = await cli(['url', 'b-1250000000', 'k', '-r', 'ap-guangzhou'], env);
    expect(ok.code).toBe(0);
    expect(sts.requests.at(-1)!.headers['x-tc-region']).toBe('ap-shanghai');
    expect(new URL(ok.out.trim()).searchParams.get('x-cos-security-token')).toBe(sts.issued.at(-1)!.token);
    const bad = await cli(['url', 'b-1250000000', 'k', '-r', 'ap-guangzhou'], { ...env, TKE_PROVIDER_ID: 'nope' });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^cos-presign url: TKE_PROVIDER_ID: AssumeRoleWithWebIdentity failed: .*"nope".*RequestId/);
  });
});
