/**
 * The STS request signature (core SigV4 pieces, service `sts`, signed payload) against two
 * independent signers: @smithy/signature-v4 (the AWS SDK v3's) and aws4.
 */
import { createHash, createHmac } from 'node:crypto';
import aws4 from 'aws4';
import fc from 'fast-check';
import { SignatureV4 } from '@smithy/signature-v4';
import { signStsPost } from '../../src/credentials/aws';

/** The Checksum interface SignatureV4 wants, on node:crypto. */
class NodeSha256 {
  private h;
  constructor(secret?: string | Uint8Array) {
    this.h = secret !== undefined ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}

const cases = fc.record({
  secretId: fc.stringMatching(/^[A-Z0-9]{16,20}$/),
  secretKey: fc.string({ minLength: 1, maxLength: 40 }),
  token: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{10,60}$/), { nil: undefined }),
  region: fc.constantFrom('us-east-1', 'eu-west-1', 'cn-north-1', 'ap-southeast-2'),
  host: fc.constantFrom('sts.amazonaws.com', 'sts.eu-west-1.amazonaws.com', '127.0.0.1:4599'),
  time: fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }),
  body: fc
    .string({ maxLength: 200 })
    .map((s) => `Action=AssumeRole&Version=2011-06-15&RoleSessionName=${encodeURIComponent(s)}`),
});

describe('signStsPost', () => {
  test('equals @smithy/signature-v4 (applyChecksum off, as for non-S3 services)', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const ours = signStsPost(
          { secretId: c.secretId, secretKey: c.secretKey, securityToken: c.token },
          c.host,
          c.region,
          c.body,
          c.time,
        );
        const signer = new SignatureV4({
          service: 'sts',
          region: c.region,
          sha256: NodeSha256 as unknown as ConstructorParameters<typeof SignatureV4>[0]['sha256'],
          applyChecksum: false,
          credentials: { accessKeyId: c.secretId, secretAccessKey: c.secretKey, sessionToken: c.token },
        });
        const signed = await signer.sign(
          {
            method: 'POST',
            protocol: 'https:',
            hostname: c.host,
            path: '/',
            query: {},
            headers: { host: c.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
            body: c.body,
          },
          { signingDate: new Date(c.time * 1000) },
        );
        expect(ours.authorization).toBe(signed.headers.authorization);
      }),
      { numRuns: 150 },
    );
  });

  test('equals aws4 over the same headers', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const ours = signStsPost(
          { secretId: c.secretId, secretKey: c.secretKey, securityToken: c.token },
          c.host,
          c.region,
          c.body,
          c.time,
        );
        const { authorization, ...headers } = ours;
        // doNotModifyHeaders keeps aws4 from adding headers, but then it signs at its own clock: set the time.
        const signer = new aws4.RequestSigner(
          {
            host: c.host,
            method: 'POST',
            path: '/',
            service: 'sts',
            region: c.region,
            headers,
            body: c.body,
            doNotModifyHeaders: true,
          },
          { accessKeyId: c.secretId, secretAccessKey: c.secretKey },
        );
        signer.datetime = headers['x-amz-date'];
        expect(signer.authHeader()).toBe(authorization);
      }),
      { numRuns: 150 },
    );
  });
});

test('an S3 presign with the same key, day and region does not leak its signing key into the STS signature', async () => {
  const { presign } = await import('../../src/core/presign');
  const keys = { secretId: 'AKIDSAMEKEY000001', secretKey: 'same-secret-for-both' };
  const t = 1_760_000_000;
  presign(
    { provider: 's3', ...keys, bucket: 'bkt', key: 'k', region: 'us-east-1', startTime: t },
    { now: () => t * 1000 },
  );
  const ours = signStsPost(keys, 'sts.amazonaws.com', 'us-east-1', 'Action=GetCallerIdentity&Version=2011-06-15', t);
  const signer = new aws4.RequestSigner(
    {
      host: 'sts.amazonaws.com',
      method: 'POST',
      path: '/',
      service: 'sts',
      region: 'us-east-1',
      headers: { ...ours, authorization: undefined } as unknown as Record<string, string>,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      doNotModifyHeaders: true,
    },
    { accessKeyId: keys.secretId, secretAccessKey: keys.secretKey },
  );
  signer.datetime = ours['x-amz-date'];
  expect(ours.authorization).toBe(signer.authHeader());
});
