/**
 * Secret hygiene, end to end: the core, the bundled GitHub Action, the built CLI and the Pulumi
 * dynamic-provider host are run over success and failure paths with one recognisable fake secret
 * key and session token, and every byte they print is scanned: stdout, stderr, job summary,
 * GITHUB_OUTPUT, error messages, thrown error text, Pulumi `__provider`, outputs and host logs.
 *
 * What may carry what (by design, see SECURITY.md):
 * - the secret key: nothing, ever (not even a URL);
 * - the session token: only the presigned URLs themselves (servers read it from the query), so
 *   the action's url/urls/requests/curl outputs, the CLI's URL/JSON/curl stdout and Pulumi's
 *   secret `url` output; never a log line, a summary, an error or another output;
 * - a signature (q-signature, X-Amz-Signature, X-Tos-Signature of a URL made in that run): the
 *   URL carriers above and the COS `authorization` value; never a log, error or summary (the
 *   action's `summary: links` is the documented opt-in exception).
 *
 * The scanner looks for the raw value, its URL-, JSON- and command-escaped forms and every run
 * of 8+ letters and digits inside it, so a partial, encoded or re-quoted leak is found too.
 */
import { cosAuthorization, inspectUrl, presign, PresignError, PresignInput, verifyUrl } from '../../src';
import {
  ACTION_NODE,
  ACTION_NODE_LABEL,
  ActionRun,
  removeWorkspaces,
  runAction,
  signaturesOf,
  tempWorkspace,
} from '../action/run-action';
import { cli, CliResult, ensureBuilt } from '../cli/run';
import {
  installBuiltPackage,
  InstalledProgram,
  Props,
  ProviderHost,
  registerResources,
  Registration,
  Stack,
} from '../pulumi/harness';
import { assertNoSecrets } from '../helpers/refusal';

/** Shaped like real ones: base64-ish, with + / = (which URL-encode), long enough to be unmistakable. */
const SECRET_KEY = 'Zr8qSecretKeyOfTheScan/u7Wn+Vb3XkQp1o=';
const TOKEN = 'IQoJb3JpZ2luX2VjSessionTokenOfTheScan+gW4/Zt9pLmN2sR==';
const COS_ID = 'AKIDhardeningScanId0001';
const S3_ID = 'AKIAHARDENINGSCAN001';
const TOS_ID = 'AKLThardeningScanId0001';
const COS_BUCKET = 'examplebucket-1250000000';

// ---- the scanner ---------------------------------------------------------------------------------

/**
 * Every form in which a secret could show up in printed text: whole (raw, trimmed, URL-, JSON- or
 * command-escaped) or in part (any 12 letters and digits in a row of it; shorter runs whole).
 * The key and the token share no such part, so one is never mistaken for the other.
 */
function formsOf(secret: string): string[] {
  const forms = new Set<string>([
    secret,
    secret.trim(),
    encodeURIComponent(secret),
    encodeURIComponent(secret.trim()),
    JSON.stringify(secret).slice(1, -1),
    // workflow-command data escaping (::error::, ::add-mask::)
    secret.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'),
  ]);
  for (const run of secret.match(/[A-Za-z0-9]{8,}/g) ?? []) {
    if (run.length <= 12) forms.add(run);
    for (let i = 0; i + 12 <= run.length; i++) forms.add(run.slice(i, i + 12));
  }
  // Case-changed copies (security round 2, 6): the core lower-cases a TOS endpoint, Pulumi
  // upper-cases `method`; a secret that went through either is still the secret.
  for (const f of [...forms]) {
    forms.add(f.toLowerCase());
    forms.add(f.toUpperCase());
  }
  return [...forms].filter((f) => f.length >= 8);
}
const KEY_FORMS = formsOf(SECRET_KEY);
const TOKEN_FORMS = formsOf(TOKEN);

interface ScanRules {
  /** Scan for the token (default true). */
  token?: boolean;
  /** Signature values that must not appear. */
  sigs?: string[];
  /** Exact substrings allowed to carry the token and signatures (URLs, the authorization value); the secret key is never allowed. */
  carriers?: string[];
}

/** What leaked into `text`, as readable findings (empty when clean). */
function scan(where: string, text: string, rules: ScanRules = {}): string[] {
  const found: string[] = [];
  for (const f of KEY_FORMS) if (text.includes(f)) found.push(`${where}: secret key (as ${JSON.stringify(f)})`);
  let rest = text;
  for (const c of rules.carriers ?? []) if (c) rest = rest.split(c).join('<carrier>');
  if (rules.token !== false)
    for (const f of TOKEN_FORMS) if (rest.includes(f)) found.push(`${where}: token (as ${JSON.stringify(f)})`);
  for (const s of rules.sigs ?? []) {
    if (rest.includes(s.slice(0, 16))) found.push(`${where}: signature ${s.slice(0, 8)}…`);
  }
  return [...new Set(found)];
}

/** A PresignError (or any thrown value) as all the text a caller could print from it. */
function errorText(e: unknown): string {
  if (e instanceof Error) {
    const extra = e as Error & { details?: unknown; field?: unknown };
    return [e.name, e.message, e.stack ?? '', String(extra.details ?? ''), JSON.stringify(e)].join('\n');
  }
  return String(e);
}

function sigsOf(...texts: Array<string | undefined>): string[] {
  return [...new Set(texts.flatMap((t) => (t ? signaturesOf(t) : [])))];
}

