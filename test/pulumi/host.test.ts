/**
 * PresignedUrl through Pulumi's real dynamic-provider host, from the packed and installed
 * package, with the provider serialized by the SDK as `pulumi up` does (see harness.ts).
 * The tests share the installed package, the registrations and one host with credentials; each
 * makes its own resources, so any one of them can run alone (`-t`). After each test, everything
 * the hosts printed so far is scanned for secrets and for the signatures of every URL made.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { presign } from '../../src';
import type { PresignedRequest } from '../../src';
import { send, startS3rver, S3RVER_BUCKET, RunningS3rver } from '../helpers/s3rver';
import { parseRawUrl } from '../helpers/url';
import {
  installBuiltPackage,
  InstalledProgram,
  Props,
  ProviderHost,
  registerResources,
  Registration,
  REPO,
  Stack,
  TYPE,
  UNKNOWN,
} from './harness';

const SECRETS = {
  envKey: 'canaryEnvSecretKey0001xyz',
  envToken: 'canaryEnvSessionToken0001xyz',
  explicitKey: 'canaryExplicitSecretKey0002xyz',
  explicitToken: 'canaryExplicitToken0002xyz',
  rotatedKey: 'canaryRotatedSecretKey0003xyz',
  unrelated: 'canaryUnrelatedEnvValue0004xyz',
};
const ENV_ID = 'AKIDcanaryEnvSecretId0001';
const EXPLICIT_ID = 'AKIDcanaryExplicitId0002';
/** The environment of `pulumi up`: credentials for both providers, and an unrelated secret. */
const CRED_ENV = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  TENCENTCLOUD_SECRET_ID: ENV_ID,
  TENCENTCLOUD_SECRET_KEY: SECRETS.envKey,
  TENCENTCLOUD_SESSION_TOKEN: SECRETS.envToken,
  UNRELATED_SECRET: SECRETS.unrelated,
};
const COS = { provider: 'cos', bucket: 'examplebucket-1250000000', region: 'ap-guangzhou' };

let installed: InstalledProgram;
let s3: RunningS3rver;
let clockFile: string;
let T0: number;
const hosts: ProviderHost[] = [];
let withCreds: ProviderHost;
let regs: Record<string, Registration>;
const signatures: string[] = [];

const setClock = (ms: number) => fs.writeFileSync(clockFile, String(ms));
const iso = (ms: number) => new Date(ms).toISOString();

/** A new resource from a registration, made by `pulumi up` at `clock` (default T0). */
async function created(name: string, clock = T0): Promise<Stack> {
  setClock(clock);
  const st = new Stack(regs[name]);
  expect(await st.up(withCreds)).toEqual({ step: 'create' });
  remember(st.state!.outputs.url);
  return st;
}

function remember(url: string): string {
  const q = parseRawUrl(url).query;
  for (const k of ['X-Amz-Signature', 'q-signature']) if (q[k]) signatures.push(q[k]);
  return url;
}

beforeAll(async () => {
  installed = installBuiltPackage();
  s3 = await startS3rver();
  // The host's clock: frozen near real time (s3rver checks the signing time against its own).
  clockFile = path.join(installed.root, 'clock');
  T0 = Math.floor(Date.now() / 1000) * 1000;
  setClock(T0);
  const s3Base = { provider: 's3', bucket: S3RVER_BUCKET, endpoint: s3.endpoint };
  const list = registerResources(
    installed.program,
    [
      { name: 's3-get', args: { ...s3Base, key: 'pulumi/hello.txt', expiresIn: 900, renewBefore: 300 } },
      {
        name: 's3-put',
        args: {
          ...s3Base,
          key: 'pulumi/hello.txt',
          method: 'put',
          headers: { 'Content-Type': 'text/plain' },
          expiresIn: 900,
        },
      },
      { name: 'cos-env', args: { ...COS, key: 'bootstrap/install.sh', expiresIn: 3600, triggers: { release: 'v1' } } },
      {
        name: 'cos-explicit',
        args: {
          ...COS,
          key: 'uploads/data.bin',
          method: 'PUT',
          expiresIn: 86400,
          renewBefore: 600,
          secretId: EXPLICIT_ID,
          secretKey: SECRETS.explicitKey,
          securityToken: SECRETS.explicitToken,
          credentialExpiresAt: iso(T0 + 7200_000),
        },
      },
    ],
    CRED_ENV,
  );
  regs = Object.fromEntries(list.map((r) => [r.name, r]));
  withCreds = await ProviderHost.start({ cwd: installed.program, env: CRED_ENV, clockFile });
  hosts.push(withCreds);
}, 120000);

