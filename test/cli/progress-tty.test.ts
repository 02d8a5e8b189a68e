/**
 * The built CLI's progress on a real pseudo-terminal (util-linux `script`) against s3rver on
 * 127.0.0.1: a bar redrawn in place that fits the terminal, escapes hostile file names and never
 * shows a URL, signature or secret; stdout the same as without a terminal; the terminal left
 * clean at the end and on Ctrl-C. Without a terminal (pipes) and with TERM=dumb: plain lines.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { textWidth } from '../../src/cli/progress';
import { presign } from '../../src/core/presign';
import type { PresignInput } from '../../src/core/types';
import { RunningS3rver, S3RVER_BUCKET, startS3rver } from '../helpers/s3rver';
import { baseFor, MiB, tempDir, writeRandom } from '../transfer/harness';
import { baseEnv, BIN, cli, ensureBuilt } from './run';

const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;
const ptyTest = HAS_SCRIPT ? test : test.skip;

/** A secret that is not s3rver's access key id, so finding it anywhere means it leaked. */
const SECRET_ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
const HOSTILE = 'evil\u001b]0;pwned\u0007\r.txt';

let s3: RunningS3rver;
let dir: string;
beforeAll(async () => {
  ensureBuilt();
  s3 = await startS3rver();
  dir = tempDir();
  writeRandom(dir, 'data/big.bin', 7 * MiB);
  writeRandom(dir, 'data/notes/a.txt', 2000);
  writeRandom(dir, `data/${HOSTILE}`, 10);
  writeRandom(dir, 'data/发布说明.txt', 300);
}, 180_000);
afterAll(async () => {
  await s3.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function uploadArgs(endpoint: string, extra: string[] = []): string[] {
  return [
    'upload',
    S3RVER_BUCKET,
    path.join(dir, 'data'),
    '--base-dir',
    path.join(dir, 'data'),
    '-p',
    's3',
    '-r',
    'us-east-1',
    '--endpoint',
    endpoint,
    '--path-style',
    '--json',
    ...extra,
  ];
}

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the CLI with stderr (and stdin) on a pseudo-terminal `cols` wide and stdout into a file;
 * `interrupt` types Ctrl-C after that many ms. Returns what the terminal showed and stdout.
 */
function onTerminal(
  args: string[],
  o: { cols?: number; env?: Record<string, string>; interrupt?: number } = {},
): Promise<{ code: number | null; screen: string; stdout: string }> {
  const out = path.join(dir, `stdout-${Date.now()}-${Math.random()}.txt`);
  const command = `stty cols ${o.cols ?? 100} rows 24; exec ${[process.execPath, BIN, ...args].map(sh).join(' ')} > ${sh(out)}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      env: baseEnv({ TERM: 'xterm', ...SECRET_ENV, ...o.env }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (screen += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (screen += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    if (o.interrupt !== undefined) setTimeout(() => child.stdin.write('\u0003'), o.interrupt);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, screen, stdout: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '' });
    });
  });
}

function noSecrets(text: string): void {
  for (const leak of ['S3RVER', 'X-Amz-', 'Signature', 'Credential', 'http://', '127.0.0.1'])
    expect(text).not.toContain(leak);
}

/** Control characters but the terminal's line ends (\r\n, the pty's translation of \n). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

ptyTest(
  'on a terminal: a bar redrawn in place, fitted and escaped; finished lines above it; stdout unchanged',
  async () => {
    const r = await onTerminal(uploadArgs(s3.endpoint, ['--concurrency', '2']), { cols: 80 });
    expect(r.code).toBe(0);
    // The bar is drawn as `\r<line>\x1b[K` and erased as `\r\x1b[K`; no other escape sequence.
    const draws = [...r.screen.matchAll(/\r([^\r\n\u001b]+)\u001b\[K/g)].map((m) => m[1]);
    expect(draws.length).toBeGreaterThanOrEqual(2);
    for (const d of draws) {
      expect(d).toMatch(/^ {0,2}\d{1,3}% \[[#-]{10}\] \d\/4 files [\d.]+\/[\d.]+ MiB (--|\d+\.\d) MiB\/s (ETA|in) /);
      expect(textWidth(d)).toBeLessThanOrEqual(79);
    }
    const plain = r.screen.replace(/\r\u001b\[K/g, '').replace(/\r[^\r\n\u001b]*\u001b\[K/g, '');
    expect(plain.replace(/\r\n/g, '\n')).not.toMatch(RAW_CONTROL);
    // The hostile name: shown escaped in its line, never raw.
    expect(r.screen).toContain('stored evil\\x1b]0;pwned\\x07\\r.txt (10 B');
    expect(r.screen).not.toContain('\u001b]0;');
    expect(r.screen).toContain('stored 发布说明.txt (300 B');
    noSecrets(r.screen);
    // It ends clean: the bar erased, then plain lines only.
    const after = r.screen.slice(r.screen.lastIndexOf('\u001b[K') + 3);
    expect(after).toMatch(
      /^cos-presign: uploaded 4 files, 7\.0 MiB in \d+:\d\d \([\d.]+ MiB\/s\)\r\ncos-presign: checked 4 links \(GET bytes=0-0\)\r\n$/,
    );
    expect(r.screen.slice(r.screen.lastIndexOf('\u001b[K') - 3, r.screen.lastIndexOf('\u001b[K'))).toMatch(/\r$/);

    // stdout is the same JSON as without a terminal (the links differ only in their signing time).
    const piped = await cli(uploadArgs(s3.endpoint, ['--concurrency', '2']), SECRET_ENV);
    expect(piped.code).toBe(0);
    const a = JSON.parse(r.stdout);
    const b = JSON.parse(piped.stdout);
    expect(a.uploaded).toEqual(b.uploaded);
    expect(Object.keys(a.urls)).toEqual(Object.keys(b.urls));
    expect(r.stdout).not.toMatch(/[\r\u001b]/);
  },
);

test('without a terminal (pipes): the per-file lines and a closing line, no \\r, no escape sequence', async () => {
  const r = await cli(uploadArgs(s3.endpoint), SECRET_ENV);
  expect(r.code).toBe(0);
  expect(r.stderr).not.toMatch(/[\r\u001b]/);
  expect(r.stderr).toMatch(/^cos-presign: stored big\.bin \(7 MiB, [\d.]+ MiB\/s\)$/m);
  expect(r.stderr).toMatch(/^cos-presign: uploaded 4 files, 7\.0 MiB in \d+:\d\d \([\d.]+ MiB\/s\)$/m);
  noSecrets(r.stderr);
  const quiet = await cli(uploadArgs(s3.endpoint, ['--quiet']), SECRET_ENV);
  expect(quiet.code).toBe(0);
  expect(quiet.stderr).toBe('');
  expect(Object.keys(JSON.parse(quiet.stdout).urls)).toHaveLength(4);
});

ptyTest.each([
  ['TERM=dumb', { TERM: 'dumb' }, []],
  ['--no-progress', {}, ['--no-progress']],
])('on a terminal with %s: plain lines, no bar', async (_, env, extra) => {
  const r = await onTerminal(uploadArgs(s3.endpoint, extra), { env });
  expect(r.code).toBe(0);
  expect(r.screen).not.toContain('\u001b');
  expect(r.screen.replace(/\r\n/g, '\n')).not.toContain('\r');
  expect(r.screen).toMatch(/cos-presign: uploaded 4 files/);
});

ptyTest(
  'put <requests.json> on a terminal: the bar, then the closing line; the URLs it was given never show',
  async () => {
    const requests: Record<string, unknown> = {};
    for (const [key, size] of [
      ['put/one.bin', 3 * MiB],
      ['put/two.txt', 500],
    ] as const) {
      const { data } = writeRandom(dir, key, size);
      const headers = {
        'Content-Length': String(size),
        'Content-MD5': createHash('md5').update(data).digest('base64'),
      };
      const base = baseFor('s3', s3.endpoint) as PresignInput;
      const r = presign({ ...base, key, method: 'PUT', expires: 600, headers });
      requests[key] = { url: r.url, method: 'PUT', headers: r.headers, file: key };
    }
    const file = path.join(dir, 'requests.json');
    fs.writeFileSync(file, JSON.stringify(requests));
    const r = await onTerminal(['put', file, '--base-dir', dir, '--json'], { cols: 90 });
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(/\r {2}0% \[-+\] 0\/2 files 0\.0\/3\.0 MiB /);
    const after = r.screen.slice(r.screen.lastIndexOf('\u001b[K') + 3);
    expect(after).toMatch(/^cos-presign: uploaded 2 files, 3\.0 MiB in \d+:\d\d \([\d.]+ MiB\/s\)\r\n$/);
    noSecrets(r.screen);
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(['put/one.bin', 'put/two.txt']);
  },
);

ptyTest('Ctrl-C: the bar is erased, the run stops cleanly, and the command dies of SIGINT (exit 130)', async () => {
  // A server that takes the request and never answers: the upload is in flight when ^C comes.
  const hang = http.createServer((req) => req.resume());
  await new Promise<void>((ok) => hang.listen(0, '127.0.0.1', ok));
  try {
    const endpoint = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`;
    const r = await onTerminal(uploadArgs(endpoint, ['--retries', '0']), { interrupt: 2500 });
    expect(r.code).toBe(130);
    expect(r.screen).toMatch(/\r {2}0% \[-+\] 0\/4 files /);
    // After the last draw: the ^C the terminal echoes, the erase, what happens now, and what was
    // stored (no partial object: the request in flight was cancelled), and nothing else.
    expect(r.screen).toMatch(
      /\u001b\[K(\^C)?\r\u001b\[Kcos-presign: interrupted: stopping; open multipart uploads are aborted \(press Ctrl-C again to quit at once\)\r\ncos-presign: [^\r\n]*: interrupted; nothing else was stored\r\n$/,
    );
    expect(r.stdout).toBe('');
    noSecrets(r.screen);
  } finally {
    hang.closeAllConnections();
    hang.close();
  }
});
