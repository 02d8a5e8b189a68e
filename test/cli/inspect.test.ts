/**
 * `cos-presign inspect`, run as a child process on URLs the official SDKs made with fixed times
 * (cos-nodejs-sdk-v5, aws4, @volcengine/tos-sdk, and a TOS vector with signed headers): the window
 * and headers it reports for COS, TOS and S3; good URLs verify (exit 0); each failure reason gets
 * its own message (exit 1); the signature and token are never printed.
 */
import { cli, CliResult, ensureBuilt } from './run';
import { cosSdkUrl, s3SdkUrl, SdkUrlInput, tosSdkUrl } from '../core/inspect-sdk';
import { loadVectors } from '../helpers/vectors';

const T0 = 1767225600; // 2026-01-01T00:00:00Z
const SECRET = 'Inspect-Cli-Secret-4d1e';
const TOKEN = 'Inspect-Cli-Token-9a8b';

const cos: SdkUrlInput = {
  secretId: 'AKIDINSPECT',
  secretKey: SECRET,
  bucket: 'examplebucket-1250000000',
  region: 'ap-guangzhou',
  key: 'reports/q1 2026.pdf',
  method: 'PUT',
  startTime: T0,
  expires: 600,
  headers: { 'Content-Type': 'application/pdf' },
  params: { 'response-cache-control': 'no-cache' },
  securityToken: TOKEN,
};
const tos: SdkUrlInput = {
  secretId: 'AKLTINSPECT',
  secretKey: SECRET,
  bucket: 'examplebucket',
  region: 'cn-beijing',
  key: 'a/b.txt',
  startTime: T0,
  expires: 3600,
};
const s3: SdkUrlInput = {
  secretId: 'AKIAINSPECT',
  secretKey: SECRET,
  bucket: 'examplebucket',
  region: 'us-west-2',
  key: 'big/video.mp4',
  method: 'GET',
  startTime: T0,
  expires: 900,
  params: { versionId: 'v1' },
};
const urls = { cos: cosSdkUrl(cos), tos: tosSdkUrl(tos), s3: s3SdkUrl(s3) };
// A TOS URL that signs x-tos-meta-source (the TOS SDK's getPreSignedUrl signs no headers).
const tosVector = loadVectors('tos').find((v) => v.name === 'headers-ctAndMeta')!;
const signatureOf = (url: string) => /(?:q-signature|X-Amz-Signature|X-Tos-Signature)=([0-9a-f]+)/.exec(url)![1];

function inspect(url: string, args: string[] = [], env: Record<string, string> = {}): Promise<CliResult> {
  return cli(['inspect', url, '--now', String(T0 + 100), ...args], env);
}

/** The reasons listed under FAILED, as [code, message]. */
function reasons(r: CliResult): Array<[string, string]> {
  return [...r.stdout.matchAll(/^ {2}- ([a-z-]+): (.*)$/gm)].map((m) => [m[1], m[2]]);
}

beforeAll(() => ensureBuilt(), 180_000);

// Every run is kept and checked at the end: no secret, token or signature in any output.
const seen: CliResult[] = [];
async function run(url: string, args: string[] = [], env: Record<string, string> = {}): Promise<CliResult> {
  const r = await inspect(url, args, env);
  seen.push(r);
  return r;
}

afterAll(() => {
  expect(seen.length).toBeGreaterThan(10);
  for (const r of seen) {
    const all = r.stdout + r.stderr;
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(TOKEN);
    for (const u of Object.values(urls)) expect(all).not.toContain(signatureOf(u));
  }
});

