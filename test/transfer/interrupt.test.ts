/**
 * An interrupted run (UploadOptions.signal, what Ctrl-C fires in the CLI) leaves nothing behind:
 * an open multipart upload is aborted, a PUT in flight is cancelled before it is stored, a wait
 * between retries ends at once, and the run rejects naming the file, with what was stored.
 */
import * as fs from 'node:fs';
import { uploadFiles } from '../../src/transfer/engine';
import { closeAgent } from '../../src/transfer/http';
import {
  engineOptions,
  hangPart,
  MiB,
  readBack,
  startTarget,
  Target,
  tempDir,
  transferFailure,
  writeRandom,
} from './harness';

let t: Target;
let dir: string;
beforeAll(async () => {
  t = await startTarget('cos');
  dir = tempDir();
});
afterAll(async () => {
  // The test server's hung answers and p-retry's cancelled wait (p-retry 4 takes no signal) end on timers.
  await new Promise((r) => setTimeout(r, 4_000));
  await closeAgent();
  await t.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('during a multipart upload: parts in flight are cancelled and the upload is aborted', async () => {
  const f = writeRandom(dir, 'big.bin', 12 * MiB);
  // Part 2 hangs; once part 1 is stored the run is interrupted.
  hangPart(t.server!, 2, 4_000);
  const controller = new AbortController();
  const before = t.server!.log.length;
  const o = engineOptions(t, { multipartThreshold: 5 * MiB, partSize: 5 * MiB, signal: controller.signal });
  o.onProgress = (e) => {
    if (e.type === 'bytes') controller.abort();
  };
  const started = Date.now();
  const e = await transferFailure(uploadFiles([{ file: f.file, key: 'i/big.bin' }], o));
  expect(Date.now() - started).toBeLessThan(3_000); // not waiting for the hung part
  expect(e.message).toMatch(
    /big\.bin: interrupted \(multipart upload of 12 MiB in 3 parts\); the multipart upload was aborted/,
  );
  expect(e.stored).toEqual([]);
  const ops = t.server!.log.slice(before).map((l) => l.op);
  expect(ops).toContain('abort');
  expect(ops).not.toContain('complete');
  expect(t.server!.uploads.size).toBe(0);
  expect((await readBack(t, 'i/big.bin')).status).toBe(404);
  t.server!.faults.length = 0;
});

test('between files: the files stored are listed, the next one is named, nothing else starts', async () => {
  const a = writeRandom(dir, 'a.txt', 100);
  const b = writeRandom(dir, 'b.txt', 100);
  const c = writeRandom(dir, 'c.txt', 100);
  const controller = new AbortController();
  const o = engineOptions(t, { concurrency: 1, signal: controller.signal });
  o.onProgress = (e) => {
    if (e.type === 'done') controller.abort();
  };
  const e = await transferFailure(
    uploadFiles(
      [
        { file: a.file, key: 'i/a.txt' },
        { file: b.file, key: 'i/b.txt' },
        { file: c.file, key: 'i/c.txt' },
      ],
      o,
    ),
  );
  expect(e.message).toMatch(/b\.txt: interrupted before it was sent$/);
  expect(e.stored).toEqual(['i/a.txt']);
  expect((await readBack(t, 'i/b.txt')).status).toBe(404);
  expect((await readBack(t, 'i/c.txt')).status).toBe(404);
});

test('a PUT in flight is cancelled and not stored; a wait between retries ends at once', async () => {
  const f = writeRandom(dir, 'slow.txt', 100);
  t.server!.faults.push({ match: (r) => r.op === 'put', times: 1, action: { delayMs: 4_000 } });
  const started0 = Date.now();
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 300);
  let e = await transferFailure(
    uploadFiles([{ file: f.file, key: 'i/slow.txt' }], engineOptions(t, { signal: controller.signal })),
  );
  expect(e.message).toMatch(/slow\.txt: interrupted$/);
  expect(Date.now() - started0).toBeLessThan(3_000);
  expect((await readBack(t, 'i/slow.txt')).status).toBe(404);
  t.server!.faults.length = 0;

  // 503 then a 2-4 s backoff: the interrupt comes 100 ms into the wait.
  t.server!.faults.push({ match: (r) => r.op === 'put', times: 5, action: { status: 503, code: 'SlowDown' } });
  const c2 = new AbortController();
  const o = engineOptions(t, { signal: c2.signal, minRetryDelayMs: 2_000 });
  o.log = (l) => {
    if (l.startsWith('retrying')) setTimeout(() => c2.abort(), 100);
  };
  const started = Date.now();
  e = await transferFailure(uploadFiles([{ file: f.file, key: 'i/slow.txt' }], o));
  expect(Date.now() - started).toBeLessThan(1_500);
  expect(e.message).toMatch(/slow\.txt: interrupted$/);
  t.server!.faults.length = 0;
});
