/**
 * The SigV4 / TOS4 signing steps, named as in the AWS spec. Pure functions over validated parts.
 *
 *   CanonicalRequest = method\n path\n query\n headers\n\n signedHeaders\n UNSIGNED-PAYLOAD
 *   StringToSign     = algorithm\n timestamp\n scope\n hex(SHA256(CanonicalRequest))
 *   kSigning         = HMAC chain over date, region, service, terminator
 *   Signature        = hex(HMAC-SHA256(kSigning, StringToSign))
 */
import { trimOws, uriEncode } from '../encoding';
import { hmacHexSigner, hmacSha256, sha256Hex } from '../hash';
import type { Pairs } from '../types';
import type { SigV4Scheme } from './schemes';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

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
    rows.sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0,
    );
  } else {
    rows.sort((a, b) => codePointCompare(a.raw, b.raw) || codePointCompare(a.rawValue, b.rawValue));
  }
  let out = '';
  for (let i = 0; i < rows.length; i++) out += (i ? '&' : '') + rows[i].name + '=' + rows[i].value;
  return out;
}

const OWS_RUNS = /[ \t]+/g;

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

export function canonicalRequest(
  method: string,
  path: string,
  query: string,
  headerBlock: string,
  signedHeaders: string,
): string {
  return `${method}\n${path}\n${query}\n${headerBlock}\n${signedHeaders}\n${UNSIGNED_PAYLOAD}`;
}

export function stringToSign(scheme: SigV4Scheme, timestamp: string, scope: string, canonical: string): string {
  return `${scheme.algorithm}\n${timestamp}\n${scope}\n${sha256Hex(canonical)}`;
}

/** kSigning = HMAC chain over date, region, service, terminator. */
export function signingKey(scheme: SigV4Scheme, secret: string, date: string, region: string): Buffer {
  const kDate = hmacSha256(scheme.secretPrefix + secret, date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, scheme.service);
  return hmacSha256(kService, scheme.terminator);
}

/** HMAC-SHA256 under kSigning, for one string (a batch prepares `hmacHexSigner` once instead). */
export function sigV4Signature(key: Buffer, sts: string): string {
  return hmacHexSigner('sha256', key)(sts);
}

/** The auth query pairs (no signature) of a presigned URL. */
export function authPairs(
  scheme: SigV4Scheme,
  a: {
    secretId: string;
    scope: string;
    timestamp: string;
    expires: number;
    signedHeaders: string;
    securityToken?: string;
  },
): Pairs {
  const P = scheme.params;
  const pairs: Pairs = [
    [P.algorithm, scheme.algorithm],
    [P.credential, `${a.secretId}/${a.scope}`],
    [P.date, a.timestamp],
    [P.expires, String(a.expires)],
    [P.signedHeaders, a.signedHeaders],
  ];
  if (a.securityToken !== undefined) pairs.push([P.securityToken, a.securityToken]);
  return pairs;
}
