/**
 * uploadGrant: what `scope: objects` grants in upload mode, decided from the files' keys and sizes
 * by the engine's own multipart rule (above multipart-threshold, and always above 5 GiB).
 */
import { uploadGrant, UploadSettings } from '../../src/action/upload-inputs';

const MiB = 1024 * 1024;
const settings = (threshold: number): UploadSettings => ({
  baseDir: '/w',
  concurrency: 4,
  retries: 5,
  multipartThreshold: threshold,
  partSize: 16 * MiB,
  skipUnchanged: false,
  verifyLinks: true,
});

test('PUT, HEAD and GET on exactly the given keys, in order', () => {
  expect(
    uploadGrant(
      [
        { key: 'r/a', size: 1 },
        { key: 'r/b', size: 2 },
      ],
      settings(100 * MiB),
    ),
  ).toEqual({
    keys: ['r/a', 'r/b'],
    methods: ['PUT', 'HEAD', 'GET'],
    multipart: false,
  });
});

test('multipart only when a file is above the threshold (a file exactly at it is one PUT)', () => {
  const t = 100 * MiB;
  expect(uploadGrant([{ key: 'a', size: t }], settings(t)).multipart).toBe(false);
  expect(
    uploadGrant(
      [
        { key: 'a', size: 1 },
        { key: 'b', size: t + 1 },
      ],
      settings(t),
    ).multipart,
  ).toBe(true);
});

test('always multipart above 5 GiB, whatever the threshold', () => {
  const big = 5 * 1024 * MiB + 1;
  expect(uploadGrant([{ key: 'iso', size: big }], settings(Number.MAX_SAFE_INTEGER)).multipart).toBe(true);
});
