/**
 * URL lifetimes: a URL near its expiry is signed again before use; a pre-made URL that has
 * expired is refused without a request; a 403 for an expired URL says so (the core's inspect).
 */
import * as fs from 'node:fs';
import { presign } from '../../src/core/presign';
import type { PresignInput } from '../../src/core/types';
import { uploadFiles } from '../../src/transfer/engine';
import { closeAgent } from '../../src/transfer/http';
import { coreSigner, premadeSigner } from '../../src/transfer/signer';
import type { SignFn } from '../../src/transfer/types';
import { engineOptions, readBack, startTarget, Target, tempDir, writeRandom } from './harness';

let t: Target;
let dir: string;
beforeAll(async () => {
  t = await startTarget('cos');
  dir = tempDir();
});
afterAll(async () => {
  await closeAgent();
  await t.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a URL about to expire is signed again before it is sent', async () => {
  const f = writeRandom(dir, 'fresh.bin', 100);
  const real = coreSigner(t.base);
  let calls = 0;
  // The first URL of each request claims to expire in 10 s: the engine asks again.
  const sign: SignFn = async (m, k, r) => {
    const s = await real(m, k, r);
    return ++calls % 2 === 1 ? { ...s, expiresAt: new Date(Date.now() + 10_000) } : s;
  };
  await uploadFiles([{ file: f.file, key: 'x/fresh.bin' }], engineOptions(t, { sign }));
  expect(calls).toBe(2);
  expect((await readBack(t, 'x/fresh.bin')).body.equals(f.data)).toBe(true);
});

test('an expired pre-made URL is refused before sending; a 403 for an expired URL says it expired', async () => {
  const f = writeRandom(dir, 'old.bin', 100);
  const before = t.server!.log.length;
  const past = new Date(Date.now() - 5000);
  const gone = premadeSigner(
    new Map([['x/old.bin', { url: 'http://127.0.0.1:1/x/old.bin', method: 'PUT', expiresAt: past }]]),
  );
  await expect(
    uploadFiles(
      [{ file: f.file, name: 'old.bin', key: 'x/old.bin' }],
      engineOptions(t, { sign: gone, singlePutOnly: true }),
    ),
  ).rejects.toThrow(
    /^old\.bin: the PUT URL expired at .* before it could be used; presign it again with a longer lifetime$/,
  );
  expect(t.server!.log.length).toBe(before);

  // Signed to end 10 s ago; the engine is told nothing about its expiry, the service refuses it.
  const start = Math.floor(Date.now() / 1000) - 100;
  const r = presign(
    { ...(t.base as PresignInput), key: 'x/old.bin', method: 'PUT', startTime: start, expires: 90 },
    { now: () => start * 1000 },
  );
  const stale = premadeSigner(new Map([['x/old.bin', { url: r.url, method: 'PUT', headers: r.headers }]]));
  await expect(
    uploadFiles(
      [{ file: f.file, name: 'old.bin', key: 'x/old.bin' }],
      engineOptions(t, { sign: stale, singlePutOnly: true }),
    ),
  ).rejects.toThrow(
    /^old\.bin: upload was refused with HTTP 403 AccessDenied.*; the URL expired \d+ ?s before it was used/,
  );
});
