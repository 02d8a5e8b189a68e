/**
 * TC3-HMAC-SHA256, the Tencent Cloud API v3 signature (signature v3 documentation, e.g.
 * tencentcloud.com/document/api/1150/49447). Pure: the caller passes the clock and the body.
 *
 * Signed headers are `content-type;host`, as tencentcloud-sdk-nodejs signs them; the host is
 * the host name without port (the SDK signs `URL.hostname`).
 */
import { createHmac } from 'node:crypto';
import { sha256Hex } from '../hash';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

export interface Tc3Request {
  secretId: string;
  secretKey: string;
  /** The API's service, the first label of its host (`sts` for sts.tencentcloudapi.com). */
  service: string;
  /** Host name as sent (without port). */
  host: string;
  /** Unix seconds; also the X-TC-Timestamp header. The credential scope date is its UTC day. */
  timestamp: number;
  /** The exact body bytes that will be sent (a JSON text for POST). */
  payload: string;
  /** Default `application/json`. */
  contentType?: string;
  /** Default `POST`. */
  method?: 'POST' | 'GET';
  /** Canonical query string (GET only); empty for POST. */
  query?: string;
  /** Default `/`. */
  path?: string;
}

export interface Tc3Signature {
  /** The `Authorization` header value. */
  authorization: string;
  /** Intermediate values, for tests and debugging (contain no secret). */
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  credentialScope: string;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** `YYYY-MM-DD`, the UTC day of a unix time. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function tc3Sign(r: Tc3Request): Tc3Signature {
  const method = r.method ?? 'POST';
  const contentType = r.contentType ?? 'application/json';
  const signedHeaders = 'content-type;host';
  const canonicalRequest = [
    method,
    r.path ?? '/',
    method === 'GET' ? (r.query ?? '') : '',
    `content-type:${contentType}\nhost:${r.host}\n`,
    signedHeaders,
    sha256Hex(r.payload),
  ].join('\n');
  const date = tc3Date(r.timestamp);
  const credentialScope = `${date}/${r.service}/tc3_request`;
  const stringToSign = `${TC3_ALGORITHM}\n${r.timestamp}\n${credentialScope}\n${sha256Hex(canonicalRequest)}`;
  const kDate = hmac('TC3' + r.secretKey, date);
  const kService = hmac(kDate, r.service);
  const kSigning = hmac(kService, 'tc3_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  const authorization = `${TC3_ALGORITHM} Credential=${r.secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { authorization, canonicalRequest, stringToSign, signature, credentialScope };
}
