/** A COS presigned URL: the q-* auth pairs, then the caller's params and the token, all signed. */
import { COS_TOKEN_PARAM } from '../auth-params';
import { uriEncode } from '../encoding';
import { hmacOnce, hmacSha1Hex } from '../hash';
import type { Batch, SigningRequest } from '../resolve/request';
import type { Pairs } from '../types';
import { cosAuthPairs, cosSign, CosSignature, cosSigner, keyTime } from './sign';

export function encodePairs(pairs: Pairs): string {
  let s = '';
  for (let i = 0; i < pairs.length; i++) s += (i ? '&' : '') + uriEncode(pairs[i][0]) + '=' + uriEncode(pairs[i][1]);
  return s;
}

/** The headers COS signs for a request: the caller's signed ones, plus `host` when it is signed. */
export function cosSignedHeaders(r: SigningRequest): Pairs {
  return r.signHost ? [...r.signedHeaders, ['host', r.batch.endpoint.signedHost]] : r.signedHeaders;
}

/** The parts COS signs: temporary keys' token travels as a signed query parameter. */
export function cosParams(r: SigningRequest): Pairs {
  // The Python SDK's documented way: the token cannot be stripped or swapped without breaking the signature.
  const token = r.batch.securityToken;
  return token === undefined ? r.params : [...r.params, [COS_TOKEN_PARAM, token]];
}

export interface CosUrlSigner {
  /** The URL and the signature steps (for step-level tests and inspect). */
  sign(r: SigningRequest): { url: string; signature: CosSignature };
}

/**
 * Prepares a batch once (KeyTime, SignKey, HMAC pads), then signs each request with it. `once`:
 * a single URL, for which preparing the pads costs more than a plain HMAC.
 */
export function cosUrlSigner(b: Batch, once = false): CosUrlSigner {
  const kt = keyTime(b.start, b.end);
  const hmac = once ? hmacOnce('sha1', hmacSha1Hex(b.secretKey, kt)) : cosSigner(b.secretKey, kt);
  // Every q-* pair but q-signature depends only on the header and param lists: keep the last.
  let lastLists = '';
  let lastPrefix = '';
  return {
    sign(r) {
      const params = cosParams(r);
      const signature = cosSign(hmac, kt, {
        method: r.method,
        httpUri: r.httpUri,
        params,
        headers: cosSignedHeaders(r),
      });
      const lists = `${signature.headerList}\n${signature.paramList}`;
      if (lists !== lastLists || lastPrefix === '') {
        lastLists = lists;
        lastPrefix = encodePairs(cosAuthPairs(b.secretId, kt, signature).slice(0, -1)) + '&q-signature=';
      }
      const query = lastPrefix + signature.signature; // lower-case hex: nothing to encode
      const e = b.endpoint;
      return {
        url: `${e.scheme}://${e.host}${r.path}?${query}${params.length ? '&' + encodePairs(params) : ''}`,
        signature,
      };
    },
  };
}