describe('what a URL grants', () => {
  test('COS: window, headers to send, params, token', async () => {
    const r = await run(urls.cos);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^provider +cos — Tencent COS, sha1$/m);
    expect(r.stdout).toMatch(/^bucket +examplebucket-1250000000$/m);
    expect(r.stdout).toMatch(/^region +ap-guangzhou$/m);
    expect(r.stdout).toMatch(/^key +reports\/q1 2026\.pdf$/m);
    expect(r.stdout).toMatch(/^access key id +AKIDINSPECT$/m);
    expect(r.stdout).toMatch(/^valid from +2026-01-01T00:00:00\.000Z$/m);
    expect(r.stdout).toMatch(/^valid until +2026-01-01T00:10:00\.000Z {2}\(valid, 8m 20s left\)$/m);
    expect(r.stdout).toMatch(/^signed headers +content-type, host$/m);
    expect(r.stdout).toMatch(/^must send +content-type /m);
    expect(r.stdout).toMatch(/^signed params +response-cache-control=no-cache$/m);
    expect(r.stdout).toMatch(/^security token +present, signed \(not shown\)$/m);
    expect(r.stdout).toMatch(/^signature +present \(not shown\)$/m);
    expect(r.stdout).toMatch(/signature not checked: give the secret key/);
  });

  test('TOS: JSON report', async () => {
    const r = await run(urls.tos, ['--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      provider: 'tos',
      bucket: 'examplebucket',
      region: 'cn-beijing',
      key: 'a/b.txt',
      accessKeyId: 'AKLTINSPECT',
      start: '2026-01-01T00:00:00.000Z',
      end: '2026-01-01T01:00:00.000Z',
      lifetimeSeconds: 3600,
      status: 'valid',
      secondsLeft: 3500,
      signedHeaders: ['host'],
      headersToSend: [],
      securityToken: 'none',
    });
  });

  test('TOS: signed headers (an SDK vector), checked with --header', async () => {
    const v = tosVector;
    const now = ['--now', String(v.input.startTime! + 100)];
    const info = await cli(['inspect', v.expected.url!, ...now, '--json']);
    seen.push(info);
    expect(JSON.parse(info.stdout)).toMatchObject({
      provider: 'tos',
      key: 'uploads/file.bin',
      signedHeaders: ['host', 'x-tos-meta-source'],
      headersToSend: ['x-tos-meta-source'],
    });
    const env = { TOS_ACCESS_KEY: v.input.secretId, TOS_SECRET_KEY: v.input.secretKey };
    const ok = await cli(['inspect', v.expected.url!, ...now, '-X', 'PUT', '-H', 'x-tos-meta-source: camera'], env);
    seen.push(ok);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^OK: the signature matches for PUT/m);
    expect(ok.stdout + ok.stderr).not.toContain(v.input.secretKey);
  });

  test('S3: expired, with how long ago', async () => {
    const r = await cli(['inspect', urls.s3, '--now', String(T0 + 900 + 3 * 86400 + 7200)]);
    seen.push(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^valid until +2026-01-01T00:15:00\.000Z {2}\(EXPIRED 3d 2h ago\)$/m);
    expect(r.stdout).toMatch(/^signed headers +host$/m);
    expect(r.stdout).toMatch(/^must send +\(no headers\)$/m);
    expect(r.stdout).toMatch(/^signed params +versionId=v1$/m);
  });

  test('not yet valid', async () => {
    const r = await cli(['inspect', urls.tos, '--now', '2025-12-31T23:55:00Z']);
    seen.push(r);
    expect(r.stdout).toMatch(/\(NOT YET VALID, starts in 5m\)/);
  });
});