test('the scanner finds what it is meant to find (so a clean scan means something)', () => {
  const url = presign({
    provider: 's3',
    secretId: S3_ID,
    secretKey: SECRET_KEY,
    securityToken: TOKEN,
    bucket: 'my-bucket',
    region: 'eu-west-1',
    key: 'a.txt',
  }).url;
  const [sig] = signaturesOf(url);
  expect(sig).toMatch(/^[0-9a-f]{64}$/);
  expect(scan('x', `id=${S3_ID} bucket my-bucket`, { sigs: [sig] })).toEqual([]);
  expect(scan('x', `oops ${SECRET_KEY}`)).not.toEqual([]);
  expect(scan('x', `partial ${SECRET_KEY.slice(2, 16)}…`)).not.toEqual([]);
  expect(scan('x', `partial ${TOKEN.slice(20, 34)}…`)).not.toEqual([]);
  for (const changed of [
    SECRET_KEY.toLowerCase(),
    SECRET_KEY.toUpperCase(),
    `host ${SECRET_KEY.slice(3, 17).toLowerCase()}.tos`,
  ]) {
    expect(scan('x', changed)).not.toEqual([]);
  }
  for (const changed of [TOKEN.toLowerCase(), TOKEN.toUpperCase(), encodeURIComponent(TOKEN).toLowerCase()]) {
    expect(scan('x', changed)).not.toEqual([]);
  }
  const tokenText = `${TOKEN} ${encodeURIComponent(TOKEN)}`;
  expect(
    KEY_FORMS.filter((f) => [tokenText, tokenText.toLowerCase(), tokenText.toUpperCase()].some((t) => t.includes(f))),
  ).toEqual([]);
  expect(scan('x', JSON.stringify({ k: `${SECRET_KEY}\n` }))).not.toEqual([]);
  expect(scan('x', `::error::${encodeURIComponent(TOKEN)}`)).not.toEqual([]);
  expect(scan('x', `see ${url}`, { sigs: [sig] })).not.toEqual([]);
  // A URL is a carrier: its token and signature are allowed, a copy outside it is not.
  expect(scan('x', `curl '${url}'`, { sigs: [sig], carriers: [url] })).toEqual([]);
  expect(scan('x', `curl '${url}' sig=${sig}`, { sigs: [sig], carriers: [url] })).not.toEqual([]);
  expect(scan('x', `curl '${url}' key=${SECRET_KEY}`, { sigs: [sig], carriers: [url] })).not.toEqual([]);
});

// ---- the core ------------------------------------------------------------------------------------

describe('core: no refusal quotes the secret key or the token', () => {
  const BASES: PresignInput[] = [
    {
      provider: 'cos',
      secretId: COS_ID,
      secretKey: SECRET_KEY,
      securityToken: TOKEN,
      bucket: COS_BUCKET,
      region: 'ap-guangzhou',
      key: 'docs/a.txt',
    },
    {
      provider: 'tos',
      secretId: TOS_ID,
      secretKey: SECRET_KEY,
      securityToken: TOKEN,
      bucket: 'examplebucket',
      region: 'cn-beijing',
      key: 'docs/a.txt',
    },
    {
      provider: 's3',
      secretId: S3_ID,
      secretKey: SECRET_KEY,
      securityToken: TOKEN,
      bucket: 'examplebucket',
      region: 'us-east-1',
      key: 'docs/a.txt',
    },
  ];
  // A secret in every place a person could paste it: itself with stray whitespace, the other
  // credential fields, and every field whose value a refusal might quote.
  const PASTED = [SECRET_KEY, TOKEN, `${SECRET_KEY}\n`, ` ${TOKEN}`, `${TOKEN}\r\n`];
  const FIELDS = [
    'bucket',
    'region',
    'method',
    'provider',
    'scheme',
    'domain',
    'endpoint',
    'expires',
    'startTime',
    'credentialExpiresAt',
    'signHost',
    'keySimplifyCheck',
  ] as const;
  function cases(): Array<[string, PresignInput]> {
    const out: Array<[string, PresignInput]> = [];
    for (const b of BASES) {
      const p = b.provider!;
      out.push(
        [`${p} secretKey with a trailing newline`, { ...b, secretKey: `${SECRET_KEY}\n` }],
        [`${p} secretKey with a space inside`, { ...b, secretKey: SECRET_KEY.replace('/', ' /') }],
        [`${p} token with a newline inside`, { ...b, securityToken: TOKEN.replace('+', '\n+') }],
        [`${p} token with a leading space`, { ...b, securityToken: ` ${TOKEN}` }],
        [`${p} secretKey as secretId (and key)`, { ...b, secretId: SECRET_KEY }],
        [`${p} token as secretId`, { ...b, secretId: TOKEN }],
        [`${p} secret key missing, token given`, { ...b, secretKey: '' }],
        [`${p} key with the token and a control character`, { ...b, key: `${TOKEN}\u0000` }],
        [`${p} key simplifying to the root after the token`, { ...b, key: `${TOKEN}/../../..` }],
        [
          `${p} token as a header value with CR/LF`,
          {
            ...b,
            headers: { 'x-cos-meta-t': `${TOKEN}\r\n`, 'x-amz-meta-t': `${TOKEN}\r\n`, 'x-tos-meta-t': `${TOKEN}\r\n` },
          },
        ],
        [
          `${p} token as a header value with stray spaces`,
          { ...b, provider: p, headers: { 'Content-Type': ` ${TOKEN} ` } },
        ],
        [`${p} token as a header value with a lone surrogate`, { ...b, headers: { 'Content-Type': `${TOKEN}\ud800` } }],
        [`${p} token as a header name`, { ...b, headers: { [TOKEN]: 'x' } }],
        [`${p} secret key as a Host header`, { ...b, headers: { Host: SECRET_KEY } }],
        [
          `${p} token as a param value with a lone surrogate`,
          { ...b, params: { 'response-content-type': `${TOKEN}\ud800` } },
        ],
        [
          `${p} token as the security-token param`,
          {
            ...b,
            params: { 'x-cos-security-token': TOKEN, 'X-Amz-Security-Token': TOKEN, 'X-Tos-Security-Token': TOKEN },
          },
        ],
      );
      for (const f of FIELDS)
        for (const s of PASTED) out.push([`${p} ${JSON.stringify(s)} as ${f}`, { ...b, [f]: s } as PresignInput]);
    }
    return out;
  }

  test('presign and cosAuthorization: every refusal is a PresignError without secrets (message, stack, JSON)', () => {
    let refused = 0;
    const findings: string[] = [];
    for (const [name, input] of cases()) {
      for (const [fn, sign] of [
        ['presign', () => presign(input)],
        ['cosAuthorization', () => cosAuthorization(input)],
      ] as const) {
        if (fn === 'cosAuthorization' && input.provider !== 'cos') continue;
        try {
          const r = sign();
          // Signed: the warnings are printed by every front end.
          if (typeof r === 'object') findings.push(...scan(`${fn} ${name}: warnings`, r.warnings.join('\n')));
        } catch (e) {
          expect(e).toBeInstanceOf(PresignError);
          refused++;
          try {
            assertNoSecrets(e as PresignError, [SECRET_KEY, TOKEN]);
          } catch (x) {
            findings.push(`${fn} ${name}: ${(x as Error).message}`);
          }
          findings.push(...scan(`${fn} ${name}`, errorText(e)));
        }
      }
    }
    expect(findings).toEqual([]);
    // Nearly all of them are refusals; a change that made them sign would need a look.
    expect(refused).toBeGreaterThan(200);
  });

  test('a secret pasted into a field whose value a refusal quotes is named, not shown', () => {
    const s3 = BASES[2];
    expect(() => presign({ ...s3, bucket: TOKEN })).toThrow(/^bucket: "<securityToken>" is not an S3 bucket name/);
    expect(() => presign({ ...s3, headers: { Host: SECRET_KEY } })).toThrow(
      /^headers: Host "<secretKey>" differs from the URL's host/,
    );
    expect(() => presign({ ...s3, method: `${SECRET_KEY}\n` as never })).toThrow(
      /^method: unsupported method "<secretKey>\\n"/,
    );
  });

  test('inspectUrl and verifyUrl: results and errors of good, tampered and malformed URLs hold no token or signature', () => {
    const findings: string[] = [];
    for (const b of BASES) {
      const { url } = presign({ ...b, params: { 'response-content-type': 'text/plain' } });
      const [sig] = signaturesOf(url);
      const tokenParam = { cos: 'x-cos-security-token', tos: 'X-Tos-Security-Token', s3: 'X-Amz-Security-Token' }[
        b.provider!
      ];
      const sigParam = { cos: 'q-signature', tos: 'X-Tos-Signature', s3: 'X-Amz-Signature' }[b.provider!];
      const tok = encodeURIComponent(TOKEN);
      expect(url).toContain(`${tokenParam}=${tok}`);
      const variants: Record<string, string> = {
        good: url,
        'token edited': url.replace(tok, tok.replace('Session', 'Sxssion')),
        'token twice': `${url}&${tokenParam}=${tok}`,
        'token removed': url.replace(`${tokenParam}=${tok}`, 'x=1'),
        'signature twice': `${url}&${sigParam}=${sig}`,
        'signature edited': url.replace(
          sig,
          sig.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
        ),
        'signature truncated': url.replace(sig, sig.slice(0, 10)),
        'host changed': url.replace('://', '://evil.'),
      };
      for (const [name, u] of Object.entries(variants)) {
        const attempts: Array<[string, () => unknown]> = [
          ['inspectUrl', () => inspectUrl(u)],
          ['verifyUrl', () => verifyUrl(u, { secretKey: SECRET_KEY, secretId: b.secretId })],
          [
            'verifyUrl PUT',
            () => verifyUrl(u, { secretKey: SECRET_KEY, method: 'PUT', headers: { 'Content-Type': 'x' } }),
          ],
          ['verifyUrl wrong key', () => verifyUrl(u, { secretKey: `${SECRET_KEY}x` })],
        ];
        for (const [fn, f] of attempts) {
          let text: string;
          try {
            text = JSON.stringify(f());
          } catch (e) {
            text = errorText(e);
          }
          findings.push(...scan(`${b.provider} ${name} ${fn}`, text, { sigs: [sig] }));
        }
      }
    }
    expect(findings).toEqual([]);
  });
});