beforeEach(() => setClock(T0));

// What `pulumi up` shows: nothing secret, no signature, whichever tests ran.
afterEach(() => {
  for (const h of hosts) {
    for (const s of [...Object.values(SECRETS), 'S3RVER', ...signatures]) expect(h.logs).not.toContain(s);
  }
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  await s3?.stop();
  installed?.cleanup();
});

test('the program registers the type, a secret url and secret credentials; __provider holds no secret', () => {
  const texts = new Set<string>();
  for (const r of Object.values(regs)) {
    expect(r.type).toBe(TYPE);
    expect(r.additionalSecretOutputs).toEqual(['url']);
    // A plain string: the serializer found no secret in the closure.
    expect(typeof r.raw.__provider).toBe('string');
    texts.add(r.raw.__provider);
  }
  expect([...regs['cos-explicit'].secretInputs].sort()).toEqual(['secretId', 'secretKey', 'securityToken']);
  expect(regs['cos-env'].secretInputs.size).toBe(0);
  expect(texts.size).toBe(1);
  const text = [...texts][0];
  for (const s of [...Object.values(SECRETS), ENV_ID, EXPLICIT_ID, 'S3RVER']) expect(text).not.toContain(s);
  // The core (and the STS clients) are loaded lazily, by public subpaths, inside methods: nothing at module level
  // (old state must stay loadable by read/delete after upgrades), no relative or deep paths.
  const requires = text.match(/require\([^)]*\)/g) ?? [];
  expect(new Set(requires)).toEqual(
    new Set([
      "require('cos-presign/core')",
      "require('cos-presign/credentials')",
      "require('node:crypto')",
      "require('node:fs')",
    ]),
  );
  expect(text).not.toMatch(/^var [^\n]*require\(/m);
});

test("up creates; the URL is the core's for the host clock; url is secret; no credential in outputs", async () => {
  const st = await created('s3-get');
  const o = st.state!.outputs;
  const expected = presign(
    {
      provider: 's3',
      secretId: 'S3RVER',
      secretKey: 'S3RVER',
      bucket: S3RVER_BUCKET,
      endpoint: s3.endpoint,
      key: 'pulumi/hello.txt',
      expires: 900,
    },
    { now: () => T0 },
  );
  expect(o.url).toBe(expected.url);
  expect(o).toMatchObject({
    method: 'GET',
    headers: {},
    signedAt: iso(T0),
    expiresAt: iso(T0 + 900_000),
    renewAt: iso(T0 + 600_000),
    expiresIn: 900,
    renewBefore: 300,
  });
  expect([...st.state!.secretOutputs]).toEqual(['url']);
  expect(st.state!.id).toMatch(/^[0-9a-f-]{36}$/);
});

test('the URLs from the host PUT and GET an object on a signature-checking S3 server', async () => {
  // Signed at the real time: s3rver checks the signing time against its own clock.
  const now = Math.floor(Date.now() / 1000) * 1000;
  const put = (await created('s3-put', now)).state!.outputs;
  const get = (await created('s3-get', now)).state!.outputs;
  expect(put).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'text/plain' }, renewBefore: 90 });
  expect((await send(put.url, { method: 'PUT', headers: put.headers, body: 'hello from pulumi' })).status).toBe(200);
  const got = await send(get.url);
  expect(got.status).toBe(200);
  expect(got.body.toString()).toBe('hello from pulumi');
  // The server does check: the same URL for another key is refused.
  expect((await send(get.url.replace('hello.txt', 'other.txt'))).status).toBe(403);
});

