/** Refusal checks shared by the hardening suites: the right error type, field, and no secrets. */
import { presign, PresignError, PresignInput } from '../../src';
import type { PresignOptions } from '../../src';

/** Every field of PresignInput: a PresignError must name one of them. */
export const PRESIGN_INPUT_FIELDS: ReadonlySet<string> = new Set([
  'provider',
  'secretId',
  'secretKey',
  'securityToken',
  'bucket',
  'key',
  'region',
  'method',
  'expires',
  'startTime',
  'headers',
  'params',
  'signHost',
  'scheme',
  'domain',
  'accelerate',
  'keySimplifyCheck',
  'endpoint',
  'isCustomDomain',
  'forcePathStyle',
  'credentialExpiresAt',
]);

/** Runs presign and returns what it threw (or undefined). Anything but a PresignError fails the test. */
export function attempt(
  input: PresignInput,
  options?: PresignOptions,
): { ok: ReturnType<typeof presign> } | { error: PresignError } {
  try {
    return { ok: presign(input, options) };
  } catch (e) {
    if (!(e instanceof PresignError)) {
      throw new Error(
        `presign threw ${(e as Error)?.name ?? typeof e} instead of a PresignError: ${(e as Error)?.message}`,
      );
    }
    return { error: e };
  }
}

/** Secret material of an input that must never be echoed (8+ characters: shorter ones are matched as words only). */
export function secretsOf(input: PresignInput): string[] {
  return [input.secretKey, input.securityToken].filter((s): s is string => typeof s === 'string' && s.length >= 8);
}

/** The error leaks nothing: neither the message, the name nor the stack holds a secret, in any letter case. */
export function assertNoSecrets(err: PresignError, secrets: string[]): void {
  const text = `${err.name}\n${err.message}\n${err.stack ?? ''}\n${JSON.stringify(err)}`;
  const lower = text.toLowerCase();
  for (const s of secrets) {
    // also the trimmed form: credentials are refused for stray whitespace
    for (const form of [s, s.trim()]) {
      if (form.length >= 8 && lower.includes(form.toLowerCase()))
        throw new Error(`PresignError on field ${err.field} contains a secret value`);
    }
  }
}

/** presign must refuse the input with a PresignError naming `field`, without echoing secrets. */
export function expectRefused(input: PresignInput, field: string, options?: PresignOptions): PresignError {
  const r = attempt(input, options);
  if ('ok' in r)
    throw new Error(
      `expected a refusal on ${field}, got a URL for ${JSON.stringify({ ...input, secretKey: '<redacted>', securityToken: input.securityToken && '<redacted>' })}`,
    );
  expect(r.error.field).toBe(field);
  expect(r.error.message.startsWith(`${field}: `)).toBe(true);
  assertNoSecrets(r.error, secretsOf(input));
  return r.error;
}
