/**
 * The public signing entry points: `createPresigner` for batches, `presign` for one URL, and
 * `cosAuthorization` for the COS Authorization header value. All validate everything first and
 * return nothing half-made.
 */
import { cosSignedHeaders, cosUrlSigner } from './cos/url';
import { cosAuthorizationValue, cosSign, cosSigner, keyTime } from './cos/sign';
import { PresignError } from './errors';
import { batchDigest, cachedBatch, snapshot, storeBatch } from './presign-cache';
import { Batch, rebatch, resolveBatch, resolveKey, resolveRequest, SigningRequest } from './resolve/request';
import { sigV4UrlSigner } from './sigv4/url';
import type {
  Pairs,
  PresignedRequest,
  PresignerInput,
  PresignInput,
  PresignOptions,
  PresignOverrides,
  Presigner,
} from './types';

function headerRecord(pairs: Pairs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, v] of pairs) out[n] = v;
  return out;
}

/** The signing steps of one URL, named as in the specs (COS: httpString; SigV4: canonicalRequest). */
export interface PresignSteps {
  url: string;
  httpString?: string;
  canonicalRequest?: string;
  stringToSign: string;
  signature: string;
}

function urlSigner(b: Batch, once = false): (r: SigningRequest) => PresignSteps {
  if (b.provider === 'cos') {
    const s = cosUrlSigner(b, once);
    return (r) => {
      const { url, signature } = s.sign(r);
      return {
        url,
        httpString: signature.httpString,
        stringToSign: signature.stringToSign,
        signature: signature.signature,
      };
    };
  }
  const s = sigV4UrlSigner(b, b.provider, once);
  return (r) => {
    const { url, steps } = s.sign(r);
    return { url, ...steps };
  };
}

function result(r: SigningRequest, url: string): PresignedRequest {
  return {
    url,
    method: r.method,
    headers: headerRecord(r.signedHeaders),
    expiresAt: new Date(r.batch.expiresAt * 1000),
    warnings: r.warnings,
  };
}

/**
 * A signer for many URLs that share credentials, bucket, region/endpoint and validity window.
 * Validation, the host, the window (starting now), the signing key and its HMAC pads are done
 * once here; each `presign(key, overrides?)` then only encodes, canonicalises and hashes.
 * Throws `PresignError` for a bad shared input here, and for a bad key or override per URL.
 *
 * ```ts
 * const signer = createPresigner({ secretId, secretKey, bucket: 'examplebucket-1250000000', region: 'ap-guangzhou', expires: 3600 });
 * const urls = keys.map((key) => signer.presign(key).url);
 * ```
 */
export function createPresigner(base: PresignerInput, options?: PresignOptions): Presigner {
  const batch = resolveBatch(base as unknown as PresignInput, options);
  const sign = urlSigner(batch);
  return {
    presign(key: string, overrides?: PresignOverrides): PresignedRequest {
      const r = resolveKey(batch, key, overrides);
      return result(r, sign(r).url);
    },
  };
}

/**
 * Presigns one request. Throws `PresignError` (with `field` and `code`) on any invalid input.
 *
 * ```ts
 * const { url, headers } = presign({ secretId, secretKey, bucket: 'examplebucket-1250000000',
 *   region: 'ap-guangzhou', key: 'releases/app.tar.gz', method: 'PUT', expires: 3600,
 *   headers: { 'Content-Type': 'application/gzip' } });
 * ```
 *
 * Calls in a loop reuse what a recent call with the same credentials, target and window (to the
 * second) resolved and prepared (see presign-cache.ts; `clearPresignCache()` empties it). The
 * result is the same as without it; `createPresigner` is still faster for a batch.
 */
export function presign(input: PresignInput, options?: PresignOptions): PresignedRequest {
  // The clock is read once per call: the digest and the window must be of the same second.
  const nowMs = (options?.now ?? Date.now)();
  // Everything below reads `snap`, so what is cached is exactly what its digest describes.
  const snap = snapshot(input);
  const digest = snap === undefined ? undefined : batchDigest(snap, Math.floor(nowMs / 1000));
  if (snap === undefined || digest === undefined) {
    const batch = resolveBatch(input, { now: () => nowMs });
    const r = resolveKey(batch, input.key);
    return result(r, urlSigner(batch, true)(r).url);
  }
  const hit = cachedBatch(digest);
  if (hit !== undefined) {
    const plain = snap.method === undefined && snap.headers === undefined && snap.params === undefined;
    const r = resolveKey(plain ? hit.plain : rebatch(hit.plain, snap), snap.key);
    return result(r, hit.sign(r));
  }
  const batch = resolveBatch(snap, { now: () => nowMs });
  const steps = urlSigner(batch);
  const sign = (r: SigningRequest): string => steps(r).url;
  const r = resolveKey(batch, snap.key);
  const out = result(r, sign(r));
  // Only once a URL came out: a call that throws leaves nothing. What resolveBatch gives for an
  // absent method, headers and params: GET and none (the shared fields passed, so nothing throws).
  storeBatch(digest, { plain: rebatch(batch, {} as PresignInput), sign });
  return out;
}

/** `presign` with its intermediate strings, to tell which signing step differs from a reference. */
export function presignSteps(input: PresignInput, options?: PresignOptions): PresignSteps {
  const batch = resolveBatch(input, options);
  return urlSigner(batch, true)(resolveKey(batch, input.key));
}

/** The COS `Authorization` header value for a request, as the SDKs' `get_auth` returns it (no token). */
export function cosAuthorization(input: PresignInput, options?: PresignOptions): string {
  const r = resolveRequest({ ...input, provider: input.provider ?? 'cos' }, options);
  const b = r.batch;
  if (b.provider !== 'cos')
    throw new PresignError(
      'provider',
      'cosAuthorization signs COS requests only; use provider "cos" or call presign',
      'conflict',
    );
  const kt = keyTime(b.start, b.end);
  const sig = cosSign(cosSigner(b.secretKey, kt), kt, {
    method: r.method,
    httpUri: r.httpUri,
    params: r.params,
    headers: cosSignedHeaders(r),
  });
  return cosAuthorizationValue(b.secretId, kt, sig);
}