// ---- the GitHub Action (bundled dist/index.js, as the runner runs it) ------------------------------

/** Output names whose values are (or contain) the URLs and may carry the token and signatures. */
const URL_OUTPUTS = ['url', 'urls', 'requests', 'curl'];

function urlsOf(run: ActionRun): string[] {
  return run.outputs.urls ? Object.values(JSON.parse(run.outputs.urls) as Record<string, string>) : [];
}

/**
 * Everything an action run printed or wrote, scanned. `linksSummary`: the summary was asked to
 * hold links (URLs and their signatures, never the token or key).
 */
function scanAction(run: ActionRun, opts: { linksSummary?: boolean; tokenInRequests?: boolean } = {}): string[] {
  const urls = urlsOf(run);
  const sigs = sigsOf(...urls, run.outputs.authorization);
  const findings = [
    // Both streams, without the ::add-mask:: commands (the runner consumes them; checked apart).
    ...scan('log', run.visibleLog, { sigs }),
    ...scan(
      'job summary',
      run.summary,
      opts.linksSummary ? { carriers: urls.map((u) => u.replace(/&/g, '&amp;')) } : { sigs },
    ),
    // The key is in no output at all, URLs included.
    ...scan('GITHUB_OUTPUT', run.rawOutput, { token: false }),
  ];
  for (const [name, value] of Object.entries(run.outputs)) {
    if (URL_OUTPUTS.includes(name)) {
      // Outside the URLs themselves: no token, no signature (e.g. in requests' headers).
      findings.push(
        ...scan(`output ${name}`, value, {
          sigs,
          carriers: urls,
          token: !(name === 'requests' && opts.tokenInRequests),
        }),
      );
    } else if (name === 'authorization') {
      findings.push(...scan(`output ${name}`, value));
    } else {
      findings.push(...scan(`output ${name}`, value, { sigs }));
    }
  }
  return findings;
}

/** Runner command data escaping, as @actions/core writes it. */
function commandData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The ::add-mask:: commands come before any other line, and register what they must. */
function expectMasksFirst(run: ActionRun, mustMask: string[]): void {
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  const firstOther = lines.findIndex((l) => !l.startsWith('::add-mask::'));
  const masks = lines.slice(0, firstOther < 0 ? lines.length : firstOther);
  const lateMasks = lines.slice(masks.length).filter((l) => l.startsWith('::add-mask::'));
  expect(lateMasks).toEqual([]);
  expect(run.stderr).not.toContain('::add-mask::');
  for (const s of mustMask) expect(masks).toContain(`::add-mask::${commandData(s)}`);
}

