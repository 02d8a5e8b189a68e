/**
 * minimalPolicy against policy documents written out by hand from the providers' docs:
 * COS temporary-key scoping (cloud.tencent.com/document/product/436/31923), AWS IAM
 * (arn:aws:s3:::bucket/key, s3:GetObject…), Volcengine TOS IAM (trn:tos:::bucket/key).
 */
import fc from 'fast-check';
import { commonPrefix, minimalPolicy, POLICY_LIMITS, PolicyRequest } from '../../src/core/policy';
import { PresignError } from '../../src/core/errors';

const cases: Array<{ name: string; req: PolicyRequest; doc: unknown }> = [
  {
    name: 'cos GET of one key',
    req: {
      provider: 'cos',
      bucket: 'examplebucket-1250000000',
      region: 'ap-beijing',
      keys: ['doc/a.txt'],
      methods: ['GET'],
    },
    doc: {
      version: '2.0',
      statement: [
        {
          effect: 'allow',
          action: ['name/cos:GetObject'],
          resource: ['qcs::cos:ap-beijing:uid/1250000000:examplebucket-1250000000/doc/a.txt'],
        },
      ],
    },
  },
  {
    name: "cos PUT multipart (the doc example's object-level actions), leading slash dropped, Chinese key literal",
    req: {
      provider: 'cos',
      bucket: 'examplebucket-1250000000',
      region: 'ap-beijing',
      keys: ['/文档/a.bin'],
      methods: ['PUT'],
      multipart: true,
    },
    doc: {
      version: '2.0',
      statement: [
        {
          effect: 'allow',
          action: [
            'name/cos:PutObject',
            'name/cos:InitiateMultipartUpload',
            'name/cos:UploadPart',
            'name/cos:CompleteMultipartUpload',
            'name/cos:AbortMultipartUpload',
            'name/cos:ListParts',
          ],
          resource: ['qcs::cos:ap-beijing:uid/1250000000:examplebucket-1250000000/文档/a.bin'],
        },
      ],
    },
  },
  {
    name: 'cos HEAD, POST and DELETE map to their own actions',
    req: {
      provider: 'cos',
      bucket: 'b-1250000000',
      region: 'ap-guangzhou',
      keys: ['k'],
      methods: ['HEAD', 'POST', 'DELETE'],
    },
    doc: {
      version: '2.0',
      statement: [
        {
          effect: 'allow',
          action: ['name/cos:HeadObject', 'name/cos:PostObject', 'name/cos:DeleteObject'],
          resource: ['qcs::cos:ap-guangzhou:uid/1250000000:b-1250000000/k'],
        },
      ],
    },
  },
  {
    name: 's3 GET and HEAD both need s3:GetObject, two keys',
    req: { provider: 's3', bucket: 'my-bucket', keys: ['a/1', 'a/2'], methods: ['GET', 'HEAD'] },
    doc: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: ['arn:aws:s3:::my-bucket/a/1', 'arn:aws:s3:::my-bucket/a/2'],
        },
      ],
    },
  },
  {
    name: 's3 PUT multipart: PutObject covers create/upload part/complete; abort and list parts are their own',
    req: {
      provider: 's3',
      bucket: 'my-bucket',
      keys: ['big.iso'],
      methods: ['PUT'],
      multipart: true,
      partition: 'aws-cn',
    },
    doc: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          Resource: ['arn:aws-cn:s3:::my-bucket/big.iso'],
        },
      ],
    },
  },
  {
    name: 'tos GET and DELETE',
    req: { provider: 'tos', bucket: 'test', keys: ['abc/x'], methods: ['GET', 'DELETE'] },
    doc: {
      Statement: [
        { Effect: 'Allow', Action: ['tos:GetObject', 'tos:DeleteObject'], Resource: ['trn:tos:::test/abc/x'] },
      ],
    },
  },
  {
    name: 'tos PUT multipart',
    req: { provider: 'tos', bucket: 'test', keys: ['v.mp4'], methods: ['PUT'], multipart: true },
    doc: {
      Statement: [
        {
          Effect: 'Allow',
          Action: ['tos:PutObject', 'tos:AbortMultipartUpload', 'tos:ListMultipartUploadParts'],
          Resource: ['trn:tos:::test/v.mp4'],
        },
      ],
    },
  },
  // The action's upload mode: PUT, HEAD (skip-unchanged), GET (links), multipart without listing parts.
  {
    name: 'cos upload (PUT, HEAD, GET, multipart without ListParts)',
    req: {
      provider: 'cos',
      bucket: 'examplebucket-1250000000',
      region: 'ap-beijing',
      keys: ['rel/a.bin'],
      methods: ['PUT', 'HEAD', 'GET'],
      multipart: true,
      listParts: false,
    },
    doc: {
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
          resource: ['qcs::cos:ap-beijing:uid/1250000000:examplebucket-1250000000/rel/a.bin'],
        },
      ],
    },
  },
  {
    name: 's3 upload (PUT, HEAD, GET, multipart without ListMultipartUploadParts)',
    req: {
      provider: 's3',
      bucket: 'my-bucket',
      keys: ['rel/a.bin'],
      methods: ['PUT', 'HEAD', 'GET'],
      multipart: true,
      listParts: false,
    },
    doc: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
          Resource: ['arn:aws:s3:::my-bucket/rel/a.bin'],
        },
      ],
    },
  },
  {
    name: 'tos upload without multipart: PUT and GET only',
    req: { provider: 'tos', bucket: 'test', keys: ['rel/a.bin'], methods: ['PUT', 'HEAD', 'GET'], listParts: false },
    doc: {
      Statement: [
        { Effect: 'Allow', Action: ['tos:PutObject', 'tos:GetObject'], Resource: ['trn:tos:::test/rel/a.bin'] },
      ],
    },
  },
];

