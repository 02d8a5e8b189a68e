/**
 * Runs the real CLI (`node bin/cos-presign.js …`, i.e. the compiled lib/) as a child process.
 * `ensureBuilt()` compiles once when lib/ is missing or older than the sources (CI's `npm ci`
 * has built it already); a lock keeps parallel test files from compiling at the same time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'cos-presign.js');
const MAIN_JS = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');

/** The newest .ts file under src/ (the CLI imports src/shared, src/core and, later, more). */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(path.join(ROOT, 'src'));
  return newest;
}

function fresh(): boolean {
  return fs.existsSync(MAIN_JS) && fs.statSync(MAIN_JS).mtimeMs >= newestSource();
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const LOCK = path.join(
  os.tmpdir(),
  `cos-presign-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 8)}.lock`,
);

/** Takes the build lock (a directory); one left by a killed run is taken over after 5 minutes. */
function lock(): void {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      return;
    } catch {
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > 300_000) fs.rmdirSync(LOCK);
      } catch {
        /* released meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`waited 180 s for ${LOCK}; remove it if no build is running`);
      sleep(200);
    }
  }
}

export function ensureBuilt(): void {
  // Always through the lock, so a build half-written by another test file is never used.
  lock();
  try {
    if (fresh()) return;
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    // tsc still emits when another part of the repo has a type error; the CLI is usable if fresh.
    if (!fresh()) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
  } finally {
    fs.rmdirSync(LOCK);
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: no credentials of the person running the tests leak in. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? os.tmpdir(),
    LANG: 'C.UTF-8',
    ...extra,
  };
}

/** Spawns a command asynchronously (an in-process test server must keep answering meanwhile). */
export function runProcess(
  file: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: opts.env ?? baseEnv(),
      cwd: opts.cwd ?? ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function cli(args: string[], env: Record<string, string> = {}, opts: { cwd?: string } = {}): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], { env: baseEnv(env), ...opts });
}
