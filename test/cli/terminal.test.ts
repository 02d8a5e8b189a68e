/**
 * What the CLI prints that came from input (10.5), its default lifetime and duration syntax
 * (13.8) and its key warnings (13.7), run as child processes.
 */
import { presign } from '../../src';
import { parseRawUrl } from '../helpers/url';
import { cli, ensureBuilt } from './run';

const SECRET = 'Cli-Terminal-Secret-Key-0001';
const COS_ENV = { TENCENTCLOUD_SECRET_ID: 'AKIDCLITERM', TENCENTCLOUD_SECRET_KEY: SECRET };
const S3_ENV = { AWS_ACCESS_KEY_ID: 'AKIACLITERM', AWS_SECRET_ACCESS_KEY: SECRET };
const TOS_ENV = { TOS_ACCESS_KEY: 'AKLTCLITERM', TOS_SECRET_KEY: SECRET };
const B = 'examplebucket-1250000000';

beforeAll(() => ensureBuilt(), 180_000);

/** C0 (but the final newline of each line), DEL, C1, line separators, bidi controls. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const HOSTILE = [
  'x\u001b[8mhidden',
  'x\u001b]52;c;ZXZpbA==\u0007',
  'x\rOK: the URL is valid',
  'x\u009b31m',
  'x\u202etxt.exe',
  'x\nsecond line',
  'x\u2028y',
];

test.each(HOSTILE)('errors quoting %j print one line with no raw control character', async (h) => {
  const runs = await Promise.all([
    cli(['url', B, 'a.txt', '-r', 'ap-guangzhou', '--scheme', h], COS_ENV),
    cli(['url', B, 'a.txt', '-r', 'ap-guangzhou', '-e', h], COS_ENV),
    cli(['url', B, 'a.txt', '-r', 'ap-guangzhou', '--start', h], COS_ENV),
    cli(['url', B, 'a.txt', '-r', 'ap-guangzhou', '-H', h], COS_ENV),
    cli(['url', B, 'a.txt', '-p', h], COS_ENV),
    cli(['url', `bucket${h}`, 'a.txt', '-r', 'ap-guangzhou'], COS_ENV),
    cli([`cmd${h}`], {}),
  ]);
  for (const r of runs) {
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.slice(0, -1)).not.toMatch(RAW_CONTROL);
    expect(r.stderr.slice(0, -1)).not.toContain('\n');
  }
});

test.each(HOSTILE)('warnings and the curl command for a key with %j print no raw control character', async (h) => {
  const key = `//dir/${h}`;
  for (const extra of [[], ['--curl'], ['--json'], ['-X', 'PUT', '--curl', '--upload-file', `f${h}`]]) {
    const r = await cli(['url', 'my-bucket', key, '-p', 's3', '-r', 'us-east-1', ...extra], S3_ENV);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: the key .* starts with "\/"/);
    expect(r.stdout.slice(0, -1)).not.toMatch(RAW_CONTROL);
    expect(r.stderr.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
    if (extra.includes('--json')) expect(JSON.parse(r.stdout).url).toContain('/dir/');
  }
});

test('key assembly warnings show the key that is signed (13.7)', async () => {
  const s3 = await cli(['url', 'my-bucket', '/a.txt', '-p', 's3', '-r', 'us-east-1'], S3_ENV);
  expect(s3.stderr).toContain('warning: the key "/a.txt" starts with "/", which s3 keeps as part of the object name');
  const cos = await cli(['url', B, '/a.txt', '-r', 'ap-guangzhou'], COS_ENV);
  expect(cos.stderr).toBe('');
  const dbl = await cli(['url', B, 'a//b.txt', '-r', 'ap-guangzhou'], COS_ENV);
  expect(dbl.stderr).toContain('warning: the key "a//b.txt" contains "//"');
  const auth = await cli(['auth', B, 'a//b.txt', '-r', 'ap-guangzhou'], COS_ENV);
  expect(auth.stderr).toContain('warning: the key "a//b.txt" contains "//"');
});

describe('lifetimes (13.8): one default of 1 hour whatever the provider, the shared duration syntax', () => {
  const lifetime = (url: string): number => {
    const q = parseRawUrl(url).query;
    if (q['q-sign-time']) {
      const [start, end] = q['q-sign-time'].split(';').map(Number);
      return end - start - 60; // COS backdates an implicit start by 60 s
    }
    return Number(q['X-Amz-Expires'] ?? q['X-Tos-Expires']);
  };
  const cases: Array<[string, string[], Record<string, string>]> = [
    ['cos', ['url', B, 'a.txt', '-r', 'ap-guangzhou'], COS_ENV],
    ['tos', ['url', 'examplebucket', 'a.txt', '-p', 'tos', '-r', 'cn-beijing'], TOS_ENV],
    ['s3', ['url', 'my-bucket', 'a.txt', '-p', 's3', '-r', 'us-east-1'], S3_ENV],
  ];
  test.each(cases)('%s: default 3600 s; 600, 45s, 30m, 12h, 2d as written', async (_p, args, env) => {
    expect(lifetime((await cli(args, env)).stdout.trim())).toBe(3600);
    for (const [e, s] of [
      ['600', 600],
      ['45s', 45],
      ['30m', 1800],
      ['12h', 43200],
      ['2d', 172800],
    ] as const) {
      const r = await cli([...args, '-e', e], env);
      expect(r.code).toBe(0);
      expect(lifetime(r.stdout.trim())).toBe(s);
    }
  });

  test('a fixed start reproduces the core exactly with the default lifetime', async () => {
    const r = await cli(['url', B, 'a.txt', '-r', 'ap-guangzhou', '--start', '4102444800'], COS_ENV);
    expect(r.stdout.trim()).toBe(
      presign({
        secretId: 'AKIDCLITERM',
        secretKey: SECRET,
        bucket: B,
        region: 'ap-guangzhou',
        key: 'a.txt',
        startTime: 4102444800,
        expires: 3600,
      }).url,
    );
  });
});
