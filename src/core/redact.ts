/**
 * Keeps the secret key and session token out of error messages and warnings. Refusals quote the
 * values of ordinary fields (bucket, a header, a key) to help; when a caller pasted a secret into
 * one of them, that quote would publish it, so the text names the secret field instead:
 * `bucket: "<securityToken>" is not ...`.
 */

/**
 * Shortest secret that is redacted. Below it, redaction would do harm: replacing every "a" or "is"
 * in a message tells the reader the secret, and such a value is guessed in a few thousand tries
 * anyway. From 4 to 7 characters a secret is redacted where it stands as a whole word (so
 * "S3RVER" is hidden, yet ordinary words containing it are left alone); from 8, anywhere.
 */
export const MIN_REDACTED_SECRET_LENGTH = 4;
const ANYWHERE_FROM = 8;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A function replacing every copy of the secrets in a text, in any letter case (the core
 * lower-cases hosts, a front end may upper-case a method), raw, trimmed and JSON-escaped.
 * Undefined when there is nothing to redact.
 */
export function secretRedactor(
  secrets: Partial<Record<'secretKey' | 'securityToken', unknown>>,
): ((text: string) => string) | undefined {
  const values: Array<[field: string, value: string]> = [];
  for (const field of ['secretKey', 'securityToken'] as const) {
    const value = secrets[field];
    if (typeof value === 'string' && value.trim().length >= MIN_REDACTED_SECRET_LENGTH) values.push([field, value]);
  }
  if (values.length === 0) return undefined;
  let replace: ((text: string) => string) | undefined; // built on first use: most batches never need it
  return (text) => (replace ??= build(values))(text);
}

function build(values: Array<[field: string, value: string]>): (text: string) => string {
  const forms: Array<[form: string, name: string]> = [];
  for (const [field, value] of values) {
    const t = value.trim();
    for (const form of new Set([value, t, JSON.stringify(value).slice(1, -1), JSON.stringify(t).slice(1, -1)])) {
      if (form.length >= MIN_REDACTED_SECRET_LENGTH) forms.push([form, `<${field}>`]);
    }
  }
  forms.sort((a, b) => b[0].length - a[0].length); // the longest form first, so a token holding the key is hidden whole
  const alternatives = forms.map(([form]) => {
    // Case-changed copies: the regexp's `i` flag, plus the exact upper/lower forms for letters
    // whose case mapping changes length (ß -> SS), which `i` does not match.
    const variants = [...new Set([form, form.toUpperCase(), form.toLowerCase()])].map(escapeRegExp).join('|');
    return form.length >= ANYWHERE_FROM ? `(${variants})` : `(?<![\\p{L}\\p{N}])(${variants})(?![\\p{L}\\p{N}])`;
  });
  const pattern = new RegExp(alternatives.join('|'), 'giu');
  return (text) =>
    text.replace(pattern, (...m: unknown[]) => {
      const i = m.slice(1, 1 + forms.length).findIndex((g) => g !== undefined);
      return forms[i][1];
    });
}
