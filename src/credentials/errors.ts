/**
 * The one error type of the credential sources. `field` names the input to fix, spelled as the
 * action's input (`role-arn`, `audience`, `role-duration`, …); the CLI and Pulumi map it to their
 * own names. Messages are one line, carry the provider's RequestId when there is one, and never
 * contain a token or secret key.
 */
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
  for (const s of secrets) if (s && s.length >= 4) t = t.split(s).join('***');
  // eslint-disable-next-line no-control-regex
  t = t.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return t.length > 300 ? t.slice(0, 300) + '…' : t;
}
