/**
 * AWS SigV4 query signing and Volcengine TOS4, one parameterised implementation: the two
 * differ only in the constants and the few rules of `SigV4Scheme`.
 */
import { uriEncode } from './encoding';
import { hmacHexSigner, hmacSha256, sha256Hex } from './hash';
import type { Pairs } from './validate';

export interface SigV4Scheme {
  algorithm: string;
  /** Prefix of the auth query parameters (`X-Amz-`, `X-Tos-`). */
  paramPrefix: string;
  service: string;
  terminator: string;
  /** Prepended to the secret for the first HMAC (`AWS4` for SigV4, nothing for TOS4). */
  secretPrefix: string;
  /** SigV4 sorts the canonical query by encoded name, the TOS SDKs by raw name. */
  sortBy: 'encoded' | 'raw';
  /** SigV4 trims and collapses header value whitespace; TOS signs values verbatim. */
  trimHeaderValues: boolean;
  /** Which caller headers a query signature covers (`host` is always signed). */
  signsHeader(lowerName: string): boolean;
}

export const S3_SIGV4: SigV4Scheme = {
  algorithm: 'AWS4-HMAC-SHA256',
  paramPrefix: 'X-Amz-',
  service: 's3',
  terminator: 'aws4_request',
  secretPrefix: 'AWS4',
  sortBy: 'encoded',
  trimHeaderValues: true,
  signsHeader: () => true,
};

export const TOS4: SigV4Scheme = {
  algorithm: 'TOS4-HMAC-SHA256',
  paramPrefix: 'X-Tos-',
  service: 'tos',
  terminator: 'request',
  secretPrefix: '',
  sortBy: 'raw',
  trimHeaderValues: false,
  // Python and Go SDKs: query auth signs host and x-tos-* only (never Content-Type).
  signsHeader: (n) => n.startsWith('x-tos-'),
};

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** `YYYYMMDDTHHMMSSZ` for unix seconds. */
let lastDate = { t: NaN, s: '' };

export function amzDate(unixSeconds: number): string {
  if (lastDate.t === unixSeconds) return lastDate.s;
  const iso = new Date(unixSeconds * 1000).toISOString(); // 2013-05-24T00:00:00.000Z
  const s = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
  lastDate = { t: unixSeconds, s };
  return s;
}

export function credentialScope(scheme: SigV4Scheme, date: string, region: string): string {
  return `${date}/${region}/${scheme.service}/${scheme.terminator}`;
}

/**
 * Code point order (= UTF-8 byte order, what the Go and Python TOS SDKs sort by). Plain `<` compares
 * UTF-16 units, which puts astral characters (surrogates) before U+E000-U+FFFF.
 */
export function codePointCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/** Encoded `name=value` pairs joined by `&`, in the scheme's order. Also the URL's query. */
export function canonicalQuery(scheme: SigV4Scheme, pairs: Pairs): string {
  const rows = pairs.map(([n, v]) => ({ raw: n, rawValue: v, name: uriEncode(n), value: uriEncode(v) }));
  if (scheme.sortBy === 'encoded') {
    rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  } else {
    rows.sort((a, b) => codePointCompare(a.raw, b.raw) || codePointCompare(a.rawValue, b.rawValue));
  }
  let out = '';
  for (let i = 0; i < rows.length; i++) out += (i ? '&' : '') + rows[i].name + '=' + rows[i].value;
  return out;
}

// HTTP optional whitespace is space and tab only; a client strips and a server folds nothing else
// (NBSP and other Unicode spaces are part of the value), as the AWS SDK v3 signer does.
const OWS_EDGES = /^[ \t]+|[ \t]+$/g;
const OWS_RUNS = /[ \t]+/g;

export function trimOws(value: string): string {
  return value.replace(OWS_EDGES, '');
}

export function canonicalHeaderValue(scheme: SigV4Scheme, value: string): string {
  return scheme.trimHeaderValues ? trimOws(value).replace(OWS_RUNS, ' ') : value;
}

/** Lower-cased names, sorted, as `SignedHeaders` and the canonical header block. */
export function canonicalHeaders(scheme: SigV4Scheme, headers: Pairs): { signedHeaders: string; block: string } {
  const rows = headers.map(([n, v]): [string, string] => [n.toLowerCase(), canonicalHeaderValue(scheme, v)]);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let block = '';
  let signedHeaders = '';
  for (let i = 0; i < rows.length; i++) {
    block += rows[i][0] + ':' + rows[i][1] + '\n';
    signedHeaders += (i ? ';' : '') + rows[i][0];
  }
  return { signedHeaders, block };
}

export function canonicalRequest(method: string, path: string, query: string, headerBlock: string, signedHeaders: string): string {
  return `${method}\n${path}\n${query}\n${headerBlock}\n${signedHeaders}\n${UNSIGNED_PAYLOAD}`;
}

export function stringToSign(scheme: SigV4Scheme, timestamp: string, scope: string, canonical: string): string {
  return `${scheme.algorithm}\n${timestamp}\n${scope}\n${sha256Hex(canonical)}`;
}

let lastKey: { id: string; key: Buffer } = { id: '', key: Buffer.alloc(0) };

/** kSigning = HMAC chain over date, region, service, terminator; the last one is kept for batches. */
export function signingKey(scheme: SigV4Scheme, secret: string, date: string, region: string): Buffer {
  // The service is part of the key (s3 and sts share the algorithm, so a URL batch and an STS call must not share a key).
  const id = `${scheme.algorithm}\n${scheme.service}\n${date}\n${region}\n${secret}`;
  if (lastKey.id === id) return lastKey.key;
  const kDate = hmacSha256(scheme.secretPrefix + secret, date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, scheme.service);
  const key = hmacSha256(kService, scheme.terminator);
  lastKey = { id, key };
  return key;
}

let lastSigner: { key: Buffer; sign: (data: string) => string } | undefined;

/** HMAC-SHA256 under kSigning; the key's pads are prepared once per signing key. */
export function sigV4Signature(key: Buffer, sts: string): string {
  if (lastSigner === undefined || !lastSigner.key.equals(key)) lastSigner = { key: Buffer.from(key), sign: hmacHexSigner('sha256', key) };
  return lastSigner.sign(sts);
}
