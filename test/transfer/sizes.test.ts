/** Part sizes: provider minimums, at most 10,000 parts, sizes as people write them. */
import { GiB, KiB, MiB, parseSize, planParts, useMultipart } from '../../src/transfer/sizes';
import { multipartEtag, verifyStored } from '../../src/transfer/verify';
import { createHash } from 'node:crypto';

test('parseSize reads B, KiB, MiB, GiB, KB, MB, GB and bare bytes', () => {
  expect(parseSize('16MiB')).toBe(16 * MiB);
  expect(parseSize('100 MB')).toBe(100e6);
  expect(parseSize('1GiB')).toBe(GiB);
  expect(parseSize('5KB')).toBe(5000);
  expect(parseSize('512KiB')).toBe(512 * KiB);
  expect(parseSize('42')).toBe(42);
  expect(parseSize('7B')).toBe(7);
  expect(parseSize('16 MiBs')).toBeUndefined();
  expect(parseSize('-1MiB')).toBeUndefined();
  expect(parseSize('')).toBeUndefined();
});

test('planParts raises the part size to the provider minimum and to fit 10,000 parts', () => {
  expect(planParts(12 * MiB, 1 * MiB, 's3')).toEqual({ partSize: 5 * MiB, count: 3 });
  expect(planParts(12 * MiB, 1 * MiB, 'tos')).toEqual({ partSize: 4 * MiB, count: 3 });
  expect(planParts(12 * MiB, 1, 'cos')).toEqual({ partSize: 1000000, count: 13 });
  const huge = planParts(1000 * GiB, 16 * MiB, 's3');
  expect(huge.count).toBeLessThanOrEqual(10000);
  expect(huge.partSize % MiB).toBe(0);
  expect(planParts(160 * GiB, 16 * MiB, 'cos')).toEqual({
    partSize: 17 * MiB,
    count: Math.ceil((160 * GiB) / (17 * MiB)),
  });
  expect(() => planParts(60000 * GiB, 16 * MiB, 's3')).toThrow(/10000 parts/);
  expect(useMultipart(5 * GiB + 1, Infinity)).toBe(true);
  expect(useMultipart(100, 100)).toBe(false);
});

test('S3 ETags: compared only in an MD5 form; AWS multipart form checked against the part MD5s', () => {
  const md5 = (s: string) => createHash('md5').update(s).digest('base64');
  const parts = [md5('a'), md5('b')];
  const whole = md5('ab');
  expect(verifyStored('s3', {}, `"${multipartEtag(parts)}"`, { md5: whole, partMd5s: parts }).ok).toBe(true);
  expect(verifyStored('s3', {}, `"${multipartEtag([parts[1], parts[0]])}"`, { md5: whole, partMd5s: parts }).ok).toBe(
    false,
  );
  expect(verifyStored('s3', {}, '"' + Buffer.from(whole, 'base64').toString('hex') + '"', { md5: whole }).ok).toBe(
    true,
  );
  expect(verifyStored('s3', {}, '"ffffffffffffffffffffffffffffffff"', { md5: whole }).ok).toBe(false);
  // SSE-C / SSE-KMS: the ETag is not an MD5 and is not compared.
  expect(
    verifyStored(
      's3',
      { 'x-amz-server-side-encryption-customer-algorithm': 'AES256' },
      '"ffffffffffffffffffffffffffffffff"',
      { md5: whole },
    ).ok,
  ).toBe(true);
  expect(
    verifyStored('s3', { 'x-amz-server-side-encryption': 'aws:kms' }, '"ffffffffffffffffffffffffffffffff"', {
      md5: whole,
    }).ok,
  ).toBe(true);
  expect(verifyStored('s3', {}, '"opaque-etag"', { md5: whole }).ok).toBe(true);
  // Named in the headers sent rather than the answer, in any case; aws:kms:dsse too; AES256 (SSE-S3) keeps an MD5 ETag.
  const wrong = '"ffffffffffffffffffffffffffffffff"';
  expect(verifyStored('s3', {}, wrong, { md5: whole }, { 'X-Amz-Server-Side-Encryption': 'aws:kms:dsse' }).ok).toBe(
    true,
  );
  expect(
    verifyStored('s3', {}, wrong, { md5: whole }, { 'X-AMZ-Server-Side-Encryption-Customer-Algorithm': 'AES256' }).ok,
  ).toBe(true);
  expect(verifyStored('s3', { 'x-amz-server-side-encryption': 'AES256' }, wrong, { md5: whole }).ok).toBe(false);
  expect(verifyStored('s3', {}, wrong, { md5: whole }, { 'X-Amz-Server-Side-Encryption': 'AES256' }).ok).toBe(false);
});
