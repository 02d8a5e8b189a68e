/**
 * The one error type the signing core throws. `field` names the input at fault (a field of
 * `PresignInput`, e.g. `key`, `headers`, `expires`) so front ends can point at the option the
 * user typed; the message says what to do. Messages never contain secret values.
 */
export class PresignError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'PresignError';
    this.field = field;
  }
}

export function isPresignError(e: unknown): e is PresignError {
  return e instanceof PresignError;
}
