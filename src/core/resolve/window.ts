/**
 * The validity window: lifetime, start, and the cut to a temporary credential's expiry. All in
 * unix seconds; every bound is checked so no window overflows a date or is already over.
 */
import { PresignError } from '../errors';
import { describeValue, MAX_UNIX_SECONDS, parseIsoTime } from '../time';
import type { PresignInput, Provider } from '../types';

export const DEFAULT_EXPIRES: Record<Provider, number> = { cos: 300, tos: 3600, s3: 900 };
/**
 * Longest COS lifetime accepted: 10 years (315,360,000 s). COS itself sets no limit, but a longer
 * URL is a credential nobody will remember to revoke, and far-future ends overflow dates.
 */
export const COS_MAX_EXPIRES = 10 * 365 * 86400;
export const MAX_EXPIRES: Record<Provider, number> = {
  cos: COS_MAX_EXPIRES,
  tos: 2592000, // current Volcengine limit (30 days)
  s3: 604800, // SigV4: 7 days
};

function wholeSeconds(value: unknown, field: string, min: number): number {
  if (typeof value === 'bigint') {
    throw new PresignError(field, `must be a number, got ${describeValue(value)}; pass Number(value)`, 'invalid');
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new PresignError(
      field,
      `must be a whole number of seconds${min > 0 ? ' greater than 0' : ' (unix time)'}, got ${describeValue(value)}`,
    );
  }
  return value;
}

function expires(value: unknown, p: Provider): number {
  if (value === undefined) return DEFAULT_EXPIRES[p];
  const e = wholeSeconds(value, 'expires', 1);
  if (e > MAX_EXPIRES[p]) {
    const days = MAX_EXPIRES[p] / 86400;
    throw new PresignError(
      'expires',
      p === 's3'
        ? `exceeds 604800 seconds (7 days); SigV4 presigned URLs cannot be valid longer. Use at most 604800`
        : p === 'cos'
          ? `exceeds ${MAX_EXPIRES.cos} seconds (10 years), the longest lifetime this toolkit signs for COS; use at most ${MAX_EXPIRES.cos}`
          : `exceeds ${MAX_EXPIRES[p]} seconds (${days} days), the longest ${p.toUpperCase()} accepts`,
      'out-of-range',
    );
  }
  return e;
}

function startTime(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const t = wholeSeconds(value, 'startTime', 0);
  if (t > MAX_UNIX_SECONDS) {
    throw new PresignError(
      'startTime',
      `${t} is after year 9999; startTime is unix seconds (not milliseconds), e.g. ${Math.floor(Date.UTC(2026, 0, 1) / 1000)}`,
      'out-of-range',
    );
  }
  return t;
}

/** Above this a credential expiry cannot be unix seconds (year 5138): it is read as milliseconds. */
export const MILLISECONDS_THRESHOLD = 1e11;

/**
 * Unix seconds of the credential's expiry, from a Date, ISO 8601 string or unix seconds. Numbers
 * (or digit strings) above 10^11 are milliseconds (`Date.now() + 3600e3`, a 13-digit string):
 * read as such, with a warning, rather than as a year-58,000 expiry that would cut nothing.
 */
export function credentialExpiry(value: unknown, warnings: string[]): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const field = 'credentialExpiresAt';
  let ms = NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number' || (typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value))) {
    const n = Number(value);
    if (n > MILLISECONDS_THRESHOLD) {
      ms = n;
      if (Number.isFinite(ms) && ms <= MAX_UNIX_SECONDS * 1000) {
        warnings.push(
          `credentialExpiresAt ${describeValue(value)} is above 10^11, so it was read as unix milliseconds (${new Date(ms).toISOString()}); pass unix seconds or an ISO 8601 time to silence this`,
        );
      }
    } else ms = n * 1000;
  } else if (typeof value === 'string') ms = parseIsoTime(value.trim()) ?? NaN;
  else if (typeof value === 'bigint')
    throw new PresignError(field, `must be a Date, an ISO 8601 string or a number, got ${describeValue(value)}`);
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_UNIX_SECONDS * 1000) {
    throw new PresignError(
      field,
      `must be a Date, an ISO 8601 time such as 2026-01-01T12:00:00Z (a real calendar date), or unix seconds; got ${describeValue(value)}`,
    );
  }
  return Math.floor(ms / 1000);
}

export interface Window {
  start: number;
  end: number;
  /** When the URL stops working (the end, after any cut). */
  expiresAt: number;
}

export function resolveWindow(input: PresignInput, p: Provider, nowSec: number, warnings: string[]): Window {
  const lifetime = expires(input.expires, p);
  const explicitStart = startTime(input.startTime);
  const credEnd = credentialExpiry(input.credentialExpiresAt, warnings);
  // COS, like its Python SDK, backdates an implicit start by 60 s so that a server clock a
  // little behind ours still accepts the URL; the URL still ends `expires` after now.
  const start = explicitStart ?? (p === 'cos' ? nowSec - 60 : nowSec);
  let end = (explicitStart ?? nowSec) + lifetime;
  if (end > MAX_UNIX_SECONDS) {
    throw new PresignError(
      explicitStart !== undefined ? 'startTime' : 'expires',
      'puts the expiry after year 9999; check that times are unix seconds',
      'out-of-range',
    );
  }
  if (end <= nowSec) {
    // Only an explicit start in the past gets here: such a URL would be refused on first use.
    throw new PresignError(
      'startTime',
      `with expires ${lifetime} the URL would have expired at ${new Date(end * 1000).toISOString()}, before now; pass a later startTime (unix seconds) or leave it out to start now`,
      'expired',
    );
  }
  if (credEnd !== undefined) {
    if (credEnd <= Math.max(start, nowSec)) {
      throw new PresignError(
        'credentialExpiresAt',
        `the credentials expired at ${new Date(credEnd * 1000).toISOString()}; fetch fresh temporary credentials`,
        'expired',
      );
    }
    if (credEnd < end) {
      end = credEnd;
      warnings.push(
        `URL lifetime cut to the temporary credential's expiry (${new Date(credEnd * 1000).toISOString()}); the URL cannot outlive the credentials that signed it`,
      );
    }
  }
  return { start, end, expiresAt: end };
}
