/**
 * Reading presigned URLs back, offline: `inspectUrl` (parse.ts) says what a COS, TOS or S3 URL
 * grants; `verifyUrl` (verify.ts) recomputes its signature and says why a server would refuse it.
 */
export { inspectUrl } from './parse';
export { verifyUrl, formatDuration } from './verify';
export { MAX_URL_LENGTH } from './url';
export type { PasteDamage, PasteDamageCode } from './damage';
export type {
  HeaderToSend,
  InspectedUrl,
  InspectNote,
  InspectNoteCode,
  InspectOptions,
  UrlParam,
  VerifyOptions,
  VerifyReason,
  VerifyReasonCode,
  VerifyResult,
} from './types';
