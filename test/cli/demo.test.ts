/**
 * `cos-presign demo` as a newcomer runs it: it succeeds against the real s3rver, shows the 200s
 * and the 403s, and leaves no file and no process behind. Without the dev dependency it says how
 * to get it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BIN, ensureBuilt, ROOT, runProcess, baseEnv } from './run';

let tmp: string;
beforeAll(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-demo-test-'));
}, 180_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the demo uploads, downloads, refuses tampered and expired URLs, and cleans up', async () => {
  const scratch = fs.mkdtempSync(path.join(tmp, 'tmpdir-'));
  // The demo's temporary directory goes under TMPDIR, so an empty TMPDIR afterwards means nothing was left.
  const r = await runProcess(process.execPath, [BIN, 'demo'], { env: baseEnv({ TMPDIR: scratch }) });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const out = r.stdout;
  expect(out).toMatch(/^1\. Started @20minutes\/s3rver, which checks SigV4 signatures, at http:\/\/127\.0\.0\.1:\d+$/m);
  expect(out).toMatch(
    /^2\. Presigned a PUT .*\n {3}http:\/\/127\.0\.0\.1:\d+\/demo-bucket\/demo\/hello%20world\.txt\?X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=[0-9a-f]{64}\n {3}uploaded \d+ bytes .* -> HTTP 200$/m,
  );
  expect(out).toMatch(/^3\. The same PUT URL with Content-Type: text\/html -> HTTP 403 SignatureDoesNotMatch/m);
  expect(out).toMatch(/downloaded \d+ bytes -> HTTP 200, identical to what was uploaded/);
  expect(out).toMatch(
    /^5\. Tampered: .*\n {3}-> HTTP 403 SignatureDoesNotMatch\n {3}cos-presign inspect says: the parameter "response-content-type" was added to the URL after signing/m,
  );
  expect(out).toMatch(
    /^6\. Expired: .*\n.*\n {3}-> HTTP 403 AccessDenied\n {3}cos-presign inspect says: expired 59m(?: \d+s)? ago/m,
  );
  expect(out).toMatch(/^7\. Stopped the server and removed /m);
  expect(fs.readdirSync(scratch)).toEqual([]);
});

test('without @20minutes/s3rver installed it says how to get it and exits 1', async () => {
  // The package as npm installs it for a user (no dev dependencies): bin/ and lib/, nothing else.
  const pkg = path.join(tmp, 'installed');
  fs.mkdirSync(pkg);
  fs.cpSync(path.join(ROOT, 'bin'), path.join(pkg, 'bin'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'lib', 'src'), path.join(pkg, 'lib', 'src'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  const r = await runProcess(process.execPath, [path.join(pkg, 'bin', 'cos-presign.js'), 'demo'], {
    env: baseEnv({ HOME: tmp }),
    cwd: pkg,
  });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(
    /^cos-presign demo: the demo needs the dev dependency @20minutes\/s3rver, which is not installed.*npm ci && npm run demo/,
  );
  // The rest of the CLI works without dev dependencies.
  const url = await runProcess(
    process.execPath,
    [path.join(pkg, 'bin', 'cos-presign.js'), 'url', 'b-1250000000', 'k', '-r', 'ap-guangzhou'],
    {
      env: baseEnv({ HOME: tmp, COS_SECRET_ID: 'AKID', COS_SECRET_KEY: 'secret' }),
      cwd: pkg,
    },
  );
  expect(url.code).toBe(0);
  expect(url.stdout).toMatch(/^https:\/\/b-1250000000\.cos\.ap-guangzhou\.myqcloud\.com\/k\?q-sign-algorithm=sha1&/);
});