describe('checking the signature', () => {
  const cosOk = ['-X', 'PUT', '-H', 'Content-Type: application/pdf'];

  test.each([
    ['cos', urls.cos, cosOk],
    ['tos', urls.tos, []],
    ['s3', urls.s3, []],
  ])('%s: a good URL verifies (exit 0)', async (_p, url, args) => {
    const r = await run(url as string, ['--secret-key', SECRET, ...(args as string[])]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK: the signature matches for (PUT|GET) with the headers given/m);
    expect(r.stderr).toMatch(/warning: --secret-key on the command line ends up in shell history/);
  });

  test("the secret comes from the environment of the URL's provider", async () => {
    const r = await run(urls.s3, [], { AWS_ACCESS_KEY_ID: 'AKIAINSPECT', AWS_SECRET_ACCESS_KEY: SECRET });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/checking with the secret key from AWS_SECRET_ACCESS_KEY/);
    expect(r.stdout).toMatch(/^OK:/m);
  });

  const env = { TENCENTCLOUD_SECRET_ID: 'AKIDINSPECT', TENCENTCLOUD_SECRET_KEY: SECRET };
  const failures: Array<[string, string, string[], Record<string, string>, RegExp]> = [
    [
      'wrong method',
      urls.cos,
      ['-H', 'Content-Type: application/pdf'],
      env,
      /^the URL is signed for PUT, not GET; send the request with PUT/,
    ],
    [
      'different signed header value',
      urls.cos,
      ['-X', 'PUT', '-H', 'Content-Type: application/octet-stream'],
      env,
      /a signed header value differs from the one signed \(content-type: "application\/octet-stream"\)/,
    ],
    [
      'expired',
      cosSdkUrl({ ...cos, startTime: T0 - 7200 }),
      cosOk,
      env,
      /^expired 1h 51m ago \(at 2025-12-31T22:10:00\.000Z\)/,
    ],
    [
      'not yet valid',
      cosSdkUrl({ ...cos, startTime: T0 + 3600 }),
      cosOk,
      env,
      /^not valid until 2026-01-01T01:00:00\.000Z, 58m 20s from now/,
    ],
    [
      'host changed by a proxy',
      urls.cos,
      [...cosOk, '-H', 'Host: cdn.example.com'],
      env,
      /^the signature covers the host examplebucket-1250000000\.cos\.ap-guangzhou\.myqcloud\.com, but the request reaches the server as cdn\.example\.com/,
    ],
    [
      'host edited in the URL',
      urls.s3.replace('examplebucket.s3.us-west-2.amazonaws.com', 'examplebucket.s3.amazonaws.com'),
      [],
      { AWS_ACCESS_KEY_ID: 'AKIAINSPECT', AWS_SECRET_ACCESS_KEY: SECRET },
      /^the signature covers the host examplebucket\.s3\.us-west-2\.amazonaws\.com, but the request reaches the server as examplebucket\.s3\.amazonaws\.com/,
    ],
    [
      'parameter added (S3)',
      urls.s3 + '&response-content-type=text%2Fhtml',
      [],
      { AWS_ACCESS_KEY_ID: 'AKIAINSPECT', AWS_SECRET_ACCESS_KEY: SECRET },
      /^the parameter "response-content-type" was added to the URL after signing/,
    ],
    [
      'signed parameter removed (COS)',
      urls.cos.replace('response-cache-control=no-cache&', ''),
      cosOk,
      env,
      /^q-url-param-list signs the parameter "response-cache-control", but the URL does not carry it/,
    ],
    [
      'signed parameter changed',
      urls.s3.replace('versionId=v1', 'versionId=v2'),
      [],
      { AWS_ACCESS_KEY_ID: 'AKIAINSPECT', AWS_SECRET_ACCESS_KEY: SECRET },
      /no single change of method, host or parameters explains it.*a signed parameter value \(versionId\) was edited/,
    ],
    [
      'wrong secret',
      urls.tos,
      [],
      { TOS_ACCESS_KEY: 'AKLTINSPECT', TOS_SECRET_KEY: 'not-the-secret' },
      /^the signature does not match for GET with the headers given.*the secret key is not the one of access key id AKLTINSPECT/,
    ],
    [
      'another access key',
      urls.tos,
      [],
      { TOS_ACCESS_KEY: 'AKLTOTHER', TOS_SECRET_KEY: 'other-secret' },
      /^the URL was signed by access key id AKLTINSPECT, but the credentials given are for AKLTOTHER/,
    ],
  ];

  test.each(failures)('%s: exit 1 with a specific reason', async (_name, url, args, e, message) => {
    const r = await run(url, args, e);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAILED: the server would refuse this (GET|PUT) request:$/m);
    const rs = reasons(r);
    expect(rs.length).toBeGreaterThan(0);
    expect(rs[0][1]).toMatch(message);
  });

  test('a COS parameter added after signing is pointed out, though COS does not check it', async () => {
    const r = await run(urls.cos + '&response-content-type=text%2Fhtml', cosOk, env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^unsigned params +response-content-type=text\/html$/m);
    expect(r.stdout).toMatch(/^note: response-content-type is not in q-url-param-list: not covered by the signature/m);
  });

  test('JSON carries the verdict and the reasons', async () => {
    const r = await run(urls.cos, ['--json', '-H', 'Content-Type: application/pdf'], env);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.verify).toMatchObject({
      ok: false,
      signatureMatches: false,
      method: 'GET',
      reasons: [{ code: 'wrong-method' }],
    });
  });

  test('bad options exit 2 naming the option', async () => {
    const bad = await run(urls.s3, ['--secret-key', SECRET, '-X', 'FETCH']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^cos-presign inspect: --method: unsupported method "FETCH"/m);
    const now = await run(urls.s3, ['--now', 'soon']);
    expect(now.code).toBe(2);
    expect(now.stderr).toMatch(/--now: "soon" is not a time/);
    const id = await run(urls.s3, ['--secret-id', 'AKIA']);
    expect(id.code).toBe(2);
    expect(id.stderr).toMatch(/--secret-id: goes with --secret-key/);
  });
});

// ---- terminal escapes (security round 2, finding 5) -------------------------------------------

