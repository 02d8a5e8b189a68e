/**
 * The bundled action at scale, run once each as the runner runs it: `keys` with 10,000 entries
 * and `files` matching 5,000 files. Correctness only (every key present, in order, URLs that
 * verify); time and memory are measured by `node bench/action-scale.js`, never asserted here.
 *
 * Limits met on the way (documented in the README):
 * - the runner passes `keys` as the environment variable INPUT_KEYS, and Linux refuses to start
 *   a process with one environment string above 128 KiB (MAX_ARG_STRLEN): 10,000 keys fit only
 *   when short, so they are 9-byte names and key-prefix makes them realistic;
 * - GitHub documents 1 MB per output: urls and requests are larger here, are still set in full,
 *   and each is warned about with the number of keys that would fit.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { presign } from '../../src';
import { verifyUrl } from '../../src/core/inspect';
import { ActionRun, runAction, tempWorkspace } from '../action/run-action';

const CREDS = { 'secret-id': 'AKIDscaleTest0001', 'secret-key': 'scaleTestSecretKey0001' };
/** Linux MAX_ARG_STRLEN (32 pages): the longest `NAME=value` string a process can be started with. */
const MAX_ENV_STRING = 32 * 4096;
const OUTPUT_LIMIT = 1024 * 1024;

function evenly<T>(xs: T[], n: number): T[] {
  const step = Math.max(1, Math.floor(xs.length / n));
  const out = xs.filter((_, i) => i % step === 0);
  if (out[out.length - 1] !== xs[xs.length - 1]) out.push(xs[xs.length - 1]);
  return out;
}

function expectOversizeWarnings(run: ActionRun, count: number): void {
  const oversize = ['urls', 'requests'].filter((n) => Buffer.byteLength(run.outputs[n]) > OUTPUT_LIMIT);
  expect(oversize).toEqual(['urls', 'requests']);
  const sizeWarnings = run.warnings.filter((w) => w.startsWith('::warning::output '));
  expect(sizeWarnings).toHaveLength(2);
  for (const [i, name] of oversize.entries()) {
    const bytes = Buffer.byteLength(run.outputs[name]);
    const fit = Math.floor(OUTPUT_LIMIT / Math.ceil(bytes / count));
    expect(sizeWarnings[i]).toBe(
      `::warning::output ${name} is ${bytes} bytes for ${count} keys; GitHub documents at most 1 MB per output, so a later step may fail to read it: sign at most about ${fit} keys per step (split keys or files over several steps)`,
    );
  }
}

/** The summary stays under the runner's 1 MiB, lists what fits and says how many it left out. */
function expectBoundedSummary(run: ActionRun, count: number): void {
  expect(Buffer.byteLength(run.summary)).toBeLessThanOrEqual(1_000_000);
  expect(run.summary).toContain(`<details><summary>${count} keys</summary>`);
  const listed = (run.summary.match(/<tr><td><code>/g) ?? []).length;
  expect(listed).toBeGreaterThan(1000);
  expect(run.summary).toContain(`<p>${count - listed} more keys are not listed: a step summary is limited to 1 MiB.`);
}

