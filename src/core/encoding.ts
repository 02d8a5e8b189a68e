/**
 * Percent-encoding shared by every signer. COS `UrlEncode`, SigV4 `UriEncode` and TOS4 all
 * use the same RFC 3986 rule: keep `A-Z a-z 0-9 - _ . ~`, encode every other UTF-8 byte as
 * `%XX` with upper-case hex. Space is `%20`, never `+`.
 */
import { PresignError } from './errors';

const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;
const UNRESERVED_OR_SLASH = /^[A-Za-z0-9\-_.~/]*$/;
// encodeURIComponent leaves these raw; RFC 3986 encodes them.
const SUB_DELIMS_LEFT_RAW = /[!'()*]/g;

function hexOf(c: string): string {
  return '%' + c.charCodeAt(0).toString(16).toUpperCase();
}

function encodeComponent(s: string, field: string): string {
  try {
    return encodeURIComponent(s).replace(SUB_DELIMS_LEFT_RAW, hexOf);
  } catch {
    // Only lone UTF-16 surrogates make encodeURIComponent throw.
    throw new PresignError(
      field,
      'contains a lone UTF-16 surrogate, which has no UTF-8 encoding; pass valid Unicode text',
    );
  }
}

/** RFC 3986 encoding of a query name or value (`/` becomes `%2F`). */
export function uriEncode(s: string, field = 'value'): string {
  return UNRESERVED_ONLY.test(s) ? s : encodeComponent(s, field);
}

/** RFC 3986 encoding of an object key for a URL path: like `uriEncode`, but `/` is kept. */
export function uriEncodePath(s: string, field = 'key'): string {
  return UNRESERVED_OR_SLASH.test(s) ? s : encodeComponent(s, field).replace(/%2F/g, '/');
}

/** Inverse of the encoders above, for parsing URLs back (`+` is a space only when `plusIsSpace`). */
export function uriDecode(s: string, plusIsSpace = false): string {
  const t = plusIsSpace ? s.replace(/\+/g, ' ') : s;
  return t.indexOf('%') < 0 ? t : decodeURIComponent(t);
}

/** UTF-8 byte length without allocating a Buffer. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

const wellFormed: ((this: string) => boolean) | undefined = (
  String.prototype as unknown as { isWellFormed?: (this: string) => boolean }
).isWellFormed;

/** True when the string holds a lone surrogate (not valid Unicode, so not UTF-8 encodable). */
export function hasLoneSurrogate(s: string): boolean {
  if (wellFormed) return !wellFormed.call(s);
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

// HTTP optional whitespace is space and tab only; a client strips and a server folds nothing else
// (NBSP and other Unicode spaces are part of the value), as the AWS SDK v3 signer does.
const OWS_EDGES = /^[ \t]+|[ \t]+$/g;

/** A header value as an HTTP client sends it: leading and trailing spaces and tabs removed. */
export function trimOws(value: string): string {
  return value.replace(OWS_EDGES, '');
}
