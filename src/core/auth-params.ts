/**
 * The signers' own query parameters, defined once: the signers write them, `inspect` reads them,
 * validation refuses caller params that would shadow them, and the action masks their values.
 */
import type { Provider } from './types';

/** COS URL auth parameters, in the order the SDKs write them. */
export const COS_AUTH_PARAMS = {
  algorithm: 'q-sign-algorithm',
  accessKey: 'q-ak',
  signTime: 'q-sign-time',
  keyTime: 'q-key-time',
  headerList: 'q-header-list',
  paramList: 'q-url-param-list',
  signature: 'q-signature',
} as const;

/** COS session token: a signed query parameter (not an auth parameter: callers may pass it). */
export const COS_TOKEN_PARAM = 'x-cos-security-token';

export interface SigV4AuthParamNames {
  algorithm: string;
  credential: string;
  date: string;
  expires: string;
  signedHeaders: string;
  securityToken: string;
  signature: string;
}

/** SigV4 / TOS4 auth parameter names for a prefix (`X-Amz-`, `X-Tos-`). */
export function sigV4AuthParams<P extends string>(prefix: P) {
  return {
    algorithm: `${prefix}Algorithm`,
    credential: `${prefix}Credential`,
    date: `${prefix}Date`,
    expires: `${prefix}Expires`,
    signedHeaders: `${prefix}SignedHeaders`,
    securityToken: `${prefix}Security-Token`,
    signature: `${prefix}Signature`,
  } as const;
}

export const S3_AUTH_PARAMS = sigV4AuthParams('X-Amz-');
export const TOS_AUTH_PARAMS = { ...sigV4AuthParams('X-Tos-'), contentSha256: 'X-Tos-Content-Sha256' } as const;

/** Every auth parameter name per provider, as the signers spell them. */
export const AUTH_PARAM_NAMES: Record<Provider, readonly string[]> = {
  cos: Object.values(COS_AUTH_PARAMS),
  tos: Object.values(TOS_AUTH_PARAMS),
  s3: Object.values(S3_AUTH_PARAMS),
};

/** The same, lower-case: a caller-supplied param must not shadow any of them in any case. */
export const AUTH_PARAMS: Record<Provider, ReadonlySet<string>> = {
  cos: new Set(AUTH_PARAM_NAMES.cos.map((n) => n.toLowerCase())),
  tos: new Set(AUTH_PARAM_NAMES.tos.map((n) => n.toLowerCase())),
  s3: new Set(AUTH_PARAM_NAMES.s3.map((n) => n.toLowerCase())),
};

/** Parameters whose values are secret or signature material: `q-signature`, `X-Amz-Signature`, tokens. */
export const SECRET_PARAM_NAMES: readonly string[] = [
  COS_AUTH_PARAMS.signature,
  COS_TOKEN_PARAM,
  S3_AUTH_PARAMS.signature,
  S3_AUTH_PARAMS.securityToken,
  TOS_AUTH_PARAMS.signature,
  TOS_AUTH_PARAMS.securityToken,
];
