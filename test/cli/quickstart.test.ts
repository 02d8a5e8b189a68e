/**
 * The README's quick start, checked on a fresh copy of this working tree (tracked files and new
 * files not ignored, as `git ls-files -co --exclude-standard` lists them: what a commit of the
 * work in progress would hold, without node_modules, lib/ or other build output): the section
 * lists exactly two commands, and both work there. The same copy then installs the CLI from the
 * clone (`npm install -g .` into a temporary prefix) and the Pulumi example's dependencies, as a
 * user without the package on a registry does.
 *
 * Kept bounded: `npm ci` runs with `--prefer-offline`, so packages come from the npm cache that
 * the checkout's own `npm ci` filled and only a cache miss reaches the registry (a full install,
 * with `prepare` building lib/, ~35 s);
 * `npm test` runs in the copy on a subset (the vectors and the URL inspector) instead of the
 * whole suite, which would include this test again.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanEnv } from '../install/npm';
import { ROOT, runProcess } from './run';

const QUICK_START = ['npm ci && npm run demo', 'npm test'];

function quickStartCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = /^## Quick start\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no "## Quick start" section');
  const block = /```(?:bash|sh|shell)?\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l && !l.startsWith('#'));
}

let dir: string;
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('README quick start is exactly two commands', () => {
  expect(quickStartCommands()).toEqual(QUICK_START);
});

/** Copies the working tree's files (not ignored ones, not .git) to `dest`. */
function copyWorkingTree(dest: string): string[] {
  const ls = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (ls.status !== 0) throw new Error(`git ls-files failed: ${ls.stderr}`);
  const copied: string[] = [];
  for (const rel of new Set(ls.stdout.split('\0').filter(Boolean))) {
    const from = path.join(ROOT, rel);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(from);
    } catch {
      continue; // tracked but deleted in the working tree: not part of it
    }
    const to = path.join(dest, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
    else fs.copyFileSync(from, to); // keeps the mode (bin/ scripts stay executable)
    copied.push(rel);
  }
  return copied;
}

test('both quick-start commands work in a fresh copy of the working tree', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-clone-'));
  const repo = path.join(dir, 'cos-presign');
  const copied = copyWorkingTree(repo);
  expect(copied).toEqual(
    expect.arrayContaining(['package.json', 'package-lock.json', 'README.md', 'test/cli/quickstart.test.ts']),
  );
  expect(copied.filter((f) => /^(node_modules|lib|coverage)\//.test(f))).toEqual([]);
  expect(fs.existsSync(path.join(repo, 'node_modules'))).toBe(false);

  const env = cleanEnv();
  const sh = (command: string, timeoutMs: number, cwd = repo) =>
    runProcess('bash', ['-c', command], { cwd, env, timeoutMs });

  // 1. npm ci && npm run demo
  const install = await sh('npm ci --prefer-offline --no-audit --no-fund', 420_000);
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

  // 3. The CLI installed from the clone, run from a clean directory.
  const prefix = path.join(dir, 'prefix');
  const work = fs.mkdtempSync(path.join(dir, 'work-'));
  const global = await sh(
    `npm install -g --prefix ${JSON.stringify(prefix)} . --prefer-offline --no-audit --no-fund`,
    240_000,
  );
  if (global.code !== 0) throw new Error(`npm install -g . failed in the clone:\n${global.stderr.slice(-2000)}`);
  const userEnv = {
    PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: dir,
    LANG: 'C.UTF-8',
  };
  const help = await runProcess('cos-presign', ['--help'], { cwd: work, env: userEnv });
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^cos-presign: presigned URLs/);
  const url = await runProcess('cos-presign', ['url', 'examplebucket-1250000000', 'a b.txt', '-r', 'ap-guangzhou'], {
    cwd: work,
    env: { ...userEnv, COS_SECRET_ID: 'AKIDquickstart', COS_SECRET_KEY: 'quickstartSecret' },
  });
  expect(url.stderr).toBe('');
  expect(url.code).toBe(0);
  expect(url.stdout).toMatch(
    /^https:\/\/examplebucket-1250000000\.cos\.ap-guangzhou\.myqcloud\.com\/a%20b\.txt\?q-sign-algorithm=sha1&q-ak=AKIDquickstart&.*&q-signature=[0-9a-f]{40}\n$/,
  );

  // 4. The Pulumi example installs against the local package (file:../.., copied in by its
  // .npmrc install-links, so the example's one @pulumi/pulumi is the one the package uses) and
  // type-checks with its own TypeScript.
  const example = path.join(repo, 'examples', 'pulumi');
  const exInstall = await sh('npm install --prefer-offline --no-audit --no-fund', 300_000, example);
  if (exInstall.code !== 0) throw new Error(`npm install in examples/pulumi failed:\n${exInstall.stderr.slice(-2000)}`);
  expect(fs.lstatSync(path.join(example, 'node_modules', 'cos-presign')).isSymbolicLink()).toBe(false);
  const sdk = await sh(
    `node -e "const p=require('path');console.log(require.resolve('@pulumi/pulumi',{paths:[p.dirname(require.resolve('cos-presign/pulumi'))]}));console.log(typeof require('cos-presign/pulumi').PresignedUrl)"`,
    60_000,
    example,
  );
  expect(sdk.stdout).toBe(`${path.join(example, 'node_modules', '@pulumi', 'pulumi', 'index.js')}\nfunction\n`);
  const tsc = await sh('node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit', 180_000, example);
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.code).toBe(0);
}, 1_200_000);
