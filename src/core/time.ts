/**
 * Strict time parsing. `Date.parse` and `Date.UTC` roll impossible dates over (2026-02-30 becomes
 * March 2), so a typo would silently move an expiry; these parsers refuse them instead.
 */

/** Largest unix second the signers write: 9999-12-31T23:59:59Z (four-digit years in every format). */
export const MAX_UNIX_SECONDS = 253402300799;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Unix milliseconds of a calendar date and time, or undefined when a part is out of range. */
function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // not Date.UTC: that maps years 0-99 to 1900-1999
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Unix milliseconds of an ISO 8601 / RFC 3339 time (`2026-01-01`, `2026-01-01T12:00:00Z`,
 * `…+08:00`, fractions allowed). A date without a zone is UTC, a time without a zone too (unlike
 * `Date.parse`, which reads it as local time: a CI runner's zone must not move an expiry).
 * Undefined when the text is not such a time or names an impossible date or time.
 */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO_8601.exec(text);
  if (!m) return undefined;
  const ms = utcMs(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (ms === undefined) return undefined;
  const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  let offset = 0;
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    const hours = +digits.slice(1, 3);
    const minutes = +digits.slice(3, 5);
    if (hours > 23 || minutes > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60000;
  }
  return ms + fraction - offset;
}

/** Unix seconds of a SigV4 / TOS4 timestamp `YYYYMMDDTHHMMSSZ`, or undefined when malformed or impossible. */
export function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = utcMs(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6]);
  return ms === undefined ? undefined : ms / 1000;
}

/** `YYYYMMDDTHHMMSSZ` for unix seconds. */
export function amzDate(unixSeconds: number): string {
  const iso = new Date(unixSeconds * 1000).toISOString(); // 2013-05-24T00:00:00.000Z
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
}

/** A short, safe description of any value for an error message (never throws, e.g. on BigInt). */
export function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n (a BigInt)`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an Invalid Date' : value.toISOString();
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value).slice(8, -1)})` : typeof value;
}
