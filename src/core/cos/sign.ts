/**
 * Tencent COS request signature, `q-sign-algorithm=sha1` (COS API doc "Request Signature";
 * cos-python-sdk-v5 `CosS3Auth`). Pure functions over already-validated parts.
 *
 *   KeyTime      = start;end
 *   SignKey      = hex(HMAC-SHA1(SecretKey, KeyTime))
 *   HttpString   = lower(method)\n HttpURI\n HttpParameters\n HttpHeaders\n
 *   StringToSign = sha1\n KeyTime\n hex(SHA1(HttpString))\n
 *   Signature    = hex(HMAC-SHA1(SignKey as hex text, StringToSign))
 */
import { COS_AUTH_PARAMS } from '../auth-params';
import { uriEncode } from '../encoding';
import { hmacHexSigner, hmacSha1Hex, sha1Hex } from '../hash';
import type { Pairs } from '../types';

/** Headers COS signs besides `x-cos-*` and `x-ci-*` (same list in the Python, Node and Java SDKs). */
const COS_SIGNED_HEADER_NAMES = new Set([
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-type',
  'content-md5',
  'content-length',
  'expect',
  'expires',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-unmodified-since',
  'origin',
  'range',
  'transfer-encoding',
  'pic-operations',
]);

export function isCosSignedHeader(lowerName: string): boolean {
  return COS_SIGNED_HEADER_NAMES.has(lowerName) || lowerName.startsWith('x-cos-') || lowerName.startsWith('x-ci-');
}

export function keyTime(start: number, end: number): string {
  return `${start};${end}`;
}

/** `name=value` pairs as COS canonicalises them, plus the `;`-joined name list. */
export function cosCanonicalPairs(pairs: Pairs): { joined: string; list: string } {
  const encoded = pairs.map(([n, v]): [string, string] => [uriEncode(n).toLowerCase(), uriEncode(v)]);
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let joined = '';
  let list = '';
  for (let i = 0; i < encoded.length; i++) {
    if (i > 0) {
      joined += '&';
      list += ';';
    }
    joined += encoded[i][0] + '=' + encoded[i][1];
    list += encoded[i][0];
  }
  return { joined, list };
}

export interface CosSigningParts {
  method: string;
  /** Raw (not encoded) path starting with `/`. */
  httpUri: string;
  /** Query parameters to sign. */
  params: Pairs;
  /** Headers to sign, `host` included when it is signed. */
  headers: Pairs;
}

export interface CosSignature {
  httpString: string;
  stringToSign: string;
  headerList: string;
  paramList: string;
  signature: string;
}

/** HMAC-SHA1 under the SignKey of a KeyTime (the SignKey's hex text is the key), pads prepared once. */
export function cosSigner(secretKey: string, kt: string): (stringToSign: string) => string {
  return hmacHexSigner('sha1', hmacSha1Hex(secretKey, kt));
}

/** Signs with a prepared signer (a batch), or with the secret key itself (one request). */
export function cosSign(
  signer: string | ((stringToSign: string) => string),
  kt: string,
  parts: CosSigningParts,
): CosSignature {
  const sign = typeof signer === 'string' ? cosSigner(signer, kt) : signer;
  const p = cosCanonicalPairs(parts.params);
  const h = cosCanonicalPairs(parts.headers);
  const httpString = `${parts.method.toLowerCase()}\n${parts.httpUri}\n${p.joined}\n${h.joined}\n`;
  const stringToSign = `sha1\n${kt}\n${sha1Hex(httpString)}\n`;
  return { httpString, stringToSign, headerList: h.list, paramList: p.list, signature: sign(stringToSign) };
}

/** The Authorization pairs in the order the SDKs write them (values not URL-encoded). */
export function cosAuthPairs(secretId: string, kt: string, sig: CosSignature): Pairs {
  const P = COS_AUTH_PARAMS;
  return [
    [P.algorithm, 'sha1'],
    [P.accessKey, secretId],
    [P.signTime, kt],
    [P.keyTime, kt],
    [P.headerList, sig.headerList],
    [P.paramList, sig.paramList],
    [P.signature, sig.signature],
  ];
}

/** The `Authorization` header value, as `get_auth` returns it. */
export function cosAuthorizationValue(secretId: string, kt: string, sig: CosSignature): string {
  return cosAuthPairs(secretId, kt, sig)
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
}
