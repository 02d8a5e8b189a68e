/**
 * Installing the CLI without a registry, as a user does from a clean directory: `npm pack` of this
 * repository, then `npm install -g ./cos-presign-<version>.tgz` into a temporary prefix. The
 * installed `cos-presign` runs from outside the repository (its own copy, with the runtime
 * dependencies only), prints its help, and signs URLs that a SigV4-verifying server accepts.
 * (Installing from a clone with `npm install -g .` is checked by test/cli/quickstart.test.ts.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, runProcess } from '../cli/run';
import { send, startS3rver, RunningS3rver, S3RVER_BUCKET } from '../helpers/s3rver';
import { ROOT, run } from './npm';

let tmp: string;
let prefix: string;
let work: string;
let installed: string;
let s3: RunningS3rver;

beforeAll(async () => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-install-'));
  prefix = path.join(tmp, 'prefix');
  work = path.join(tmp, 'work'); // the clean directory the user types in
  fs.mkdirSync(work);
  // lib/ is built above; --ignore-scripts packs it as it is instead of rebuilding.
  const pack = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: ROOT });
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  const tarball = path.join(tmp, (JSON.parse(pack.stdout) as Array<{ filename: string }>)[0].filename);
  const install = run(
    'npm',
    ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund'],
    { cwd: work, timeoutMs: 240_000 },
  );
  if (install.code !== 0) throw new Error(`npm install -g of the tarball failed:\n${install.stderr.slice(-3000)}`);
  installed = path.join(prefix, 'bin', 'cos-presign');
  s3 = await startS3rver();
}, 300_000);

afterAll(async () => {
  await s3?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The installed command, found on PATH as a user's shell finds it; no credentials unless given. */
function user(args: string[], env: Record<string, string> = {}) {
  const PATH = `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;
  return runProcess('cos-presign', args, { cwd: work, env: { PATH, HOME: tmp, LANG: 'C.UTF-8', ...env } });
}

test('the tarball installs a copy with the runtime dependencies only', () => {
  const pkgDir = path.join(prefix, 'lib', 'node_modules', 'cos-presign');
  expect(fs.realpathSync(installed)).toBe(path.join(pkgDir, 'bin', 'cos-presign.js'));
  expect(fs.existsSync(path.join(pkgDir, 'lib', 'src', 'cli', 'main.js'))).toBe(true);
  const own = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const deps = fs
    .readdirSync(path.join(pkgDir, 'node_modules'))
    .flatMap((d) =>
      d.startsWith('@') ? fs.readdirSync(path.join(pkgDir, 'node_modules', d)).map((s) => `${d}/${s}`) : [d],
    );
  for (const name of Object.keys(own.dependencies)) expect(deps).toContain(name);
  // No dev dependency came along (the Node 24 binary, the test servers, jest…).
  expect(deps.filter((d) => d in own.devDependencies || /^node-(linux|darwin)-/.test(d))).toEqual([]);
});

test('the installed cos-presign --help works from a clean directory', async () => {
  const r = await user(['--help']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^cos-presign: presigned URLs for Tencent COS, Volcengine TOS and S3-compatible storage/);
  expect(r.stdout).toMatch(/^ {2}cos-presign url <bucket> <key> \[options\]/m);
});

test('the installed cos-presign url signs a PUT and a GET that a SigV4-verifying server accepts', async () => {
  const creds = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
  const where = ['-p', 's3', '-r', 'us-east-1', '--endpoint', s3.endpoint, '--path-style'];
  const key = 'installed/hello world.txt';
  const put = await user(['url', S3RVER_BUCKET, key, ...where, '-X', 'PUT', '--json'], creds);
  expect(put.stderr).toBe('');
  expect(put.code).toBe(0);
  const signed = JSON.parse(put.stdout) as { url: string; headers: Record<string, string> };
  expect(
    signed.url.startsWith(
      `${s3.endpoint}/${S3RVER_BUCKET}/installed/hello%20world.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&`,
    ),
  ).toBe(true);
  const body = `from the installed CLI ${Date.now()}`;
  expect((await send(signed.url, { method: 'PUT', headers: signed.headers, body })).status).toBe(200);

  const get = await user(['url', S3RVER_BUCKET, key, ...where], creds);
  expect(get.code).toBe(0);
  const got = await send(get.stdout.trim());
  expect(got.status).toBe(200);
  expect(got.body.toString()).toBe(body);
  // And a URL signed with another secret is refused: the server does check.
  const wrong = await user(['url', S3RVER_BUCKET, key, ...where], { ...creds, AWS_SECRET_ACCESS_KEY: 'not-S3RVER' });
  expect((await send(wrong.stdout.trim())).status).toBe(403);
});

test('the installed cos-presign without credentials says which variables to set and exits 1', async () => {
  const r = await user(['url', 'examplebucket-1250000000', 'k', '-r', 'ap-guangzhou']);
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/COS_SECRET_ID|TENCENTCLOUD_SECRET_ID/);
});