test('keys: 10,000 entries — every key signed, in order, the URLs verify, oversized outputs warned about', async () => {
  const names = Array.from({ length: 10_000 }, (_, i) => `${String(i).padStart(5, '0')}.bin`);
  const inputs = {
    ...CREDS,
    bucket: 'examplebucket-1250000000',
    region: 'ap-guangzhou',
    'key-prefix': 'releases/{ref_name}/assets/part-',
    keys: names.join('\n'),
  };
  // What the runner could pass at all (it would fail to start the action above this).
  expect(Buffer.byteLength(`INPUT_KEYS=${inputs.keys}`)).toBeLessThan(MAX_ENV_STRING);
  const before = Date.now();
  const run = await runAction({ inputs });
  expect(run.errors).toEqual([]);
  expect(run.code).toBe(0);

  const keys = names.map((n) => `releases/v1.2.3/assets/part-${n}`);
  const urls = JSON.parse(run.outputs.urls) as Record<string, string>;
  const requests = JSON.parse(run.outputs.requests) as Record<
    string,
    { url: string; method: string; headers: Record<string, string> }
  >;
  expect(Object.keys(urls)).toEqual(keys);
  expect(Object.keys(requests)).toEqual(keys);
  expect(new Set(Object.values(urls)).size).toBe(keys.length);
  for (const k of keys) expect(requests[k]).toEqual({ url: urls[k], method: 'GET', headers: {} });
  expect(run.outputs.url).toBe(urls[keys[0]]);
  expect(run.outputs.curl).toBeUndefined();
  expect(run.outputs.authorization).toBeUndefined();
  // The prefix ends in "part-" on purpose: its key-assembly warning (13.7) is said once, not 10,000 times.
  expect(run.warnings.filter((w) => w.includes('does not end in'))).toEqual([
    `::warning::key-prefix "releases/v1.2.3/assets/part-" does not end in "/", so it is glued to the name: the key is "${keys[0]}". End key-prefix with "/" if it is a folder (and so for 9999 more keys)`,
  ]);

  // One signing time for the batch: every URL is the core's for that window.
  const window = /q-sign-time=(\d+)%3B(\d+)/.exec(urls[keys[0]])!;
  const [start, end] = [Number(window[1]), Number(window[2])];
  expect(start * 1000).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 60_000);
  expect(run.outputs['expires-at']).toBe(new Date(end * 1000).toISOString().replace('.000Z', 'Z'));
  for (const k of evenly(keys, 200)) {
    const v = verifyUrl(urls[k], { secretKey: CREDS['secret-key'], secretId: CREDS['secret-id'] });
    expect({ k, ok: v.ok, reasons: v.reasons }).toEqual({ k, ok: true, reasons: [] });
    expect(v.inspected.key).toBe(k);
    expect(urls[k]).toBe(
      presign({
        provider: 'cos',
        secretId: CREDS['secret-id'],
        secretKey: CREDS['secret-key'],
        bucket: inputs.bucket,
        region: inputs.region,
        key: k,
        startTime: start,
        expires: end - start,
      }).url,
    );
  }

  expectOversizeWarnings(run, keys.length);
  expectBoundedSummary(run, keys.length);
  expect(run.visibleLog).toContain('Signed 10000 GET URLs for cos bucket "examplebucket-1250000000"');
});

describe('files: 5,000 matched files', () => {
  let ws: string;
  const rel: string[] = [];
  beforeAll(() => {
    ws = tempWorkspace();
    for (let i = 0; i < 5000; i++) {
      const r = `dist/d${String(i % 50).padStart(2, '0')}/asset-${String(i).padStart(5, '0')}.${i % 3 === 0 ? 'json' : 'txt'}`;
      fs.mkdirSync(path.dirname(path.join(ws, r)), { recursive: true });
      fs.writeFileSync(path.join(ws, r), `content of file ${i}\n`.repeat((i % 7) + 1));
      rel.push(r);
    }
    // A file the exclusion must keep out.
    fs.writeFileSync(path.join(ws, 'dist', 'build.log'), 'not shipped\n');
    rel.sort();
  });
  afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));

  test('PUT (s3): one URL per file, in path order, each pinning that file; the URLs verify with its headers', async () => {
    const inputs = {
      ...CREDS,
      provider: 's3',
      bucket: 'release-artifacts',
      region: 'eu-west-1',
      method: 'PUT',
      'key-prefix': 'builds/{short_sha}/',
      files: 'dist/**\n!**/*.log',
    };
    const run = await runAction({ inputs, workspace: ws });
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);

    const requests = JSON.parse(run.outputs.requests) as Record<
      string,
      { url: string; method: string; headers: Record<string, string>; file: string }
    >;
    const keys = rel.map((r) => `builds/0123456/${r}`);
    expect(Object.keys(requests)).toEqual(keys);
    expect(Object.keys(JSON.parse(run.outputs.urls))).toEqual(keys);
    for (const [i, k] of keys.entries()) {
      expect(requests[k].file).toBe(rel[i]);
      expect(requests[k].method).toBe('PUT');
    }
    for (const k of evenly(keys, 200)) {
      const q = requests[k];
      const body = fs.readFileSync(path.join(ws, q.file));
      expect(q.headers).toEqual({
        'Content-Type': q.file.endsWith('.json') ? 'application/json' : 'text/plain',
        'Content-Length': String(body.length),
        'Content-MD5': createHash('md5').update(body).digest('base64'),
      });
      const v = verifyUrl(q.url, {
        secretKey: CREDS['secret-key'],
        secretId: CREDS['secret-id'],
        method: 'PUT',
        headers: q.headers,
      });
      expect({ k, ok: v.ok, reasons: v.reasons }).toEqual({ k, ok: true, reasons: [] });
      expect(v.inspected.key).toBe(k);
      // Another length is another request: the pinned URL refuses it.
      expect(
        verifyUrl(q.url, {
          secretKey: CREDS['secret-key'],
          method: 'PUT',
          headers: { ...q.headers, 'Content-Length': String(body.length + 1) },
        }).ok,
      ).toBe(false);
    }

    expectOversizeWarnings(run, keys.length);
    expectBoundedSummary(run, keys.length);
  });
});
