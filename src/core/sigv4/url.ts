/** A SigV4 / TOS4 presigned URL: the canonical query (caller params and auth pairs), then the signature. */
import { hmacHexSigner, hmacOnce } from '../hash';
import type { Batch, SigningRequest } from '../resolve/request';
import { amzDate } from '../time';
import { SIGV4_SCHEMES } from './schemes';
import {
  authPairs,
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  credentialScope,
  signingKey,
  stringToSign,
} from './sign';

export interface SigV4Steps {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

export interface SigV4UrlSigner {
  sign(r: SigningRequest): { url: string; steps: SigV4Steps };
}

/** Prepares a batch once (timestamp, scope, signing key, HMAC pads), then signs each request. */
export function sigV4UrlSigner(b: Batch, provider: 'tos' | 's3', once = false): SigV4UrlSigner {
  const scheme = SIGV4_SCHEMES[provider];
  const timestamp = amzDate(b.start);
  const date = timestamp.slice(0, 8);
  const scope = credentialScope(scheme, date, b.region);
  const key = signingKey(scheme, b.secretKey, date, b.region);
  // One URL: a plain HMAC; a batch: the key's pads prepared once.
  const hmac = once ? hmacOnce('sha256', key) : hmacHexSigner('sha256', key);
  const auth = (signedHeaders: string) =>
    authPairs(scheme, {
      secretId: b.secretId,
      scope,
      timestamp,
      expires: b.end - b.start,
      signedHeaders,
      securityToken: b.securityToken,
    });
  // Without caller params the canonical query depends only on the signed header names: keep the last.
  let lastSignedHeaders: string | undefined;
  let lastQuery = '';
  return {
    sign(r) {
      const e = b.endpoint;
      const { signedHeaders, block } = canonicalHeaders(scheme, [...r.signedHeaders, ['host', e.signedHost]]);
      let query: string;
      if (r.params.length > 0) query = canonicalQuery(scheme, [...r.params, ...auth(signedHeaders)]);
      else {
        if (signedHeaders !== lastSignedHeaders)
          [lastSignedHeaders, lastQuery] = [signedHeaders, canonicalQuery(scheme, auth(signedHeaders))];
        query = lastQuery;
      }
      const canonical = canonicalRequest(r.method, r.path, query, block, signedHeaders);
      const sts = stringToSign(scheme, timestamp, scope, canonical);
      const signature = hmac(sts);
      return {
        url: `${e.scheme}://${e.host}${r.path}?${query}&${scheme.params.signature}=${signature}`,
        steps: { canonicalRequest: canonical, stringToSign: sts, signature },
      };
    },
  };
}
