/**
 * cos-presign: presigned URLs for Tencent COS (q-sign-algorithm=sha1), Volcengine TOS
 * (TOS4-HMAC-SHA256) and S3-compatible storage (AWS SigV4), on node:crypto only.
 */
export { presign, cosAuthorization } from './core/presign';
export { PresignError, isPresignError } from './core/errors';
export type { PresignInput, PresignedRequest, PresignOptions, Provider, HttpMethod } from './core/types';
export { PROVIDERS, METHODS } from './core/types';
export { DEFAULT_EXPIRES, MAX_EXPIRES } from './core/validate';
export { credentialsFromEnv, credentialEnvHint, CREDENTIAL_ENV } from './core/credentials';
export type { Credentials } from './core/credentials';
export { inspectUrl, verifyUrl, formatDuration, MAX_URL_LENGTH } from './core/inspect/index';
export type {
  InspectedUrl, InspectOptions, UrlParam, VerifyOptions, VerifyResult, VerifyReason, VerifyReasonCode, HeaderToSend, InspectNote, InspectNoteCode,
  PasteDamage, PasteDamageCode,
} from './core/inspect/index';
export { minimalPolicy, POLICY_LIMITS } from './core/policy';
export type { PolicyRequest, MinimalPolicy } from './core/policy';
