/**
 * The one error type of the credential sources. `field` names the input to fix, spelled as the
 * action's input (`role-arn`, `audience`, `role-duration`, …); the CLI and Pulumi map it to their
 * own names. Messages are one line, carry the provider's RequestId when there is one, and never
 * contain a token or secret key.
 */
import { MIN_REDACTED_SECRET_LENGTH } from '../core/redact';
import { escapeControls } from '../shared/text';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class StsError extends Error {
  readonly field: string;
  /** The provider's error code (`InvalidIdentityToken`, `AuthFailure.SignatureFailure`), or `network`. */
  readonly code: string;
  readonly requestId?: string;
  /** Throttling, 5xx and network failures: worth another attempt. */
  readonly retryable: boolean;
  constructor(field: string, message: string, opts: { code?: string; requestId?: string; retryable?: boolean } = {}) {
    super(`${field}: ${message}${opts.requestId ? ` (RequestId ${opts.requestId})` : ''}`);
    this.name = 'StsError';
    this.field = field;
    this.code = opts.code ?? '';
    this.requestId = opts.requestId;
    this.retryable = opts.retryable ?? false;
  }
}

export function isStsError(e: unknown): e is StsError {
  return e instanceof StsError;
}

/**
 * A provider message made safe to print: secrets cut out, control characters escaped, and
 * bounded. STS messages do not quote tokens, but nothing here relies on that.
 */
export function safeMessage(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let t = text;
  // Any letter case: a service may echo a value upper- or lower-cased.
  for (const s of secrets)
    if (s && s.length >= MIN_REDACTED_SECRET_LENGTH) t = t.replace(new RegExp(escapeRegExp(s), 'gi'), '***');
  t = escapeControls(t);
  return t.length > 300 ? t.slice(0, 300) + '…' : t;
}
