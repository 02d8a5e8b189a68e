/**
 * The one error type the signing core throws. `field` names the input at fault (a field of
 * `PresignInput`, e.g. `key`, `headers`, `expires`) so front ends can point at the option the
 * user typed; `code` says what kind of fault it is, stably (front ends and tests decide on it,
 * not on wording); `detail` says what is wrong and what to do. `message` is `field: detail`.
 * Messages never contain secret values.
 */
export type PresignErrorCode =
  /** A required input is missing. */
  | 'required'
  /** The value has the wrong type or shape, or is not one of the accepted values. */
  | 'invalid'
  /** A number or time outside what can be signed. */
  | 'out-of-range'
  /** Two inputs (or two entries of one) contradict each other. */
  | 'conflict'
  /** Signing would give a URL that cannot work, or works elsewhere than asked. */
  | 'unsafe'
  /** The credentials or the validity window already ended. */
  | 'expired';

export class PresignError extends Error {
  readonly field: string;
  readonly code: PresignErrorCode;
  readonly detail: string;
  constructor(field: string, detail: string, code: PresignErrorCode = 'invalid') {
    super(`${field}: ${detail}`);
    this.name = 'PresignError';
    this.field = field;
    this.code = code;
    this.detail = detail;
  }
}

export function isPresignError(e: unknown): e is PresignError {
  return e instanceof PresignError;
}