describe('text from the URL cannot act on the terminal', () => {
  // C0 and C1 controls, DEL, line/paragraph separators, bidi overrides and isolates.
  const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  const FAKE_OK = '\rOK: the signature matches for GET with the headers given, and the URL is within its window\n';
  const HOSTILE: Array<[string, string]> = [
    ['a carriage return and a fake OK line', `a${FAKE_OK}b`],
    ['ANSI conceal (ESC[8m) and line erase', 'x\u001b[8mhidden\u001b[2K\u001b[1A'],
    ['OSC 52 clipboard write', 'y\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007'],
    ['an 8-bit CSI and DEL', 'z\u009b2J\u007f'],
    ['bidi override and isolate', 'report\u202efdp.exe\u2066x\u2069'],
    ['a line separator', 'l\u2028OK: forged'],
  ];
  const sdk = { secretId: 'AKIDESCAPE', secretKey: SECRET, startTime: T0, expires: 600 };

  function clean(r: CliResult): void {
    expect(r.stdout + r.stderr).not.toMatch(UNSAFE);
    // The only verdict lines are the real ones, at the start of a line.
    expect(r.stdout).not.toMatch(/^OK: the signature matches/m);
    expect(r.stdout).not.toMatch(/^OK: forged/m);
  }

  // Each text in a URL of one provider (in turn), as the key, a param name and value, and for COS the access key id.
  test.each(HOSTILE.map(([name, text], i) => [name, text, i % 3] as const))(
    '%s, in the key, a param and the access key id',
    async (_name, text, which) => {
      const url = [
        cosSdkUrl({
          ...sdk,
          secretId: 'AKID' + text,
          bucket: 'examplebucket-1250000000',
          region: 'ap-guangzhou',
          key: `k/${text}`,
          params: { [`p${text}`]: text },
        }),
        s3SdkUrl({
          ...sdk,
          bucket: 'examplebucket',
          region: 'us-west-2',
          key: `k/${text}`,
          params: { [`p${text}`]: text },
        }),
        tosSdkUrl({
          ...sdk,
          bucket: 'examplebucket',
          region: 'cn-beijing',
          key: `k/${text}`,
          params: { [`p${text}`]: text },
        }),
      ][which];
      {
        const plain = await run(url);
        expect(plain.code).toBe(0);
        clean(plain);
        expect(plain.stdout).toMatch(/^key +k\/\S/m);
        expect(plain.stdout).toMatch(/signature not checked/);
        // A wrong secret: the real verdict is FAILED, and it stays visible.
        const failed = await run(url, ['--secret-key', 'not-the-secret-key']);
        expect(failed.code).toBe(1);
        clean(failed);
        expect(failed.stdout).toMatch(/^FAILED: the server would refuse this GET request:$/m);
        const json = await run(url, ['--json']);
        clean(json);
        const parsed = JSON.parse(json.stdout);
        expect(parsed.key).toBe(`k/${text}`);
        expect(parsed.signedParams).toEqual([{ name: `p${text}`, value: text }]);
      }
    },
  );

  test('the escapes are visible, not dropped', async () => {
    const url = s3SdkUrl({ ...sdk, bucket: 'examplebucket', region: 'us-west-2', key: 'a\u001b[8mb\rc\u202ed' });
    const r = await run(url);
    expect(r.stdout).toMatch(/^key +a\\x1b\[8mb\\rc\\u202ed$/m);
  });

  test('a raw escape in the host and a bidi control in an error message', async () => {
    const s3 = s3SdkUrl({ ...sdk, bucket: 'examplebucket', region: 'us-west-2', key: 'a' });
    const host = await run(s3.replace('examplebucket.s3', 'x\u001b]52;c;QQ==\u0007.examplebucket.s3'), [
      '--secret-key',
      SECRET,
    ]);
    clean(host);
    expect(host.stdout).toMatch(/^host +https:\/\/x\\x1b\]52;c;qq==\\x07\.examplebucket/m);
    expect(host.stdout).toMatch(/^FAILED:/m);
    const cos = cosSdkUrl({ ...sdk, bucket: 'examplebucket-1250000000', region: 'ap-guangzhou', key: 'a' });
    const bad = await run(cos.replace(/q-sign-time=[^&]*/, 'q-sign-time=%E2%80%AEOK%1B%5B8m'));
    expect(bad.code).toBe(2);
    clean(bad);
    expect(bad.stderr).toMatch(/q-sign-time .*\\u202eOK/);
  });
});

// ---- paste damage (first-use issue, item 4) ---------------------------------------------------

