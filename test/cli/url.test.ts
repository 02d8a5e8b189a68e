/**
 * `cos-presign url` and `auth`, run as child processes: output agrees with the core, the --curl
 * command works against a signature-checking server, bad options exit 2 naming the option, and
 * no secret is ever printed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cosAuthorization, presign, PresignInput } from '../../src';
import { startS3rver, RunningS3rver, S3RVER_BUCKET } from '../helpers/s3rver';
import { cli, ensureBuilt, runProcess } from './run';

const SECRET = 'Cli-Test-Secret-Key-7f3a9c';
const TOKEN = 'Cli-Test-Session-Token-+/=9b2e';
const COS_ENV = { TENCENTCLOUD_SECRET_ID: 'AKIDCLITEST', TENCENTCLOUD_SECRET_KEY: SECRET };
const T0 = 4102444800;

beforeAll(() => ensureBuilt(), 180_000);

describe('url prints what the core makes', () => {
  const cases: Array<[string, string[], Record<string, string>, PresignInput]> = [
    [
      'cos PUT with a pinned header and a param',
      [
        'url',
        'examplebucket-1250000000',
        'docs/a b+c.pdf',
        '-r',
        'ap-guangzhou',
        '-X',
        'PUT',
        '-e',
        '2h',
        '--start',
        String(T0),
        '-H',
        'Content-Type: application/pdf',
        '--param',
        'versionId=7',
      ],
      COS_ENV,
      {
        provider: 'cos',
        secretId: 'AKIDCLITEST',
        secretKey: SECRET,
        bucket: 'examplebucket-1250000000',
        key: 'docs/a b+c.pdf',
        region: 'ap-guangzhou',
        method: 'PUT',
        expires: 7200,
        startTime: T0,
        headers: { 'Content-Type': 'application/pdf' },
        params: { versionId: '7' },
      },
    ],
    [
      'cos custom domain, host unsigned, token',
      [
        'url',
        'examplebucket-1250000000',
        'a.txt',
        '--domain',
        'cdn.example.com',
        '--no-sign-host',
        '-e',
        '30m',
        '--start',
        '2100-01-01T00:00:00Z',
      ],
      { ...COS_ENV, TENCENTCLOUD_SESSION_TOKEN: TOKEN },
      {
        provider: 'cos',
        secretId: 'AKIDCLITEST',
        secretKey: SECRET,
        securityToken: TOKEN,
        bucket: 'examplebucket-1250000000',
        key: 'a.txt',
        domain: 'cdn.example.com',
        signHost: false,
        expires: 1800,
        startTime: T0,
      },
    ],
    [
      'tos custom domain',
      [
        'url',
        'examplebucket',
        'photos/cat.jpg',
        '-p',
        'tos',
        '-r',
        'cn-beijing',
        '--endpoint',
        'cdn.example.com',
        '--custom-domain',
        '-e',
        '1d',
        '--start',
        String(T0),
        '-H',
        'x-tos-meta-owner: ci',
      ],
      { TOS_ACCESS_KEY: 'AKLTCLI', TOS_SECRET_KEY: SECRET },
      {
        provider: 'tos',
        secretId: 'AKLTCLI',
        secretKey: SECRET,
        bucket: 'examplebucket',
        key: 'photos/cat.jpg',
        region: 'cn-beijing',
        endpoint: 'cdn.example.com',
        isCustomDomain: true,
        expires: 86400,
        startTime: T0,
        headers: { 'x-tos-meta-owner': 'ci' },
      },
    ],
    [
      's3 path style with a token',
      [
        'url',
        'my-bucket',
        'k/ü.txt',
        '-p',
        's3',
        '--endpoint',
        'http://127.0.0.1:9000',
        '--path-style',
        '-e',
        '7d',
        '--start',
        String(T0),
        '-X',
        'head',
      ],
      { AWS_ACCESS_KEY_ID: 'AKIACLI', AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN },
      {
        provider: 's3',
        secretId: 'AKIACLI',
        secretKey: SECRET,
        securityToken: TOKEN,
        bucket: 'my-bucket',
        key: 'k/ü.txt',
        endpoint: 'http://127.0.0.1:9000',
        forcePathStyle: true,
        expires: 604800,
        startTime: T0,
        method: 'HEAD',
      },
    ],
  ];

  test.each(cases)('%s', async (_name, args, env, input) => {
    const expected = presign(input);
    const plain = await cli(args, env);
    expect(plain).toMatchObject({ code: 0, stdout: expected.url + '\n' });
    const json = await cli([...args, '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ ...expected, expiresAt: expected.expiresAt.toISOString() });
    for (const r of [plain, json]) {
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      // The token travels in the URL (that is where servers read it), and nowhere else.
      expect(r.stderr).not.toContain(TOKEN);
    }
  });

  test('command-line credentials give the same URL, with a shell-history warning', async () => {
    const args = ['url', 'examplebucket-1250000000', 'a.txt', '-r', 'ap-guangzhou', '--start', String(T0)];
    const fromEnv = await cli(args, COS_ENV);
    const fromFlags = await cli([...args, '--secret-id', 'AKIDCLITEST', '--secret-key', SECRET]);
    expect(fromFlags.stdout).toBe(fromEnv.stdout);
    expect(fromEnv.stderr).toBe('');
    expect(fromFlags.stderr).toMatch(/warning: --secret-key on the command line ends up in shell history/);
    expect(fromFlags.stderr).not.toContain(SECRET);
  });

  test('core warnings go to stderr, the URL alone to stdout', async () => {
    const r = await cli(
      ['url', 'examplebucket', 'a.txt', '-p', 'tos', '-r', 'cn-beijing', '-H', 'Content-Type: text/plain'],
      { TOS_ACCESS_KEY: 'AK', TOS_SECRET_KEY: SECRET },
    );
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/warning: TOS query signatures do not cover Content-Type/);
  });

  test('auth prints the COS Authorization value of the core', async () => {
    const input: PresignInput = {
      secretId: 'AKIDCLITEST',
      secretKey: SECRET,
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      key: 'a.txt',
      method: 'PUT',
      startTime: T0,
      expires: 600,
      headers: { 'Content-MD5': '1B2M2Y8AsgTpgAmY7PhCfg==' },
    };
    const r = await cli(
      [
        'auth',
        'examplebucket-1250000000',
        'a.txt',
        '-r',
        'ap-guangzhou',
        '-X',
        'PUT',
        '--start',
        String(T0),
        '-e',
        '10m',
        '-H',
        'Content-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==',
      ],
      COS_ENV,
    );
    expect(r).toMatchObject({ code: 0, stdout: cosAuthorization(input) + '\n', stderr: '' });
    const tos = await cli(['auth', 'examplebucket', 'a.txt', '-p', 'tos', '-r', 'cn-beijing'], {
      TOS_ACCESS_KEY: 'AK',
      TOS_SECRET_KEY: SECRET,
    });
    expect(tos.code).toBe(2);
    expect(tos.stderr).toMatch(/^cos-presign auth: --provider: /);
  });

  test.each(['url', 'auth', 'inspect', 'demo'])('%s --help', async (cmd) => {
    const r = await cli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: cos-presign ${cmd}`));
  });

  test('top-level help and version', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/cos-presign url <bucket> <key>/);
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Usage:/);
  });
});

describe('--curl, executed', () => {
  let server: RunningS3rver;
  let dir: string;
  beforeAll(async () => {
    server = await startS3rver();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-curl-'));
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the printed PUT and GET commands work as printed, with awkward names', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
    const key = `it's a "test" $HOME & ü.txt`;
    const file = path.join(dir, `my file's $1.txt`);
    const body = `uploaded through curl ${Date.now()}\n`;
    fs.writeFileSync(file, body);
    const common = ['url', S3RVER_BUCKET, key, '-p', 's3', '--endpoint', server.endpoint];
    const put = await cli(
      [...common, '-X', 'PUT', '-H', 'Content-Type: text/plain; charset=utf-8', '--curl', '--upload-file', file],
      env,
    );
    expect(put.code).toBe(0);
    expect(put.stdout).toMatch(/^curl .* -H 'Content-Type: text\/plain; charset=utf-8' --upload-file /);
    const up = await runProcess('bash', ['-c', put.stdout]);
    expect(up).toMatchObject({ code: 0, stderr: '' });

    const get = await cli([...common, '--curl'], env);
    const down = await runProcess('bash', ['-c', get.stdout]);
    expect(down).toMatchObject({ code: 0, stdout: body });

    // The signed Content-Type really is enforced: the same command without it gets 403.
    const withoutType = put.stdout.replace(/-H 'Content-Type: [^']*' /, '');
    const refused = await runProcess('bash', ['-c', withoutType]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/403|SignatureDoesNotMatch/);

    const head = await cli([...common, '-X', 'HEAD', '--curl'], env);
    expect(head.stdout).toMatch(/^curl --fail-with-body -sS --head /);
    expect((await runProcess('bash', ['-c', head.stdout])).code).toBe(0);
  });

  test('PUT without --upload-file prints a quoted placeholder and says so', async () => {
    const r = await cli(
      ['url', S3RVER_BUCKET, 'k.txt', '-p', 's3', '--endpoint', server.endpoint, '-X', 'PUT', '--curl'],
      { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
    );
    expect(r.stdout).toContain(` --upload-file '<file>' `);
    expect(r.stderr).toMatch(/replace <file> with the file to upload/);
  });
});

describe('usage errors exit 2 with one line naming the option', () => {
  const B = 'examplebucket-1250000000';
  const K = 'a.txt';
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['missing key', ['url', B], COS_ENV, /^cos-presign url: url takes two arguments, <bucket> <key>; got 1/],
    ['unknown option', ['url', B, K, '--bogus'], COS_ENV, /unknown option --bogus/],
    [
      'bad duration',
      ['url', B, K, '-r', 'ap-guangzhou', '-e', '10x'],
      COS_ENV,
      /^cos-presign url: --expires: "10x" is not a duration/,
    ],
    [
      'zero duration',
      ['url', B, K, '-r', 'ap-guangzhou', '-e', '0'],
      COS_ENV,
      /--expires: must be more than 0; got "0"/,
    ],
    [
      'zero minutes',
      ['url', B, K, '-r', 'ap-guangzhou', '-e', '0m'],
      COS_ENV,
      /--expires: must be more than 0; got "0m"/,
    ],
    [
      'over the S3 limit',
      ['url', 'my-bucket', K, '-p', 's3', '-r', 'us-east-1', '-e', '8d'],
      { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: SECRET },
      /--expires: exceeds 604800 seconds/,
    ],
    ['bad method', ['url', B, K, '-r', 'ap-guangzhou', '-X', 'FETCH'], COS_ENV, /--method: unsupported method "FETCH"/],
    [
      'header without colon',
      ['url', B, K, '-H', 'Content-Type text/plain'],
      COS_ENV,
      /--header: "Content-Type text\/plain" is not "Name: value"/,
    ],
    [
      'header refused by the core',
      ['url', B, K, '-r', 'ap-guangzhou', '-H', 'Bad Name: x'],
      COS_ENV,
      /--header: "Bad Name" is not a valid HTTP header name/,
    ],
    ['param without name', ['url', B, K, '--param', '=x'], COS_ENV, /--param: "=x" has no name/],
    [
      'bad bucket',
      ['url', 'Bad_Bucket', K, '-r', 'ap-guangzhou'],
      COS_ENV,
      /<bucket>: "Bad_Bucket" is not a COS bucket name/,
    ],
    [
      'root key',
      ['url', B, 'a/..', '-r', 'ap-guangzhou'],
      COS_ENV,
      /<key>: "a\/\.\." simplifies to "\/".*pass --allow-root-key/,
    ],
    ['unknown provider', ['url', B, K, '-p', 'gcs'], COS_ENV, /--provider: unknown provider "gcs"/],
    ['bad scheme', ['url', B, K, '--scheme', 'ftp'], COS_ENV, /--scheme: "ftp" is not https or http/],
    [
      'bad domain',
      ['url', B, K, '--domain', 'https://cdn.example.com/path'],
      COS_ENV,
      /--domain: .* is not a host\[:port\]/,
    ],
    [
      'endpoint on COS',
      ['url', B, K, '-r', 'ap-guangzhou', '--endpoint', 'x.example.com'],
      COS_ENV,
      /--endpoint: is not used by COS \(use --domain for a custom domain\)/,
    ],
    ['no region', ['url', B, K], COS_ENV, /--region: is required for COS/],
    ['json and curl', ['url', B, K, '--json', '--curl'], COS_ENV, /--curl: cannot be combined with --json/],
    [
      'upload-file without curl',
      ['url', B, K, '--upload-file', 'f'],
      COS_ENV,
      /--upload-file: only makes sense with --curl/,
    ],
    [
      'upload-file on GET',
      ['url', B, K, '-r', 'ap-guangzhou', '--curl', '--upload-file', 'f'],
      COS_ENV,
      /--upload-file: a GET request has no body/,
    ],
    ['bad start', ['url', B, K, '--start', 'yesterday'], COS_ENV, /--start: "yesterday" is not a time/],
    ['id without key', ['url', B, K, '--secret-id', 'AKID'], {}, /--secret-key: is required with --secret-id/],
    [
      'no credentials',
      ['url', B, K, '-r', 'ap-guangzhou'],
      {},
      /--secret-id: no COS credentials: set TENCENTCLOUD_SECRET_ID \+ TENCENTCLOUD_SECRET_KEY, or COS_SECRET_ID \+ COS_SECRET_KEY/,
    ],
    [
      'token alone',
      ['url', B, K, '--security-token', 'tok'],
      COS_ENV,
      /--security-token: goes with --secret-id and --secret-key/,
    ],
    [
      'secret with whitespace in the environment',
      ['url', B, K, '-r', 'ap-guangzhou'],
      { TENCENTCLOUD_SECRET_ID: 'AKID', TENCENTCLOUD_SECRET_KEY: ' ' + SECRET },
      /TENCENTCLOUD_SECRET_KEY \(from the environment\): has leading or trailing whitespace/,
    ],
    ['missing option value', ['url', B, K, '-e'], COS_ENV, /Option '-e, --expires <value>' argument missing/],
    ['inspect without url', ['inspect'], {}, /^cos-presign inspect: <url>: is required/],
    ['inspect of a non-URL', ['inspect', 'examplebucket/a.txt'], {}, /<url>: is not an http\(s\) URL/],
    [
      'inspect of an unsigned URL',
      ['inspect', 'https://example.com/a.txt?x=1'],
      {},
      /<url>: carries no q-sign-algorithm \(COS\), X-Tos-Algorithm \(TOS\) or X-Amz-Algorithm \(S3\)/,
    ],
    ['unknown command', ['sign'], {}, /^cos-presign: unknown command "sign"/],
    ['demo with arguments', ['demo', 'now'], {}, /^cos-presign demo: demo takes no arguments/],
  ];

  test.each(cases)('%s', async (_name, args, env, message) => {
    const r = await cli(args, env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.includes('warning:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toContain(SECRET);
  });

  test('a secret passed on the command line is masked even in parser errors', async () => {
    const r = await cli(['url', B, K, '--secret-id', 'AKID', `--secret-key=${SECRET}`, '--json=yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(SECRET);
  });
});

test('no run prints the secret key', async () => {
  // Every command that holds the secret, successful or not; stdout and stderr together.
  const env = { ...COS_ENV, TENCENTCLOUD_SESSION_TOKEN: TOKEN };
  const runs = await Promise.all([
    cli(['url', 'examplebucket-1250000000', 'a.txt', '-r', 'ap-guangzhou', '--curl'], env),
    cli(['url', 'examplebucket-1250000000', 'a.txt', '-r', 'ap-guangzhou', '--json'], env),
    cli(['auth', 'examplebucket-1250000000', 'a.txt', '-r', 'ap-guangzhou'], env),
    cli([
      'url',
      'examplebucket-1250000000',
      'a.txt',
      '-r',
      'ap-guangzhou',
      '--secret-id',
      'AKID',
      '--secret-key',
      SECRET,
      '--security-token',
      TOKEN,
    ]),
    cli([
      'url',
      'examplebucket-1250000000',
      'a.txt',
      '-r',
      'ap-guangzhou',
      '--secret-id',
      'AKID',
      '--secret-key',
      SECRET + ' x',
    ]),
    cli(
      [
        'inspect',
        presign({
          secretId: 'AKID',
          secretKey: SECRET,
          securityToken: TOKEN,
          bucket: 'examplebucket-1250000000',
          region: 'ap-guangzhou',
          key: 'a',
        }).url,
        '--json',
      ],
      env,
    ),
  ]);
  for (const r of runs) {
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stderr).not.toContain(TOKEN);
  }
  // The auth header and the inspect report do not carry the token either.
  expect(runs[2].stdout + runs[5].stdout).not.toContain(TOKEN);
});
