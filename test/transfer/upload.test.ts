/**
 * The upload engine against servers that check every signature with the official SDKs' signers
 * (COS, TOS) or SigV4 (s3rver): single PUT, multipart (12 MiB in 5 MiB parts), skip-unchanged,
 * the link check; every stored object read back through a separately signed GET.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { presign } from '../../src/core/presign';
import type { PresignInput, Provider } from '../../src/core/types';
import { uploadFiles } from '../../src/transfer/engine';
import { closeAgent } from '../../src/transfer/http';
import { checkLinks } from '../../src/transfer/links';
import { SMALL_FILE } from '../../src/transfer/single';
import { callContext } from '../../src/transfer/engine';
import { crc64Of } from '../helpers/object-server';
import { engineOptions, MiB, readBack, startTarget, Target, tempDir, transferFailure, writeRandom } from './harness';

afterAll(() => closeAgent());

describe.each(['cos', 'tos', 's3'] as Provider[])('%s', (provider) => {
  let t: Target;
  let dir: string;
  beforeAll(async () => {
    t = await startTarget(provider);
    dir = tempDir();
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('single PUTs and a multipart upload store byte-identical objects, checksums verified', async () => {
    const small = writeRandom(dir, 'small.txt', 1000);
    const mid = writeRandom(dir, 'dir/mid.bin', 3 * MiB + 17);
    const empty = writeRandom(dir, 'empty.dat', 0);
    const big = writeRandom(dir, 'big file.tar.gz', 12 * MiB + 5);
    const o = engineOptions(t, { multipartThreshold: 5 * MiB, partSize: 5 * MiB });
    const items = [
      { file: small.file, key: 'up/small.txt', headers: { 'Content-Type': 'text/plain' } },
      { file: mid.file, key: 'up/dir/mid.bin' },
      { file: empty.file, key: 'up/empty.dat' },
      { file: big.file, key: 'up/big file.tar.gz', headers: { 'Content-Type': 'application/gzip' } },
    ];
    const res = await uploadFiles(items, o);
    expect(res.map((r) => [r.key, r.size, r.parts])).toEqual([
      ['up/small.txt', 1000, 0],
      ['up/dir/mid.bin', 3 * MiB + 17, 0],
      ['up/empty.dat', 0, 0],
      ['up/big file.tar.gz', 12 * MiB + 5, 3],
    ]);
    for (const [i, data] of [small.data, mid.data, empty.data, big.data].entries()) {
      const back = await readBack(t, items[i].key);
      expect(back.status).toBe(200);
      expect(back.body.equals(data)).toBe(true);
      if (provider !== 's3') expect(res[i].checksum).toBe(`crc64ecma:${crc64Of(data)}`);
      else expect(res[i].checksum).toMatch(i === 3 ? /^md5:[0-9a-f]{32}-3$/ : /^md5:[0-9a-f]{32}$/);
    }
    if (t.server) expect(t.server.uploads.size).toBe(0);
    expect(o.lines.some((l) => l.startsWith('stored up/big file.tar.gz (12 MiB in 3 parts'))).toBe(true);
    expect(o.lines.join('\n')).not.toMatch(/https?:|signature|Signature/);
  });

  test('skip-unchanged sends a file again only when its content changed', async () => {
    const a = writeRandom(dir, 'skip/a.bin', 2000);
    const b = writeRandom(dir, 'skip/b.bin', 6 * MiB);
    const items = [
      { file: a.file, key: 'skip/a.bin' },
      { file: b.file, key: 'skip/b.bin' },
    ];
    const opts = { multipartThreshold: 5 * MiB, partSize: 5 * MiB, skipUnchanged: true };
    const first = await uploadFiles(items, engineOptions(t, opts));
    expect(first.map((r) => !!r.skipped)).toEqual([false, false]);
    const second = await uploadFiles(items, engineOptions(t, opts));
    expect(second.map((r) => !!r.skipped)).toEqual([true, true]);
    expect(second.map((r) => r.checksum)).toEqual(first.map((r) => r.checksum));
    const changed = writeRandom(dir, 'skip/a.bin', 2000);
    const third = await uploadFiles(items, engineOptions(t, opts));
    expect(third.map((r) => !!r.skipped)).toEqual([false, true]);
    expect((await readBack(t, 'skip/a.bin')).body.equals(changed.data)).toBe(true);
  });

  test('the link check fetches bytes=0-0 of each link; a broken link fails naming the key', async () => {
    const f = writeRandom(dir, 'link.bin', 100);
    await uploadFiles([{ file: f.file, key: 'links/ok.bin' }], engineOptions(t));
    const link = (key: string) => ({
      key,
      url: presign({ ...(t.base as PresignInput), key, method: 'GET', expires: 300 }).url,
    });
    const ctx = callContext(engineOptions(t, { retries: 0 }));
    await expect(checkLinks(ctx, [link('links/ok.bin')])).resolves.toBeUndefined();
    await expect(checkLinks(ctx, [link('links/ok.bin'), link('links/missing.bin')])).rejects.toThrow(
      /links\/missing\.bin: .*HTTP 404 NoSuchKey/,
    );
  });
});

describe('what is read from disk (cos test server)', () => {
  let t: Target;
  let dir: string;
  beforeAll(async () => {
    t = await startTarget('cos');
    dir = tempDir();
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('files at and just above the in-memory size take the read-whole and the streamed path alike', async () => {
    const atLimit = writeRandom(dir, 'edge/at.bin', SMALL_FILE);
    const above = writeRandom(dir, 'edge/above.bin', SMALL_FILE + 1);
    const items = [
      { file: atLimit.file, key: 'edge/at.bin' },
      { file: above.file, key: 'edge/above.bin' },
    ];
    const res = await uploadFiles(items, engineOptions(t));
    for (const [i, data] of [atLimit.data, above.data].entries()) {
      expect(res[i]).toMatchObject({ size: data.length, parts: 0, checksum: `crc64ecma:${crc64Of(data)}` });
      expect((await readBack(t, items[i].key)).body.equals(data)).toBe(true);
    }
  });

  test('a FIFO, a directory and a missing file fail naming the file, without blocking and without storing', async () => {
    const fifo = `${dir}/pipe`;
    execFileSync('mkfifo', [fifo]);
    fs.mkdirSync(`${dir}/adir`);
    for (const [file, reason] of [
      [fifo, /pipe: is not a regular file/],
      [`${dir}/adir`, /adir: is not a regular file/],
      [`${dir}/missing.bin`, /missing\.bin: cannot read it: ENOENT/],
    ] as const) {
      const before = t.server!.objects.size;
      const err = await transferFailure(uploadFiles([{ file, key: 'refused/x' }], engineOptions(t)));
      expect(err.message).toMatch(reason);
      expect(t.server!.objects.size).toBe(before);
    }
  });
});