test('a second up (and preview) is a no-op: same outputs, no Update', async () => {
  const st = await created('s3-get');
  const before = JSON.stringify(st.state);
  setClock(T0 + 60_000);
  expect(await st.up(withCreds, { preview: true })).toEqual({ step: 'same' });
  expect(await st.up(withCreds)).toEqual({ step: 'same' });
  expect(JSON.stringify(st.state)).toBe(before);
  expect(st.calls).toEqual(['check', 'create', 'check', 'diff', 'check', 'diff']);
});

test('renewAt is the boundary: 1 ms before it up is a no-op, at it (and after) up re-signs in place (same id), then is a no-op again', async () => {
  const st = await created('s3-get');
  const { id } = st.state!;
  const renewAt = T0 + 600_000;
  expect(st.state!.outputs.renewAt).toBe(iso(renewAt));
  setClock(renewAt - 1);
  expect(await st.up(withCreds, { preview: true })).toEqual({ step: 'same' });
  expect((await st.up(withCreds)).step).toBe('same');
  setClock(renewAt);
  const calls = st.calls.length;
  expect(await st.up(withCreds, { preview: true })).toEqual({ step: 'update' });
  expect(st.calls.slice(calls)).toEqual(['check', 'diff']);
  const oldUrl = st.state!.outputs.url;
  expect(await st.up(withCreds)).toEqual({ step: 'update' });
  const o = st.state!.outputs;
  expect(st.state!.id).toBe(id);
  expect(o.url).not.toBe(oldUrl);
  expect(remember(o.url)).toBe(
    presign(
      {
        provider: 's3',
        secretId: 'S3RVER',
        secretKey: 'S3RVER',
        bucket: S3RVER_BUCKET,
        endpoint: s3.endpoint,
        key: 'pulumi/hello.txt',
        expires: 900,
      },
      { now: () => renewAt },
    ).url,
  );
  expect(o).toMatchObject({
    signedAt: iso(renewAt),
    expiresAt: iso(renewAt + 900_000),
    renewAt: iso(renewAt + 600_000),
    warnings: [],
  });
  expect([...st.state!.secretOutputs]).toEqual(['url']);
  setClock(renewAt + 1000);
  expect((await st.up(withCreds)).step).toBe('same');
});

