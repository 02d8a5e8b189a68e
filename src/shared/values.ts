/**
 * Parsing of the text values every front end takes (durations, times, `Name: value` headers,
 * `name=value` params), written once. A refusal is a `ValueError` whose message says what is
 * wrong and how to write it; each front end prefixes the name the user typed (`expires`,
 * `--expires`), so these messages never name an option.
 */
import { escapeControls } from './text';

export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/** A value quoted in a message: JSON-quoted, control characters visible, cut when very long. */
export function quote(value: string, max = 200): string {
  const q = escapeControls(JSON.stringify(value.length > max ? value.slice(0, max) : value));
  return value.length > max ? `${q}… (${value.length} characters)` : q;
}

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Upper bound of what is parsed at all; the core applies each provider's real limit. */
const MAX_DURATION_DIGITS = 12;

export const DURATION_SYNTAX = 'seconds (600) or a number with s, m, h or d (45s, 30m, 12h, 7d)';

/**
 * `600`, `45s`, `30m`, `12h`, `7d` -> whole seconds. The one duration syntax of the action and
 * the CLI. Zero is refused as such ("must be more than 0"), not as a syntax error.
 */
export function parseDuration(value: string): number {
  const m = /^(\d{1,12})([smhd]?)$/.exec(value.trim());
  if (!m) {
    const tooLong = /^\d{13,}[smhd]?$/.test(value.trim());
    throw new ValueError(
      tooLong
        ? `${quote(value)} is too long a duration (at most ${MAX_DURATION_DIGITS} digits); the storage services allow days, not centuries`
        : `${quote(value)} is not a duration; use ${DURATION_SYNTAX}`,
    );
  }
  const seconds = Number(m[1]) * UNIT[m[2] || 's'];
  if (seconds === 0) throw new ValueError(`must be more than 0; got ${quote(value)}. Use ${DURATION_SYNTAX}`);
  return seconds;
}

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Unix seconds (up to 12 digits, so milliseconds are refused) or an ISO 8601 date or time such
 * as 2026-01-01T12:00:00Z -> unix seconds. A time without an offset is UTC (not the machine's
 * zone, which differs between a laptop and a runner); a date that does not exist is refused.
 */
export function parseTime(value: string): number {
  const v = value.trim();
  if (/^\d{1,12}$/.test(v)) return Number(v);
  const m = ISO.exec(v);
  const ms = m ? Date.parse(m[2] ? `${m[1]}T${m[2]}${(m[3] ?? 'Z').toUpperCase()}` : m[1]) : NaN;
  if (!Number.isFinite(ms) || !sameCalendarDate(v, ms)) {
    throw new ValueError(
      `${quote(value)} is not a time; use unix seconds (1767225600) or ISO 8601 (2026-01-01T12:00:00Z)`,
    );
  }
  return Math.floor(ms / 1000);
}

/** Date.parse rolls `2026-02-30` over to March; a date that does not exist is refused instead. */
function sameCalendarDate(v: string, ms: number): boolean {
  const [y, mo, d] = v.slice(0, 10).split('-').map(Number);
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return (
    probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d && Number.isFinite(ms)
  );
}

/**
 * How a refusal points at one of several values: by line number (the default: a header line
 * may hold a credential, and the action's log is public) or quoted (a terminal, where the
 * person typed it).
 */
export type ItemName = (index: number, value: string) => string;
const byLine: ItemName = (i) => `line ${i + 1}`;
export const quoted: ItemName = (_i, v) => quote(v);

/**
 * `Name: value` lines (curl's form) -> record. Names keep their spelling; a name given twice
 * (in any case) is refused. Whitespace around the value is not part of it (RFC 9110).
 */
export function parseHeaderLines(lines: readonly string[], itemName: ItemName = byLine): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [i, line] of lines.entries()) {
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    if (!name)
      throw new ValueError(
        `${itemName(i, line)} is not "Name: value"; write one header per line, e.g. "Content-Type: application/gzip"`,
      );
    if (seen.has(name.toLowerCase())) throw new ValueError(`${quote(name)} is given twice; give each header once`);
    seen.add(name.toLowerCase());
    out[name] = line.slice(colon + 1).trim();
  }
  return out;
}

/** `name=value` lines -> record; a bare `name` (or `name=`) is an empty value (`?acl`). */
export function parseParamLines(lines: readonly string[], itemName: ItemName = byLine): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, line] of lines.entries()) {
    const eq = line.indexOf('=');
    const name = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (!name)
      throw new ValueError(
        `${itemName(i, line)} has no name; use name=value, e.g. response-content-disposition=attachment`,
      );
    if (Object.prototype.hasOwnProperty.call(out, name))
      throw new ValueError(`${quote(name)} is given twice; give each parameter once`);
    out[name] = eq < 0 ? '' : line.slice(eq + 1).trim();
  }
  return out;
}