describe(`GitHub Action (dist/index.js under ${ACTION_NODE_LABEL})`, () => {
  const workspace = tempWorkspace;
  afterAll(removeWorkspaces);
  const COS_INPUTS = {
    'secret-id': COS_ID,
    'secret-key': SECRET_KEY,
    'security-token': TOKEN,
    bucket: COS_BUCKET,
    region: 'ap-guangzhou',
  };
  const run = (inputs: Record<string, string>, env: Record<string, string> = {}, ws?: string) =>
    runAction({ node: ACTION_NODE, inputs, env, workspace: ws });

  test('cos, one key, temporary credentials as inputs: token only inside the URL outputs', async () => {
    const r = await run({
      ...COS_INPUTS,
      key: 'releases/app 1.0.tar.gz',
      params: 'response-content-disposition=attachment',
    });
    expect(r.code).toBe(0);
    expect(r.errors).toEqual([]);
    expect(r.outputs.url).toContain(`x-cos-security-token=${encodeURIComponent(TOKEN)}`);
    expect(r.outputs.authorization).toMatch(/q-signature=[0-9a-f]{40}$/);
    expect(r.outputs.curl).toContain(r.outputs.url);
    expectMasksFirst(r, [SECRET_KEY, TOKEN]);
    expect(scanAction(r)).toEqual([]);
  });

  test('cos, keys, temporary credentials from the environment, mask-urls: nothing but masks carries them', async () => {
    const env = {
      TENCENTCLOUD_SECRET_ID: COS_ID,
      TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
      TENCENTCLOUD_SESSION_TOKEN: TOKEN,
    };
    const r = await run(
      {
        bucket: COS_BUCKET,
        region: 'ap-beijing',
        keys: 'a.txt\nb/c.txt',
        'mask-urls': 'true',
        'credential-expiration': new Date(Date.now() + 1800_000).toISOString(),
      },
      env,
    );
    expect(r.code).toBe(0);
    // The lifetime cut is warned about; the warning names no secret.
    expect(r.warnings.join('\n')).toMatch(/cut to the temporary credential's expiry/);
    const urls = urlsOf(r);
    expect(urls).toHaveLength(2);
    expectMasksFirst(r, [SECRET_KEY, TOKEN, ...urls, ...sigsOf(...urls)]);
    expect(scanAction(r)).toEqual([]);
  });

  test('s3 files with PUT, key and token as inputs: names summary, requests hold no token outside URLs', async () => {
    const ws = workspace({ 'dist/app.tar.gz': 'tarball', 'dist/notes.md': '# notes\n', 'dist/sub/data.json': '{}' });
    const r = await run(
      {
        provider: 's3',
        'secret-id': S3_ID,
        'secret-key': SECRET_KEY,
        'security-token': TOKEN,
        bucket: 'my-artifacts',
        region: 'eu-west-1',
        method: 'PUT',
        files: 'dist/**',
        'key-prefix': 'builds/{short_sha}/',
        headers: 'x-amz-meta-build: 42',
      },
      {},
      ws,
    );
    expect(r.code).toBe(0);
    const requests = JSON.parse(r.outputs.requests) as Record<string, { url: string; headers: Record<string, string> }>;
    expect(Object.keys(requests)).toHaveLength(3);
    for (const q of Object.values(requests))
      expect(q.url).toContain(`X-Amz-Security-Token=${encodeURIComponent(TOKEN)}`);
    expect(r.summary).toContain('builds/0123456/dist/app.tar.gz');
    expectMasksFirst(r, [SECRET_KEY, TOKEN]);
    expect(scanAction(r)).toEqual([]);
  });

  test('tos with a token asks for a links summary: refused to names, nothing leaks', async () => {
    const r = await run({
      provider: 'tos',
      'secret-id': TOS_ID,
      'secret-key': SECRET_KEY,
      'security-token': TOKEN,
      bucket: 'tos-bucket',
      region: 'cn-beijing',
      keys: 'x/y.zip',
      summary: 'links',
    });
    expect(r.code).toBe(0);
    expect(r.warnings.join('\n')).toMatch(/summary: links is not honoured/);
    expect(r.summary).not.toContain('href=');
    expectMasksFirst(r, [SECRET_KEY, TOKEN]);
    expect(scanAction(r)).toEqual([]);
  });

  test('s3 links summary without a token: the summary holds URLs (opted in), never the key', async () => {
    const r = await run({
      provider: 's3',
      'secret-id': S3_ID,
      'secret-key': SECRET_KEY,
      bucket: 'my-artifacts',
      region: 'eu-west-1',
      key: 'x/y.zip',
      summary: 'links',
    });
    expect(r.code).toBe(0);
    expect(r.summary).toContain('href="https://my-artifacts.s3.eu-west-1.amazonaws.com/x/y.zip?');
    expectMasksFirst(r, [SECRET_KEY]);
    expect(scanAction(r, { linksSummary: true })).toEqual([]);
  });

  test('the token given again as a signed header: the consumer gets it in requests, the summary and log do not', async () => {
    // The COS Authorization form wants the token as a header; a user may list it in headers too.
    const r = await run({
      ...COS_INPUTS,
      keys: 'a.txt\nb.txt',
      method: 'PUT',
      headers: `x-cos-security-token: ${TOKEN}\nContent-Type: text/plain`,
    });
    expect(r.code).toBe(0);
    const requests = JSON.parse(r.outputs.requests) as Record<string, { headers: Record<string, string> }>;
    expect(requests['a.txt'].headers['x-cos-security-token']).toBe(TOKEN);
    expect(r.summary).toContain('<code>a.txt</code>');
    expect(r.summary).toContain('x-cos-security-token: ***');
    expectMasksFirst(r, [SECRET_KEY, TOKEN]);
    expect(scanAction(r, { tokenInRequests: true })).toEqual([]);
  });

  const failures: Array<[string, Record<string, string>, Record<string, string>, RegExp]> = [
    [
      'bad expires after the credentials were read',
      { ...COS_INPUTS, key: 'a.txt', expires: '1 hour' },
      {},
      /^::error::Input "expires": "1 hour" is not a duration/,
    ],
    [
      'a malformed header line',
      { ...COS_INPUTS, key: 'a.txt', headers: 'Content-Type application/json' },
      {},
      /^::error::Input "headers": line 1 is not "Name: value"/,
    ],
    [
      'the token pasted as a header line',
      { ...COS_INPUTS, key: 'a.txt', headers: `${TOKEN}: x` },
      {},
      /^::error::Input "headers": "<security-token>" is not a valid HTTP header name/,
    ],
    [
      'the token pasted as the bucket',
      { ...COS_INPUTS, key: 'a.txt', bucket: TOKEN },
      {},
      /^::error::Input "bucket": "<security-token>" is not a COS bucket name/,
    ],
    [
      'the secret key pasted as secret-id (s3)',
      {
        provider: 's3',
        'secret-id': SECRET_KEY,
        'secret-key': SECRET_KEY,
        bucket: 'b-1',
        region: 'us-east-1',
        key: 'a.txt',
      },
      {},
      /^::error::Input "secret-id": contains "\/"/,
    ],
    [
      'a token with a line break inside',
      { ...COS_INPUTS, 'security-token': TOKEN.replace('+', '\n+'), key: 'a.txt' },
      {},
      /^::error::Input "security-token": contains a control character/,
    ],
    ['a key that simplifies to the bucket', { ...COS_INPUTS, key: 'a/../' }, {}, /^::error::Input "key": /],
    [
      'files matching nothing',
      { ...COS_INPUTS, files: 'missing/*.zip' },
      {},
      /^::error::Input "files": "missing\/\*\.zip" matched no files/,
    ],
    [
      'token without keys',
      { bucket: COS_BUCKET, region: 'ap-guangzhou', key: 'a.txt', 'security-token': TOKEN },
      {},
      /^::error::Input "security-token": is set but/,
    ],
    [
      'environment secret key with a trailing newline',
      { bucket: COS_BUCKET, region: 'ap-guangzhou', key: 'a.txt' },
      { TENCENTCLOUD_SECRET_ID: COS_ID, TENCENTCLOUD_SECRET_KEY: `${SECRET_KEY}\n`, TENCENTCLOUD_SESSION_TOKEN: TOKEN },
      /^::error::Input "secret-key": \(taken from the environment, TENCENTCLOUD_SECRET_ID\/TENCENTCLOUD_SECRET_KEY\/TENCENTCLOUD_SESSION_TOKEN\) has leading or trailing whitespace/,
    ],
    [
      'environment token with a trailing newline',
      { provider: 's3', bucket: 'b-1', region: 'us-east-1', key: 'a.txt' },
      { AWS_ACCESS_KEY_ID: S3_ID, AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_SESSION_TOKEN: `${TOKEN}\n` },
      /^::error::Input "security-token": \(taken from the environment, AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY\/AWS_SESSION_TOKEN\) has leading or trailing whitespace/,
    ],
  ];
  test.each(failures)(
    'refused: %s — one ::error::, no output, masks first, nothing leaks',
    async (_name, inputs, env, error) => {
      const r = await run(inputs, env);
      expect(r.code).toBe(1);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatch(error);
      expect(r.rawOutput).toBe('');
      expect(r.summary).toBe('');
      const given = [
        inputs['secret-key'],
        inputs['security-token'],
        env.TENCENTCLOUD_SECRET_KEY,
        env.TENCENTCLOUD_SESSION_TOKEN,
        env.AWS_SECRET_ACCESS_KEY,
        env.AWS_SESSION_TOKEN,
      ];
      expectMasksFirst(
        r,
        given
          .filter((s): s is string => !!s && s.trim() !== '')
          .map((s) => (inputs['secret-key'] === s || inputs['security-token'] === s ? s.trim() : s)),
      );
      expect(scanAction(r)).toEqual([]);
    },
  );
});

// ---- the CLI (bin/cos-presign.js on the built lib/) -------------------------------------------------

describe('CLI', () => {
  beforeAll(() => ensureBuilt(), 180_000);
  const COS_ENV = {
    TENCENTCLOUD_SECRET_ID: COS_ID,
    TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
    TENCENTCLOUD_SESSION_TOKEN: TOKEN,
  };
  const S3_ENV = { AWS_ACCESS_KEY_ID: S3_ID, AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_SESSION_TOKEN: TOKEN };
  const TOS_ENV = { TOS_ACCESS_KEY: TOS_ID, TOS_SECRET_KEY: SECRET_KEY, TOS_SECURITY_TOKEN: TOKEN };
  const FLAGS = ['--secret-id', COS_ID, '--secret-key', SECRET_KEY, '--security-token', TOKEN];
  const COS_OBJ = [COS_BUCKET, 'docs/report 1.pdf', '-r', 'ap-guangzhou'];

  /** Both streams scanned; `carriers` (the URL printed on stdout) may hold the token and signature. */
  function scanCli(r: CliResult, carriers: string[] = [], sigs = sigsOf(...carriers)): string[] {
    return [...scan('stderr', r.stderr, { sigs }), ...scan('stdout', r.stdout, { sigs, carriers })];
  }

  test.each([
    ['cos, token from the environment', ['url', ...COS_OBJ], COS_ENV],
    ['cos, credentials on the command line', ['url', ...COS_OBJ, ...FLAGS], {}],
    [
      'tos, token from the environment, an unsigned header (warning)',
      ['url', 'examplebucket', 'a.txt', '-p', 'tos', '-r', 'cn-beijing', '-H', 'Content-Type: text/plain'],
      TOS_ENV,
    ],
    [
      's3 PUT with a pinned header',
      ['url', 'my-bucket', 'a.txt', '-p', 's3', '-r', 'eu-west-1', '-X', 'PUT', '-H', 'Content-Type: text/plain'],
      S3_ENV,
    ],
  ])('url: %s — the key nowhere, the token only in the URL', async (_name, args, env) => {
    const r = await cli(args as string[], env as Record<string, string>);
    expect(r.code).toBe(0);
    const url = r.stdout.trim();
    expect(url).toContain(encodeURIComponent(TOKEN));
    expect(scanCli(r, [url])).toEqual([]);
  });

  test('url --json: the URL field carries the token; headers, warnings and expiry do not', async () => {
    const r = await cli(
      [
        'url',
        'examplebucket',
        'a.txt',
        '-p',
        'tos',
        '-r',
        'cn-beijing',
        '-H',
        'Content-Type: text/plain',
        '-H',
        'x-tos-meta-a: 1',
        '--json',
      ],
      TOS_ENV,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { url: string; warnings: string[] };
    expect(out.warnings.length).toBeGreaterThan(0);
    expect(scanCli(r, [out.url])).toEqual([]);
  });

  test('url --curl (PUT, upload file): the command carries the URL, nothing else', async () => {
    const r = await cli(
      [
        'url',
        'my-bucket',
        'dir/a b.bin',
        '-p',
        's3',
        '-r',
        'eu-west-1',
        '-X',
        'PUT',
        '-H',
        'Content-Type: application/octet-stream',
        '--curl',
        '--upload-file',
        'a b.bin',
      ],
      S3_ENV,
    );
    expect(r.code).toBe(0);
    const url = /'(https:\/\/[^']+)'/.exec(r.stdout)![1];
    expect(scanCli(r, [url])).toEqual([]);
  });

  test('auth: the Authorization value carries a signature, never the token or key; the note names no secret', async () => {
    const r = await cli(['auth', ...COS_OBJ, '-X', 'PUT', '-H', 'Content-MD5: 1B2M2Y8AsgTpgAmY7PhCfg=='], COS_ENV);
    expect(r.code).toBe(0);
    const auth = r.stdout.trim();
    expect(auth).toMatch(/q-signature=[0-9a-f]{40}$/);
    expect(r.stderr).toMatch(/x-cos-security-token header/);
    expect([...scan('stdout', auth), ...scan('stderr', r.stderr, { sigs: sigsOf(`&${auth}`) })]).toEqual([]);
  });

  describe('inspect', () => {
    const made: Array<[string, string]> = [];
    beforeAll(() => {
      made.push(
        [
          'cos',
          presign({
            provider: 'cos',
            secretId: COS_ID,
            secretKey: SECRET_KEY,
            securityToken: TOKEN,
            bucket: COS_BUCKET,
            region: 'ap-guangzhou',
            key: 'a.txt',
            expires: 3600,
          }).url,
        ],
        [
          's3',
          presign({
            provider: 's3',
            secretId: S3_ID,
            secretKey: SECRET_KEY,
            securityToken: TOKEN,
            bucket: 'my-bucket',
            region: 'eu-west-1',
            key: 'a.txt',
            method: 'PUT',
            headers: { 'Content-Type': 'text/plain' },
          }).url,
        ],
        [
          'tos',
          presign({
            provider: 'tos',
            secretId: TOS_ID,
            secretKey: SECRET_KEY,
            securityToken: TOKEN,
            bucket: 'examplebucket',
            region: 'cn-beijing',
            key: 'a.txt',
          }).url,
        ],
      );
    });
    const ENVS: Record<string, Record<string, string>> = { cos: COS_ENV, s3: S3_ENV, tos: TOS_ENV };

    test('a good URL with --secret-key (and --json): OK, and the report shows neither token nor signature', async () => {
      for (const [p, url] of made) {
        const sigs = sigsOf(url);
        const extra = p === 's3' ? ['-X', 'PUT', '-H', 'Content-Type: text/plain'] : [];
        for (const json of [[], ['--json']]) {
          const r = await cli(['inspect', url, '--secret-key', SECRET_KEY, ...extra, ...json]);
          expect({ p, code: r.code }).toEqual({ p, code: 0 });
          expect(r.stdout).toMatch(json.length ? /"ok": true/ : /\nOK: the signature matches/);
          expect(scanCli(r, [], sigs)).toEqual([]);
        }
      }
    });

    test('tampered URLs (edited token, signature, key, added param) with the key from a flag or the environment: FAILED, nothing leaks', async () => {
      for (const [p, url] of made) {
        const sigs = sigsOf(url);
        const tok = encodeURIComponent(TOKEN);
        // [URL, exit code]: a COS URL does not sign parameters added later (inspect says so, exit 0).
        const tampered: Array<[string, number]> = [
          [url.replace(tok, tok.replace('Session', 'Sxssion')), 1],
          [
            url.replace(
              sigs[0],
              sigs[0].replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
            ),
            1,
          ],
          [url.replace('/a.txt?', '/b.txt?'), 1],
          [`${url}&x-id=GetObject`, p === 'cos' ? 0 : 1],
        ];
        // The S3 URL signs Content-Type: without its value a check cannot fail (HEADERS NEEDED, exit 0).
        const extra = p === 's3' ? ['-X', 'PUT', '-H', 'Content-Type: text/plain'] : [];
        for (const [t, code] of tampered) {
          for (const [args, env] of [
            [['--secret-key', SECRET_KEY], {}],
            [[], ENVS[p]],
          ] as const) {
            for (const json of [[], ['--json']]) {
              const r = await cli(['inspect', t, ...args, ...extra, ...json], env);
              expect({ p, t: t.slice(0, 60), code: r.code }).toEqual({ p, t: t.slice(0, 60), code });
              expect(scanCli(r, [], sigs)).toEqual([]);
            }
          }
        }
      }
      // 48 runs of the CLI one after the other: minutes on a loaded machine.
    }, 300_000);

    test('without a secret key: the report names no token or signature', async () => {
      for (const [, url] of made) {
        const r = await cli(['inspect', url]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/security token\s+present, signed \(not shown\)/);
        expect(scanCli(r, [], sigsOf(url))).toEqual([]);
      }
    });
  });

  test.each([
    [
      'bad duration after flag secrets',
      ['url', ...COS_OBJ, ...FLAGS, '-e', '1x'],
      {},
      /^cos-presign url: --expires: "1x" is not a duration/,
    ],
    [
      'unknown option after flag secrets',
      ['url', ...COS_OBJ, ...FLAGS, '--bogus'],
      {},
      /^cos-presign url: unknown option --bogus/,
    ],
    [
      'a misspelled secret option (value never echoed)',
      ['url', ...COS_OBJ, '--secret-id', COS_ID, `--secret_key=${SECRET_KEY}`],
      {},
      /^cos-presign url: unknown option --secret_key/,
    ],
    [
      'the token as a header (flag secrets)',
      ['url', ...COS_OBJ, ...FLAGS, '-H', TOKEN],
      {},
      /^cos-presign url: --header: /,
    ],
    [
      'the secret key as the method (flag secrets)',
      ['url', ...COS_OBJ, ...FLAGS, '-X', SECRET_KEY],
      {},
      /^cos-presign url: --method: unsupported method/,
    ],
    [
      '--json with --curl (env secrets)',
      ['url', ...COS_OBJ, '--json', '--curl'],
      COS_ENV,
      /^cos-presign url: --curl: cannot be combined/,
    ],
    [
      'bad header name (env secrets)',
      ['url', ...COS_OBJ, '-H', 'Bad Name: x'],
      COS_ENV,
      /^cos-presign url: --header: "Bad Name" is not a valid HTTP header name/,
    ],
    [
      'the token as the bucket (env secrets)',
      ['url', TOKEN, 'a.txt', '-r', 'ap-guangzhou'],
      COS_ENV,
      /^cos-presign url: <bucket>: /,
    ],
    [
      'the token as a Host header (env secrets)',
      ['url', ...COS_OBJ, '-H', `Host: ${TOKEN}`],
      COS_ENV,
      /^cos-presign url: --header: /,
    ],
    [
      'a root key (env secrets)',
      ['url', COS_BUCKET, 'a/..', '-r', 'ap-guangzhou'],
      COS_ENV,
      /^cos-presign url: <key>: "a\/\.\." simplifies to "\/"/,
    ],
    [
      'env secret key with a trailing newline',
      ['url', ...COS_OBJ],
      { ...COS_ENV, TENCENTCLOUD_SECRET_KEY: `${SECRET_KEY}\n` },
      /^cos-presign url: TENCENTCLOUD_SECRET_KEY \(from the environment\): has leading or trailing whitespace/,
    ],
    [
      'env token with a trailing newline (s3)',
      ['url', 'my-bucket', 'a.txt', '-p', 's3', '-r', 'eu-west-1'],
      { ...S3_ENV, AWS_SESSION_TOKEN: `${TOKEN}\n` },
      /^cos-presign url: AWS_SESSION_TOKEN \(from the environment\): has leading or trailing whitespace/,
    ],
    [
      'flag secret key with a trailing newline',
      ['url', ...COS_OBJ, '--secret-id', COS_ID, '--secret-key', `${SECRET_KEY}\n`],
      {},
      /^cos-presign url: --secret-key: has leading or trailing whitespace/,
    ],
    [
      'the secret key as secret-id (s3, flags)',
      [
        'url',
        'my-bucket',
        'a.txt',
        '-p',
        's3',
        '-r',
        'eu-west-1',
        '--secret-id',
        SECRET_KEY,
        '--secret-key',
        SECRET_KEY,
      ],
      {},
      /^cos-presign url: --secret-id: contains "\/"/,
    ],
    [
      'auth with a bad option (env secrets)',
      ['auth', ...COS_OBJ, '-e', 'forever'],
      COS_ENV,
      /^cos-presign auth: --expires: "forever" is not a duration/,
    ],
    [
      'inspect: the secret key passed as the URL',
      ['inspect', SECRET_KEY, '--secret-key', SECRET_KEY],
      {},
      /^cos-presign inspect: <url>: /,
    ],
    [
      'inspect: a bad --now with the key on the command line',
      ['inspect', 'https://x.example/a?X-Amz-Signature=00', '--secret-key', SECRET_KEY, '--now', 'soon'],
      {},
      /^cos-presign inspect: --now: "soon" is not a time/,
    ],
  ])('refused: %s — one line naming the option, no secret', async (_name, args, env, message) => {
    const r = await cli(args as string[], env as Record<string, string>);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !/^cos-presign: warning: --secret-key (and --security-token )?on the command line/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message as RegExp);
    expect(scanCli(r)).toEqual([]);
  });
});

