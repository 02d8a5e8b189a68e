/**
 * The public signing entry points: `presign` for URLs, `cosAuthorization` for the COS
 * Authorization header value. Both validate everything first and return nothing half-made.
 */
import { uriEncode } from './encoding';
import { cosAuthorizationValue, cosAuthPairs, cosSign, CosSignature, keyTime } from './cos';
import { resolveRequest, SIGV4_SCHEMES, SigningRequest } from './request';
import { amzDate, canonicalHeaders, canonicalQuery, canonicalRequest, credentialScope, signingKey, sigV4Signature, SigV4Scheme, stringToSign } from './sigv4';
import { PresignedRequest, PresignInput, PresignOptions } from './types';
import { PresignError } from './errors';
import type { Pairs } from './validate';

function headerRecord(pairs: Pairs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, v] of pairs) out[n] = v;
  return out;
}

function encodePairs(pairs: Pairs): string {
  let s = '';
  for (let i = 0; i < pairs.length; i++) s += (i ? '&' : '') + uriEncode(pairs[i][0]) + '=' + uriEncode(pairs[i][1]);
  return s;
}

function cosHeaders(r: SigningRequest): Pairs {
  return r.signHost ? [...r.signedHeaders, ['host', r.endpoint.signedHost]] : r.signedHeaders;
}

// Every q-* pair but q-signature is the same for all URLs of a batch: encode them once.
let lastCosAuthQuery = { id: '', prefix: '' };

function cosAuthQuery(secretId: string, kt: string, sig: CosSignature): string {
  const id = `${secretId}\0${kt}\0${sig.headerList}\0${sig.paramList}`;
  if (lastCosAuthQuery.id !== id) {
    const pairs = cosAuthPairs(secretId, kt, sig);
    lastCosAuthQuery = { id, prefix: encodePairs(pairs.slice(0, -1)) + '&q-signature=' };
  }
  return lastCosAuthQuery.prefix + sig.signature; // lower-case hex: nothing to encode
}

function presignCos(r: SigningRequest): string {
  const kt = keyTime(r.start, r.end);
  // Temporary keys: the token travels as a signed query parameter (the Python SDK's documented
  // way), so it cannot be stripped or swapped without breaking the signature.
  const params: Pairs = r.securityToken === undefined ? r.params : [...r.params, ['x-cos-security-token', r.securityToken]];
  const sig = cosSign(r.secretKey, kt, { method: r.method, httpUri: r.httpUri, params, headers: cosHeaders(r) });
  const query = cosAuthQuery(r.secretId, kt, sig);
  return `${r.endpoint.scheme}://${r.endpoint.host}${r.path}?${query}${params.length ? '&' + encodePairs(params) : ''}`;
}

function authPairs(scheme: SigV4Scheme, r: SigningRequest, scope: string, timestamp: string, signedHeaders: string): Pairs {
  const P = scheme.paramPrefix;
  const auth: Pairs = [
    [`${P}Algorithm`, scheme.algorithm],
    [`${P}Credential`, `${r.secretId}/${scope}`],
    [`${P}Date`, timestamp],
    [`${P}Expires`, String(r.end - r.start)],
    [`${P}SignedHeaders`, signedHeaders],
  ];
  if (r.securityToken !== undefined) auth.push([`${P}Security-Token`, r.securityToken]);
  return auth;
}

// Without caller params the canonical query is the same for every URL of a batch.
let lastAuthQuery = { id: '', query: '' };

function authQuery(scheme: SigV4Scheme, r: SigningRequest, scope: string, timestamp: string, signedHeaders: string): string {
  const id = `${scheme.algorithm}\0${r.secretId}\0${scope}\0${timestamp}\0${r.end - r.start}\0${signedHeaders}\0${r.securityToken ?? '\0'}`;
  if (lastAuthQuery.id !== id) lastAuthQuery = { id, query: canonicalQuery(scheme, authPairs(scheme, r, scope, timestamp, signedHeaders)) };
  return lastAuthQuery.query;
}

function presignSigV4(r: SigningRequest, provider: 'tos' | 's3'): string {
  const scheme = SIGV4_SCHEMES[provider];
  const timestamp = amzDate(r.start);
  const date = timestamp.slice(0, 8);
  const scope = credentialScope(scheme, date, r.region);
  const { signedHeaders, block } = canonicalHeaders(scheme, [...r.signedHeaders, ['host', r.endpoint.signedHost]]);
  const query = r.params.length === 0
    ? authQuery(scheme, r, scope, timestamp, signedHeaders)
    : canonicalQuery(scheme, [...r.params, ...authPairs(scheme, r, scope, timestamp, signedHeaders)]);
  const canonical = canonicalRequest(r.method, r.path, query, block, signedHeaders);
  const sts = stringToSign(scheme, timestamp, scope, canonical);
  const signature = sigV4Signature(signingKey(scheme, r.secretKey, date, r.region), sts);
  return `${r.endpoint.scheme}://${r.endpoint.host}${r.path}?${query}&${scheme.paramPrefix}Signature=${signature}`;
}

/**
 * Presigns one request. Throws `PresignError` (with `field`) on any invalid input.
 *
 * ```ts
 * const { url, headers } = presign({ secretId, secretKey, bucket: 'examplebucket-1250000000',
 *   region: 'ap-guangzhou', key: 'releases/app.tar.gz', method: 'PUT', expires: 3600,
 *   headers: { 'Content-Type': 'application/gzip' } });
 * ```
 */
export function presign(input: PresignInput, options?: PresignOptions): PresignedRequest {
  const r = resolveRequest(input, options);
  const url = r.provider === 'cos' ? presignCos(r) : presignSigV4(r, r.provider);
  return {
    url,
    method: r.method,
    headers: headerRecord(r.signedHeaders),
    expiresAt: new Date(r.expiresAt * 1000),
    warnings: r.warnings,
  };
}

/** The COS `Authorization` header value for a request, as the SDKs' `get_auth` returns it (no token). */
export function cosAuthorization(input: PresignInput, options?: PresignOptions): string {
  const r = resolveRequest({ ...input, provider: input.provider ?? 'cos' }, options);
  if (r.provider !== 'cos') throw new PresignError('provider', 'cosAuthorization signs COS requests only; use provider "cos" or call presign');
  const kt = keyTime(r.start, r.end);
  const sig = cosSign(r.secretKey, kt, { method: r.method, httpUri: r.httpUri, params: r.params, headers: cosHeaders(r) });
  return cosAuthorizationValue(r.secretId, kt, sig);
}
