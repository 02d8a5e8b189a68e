/**
 * The README's quick start, checked from a fresh `git clone` of this repository's HEAD: the
 * section lists exactly two commands, and both work there.
 *
 * Kept bounded: `npm ci` runs with `--prefer-offline`, so packages come from the npm cache that
 * the checkout's own `npm ci` filled and only a cache miss reaches the registry (a full install,
 * with `prepare` building lib/, ~35 s);
 * `npm test` runs in the clone on a subset (the vectors and the URL inspector) instead of the
 * whole suite, which would include this test again.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, runProcess } from './run';

const QUICK_START = ['npm ci && npm run demo', 'npm test'];

function quickStartCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = /^## Quick start\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no "## Quick start" section');
  const block = /```(?:bash|sh|shell)?\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l && !l.startsWith('#'));
}

let dir: string;
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('README quick start is exactly two commands', () => {
  expect(quickStartCommands()).toEqual(QUICK_START);
});

test('both quick-start commands work in a fresh clone', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-clone-'));
  const repo = path.join(dir, 'cos-presign');
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  expect(head).toMatch(/^[0-9a-f]{40}$/);
  const clone = spawnSync('git', ['clone', '--quiet', '--no-checkout', ROOT, repo], { encoding: 'utf8' });
  expect(clone.stderr).toBe('');
  expect(spawnSync('git', ['checkout', '--quiet', head], { cwd: repo, encoding: 'utf8' }).status).toBe(0);
  expect(fs.existsSync(path.join(repo, 'node_modules'))).toBe(false);

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'JEST_WORKER_ID') env[k] = v;
  const sh = (command: string, timeoutMs: number) => runProcess('bash', ['-c', command], { cwd: repo, env, timeoutMs });

  // 1. npm ci && npm run demo
  const install = await sh('npm ci --prefer-offline --no-audit --no-fund', 240_000);
  if (install.code !== 0) {
    throw new Error(`npm ci failed in the fresh clone:\n${install.stderr.slice(-2000)}`);
  }
  expect(fs.existsSync(path.join(repo, 'lib', 'src', 'cli', 'main.js'))).toBe(true); // built by `prepare`
  const demo = await sh('npm run demo', 120_000);
  expect(demo.code).toBe(0);
  expect(demo.stdout).toMatch(/downloaded \d+ bytes -> HTTP 200, identical to what was uploaded/);
  expect(demo.stdout).toMatch(/-> HTTP 403 SignatureDoesNotMatch/);
  expect(demo.stdout).toMatch(/^7\. Stopped the server and removed /m);

  // 2. npm test (a subset, see above)
  const tests = await sh('npm test -- test/vectors.test.ts test/core/inspect.test.ts', 180_000);
  expect(tests.stderr).toMatch(/Tests: +\d+ passed, \d+ total/);
  expect(tests.code).toBe(0);
}, 540_000);
