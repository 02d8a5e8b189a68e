/**
 * Reading service answers. COS and S3 answer in XML, TOS in JSON; both shapes carry `Code`,
 * `Message` and `RequestId`. Pure.
 */
import type { Provider } from '../core/types';
import type { HttpResponse } from './http';

export interface ServiceError {
  status: number;
  code: string;
  message: string;
  requestId: string;
}

function xmlField(text: string, name: string): string {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text);
  return m ? unescapeXml(m[1].trim()) : '';
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function jsonBody(text: string): Record<string, unknown> | undefined {
  const t = text.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(t);
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** `Code`, `Message`, `RequestId` from an error document, XML or JSON; '' where absent. */
export function errorFields(res: HttpResponse): ServiceError {
  const j = jsonBody(res.text);
  const requestId =
    res.headers['x-cos-request-id'] ?? res.headers['x-tos-request-id'] ?? res.headers['x-amz-request-id'] ?? '';
  if (j)
    return {
      status: res.status,
      code: String(j.Code ?? ''),
      message: String(j.Message ?? ''),
      requestId: String(j.RequestId ?? requestId),
    };
  return {
    status: res.status,
    code: xmlField(res.text, 'Code'),
    message: xmlField(res.text, 'Message'),
    requestId: xmlField(res.text, 'RequestId') || requestId,
  };
}

/**
 * A 200 answer that is an error (COS and S3 on CompleteMultipartUpload: the status is sent before
 * the merge ends, the outcome comes in the body). True when the body is an `<Error>` document
 * (or TOS JSON with a `Code`).
 */
export function isErrorBody(text: string): boolean {
  const t = text.trim();
  if (/^(<\?xml[^>]*\?>\s*)?<Error>/.test(t)) return true;
  const j = jsonBody(t);
  return !!j && typeof j.Code === 'string' && j.Code !== '';
}

/** The UploadId of an InitiateMultipartUpload answer (XML or TOS JSON). */
export function uploadIdOf(text: string): string {
  const j = jsonBody(text);
  if (j) return typeof j.UploadId === 'string' ? j.UploadId : '';
  return xmlField(text, 'UploadId');
}

/** The CompleteMultipartUpload body: XML for COS/S3, JSON for TOS. */
export function completeBody(provider: Provider, parts: Array<{ partNumber: number; etag: string }>): string {
  if (provider === 'tos')
    return JSON.stringify({ Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) });
  return (
    '<CompleteMultipartUpload>' +
    parts
      .map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${escapeXml(p.etag)}</ETag></Part>`)
      .join('') +
    '</CompleteMultipartUpload>'
  );
}

/** The ETag of a completed upload: a header (TOS, COS) or in the body (S3 `<ETag>`). */
export function completedEtag(res: HttpResponse): string {
  const j = jsonBody(res.text);
  if (j && typeof j.ETag === 'string') return j.ETag;
  return xmlField(res.text, 'ETag') || res.headers.etag || '';
}

/** Throttling, timeouts and server-side errors the services ask clients to retry. */
const RETRYABLE_CODES = new Set([
  'RequestTimeout',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequests',
  'RequestLimitExceeded',
  'InternalError',
  'ServiceUnavailable',
  'ExceedAccountQPSLimit',
  'ExceedBucketQPSLimit',
  'UserNetworkTooSlow',
]);

export function isRetryableAnswer(e: ServiceError): boolean {
  if (e.status === 429 || e.status >= 500) return true;
  return RETRYABLE_CODES.has(e.code);
}

/** Why a request was refused, in words a person can act on (never quoting the URL). */
export function explainRefusal(e: ServiceError, what: string): string {
  const tail = `${e.code ? ` ${e.code}` : ''}${e.message ? `: ${e.message}` : ''}${e.requestId ? ` (request id ${e.requestId})` : ''}`;
  let why = '';
  if (e.status === 403) {
    if (/SignatureDoesNotMatch/i.test(e.code))
      why =
        "; the service computed another signature: check that the secret key belongs to the access key id, the region and endpoint are the bucket's, and nothing between (a proxy) changes the host or headers";
    else if (/expired/i.test(e.message) || /Expired/i.test(e.code))
      why = '; the URL had expired when it arrived: presign again (with a longer lifetime), or check the clock';
    else if (/RequestTimeTooSkewed/i.test(e.code))
      why = "; this machine's clock differs too much from the service's: sync it (NTP)";
    else if (/InvalidAccessKeyId|InvalidSecretId/i.test(e.code))
      why = '; the access key id is unknown to the service: check it, and that it is for this provider';
    else
      why =
        '; the credentials may not do this: grant the upload permissions on this key (PutObject, and for multipart Initiate/UploadPart/Complete/AbortMultipartUpload)';
  } else if (e.status === 404 && /NoSuchBucket/.test(e.code)) {
    why = '; the bucket does not exist at this region/endpoint';
  } else if (/BadDigest|InvalidDigest/i.test(e.code)) {
    why =
      '; the body the service received does not match the Content-MD5 signed for it (the file changed, or bytes were corrupted on the way)';
  }
  return `${what} was refused with HTTP ${e.status}${tail}${why}`;
}
