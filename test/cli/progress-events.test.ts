/**
 * The engine's progress events against the COS test server (which verifies every signature with
 * the official SDK's signer) with injected faults: a retried single PUT and a retried part never
 * count a byte twice, the events end at the file's size, and the objects stored are the files.
 */
import * as fs from 'node:fs';
import { ProgressState } from '../../src/cli/progress';
import { uploadFiles } from '../../src/transfer/engine';
import { closeAgent } from '../../src/transfer/http';
import type { ProgressEvent } from '../../src/transfer/types';
import type { RequestInfo } from '../helpers/object-server';
import { engineOptions, MiB, readBack, startTarget, Target, tempDir, writeRandom } from '../transfer/harness';

let t: Target;
let dir: string;
beforeAll(async () => {
  t = await startTarget('cos');
  dir = tempDir();
});
afterEach(() => {
  t.server!.faults.length = 0;
});
afterAll(async () => {
  await closeAgent();
  await t.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Engine options that record every event, and the state a progress bar would show. */
function recorded(files: Array<{ key: string; size: number }>, extra = {}) {
  const events: ProgressEvent[] = [];
  const state = new ProgressState(files, 0);
  const o = engineOptions(t, {
    ...extra,
    onProgress: (e) => {
      events.push(e);
      state.apply(e, events.length);
      // At no moment does the bar show more than there is to send.
      expect(state.bytesDone).toBeLessThanOrEqual(state.totalBytes);
    },
  });
  return { o, events, state };
}

const gauge = (events: ProgressEvent[], key: string) =>
  events.filter((e) => e.type === 'bytes' && e.key === key).map((e) => (e as { bytes: number }).bytes);

test('a single PUT reset mid-body and answered 503: the gauge starts again at 0, the total is the size once', async () => {
  const f = writeRandom(dir, 'single.bin', 6 * MiB);
  const key = 'p/single.bin';
  const put = (r: RequestInfo) => r.op === 'put' && r.key === key;
  t.server!.faults.push(
    { match: put, times: 1, action: { reset: true } },
    { match: put, times: 1, action: { status: 503, code: 'ServiceUnavailable' } },
  );
  const { o, events, state } = recorded([{ key, size: f.data.length }]);
  await uploadFiles([{ file: f.file, key }], o);

  expect(events[0]).toEqual({ type: 'start', key, size: 6 * MiB });
  expect(events[events.length - 1]).toEqual({ type: 'done', key, size: 6 * MiB, skipped: false });
  const g = gauge(events, key);
  // Three attempts, each starting at 0; within an attempt the gauge only grows, up to the size.
  const starts = g.flatMap((b, i) => (b === 0 ? [i] : []));
  expect(starts).toHaveLength(3);
  expect(g.some((b, i) => i > 0 && b === 0 && g[i - 1] > 0)).toBe(true);
  for (let i = 1; i < g.length; i++) if (g[i] !== 0) expect(g[i]).toBeGreaterThan(g[i - 1]);
  expect(Math.max(...g)).toBe(6 * MiB);
  expect([state.bytesDone, state.totalBytes, state.filesDone, state.percent()]).toEqual([6 * MiB, 6 * MiB, 1, 100]);
  expect((await readBack(t, key)).body.equals(f.data)).toBe(true);
});

test('multipart with a part failing three times: only confirmed parts count, each once', async () => {
  const f = writeRandom(dir, 'multi.bin', 12 * MiB);
  const key = 'p/multi.bin';
  t.server!.faults.push({
    match: (r) => r.op === 'part' && r.key === key && r.query.get('partNumber') === '2',
    times: 3,
    action: { status: 500, code: 'InternalError' },
  });
  const { o, events, state } = recorded([{ key, size: f.data.length }], {
    multipartThreshold: 5 * MiB,
    partSize: 5 * MiB,
  });
  const lines = o.lines;
  await uploadFiles([{ file: f.file, key }], o);

  const g = gauge(events, key);
  expect(g).toHaveLength(3); // one per part, however often a part was sent
  for (let i = 1; i < g.length; i++) expect(g[i]).toBeGreaterThan(g[i - 1]);
  expect([...g].sort((a, b) => a - b).pop()).toBe(12 * MiB);
  // Each step is one whole part (5, 5 and 2 MiB, in the order they were confirmed).
  const steps = g.map((b, i) => b - (i ? g[i - 1] : 0));
  expect([...steps].sort((x, y) => x - y)).toEqual([2 * MiB, 5 * MiB, 5 * MiB]);
  expect(state.bytesDone).toBe(12 * MiB);
  // The retries were logged; the 10 %-lines are tagged as progress (a bar drops them).
  expect(lines.some((l) => /^retrying part 2 of 3 of p\/multi\.bin/.test(l))).toBe(true);
  expect((await readBack(t, key)).body.equals(f.data)).toBe(true);
});

test('the large-file lines are logged with kind "progress"; the stored line without', async () => {
  const f = writeRandom(dir, 'tagged.bin', 11 * MiB);
  const kinds: Array<[string, string | undefined]> = [];
  const o = engineOptions(t, {
    multipartThreshold: 5 * MiB,
    partSize: 5 * MiB,
    concurrency: 1,
    log: (l, kind) => kinds.push([l, kind]),
  });
  await uploadFiles([{ file: f.file, key: 'p/tagged.bin' }], o);
  expect(kinds.filter(([, k]) => k === 'progress').map(([l]) => l)).toEqual([
    expect.stringMatching(/^p\/tagged\.bin: 45% of 11 MiB \(/),
    expect.stringMatching(/^p\/tagged\.bin: 90% of 11 MiB \(/),
  ]);
  expect(kinds.find(([l]) => l.startsWith('stored '))).toEqual([expect.stringMatching(/in 3 parts/), undefined]);
});

test('skip-unchanged: a file found stored is done and skipped, its bytes out of the totals', async () => {
  const a = writeRandom(dir, 'same.txt', 3000);
  const b = writeRandom(dir, 'zero.txt', 0);
  const items = [
    { file: a.file, key: 'p/same.txt' },
    { file: b.file, key: 'p/zero.txt' },
  ];
  await uploadFiles(items, engineOptions(t));
  const { o, events, state } = recorded(
    items.map((i) => ({ key: i.key, size: fs.statSync(i.file).size })),
    { skipUnchanged: true },
  );
  await uploadFiles(items, o);
  expect(events.filter((e) => e.type === 'done')).toEqual(
    expect.arrayContaining([
      { type: 'done', key: 'p/same.txt', size: 3000, skipped: true },
      { type: 'done', key: 'p/zero.txt', size: 0, skipped: true },
    ]),
  );
  expect(events.filter((e) => e.type === 'bytes')).toEqual([]);
  expect([state.filesDone, state.skipped, state.totalBytes, state.bytesDone, state.percent()]).toEqual([
    2, 2, 0, 0, 100,
  ]);
});
