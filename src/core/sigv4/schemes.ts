/**
 * AWS SigV4 (S3) and Volcengine TOS4 as data: the two differ only in these constants and rules,
 * and one implementation (./sign.ts) signs both.
 */
import { S3_AUTH_PARAMS, SigV4AuthParamNames, TOS_AUTH_PARAMS } from '../auth-params';

export interface SigV4Scheme {
  algorithm: string;
  /** Prefix of the auth query parameters (`X-Amz-`, `X-Tos-`). */
  paramPrefix: 'X-Amz-' | 'X-Tos-';
  /** The auth parameter names (see ../auth-params.ts). */
  params: SigV4AuthParamNames;
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
  params: S3_AUTH_PARAMS,
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
  params: TOS_AUTH_PARAMS,
  service: 'tos',
  terminator: 'request',
  secretPrefix: '',
  sortBy: 'raw',
  trimHeaderValues: false,
  // Python and Go SDKs: query auth signs host and x-tos-* only (never Content-Type).
  signsHeader: (n) => n.startsWith('x-tos-'),
};

export const SIGV4_SCHEMES: Record<'tos' | 's3', SigV4Scheme> = { tos: TOS4, s3: S3_SIGV4 };