describe('minimalPolicy', () => {
  test.each(cases)('$name', ({ req, doc }) => {
    const p = minimalPolicy(req);
    expect(p.document).toEqual(doc);
    expect(JSON.parse(p.json)).toEqual(doc);
    expect(p.collapsed).toBeUndefined();
    expect(p.warnings).toEqual([]);
  });

  test('many keys collapse to their longest common prefix, say so, and fit the limit', () => {
    for (const provider of ['cos', 's3', 'tos'] as const) {
      const keys = Array.from({ length: 200 }, (_, i) => `releases/v1.2.3/file-${i}.tar.gz`);
      const p = minimalPolicy({ provider, bucket: 'bkt-1250000000', region: 'ap-guangzhou', keys, methods: ['GET'] });
      expect(p.collapsed).toEqual({ prefix: 'releases/v1.2.3/file-', keys: 200, limit: POLICY_LIMITS[provider] });
      expect(p.resources).toHaveLength(1);
      expect(p.resources[0].endsWith('/releases/v1.2.3/file-*')).toBe(true);
      expect(p.json.length).toBeLessThanOrEqual(POLICY_LIMITS[provider]);
      expect(p.warnings.join()).toMatch(/common prefix "releases\/v1\.2\.3\/file-\*"/);
    }
  });

  test('just under the limit stays exact; one more key collapses', () => {
    const keys: string[] = [];
    let last = minimalPolicy({ provider: 's3', bucket: 'b', keys: ['k/0'], methods: ['GET'] });
    for (let i = 0; !last.collapsed; i++) {
      keys.push(`k/${i}`);
      last = minimalPolicy({ provider: 's3', bucket: 'b', keys, methods: ['GET'] });
      if (!last.collapsed) expect(last.json.length).toBeLessThanOrEqual(2048);
    }
    const exact = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: keys.map((k) => `arn:aws:s3:::b/${k}`) }],
    });
    expect(exact.length).toBeGreaterThan(2048);
    expect(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: keys.slice(0, -1).map((k) => `arn:aws:s3:::b/${k}`) },
        ],
      }).length,
    ).toBeLessThanOrEqual(2048);
    expect(last.resources).toEqual(['arn:aws:s3:::b/k/*']);
  });

  test('no common prefix: the whole bucket, with a warning that says so', () => {
    const keys = Array.from({ length: 150 }, (_, i) => `${i % 2 ? 'a' : 'b'}/${'x'.repeat(10)}${i}`);
    const p = minimalPolicy({ provider: 'tos', bucket: 't', keys, methods: ['PUT'] });
    expect(p.resources).toEqual(['trn:tos:::t/*']);
    expect(p.warnings[0]).toMatch(/every object of the bucket/);
  });

  test('wildcard characters in keys are warned about', () => {
    expect(minimalPolicy({ provider: 's3', bucket: 'b', keys: ['a?.txt'], methods: ['GET'] }).warnings[0]).toMatch(
      /wildcard/,
    );
    expect(
      minimalPolicy({ provider: 'cos', bucket: 'b-1', region: 'ap-guangzhou', keys: ['a*'], methods: ['GET'] })
        .warnings[0],
    ).toMatch(/wildcard/);
  });

  test('refusals name the field', () => {
    const bad: Array<[Partial<PolicyRequest>, string]> = [
      [{ provider: 'cos', bucket: 'nobucketappid', region: 'ap-guangzhou' }, 'bucket'],
      [{ provider: 'cos', bucket: 'b-125', region: undefined }, 'region'],
      [{ keys: [] }, 'key'],
      [{ methods: [] }, 'method'],
      [{ provider: 's3', bucket: 'b', keys: ['x'.repeat(3000)] }, 'key'],
    ];
    for (const [change, field] of bad) {
      const req = {
        provider: 'cos',
        bucket: 'b-125',
        region: 'ap-guangzhou',
        keys: ['k'],
        methods: ['GET'],
        ...change,
      } as PolicyRequest;
      let err: unknown;
      try {
        minimalPolicy(req);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PresignError);
      expect((err as PresignError).field).toBe(field);
    }
  });

  test('property: every key is covered, nothing else is listed, and the document fits the limit', () => {
    const key = fc.stringMatching(/^[a-z0-9/._-]{1,40}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('cos', 's3', 'tos' as const),
        fc.uniqueArray(key, { minLength: 1, maxLength: 120 }),
        (provider, keys) => {
          const p = minimalPolicy({
            provider,
            bucket: 'bkt-1250000000',
            region: 'ap-guangzhou',
            keys,
            methods: ['GET'],
          });
          expect(p.json.length).toBeLessThanOrEqual(POLICY_LIMITS[provider]);
          const base = p.resources[0].slice(0, p.resources[0].indexOf('bkt-1250000000/') + 'bkt-1250000000/'.length);
          const stripped = keys.map((k) => (provider === 'cos' && k.startsWith('/') ? k.slice(1) : k));
          if (p.collapsed) {
            expect(p.resources).toEqual([`${base}${p.collapsed.prefix}*`]);
            for (const k of stripped) expect(k.startsWith(p.collapsed.prefix)).toBe(true);
            // Collapsing only happens when the exact list would not fit.
            const exact = JSON.parse(p.json);
            (exact.statement ?? exact.Statement)[0][provider === 'cos' ? 'resource' : 'Resource'] = [
              ...new Set(stripped),
            ].map((k) => base + k);
            expect(JSON.stringify(exact).length).toBeGreaterThan(POLICY_LIMITS[provider]);
          } else {
            expect(p.resources).toEqual([...new Set(stripped)].map((k) => base + k));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('commonPrefix keeps surrogate pairs whole', () => {
    expect(commonPrefix(['a😀x', 'a😁y'])).toBe('a');
    expect(commonPrefix(['abc', 'abd', 'ab'])).toBe('ab');
  });
});