describe('paste damage is reported first, with or without the secret', () => {
  const sdk = {
    secretId: 'AKIAPASTE',
    secretKey: SECRET,
    bucket: 'examplebucket',
    region: 'us-west-2',
    key: 'a/b.txt',
    startTime: T0,
    expires: 900,
  };
  const good = s3SdkUrl(sdk);
  const env = { AWS_ACCESS_KEY_ID: 'AKIAPASTE', AWS_SECRET_ACCESS_KEY: SECRET };

  test('without the secret: DAMAGED, and how to get the URL intact', async () => {
    const r = await run(good + '"');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DAMAGED: the signature ends in `"`: the URL was copied with a quote around it/m);
    expect(r.stdout).toMatch(/^key +a\/b\.txt$/m);
    const masked = await run(good.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=***'));
    expect(masked.stdout).toMatch(
      /^DAMAGED: the signature \(X-Amz-Signature\) is `\*\*\*`: it was copied from a GitHub Actions log/m,
    );
  });

  test('with the secret: paste-damage first, the URL itself good, the secret not blamed', async () => {
    const wrapped = await run(good.slice(0, 80) + '\n' + good.slice(80).replace(/&/g, '&amp;'), [], env);
    expect(wrapped.code).toBe(1);
    expect(reasons(wrapped).map(([c]) => c)).toEqual(['paste-damage', 'paste-damage']);
    expect(reasons(wrapped)[0][1]).toMatch(/^the URL contains a line break: it was wrapped when copied/);
    expect(reasons(wrapped)[1][1]).toMatch(/With that undone the signature matches: the URL itself is good$/);
    const masked = await run(good.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=***'), [], env);
    expect(masked.code).toBe(1);
    expect(reasons(masked).map(([c]) => c)).toEqual(['paste-damage']);
    expect(masked.stdout).not.toMatch(/secret key is not/);
  });
});

// ---- URLs that sign headers (first-use issue, item 5) -----------------------------------------

describe('a URL that signs headers is not FAILED for lack of them', () => {
  const MD5 = 'XrY7u+Ae7tCTyyK7j1rNww==';
  const upload = s3SdkUrl({
    secretId: 'AKIAUPLOAD',
    secretKey: SECRET,
    bucket: 'examplebucket',
    region: 'us-west-2',
    key: 'releases/app.pdf',
    method: 'PUT',
    startTime: T0,
    expires: 900,
    headers: { 'Content-Type': 'application/pdf', 'Content-MD5': MD5 },
  });
  const env = { AWS_ACCESS_KEY_ID: 'AKIAUPLOAD', AWS_SECRET_ACCESS_KEY: SECRET };

  test('values the URL cannot tell: which headers, what they must be, how to check (exit 0)', async () => {
    const r = await run(upload, ['-X', 'PUT'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/FAILED/);
    expect(r.stdout).toMatch(
      /^HEADERS NEEDED: nothing wrong found, but the URL signs headers that every request with it must send:$/m,
    );
    expect(r.stdout).toMatch(/^ {2}content-md5: <base64 of the MD5 of the exact body/m);
    expect(r.stdout).toMatch(/^ {2}content-type: <the media type the URL was signed with/m);
    expect(r.stdout).toMatch(/^give them with --header 'content-md5: <value>' to check the signature$/m);
  });

  test('a value found by trying the usual one is shown', async () => {
    const r = await run(urls.cos, ['-X', 'PUT'], {
      TENCENTCLOUD_SECRET_ID: 'AKIDINSPECT',
      TENCENTCLOUD_SECRET_KEY: SECRET,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^HEADERS NEEDED: nothing wrong found \(the signature matches for PUT with the values below\)/m,
    );
    expect(r.stdout).toMatch(
      /^ {2}content-type: application\/pdf {2}\(found: the signature matches with this value\)$/m,
    );
  });

  test('given with --header: OK, or FAILED when a value is wrong', async () => {
    const ok = await run(
      upload,
      ['-X', 'PUT', '-H', 'Content-Type: application/pdf', '-H', `Content-MD5: ${MD5}`],
      env,
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^OK: the signature matches for PUT/m);
    const bad = await run(
      upload,
      ['-X', 'PUT', '-H', 'Content-Type: application/pdf', '-H', 'Content-MD5: 1B2M2Y8AsgTpgAmY7PhCfg=='],
      env,
    );
    expect(bad.code).toBe(1);
    expect(reasons(bad).map(([c]) => c)).toEqual(['signature-mismatch']);
    const json = JSON.parse((await run(upload, ['-X', 'PUT', '--json'], env)).stdout);
    expect(json.verify).toMatchObject({ verdict: 'needs-headers', ok: false, signatureMatches: null, reasons: [] });
    expect(json.verify.headersToSend.map((h: { name: string }) => h.name)).toEqual(['content-md5', 'content-type']);
  });
});
