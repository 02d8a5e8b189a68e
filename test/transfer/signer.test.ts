/**
 * coreSigner reuses one batch presigner for a minute: every URL it hands out must still have at
 * least REQUEST_EXPIRES minus that minute left, must start no later than the clock, and must be
 * what a one-shot presign at the presigner's moment would give (so reuse changes speed only).
 */
import { presign } from '../../src/core/presign';
import type { PresignInput } from '../../src/core/types';
import { coreSigner, REQUEST_EXPIRES, SignBase } from '../../src/transfer/signer';

const base: SignBase = {
  provider: 's3',
  secretId: 'AKIDEXAMPLE0123456789',
  secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  bucket: 'examplebucket',
  region: 'us-east-1',
};
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

test('URLs are those of a presign at the moment the reused presigner was made, renewed after 60 s', async () => {
  let now = T0;
  const sign = coreSigner(base, () => now);
  const headers = { 'Content-Length': '3', 'Content-MD5': 'rL0Y20zC+Fzt72VPzMSk2A==' };
  const oneShot = (at: number, key: string) =>
    presign({ ...(base as PresignInput), key, method: 'PUT', expires: REQUEST_EXPIRES, headers }, { now: () => at });

  const first = await sign('PUT', 'a/one.bin', { headers });
  expect(first.url).toBe(oneShot(T0, 'a/one.bin').url);
  now = T0 + 59_999; // same presigner: the window still starts at T0
  const second = await sign('PUT', 'a/two.bin', { headers });
  expect(second.url).toBe(oneShot(T0, 'a/two.bin').url);
  expect(second.expiresAt!.getTime() - now).toBeGreaterThanOrEqual((REQUEST_EXPIRES - 60) * 1000);
  now = T0 + 60_000; // renewed: a fresh window from now
  const third = await sign('PUT', 'a/two.bin', { headers });
  expect(third.url).toBe(oneShot(now, 'a/two.bin').url);
  expect(third.expiresAt!.getTime()).toBe(now + REQUEST_EXPIRES * 1000);
  now = T0; // a clock that went back: never a URL dated in the future
  expect((await sign('PUT', 'a/two.bin', { headers })).url).toBe(oneShot(T0, 'a/two.bin').url);
});

test('method, headers and params are per request', async () => {
  const sign = coreSigner(base, () => T0);
  const put = await sign('PUT', 'k', { headers: { 'Content-Length': '1' } });
  const post = await sign('POST', 'k', { params: { uploads: '' } });
  expect(put.method).toBe('PUT');
  expect(put.headers).toMatchObject({ 'Content-Length': '1' });
  expect(post.method).toBe('POST');
  expect(post.url).toMatch(/[?&]uploads(=|&)/);
  expect(Object.keys(post.headers).map((h) => h.toLowerCase())).not.toContain('content-length');
});
