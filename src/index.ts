/**
 * cos-presign: presigned URLs for Tencent COS (q-sign-algorithm=sha1), Volcengine TOS
 * (TOS4-HMAC-SHA256) and S3-compatible storage (AWS SigV4), on node:crypto only.
 */
export { createPresigner, presign, cosAuthorization } from './core/presign';
export { clearPresignCache } from './core/presign-cache';
export { PresignError, isPresignError } from './core/errors';
export type { PresignErrorCode } from './core/errors';
export type {
  PresignInput,
  PresignedRequest,
  PresignOptions,
  Provider,
  HttpMethod,
  Presigner,
  PresignerInput,
  PresignOverrides,
  Pairs,
} from './core/types';
export { PROVIDERS, METHODS } from './core/types';
export { COS_MAX_EXPIRES, DEFAULT_EXPIRES, MAX_EXPIRES } from './core/resolve/window';
export {
  AUTH_PARAM_NAMES,
  COS_AUTH_PARAMS,
  COS_TOKEN_PARAM,
  S3_AUTH_PARAMS,
  SECRET_PARAM_NAMES,
  TOS_AUTH_PARAMS,
} from './core/auth-params';
export { credentialsFromEnv, credentialEnvHint, otherProviderCredentials, CREDENTIAL_ENV } from './core/credentials';
export { COS_REGIONS, cosRegionWarning } from './core/cos/regions';
export type { Credentials } from './core/credentials';
export { inspectUrl, verifyUrl, formatDuration, MAX_URL_LENGTH } from './core/inspect/index';
export type {
  InspectedUrl,
  InspectOptions,
  UrlParam,
  VerifyOptions,
  VerifyResult,
  VerifyReason,
  VerifyReasonCode,
  HeaderToSend,
  InspectNote,
  InspectNoteCode,
  PasteDamage,
  PasteDamageCode,
} from './core/inspect/index';
export { minimalPolicy, POLICY_LIMITS } from './core/policy';
export type { PolicyRequest, MinimalPolicy } from './core/policy';