test("the renewal warning's boundary: a URL whose renewAt is exactly its signing time is renewed by every up, and says so", async () => {
  // Credentials expiring exactly renewBefore (300 s) after signing: the URL's lifetime is cut to
  // 300 s, so renewAt == signedAt == now.
  const inputs = { ...regs['s3-get'].inputs, credentialExpiresAt: iso(T0 + 300_000) };
  const at = new Stack({ ...regs['s3-get'], name: 'renew-at-now' });
  expect((await at.up(withCreds, { inputs })).step).toBe('create');
  const o = at.state!.outputs;
  remember(o.url);
  expect(o).toMatchObject({ signedAt: iso(T0), expiresAt: iso(T0 + 300_000), renewAt: iso(T0) });
  expect(o.warnings).toEqual([
    expect.stringMatching(/cut to the temporary credential's expiry/),
    expect.stringMatching(/^the URL lives less than renewBefore \(300 s\), so every pulumi up will sign a new one/),
  ]);
  expect(await at.up(withCreds, { inputs, preview: true })).toEqual({ step: 'update' });
  // One second more and renewAt is after the signing time: no warning, and the next up is a no-op.
  const later = { ...regs['s3-get'].inputs, credentialExpiresAt: iso(T0 + 301_000) };
  const after = new Stack({ ...regs['s3-get'], name: 'renew-after-now' });
  expect((await after.up(withCreds, { inputs: later })).step).toBe('create');
  remember(after.state!.outputs.url);
  expect(after.state!.outputs).toMatchObject({ renewAt: iso(T0 + 1000) });
  expect(after.state!.outputs.warnings).toEqual([expect.stringMatching(/cut to the temporary credential's expiry/)]);
  expect((await after.up(withCreds, { inputs: later })).step).toBe('same');
});

test('a trigger change re-signs in place; env credentials are read by the host at create time', async () => {
  const st = await created('cos-env');
  const first = st.state!.outputs;
  const q = parseRawUrl(first.url).query;
  expect(q['q-ak']).toBe(ENV_ID);
  expect(q['x-cos-security-token']).toBe(SECRETS.envToken);
  expect(first.url).toBe(
    presign(
      {
        ...COS,
        provider: 'cos',
        secretId: ENV_ID,
        secretKey: SECRETS.envKey,
        securityToken: SECRETS.envToken,
        key: 'bootstrap/install.sh',
        expires: 3600,
      },
      { now: () => T0 },
    ).url,
  );
  const { id } = st.state!;
  setClock(T0 + 5000);
  expect((await st.up(withCreds)).step).toBe('same');
  const inputs = { ...regs['cos-env'].inputs, triggers: { release: 'v2' } };
  expect((await st.up(withCreds, { inputs })).step).toBe('update');
  expect(st.state!.id).toBe(id);
  expect(st.state!.outputs).toMatchObject({ signedAt: iso(T0 + 5000), triggers: { release: 'v2' } });
  remember(st.state!.outputs.url);
  expect((await st.up(withCreds, { inputs })).step).toBe('same');
});

test('explicit credentials: used, kept out of outputs, cut the lifetime, and rotating them does not re-sign', async () => {
  const st = await created('cos-explicit');
  const o = st.state!.outputs;
  expect(parseRawUrl(o.url).query['q-ak']).toBe(EXPLICIT_ID);
  // 86400 s asked, but the credentials die after 7200 s; renewal is planned from that.
  expect(o).toMatchObject({ expiresAt: iso(T0 + 7200_000), renewAt: iso(T0 + 6600_000) });
  expect(o.warnings.join('\n')).toMatch(/cut to the temporary credential's expiry/);
  const { url, ...rest } = o;
  expect(url).not.toContain(SECRETS.explicitKey);
  const visible = JSON.stringify(rest);
  for (const s of [EXPLICIT_ID, SECRETS.explicitKey, SECRETS.explicitToken]) expect(visible).not.toContain(s);
  for (const f of ['secretId', 'secretKey', 'securityToken', 'credentialExpiresAt']) expect(o).not.toHaveProperty(f);
  setClock(T0 + 60_000);
  const rotated = {
    ...regs['cos-explicit'].inputs,
    secretKey: SECRETS.rotatedKey,
    securityToken: 'rotated-token',
    credentialExpiresAt: iso(T0 + 10_000_000),
  };
  expect((await st.up(withCreds, { inputs: rotated })).step).toBe('same');
  expect(st.state!.outputs.url).toBe(o.url);
});

test('preview with unknown inputs passes check and plans, without signing', async () => {
  const fresh = new Stack({ ...regs['s3-get'], name: 'preview-only' });
  const unknownInputs = {
    ...regs['s3-get'].inputs,
    key: UNKNOWN,
    expiresIn: UNKNOWN,
    headers: { 'x-amz-meta-build': UNKNOWN },
  };
  expect(await fresh.up(withCreds, { inputs: unknownInputs, preview: true })).toEqual({ step: 'create' });
  expect(fresh.calls).toEqual(['check']);
  const existing = await created('s3-put');
  const before = JSON.stringify(existing.state);
  expect(await existing.up(withCreds, { inputs: { ...regs['s3-put'].inputs, key: UNKNOWN }, preview: true })).toEqual({
    step: 'update',
  });
  expect(JSON.stringify(existing.state)).toBe(before);
  expect(existing.calls).toEqual(['check', 'create', 'check', 'diff']);
});

test('check refuses bad input through the host, naming the field', async () => {
  const base = regs['s3-get'].inputs;
  const st = new Stack({ ...regs['s3-get'], name: 'bad' });
  const cases: Array<[Props, string, RegExp]> = [
    [{ renewBefore: 900 }, 'renewBefore', /renewBefore.*less than expiresIn/],
    [{ expiresIn: 604801 }, 'expiresIn', /expiresIn.*604800/],
    [
      {
        provider: 'tos',
        region: 'cn-beijing',
        endpoint: 'tos-cn-beijing.volces.com',
        expiresIn: 2592001,
        renewBefore: 10,
      },
      'expiresIn',
      /expiresIn.*2592000/,
    ],
    [{ key: '/' }, 'key', /^key: .*simplifies to/],
    [{ headers: { Host: 'evil.example.com' } }, 'headers', /^headers: .*Host/],
    [{ expires: 60 }, 'expires', /not an input of PresignedUrl/],
  ];
  for (const [change, property, reason] of cases) {
    const r = await st.up(withCreds, { inputs: { ...base, ...change } });
    expect(r.step).toBe('failed');
    expect(r.failures).toHaveLength(1);
    expect(r.failures![0].property).toBe(property);
    expect(r.failures![0].reason).toMatch(reason);
  }
  expect(st.calls.every((c) => c === 'check')).toBe(true);
});

test('credentials from the environment: check refuses a secret pasted into an input, naming the field, quoting no secret in any letter case', async () => {
  const from = withCreds.logs.length;
  const base = regs['cos-env'].inputs;
  const pasted = [SECRETS.envKey, SECRETS.envToken]
    .flatMap((secret) => [secret, secret.toUpperCase(), secret.toLowerCase()])
    .flatMap((s): Array<[Props, string]> => [
      [{ method: s }, 'method'],
      [{ bucket: s }, 'bucket'],
      [{ region: `${s}/` }, 'region'],
      [{ expiresIn: s }, 'expiresIn'],
      [{ key: `${s}/../..` }, 'key'],
      [{ headers: { Host: s } }, 'headers'],
      [{ headers: { [`${s}:`]: 'x' } }, 'headers'],
      [{ [s]: 'x' }, '<TENCENTCLOUD_'],
    ]);
  const shown: string[] = [];
  for (const [change, property] of pasted) {
    const st = new Stack({ ...regs['cos-env'], name: 'pasted' });
    const r = await st.up(withCreds, { inputs: { ...base, ...change } });
    expect(r.step).toBe('failed');
    expect(r.failures!.map((f) => f.property).join()).toContain(property);
    shown.push(JSON.stringify(r.failures));
  }
  // A warning line names bucket and key: a key holding a case-changed token is printed redacted.
  setClock(T0);
  const warned = new Stack({ ...regs['cos-env'], name: 'warned' });
  const key = `notes/${SECRETS.envToken.toUpperCase()}.txt`;
  expect((await warned.up(withCreds, { inputs: { ...base, key, credentialExpiresAt: iso(T0 + 60_000) } })).step).toBe(
    'create',
  );
  remember(warned.state!.outputs.url);
  const logs = await withCreds.waitForLog(
    'cos-presign: examplebucket-1250000000/notes/<TENCENTCLOUD_SESSION_TOKEN>.txt: ',
    from,
  );
  const text = (shown.join('\n') + logs + JSON.stringify(warned.state!.outputs.warnings)).toLowerCase();
  for (const s of [SECRETS.envKey, SECRETS.envToken]) expect(text).not.toContain(s.toLowerCase());
});

test("credentialExpiresAt in milliseconds (13-digit string, or number) reaches the core unchanged: the core's cut, warning or refusal", async () => {
  setClock(T0);
  for (const credentialExpiresAt of [String(T0 + 7200_000), T0 + 7200_000]) {
    const inputs = { ...regs['cos-env'].inputs, key: 'ms/expiry.txt', expiresIn: 86400, credentialExpiresAt };
    let expected: PresignedRequest | Error;
    try {
      expected = presign(
        {
          ...COS,
          provider: 'cos',
          key: 'ms/expiry.txt',
          expires: 86400,
          credentialExpiresAt,
          secretId: ENV_ID,
          secretKey: SECRETS.envKey,
          securityToken: SECRETS.envToken,
        },
        { now: () => T0 },
      );
    } catch (e) {
      expected = e as Error;
    }
    const st = new Stack({ ...regs['cos-env'], name: `ms-${typeof credentialExpiresAt}` });
    const from = withCreds.logs.length;
    const r = await st.up(withCreds, { inputs });
    if (expected instanceof Error) {
      expect(r).toEqual({ step: 'failed', failures: [{ property: 'credentialExpiresAt', reason: expected.message }] });
      continue;
    }
    expect(r.step).toBe('create');
    const o = st.state!.outputs;
    expect(o.url).toBe(expected.url);
    expect(o).toMatchObject({
      expiresAt: expected.expiresAt.toISOString(),
      renewAt: iso(expected.expiresAt.getTime() - 8640_000),
    });
    // The core's warnings, then the resource's own: the cut lifetime (7200 s) is below renewBefore.
    expect(o.warnings).toEqual([
      ...expected.warnings,
      expect.stringMatching(/^the URL lives less than renewBefore \(8640 s\)/),
    ]);
    for (const w of expected.warnings) await withCreds.waitForLog(w, from);
    remember(o.url);
  }
});

test('examples/pulumi type-checks against the installed package with its tsconfig (moduleResolution node), requires its config, and its URLs sign on the host', async () => {
  const dir = installed.program;
  for (const f of ['index.ts', 'tsconfig.json'])
    fs.copyFileSync(path.join(REPO, 'examples/pulumi', f), path.join(dir, f));
  // A Pulumi TypeScript project has @types/node; skipLibCheck only spares re-checking the SDK's declarations.
  fs.symlinkSync(path.join(REPO, 'node_modules/@types'), path.join(dir, 'node_modules/@types'), 'dir');
  execFileSync(
    process.execPath,
    [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--skipLibCheck'],
    { cwd: dir, stdio: 'pipe' },
  );
  // No config: the program stops naming the key, and registers nothing (no placeholder bucket).
  const bare = (() => {
    try {
      registerResources(dir, { program: 'bin/index.js', count: 2 }, CRED_ENV);
      return undefined;
    } catch (e) {
      return e as Error & { stderr?: string };
    }
  })();
  expect(bare?.stderr).toMatch(/Missing required configuration variable 'presign-test:bucket'/);
  // Stack config as `pulumi config set` stores it (the engine passes it in PULUMI_CONFIG; under
  // the mocks the project is presign-test).
  const config = { 'presign-test:bucket': 'mybucket-1250000000', 'presign-test:region': 'ap-beijing' };
  const example = registerResources(
    dir,
    { program: 'bin/index.js', count: 2 },
    { ...CRED_ENV, PULUMI_CONFIG: JSON.stringify(config) },
  );
  expect(example.map((r) => [r.name, r.type, r.additionalSecretOutputs])).toEqual([
    ['bootstrap-script', TYPE, ['url']],
    ['pipeline-upload', TYPE, ['url']],
  ]);
  setClock(T0);
  for (const r of example) {
    const st = new Stack(r);
    expect((await st.up(withCreds)).step).toBe('create');
    expect(st.state!.outputs.url).toMatch(/^https:\/\/mybucket-1250000000\.cos\.ap-beijing\.myqcloud\.com\//);
    remember(st.state!.outputs.url);
    expect((await st.up(withCreds)).step).toBe('same');
  }
}, 240_000);

test('examples/pulumi: depends on this repository (not on a registry version), and its README names the config the program requires', () => {
  const dir = path.join(REPO, 'examples/pulumi');
  const spec: string = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies['cos-presign'];
  expect(spec).toMatch(/^file:/);
  expect(JSON.parse(fs.readFileSync(path.join(dir, spec.slice('file:'.length), 'package.json'), 'utf8')).name).toBe(
    'cos-presign',
  );
  const program = fs.readFileSync(path.join(dir, 'index.ts'), 'utf8');
  const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  const required = [...program.matchAll(/config\.require\('(\w+)'\)/g)].map((m) => m[1]);
  expect(required).toEqual(['bucket', 'region']);
  expect(program).not.toMatch(/config\.get\('(bucket|region)'\)/);
  for (const key of required) expect(readme).toContain(`pulumi config set ${key} `);
  for (const step of [
    'npm pack',
    'npm install ../../cos-presign-',
    'pulumi stack output --show-secrets',
    'TENCENTCLOUD_SECRET_KEY',
  ])
    expect(readme).toContain(step);
  // Relative links resolve inside the repository.
  for (const [, target] of readme.matchAll(/\]\(([^)#]+)\)/g)) {
    if (!/^[a-z]+:/.test(target)) expect(fs.existsSync(path.join(dir, target))).toBe(true);
  }
});

test('without credentials: create fails clearly; refresh and destroy work, even without the package installed', async () => {
  const made = {
    's3-get': await created('s3-get'),
    's3-put': await created('s3-put'),
    'cos-env': await created('cos-env'),
    'cos-explicit': await created('cos-explicit'),
  };
  const noCreds = await ProviderHost.start({ cwd: installed.program, env: {}, clockFile });
  hosts.push(noCreds);
  const fresh = new Stack({ ...regs['cos-env'], name: 'no-creds' });
  const err = await fresh.up(noCreds).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(err?.message).toMatch(
    /no credentials for provider "cos": set TENCENTCLOUD_SECRET_ID \+ TENCENTCLOUD_SECRET_KEY, or COS_SECRET_ID \+ COS_SECRET_KEY/,
  );

  const s3get = made['s3-get'];
  const before = JSON.stringify(s3get.state);
  await s3get.refresh(noCreds);
  expect(JSON.stringify(s3get.state)).toBe(before);
  await s3get.destroy(noCreds);
  expect(s3get.state).toBeUndefined();

  // A directory with no cos-presign at all: old state's `__provider` must still refresh and destroy.
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-empty-'));
  try {
    const bare = await ProviderHost.start({ cwd: empty, env: {} });
    hosts.push(bare);
    for (const st of [made['s3-put'], made['cos-env'], made['cos-explicit']]) {
      const state = JSON.stringify(st.state);
      await st.refresh(bare);
      expect(JSON.stringify(st.state)).toBe(state);
      await st.destroy(bare);
      expect(st.state).toBeUndefined();
    }
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
}, 240_000);

test('the scan of what the hosts print is not blind: a warning is printed and holds no secret', async () => {
  const from = withCreds.logs.length;
  const st = new Stack({ ...regs['cos-env'], name: 'scanned' });
  expect(
    (await st.up(withCreds, { inputs: { ...regs['cos-env'].inputs, credentialExpiresAt: iso(T0 + 60_000) } })).step,
  ).toBe('create');
  const url = remember(st.state!.outputs.url);
  expect(signatures.length).toBeGreaterThanOrEqual(1);
  const printed = await withCreds.waitForLog(
    "cos-presign: examplebucket-1250000000/bootstrap/install.sh: URL lifetime cut to the temporary credential's expiry",
    from,
  );
  // The printed text is where the URL's token and signature would show if anything leaked them.
  for (const s of [...Object.values(SECRETS), parseRawUrl(url).query['q-signature']]) expect(printed).not.toContain(s);
});
