/**
 * End-to-end integrity: the service's checksum of a stored object against the one computed
 * locally while the bytes streamed. Pure.
 *
 * - COS `x-cos-hash-crc64ecma`, TOS `x-tos-hash-crc64ecma`: CRC-64/ECMA-182, decimal.
 * - S3: Content-MD5 on every request is what the service checks; the ETag is compared only when
 *   it has an MD5 form (32 hex for a single PUT; MD5 of the part MD5s with `-N` for multipart, or
 *   the whole-object MD5 some S3-compatible servers return). SSE-KMS and SSE-C ETags are not MD5s
 *   and are never compared.
 */
import { createHash } from 'node:crypto';
import type { Provider } from '../core/types';

export const CRC_HEADER: Record<'cos' | 'tos', string> = { cos: 'x-cos-hash-crc64ecma', tos: 'x-tos-hash-crc64ecma' };

export interface LocalSums {
  /** base64 MD5 of the whole object; '' when not computed (S3 multipart: the part MD5s stand for it). */
  md5: string;
  crc64?: string;
  /** base64 MD5 of each part, for multipart uploads. */
  partMd5s?: string[];
}

export function hexOfBase64(b64: string): string {
  return Buffer.from(b64, 'base64').toString('hex');
}

/** The AWS multipart ETag: MD5 of the concatenated binary part MD5s, `-N`. */
export function multipartEtag(partMd5s: string[]): string {
  const h = createHash('md5');
  for (const p of partMd5s) h.update(Buffer.from(p, 'base64'));
  return `${h.digest('hex')}-${partMd5s.length}`;
}

/** Whether the object is encrypted in a way that makes its ETag something other than an MD5. */
export function etagIsOpaque(headers: Record<string, string>, sent: Record<string, string>): boolean {
  // One pass over each header list, looking up two names case-insensitively.
  const find = (r: Record<string, string>, name: string) => {
    for (const n in r) if (n.length === name.length && n.toLowerCase() === name) return r[n];
    return undefined;
  };
  const sse = (
    find(headers, 'x-amz-server-side-encryption') ??
    find(sent, 'x-amz-server-side-encryption') ??
    ''
  ).toLowerCase();
  const customerKey = 'x-amz-server-side-encryption-customer-algorithm';
  return sse.startsWith('aws:kms') || find(headers, customerKey) !== undefined || find(sent, customerKey) !== undefined;
}

export type VerifyOutcome = { ok: true; checksum: string; compared: string } | { ok: false; reason: string };

/**
 * Compares the service's answer for a stored object with the local sums.
 * `headers` are the answer's headers (lower-case), `etag` the object's ETag.
 */
export function verifyStored(
  provider: Provider,
  headers: Record<string, string>,
  etag: string,
  local: LocalSums,
  sent: Record<string, string> = {},
): VerifyOutcome {
  if (provider === 'cos' || provider === 'tos') {
    const name = CRC_HEADER[provider];
    const remote = headers[name];
    const checksum = `crc64ecma:${local.crc64}`;
    if (remote === undefined || remote === '')
      return { ok: true, checksum, compared: `no ${name} in the answer; Content-MD5 was checked by the service` };
    if (remote.trim() !== local.crc64)
      return {
        ok: false,
        reason: `the service's CRC-64 (${name}: ${remote}) differs from the local one (${local.crc64}); the stored object is not the file`,
      };
    return { ok: true, checksum, compared: name };
  }
  // Multipart S3 uploads hash parts only: their checksum is the AWS multipart form.
  const md5hex = local.md5 ? hexOfBase64(local.md5) : '';
  const checksum = md5hex ? `md5:${md5hex}` : `md5:${multipartEtag(local.partMd5s ?? [])}`;
  const tag = etag.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  if (etagIsOpaque(headers, sent))
    return {
      ok: true,
      checksum,
      compared: 'ETag not compared (SSE-KMS/SSE-C ETags are not MD5s); Content-MD5 was checked by the service',
    };
  const multi = /^([0-9a-f]{32})-(\d+)$/.exec(tag);
  if (multi && local.partMd5s) {
    const want = multipartEtag(local.partMd5s);
    if (tag !== want)
      return {
        ok: false,
        reason: `the service's ETag (${tag}) differs from the MD5 of the part MD5s (${want}); the stored object is not the file`,
      };
    return { ok: true, checksum, compared: 'ETag (MD5 of part MD5s)' };
  }
  if (/^[0-9a-f]{32}$/.test(tag) && md5hex) {
    if (tag !== md5hex)
      return {
        ok: false,
        reason: `the service's ETag (${tag}) differs from the file's MD5 (${md5hex}); the stored object is not the file`,
      };
    return { ok: true, checksum, compared: 'ETag (MD5)' };
  }
  return { ok: true, checksum, compared: 'ETag not in an MD5 form; Content-MD5 was checked by the service' };
}