// ---- Pulumi: the real dynamic-provider host, driven over gRPC as the engine does -----------------

describe('Pulumi dynamic provider host', () => {
  let installed: InstalledProgram;
  const hosts: ProviderHost[] = [];
  let host: ProviderHost;
  let regs: Record<string, Registration>;
  const stacks: Record<string, Stack> = {};
  /** Signatures of every URL the hosts made. */
  const sigs: string[] = [];
  /** Error texts the engine would show. */
  const errors: string[] = [];
  const ENV = {
    TENCENTCLOUD_SECRET_ID: COS_ID,
    TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
    TENCENTCLOUD_SESSION_TOKEN: TOKEN,
    TOS_ACCESS_KEY: TOS_ID,
    TOS_SECRET_KEY: SECRET_KEY,
    TOS_SECURITY_TOKEN: TOKEN,
  };
  const COS = { provider: 'cos', bucket: COS_BUCKET, region: 'ap-guangzhou' };

  beforeAll(async () => {
    installed = installBuiltPackage();
    const list = registerResources(
      installed.program,
      [
        { name: 'cos-env', args: { ...COS, key: 'scan/env.txt', expiresIn: 3600 } },
        // TOS does not sign Content-Type in a query signature: the warning reaches the host log and outputs.
        {
          name: 'tos-env',
          args: {
            provider: 'tos',
            bucket: 'examplebucket',
            region: 'cn-beijing',
            key: 'scan/tos.txt',
            headers: { 'Content-Type': 'text/plain' },
            expiresIn: 600,
          },
        },
        {
          name: 's3-explicit',
          args: {
            provider: 's3',
            bucket: 'my-bucket',
            region: 'eu-west-1',
            key: 'scan/explicit.bin',
            method: 'PUT',
            headers: { 'Content-Type': 'application/octet-stream' },
            expiresIn: 86400,
            renewBefore: 600,
            secretId: S3_ID,
            secretKey: SECRET_KEY,
            securityToken: TOKEN,
            credentialExpiresAt: new Date(Date.now() + 7200_000).toISOString(),
          },
        },
      ],
      ENV,
    );
    regs = Object.fromEntries(list.map((r) => [r.name, r]));
    for (const r of list) stacks[r.name] = new Stack(r);
    host = await ProviderHost.start({ cwd: installed.program, env: ENV });
    hosts.push(host);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    installed?.cleanup();
  });

  function catchText(e: unknown): string {
    const text = errorText(e);
    errors.push(text);
    return text;
  }

  // Made once, by whichever test needs them first, so that each test can also run alone (-t).
  let made: Promise<void> | undefined;
  let failedCreates: Promise<void> | undefined;

  /** up: outputs other than the secret url hold no key, token or signature; the url holds no key. */
  const makeAll = () =>
    (made ??= (async () => {
      for (const name of ['cos-env', 'tos-env', 's3-explicit']) {
        const st = stacks[name];
        expect((await st.up(host)).step).toBe('create');
        const { url, ...rest } = st.state!.outputs as Props;
        expect(st.state!.secretOutputs.has('url')).toBe(true);
        expect(url).toContain(encodeURIComponent(TOKEN));
        const s = sigsOf(url);
        sigs.push(...s);
        expect([
          ...scan(`${name} url`, url, { token: false }),
          ...scan(`${name} outputs`, JSON.stringify(rest), { sigs: s }),
        ]).toEqual([]);
        // A second up (check + diff) is a no-op and prints nothing secret either.
        expect((await st.up(host)).step).toBe('same');
      }
    })());

  /** Create failing on bad credentials in the environment: the error names the field, not the value. */
  const failCreates = () =>
    (failedCreates ??= (async () => {
      for (const env of [
        { ...ENV, TENCENTCLOUD_SECRET_KEY: `${SECRET_KEY}\n` },
        { ...ENV, TENCENTCLOUD_SESSION_TOKEN: `${TOKEN}\r\n` },
        { ...ENV, TENCENTCLOUD_SECRET_ID: `${SECRET_KEY} ` },
      ]) {
        const bad = await ProviderHost.start({ cwd: installed.program, env });
        hosts.push(bad);
        const st = new Stack({ ...regs['cos-env'], name: 'bad-env' });
        const err = await st.up(bad).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeDefined();
        const text = catchText(err);
        expect(text).toMatch(/(secretKey|securityToken|secretId): (has leading or trailing whitespace|contains)/);
        expect(scan('create error', text)).toEqual([]);
      }
    })());

  test('__provider (stored in state, shown by pulumi stack export) holds no credential', () => {
    for (const r of Object.values(regs)) {
      expect(typeof r.raw.__provider).toBe('string');
      expect(scan(`${r.name} __provider`, r.raw.__provider as string)).toEqual([]);
    }
    expect([...regs['s3-explicit'].secretInputs].sort()).toEqual(['secretId', 'secretKey', 'securityToken']);
  });

  test('up: outputs other than the secret url hold no key, token or signature; the url holds no key', async () => {
    await makeAll();
    expect((stacks['tos-env'].state!.outputs.warnings as string[]).join('\n')).toMatch(/do not cover Content-Type/);
    expect((stacks['s3-explicit'].state!.outputs.warnings as string[]).join('\n')).toMatch(
      /cut to the temporary credential's expiry/,
    );
  });

  test('failing checks (credentials in the environment, and explicit secret inputs): reasons name fields, not secrets', async () => {
    const cosInputs = regs['cos-env'].inputs;
    const s3Inputs = regs['s3-explicit'].inputs;
    const cases: Array<[Props, string]> = [
      [{ ...cosInputs, headers: { Host: 'evil.example.com' } }, 'headers'],
      [{ ...cosInputs, key: '/' }, 'key'],
      [{ ...cosInputs, expiresIn: 'soon' }, 'expiresIn'],
      [{ ...cosInputs, secretkey: SECRET_KEY }, 'secretkey'],
      [{ ...cosInputs, securityToken: TOKEN }, 'securityToken'],
      [{ ...s3Inputs, secretKey: `${SECRET_KEY}\n` }, 'secretKey'],
      [{ ...s3Inputs, securityToken: TOKEN.replace('+', '\n+') }, 'securityToken'],
      [{ ...s3Inputs, secretId: SECRET_KEY }, 'secretId'],
      [{ ...s3Inputs, bucket: TOKEN }, 'bucket'],
      [{ ...s3Inputs, headers: { Host: SECRET_KEY } }, 'headers'],
      [{ ...s3Inputs, headers: { [TOKEN]: 'x' } }, 'headers'],
      [Object.fromEntries(Object.entries(s3Inputs).filter(([k]) => k !== 'secretKey')), 'secretKey'],
    ];
    const findings: string[] = [];
    for (const [inputs, property] of cases) {
      const st = new Stack({ ...regs['cos-env'], name: `bad-${property}` });
      const r = await st.up(host, { inputs });
      expect({ property, step: r.step }).toEqual({ property, step: 'failed' });
      expect(r.failures!.map((f) => f.property)).toContain(property);
      findings.push(...scan(`check ${property}`, JSON.stringify(r.failures)));
    }
    expect(findings).toEqual([]);
  });

  test('create failing on bad credentials in the environment: the error names the field, not the value', async () => {
    await failCreates();
  }, 240_000);

  test('refresh and destroy: state unchanged, then gone; nothing printed', async () => {
    await makeAll();
    for (const name of ['cos-env', 'tos-env', 's3-explicit']) {
      const st = stacks[name];
      const before = JSON.stringify(st.state);
      await st.refresh(host);
      expect(JSON.stringify(st.state)).toBe(before);
      await st.destroy(host);
      expect(st.state).toBeUndefined();
    }
  });

  test("nothing secret in any host's output (what pulumi up shows) or any error", async () => {
    await makeAll();
    await failCreates();
    expect(sigs.length).toBe(3);
    expect(errors.length).toBe(3);
    // The warning of the TOS resource was printed by the host (it may arrive after the reply):
    // the scan reads real output.
    await hosts[0].waitForLog(
      'cos-presign: examplebucket/scan/tos.txt: TOS query signatures do not cover Content-Type',
    );
    const findings = hosts.flatMap((h, i) => scan(`host ${i} log`, h.logs, { sigs }));
    findings.push(...errors.flatMap((e) => scan('error', e, { sigs })));
    expect(findings).toEqual([]);
  }, 240_000);
});
