/**
 * Paste damage: what copying a presigned URL out of a log, an email, a chat or a web page does to
 * it. Found before anything else, so that a URL that is fine but was copied badly is reported as
 * such, with the way to get it intact, and never as a wrong secret key.
 */

export type PasteDamageCode = 'quoted' | 'html-escaped' | 'wrapped' | 'masked' | 'cut';

/** One kind of damage, and how to get the URL intact. */
export interface PasteDamage {
  code: PasteDamageCode;
  message: string;
}

/** Characters around a URL in prose, Markdown, HTML or code, and what they are. */
const CLOSERS: Record<string, string> = {
  '"': 'a quote',
  "'": 'a quote',
  '`': 'a backtick',
  ')': 'a bracket',
  ']': 'a bracket',
  '}': 'a bracket',
  '>': 'an angle bracket (as in <URL> in an email or Markdown)',
  '.': 'the full stop of a sentence',
  ',': 'the comma of a sentence',
  ';': 'the semicolon of a sentence',
};
const OPENERS = new Set(['"', "'", '`', '(', '[', '{', '<']);
const PAIR: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const HTML_AMP = /&(?:amp|#0*38|#x0*26);/i;
/** Most characters taken off either end: copying adds one to three; more is not a URL with junk around it. */
const MAX_AROUND = 8;

function count(s: string, c: string): number {
  let n = 0;
  for (let i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) n++;
  return n;
}

/** Name of the query parameter the URL ends with, lower-case ('' when there is no query). */
function lastParamName(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return '';
  const last = url.slice(Math.max(q, url.lastIndexOf('&')) + 1);
  const eq = last.indexOf('=');
  return (eq < 0 ? last : last.slice(0, eq)).toLowerCase();
}

function isSignatureParam(lowerName: string): boolean {
  return lowerName === 'q-signature' || lowerName === 'x-amz-signature' || lowerName === 'x-tos-signature';
}

/**
 * Whether trailing character `c` of `url` is not part of it. `"`, `>` and `` ` `` are never raw in
 * a URL; a closing bracket or quote only when unmatched; punctuation only after a signature,
 * whose hex digits it cannot belong to (a parameter value may legitimately end in a dot).
 */
function isTrailingJunk(url: string, c: string): boolean {
  if (c === '"' || c === '>' || c === '`') return true;
  if (c === "'") return count(url, "'") % 2 === 1;
  if (PAIR[c]) return count(url, PAIR[c]) < count(url, c);
  return c in CLOSERS && isSignatureParam(lastParamName(url.slice(0, -1)));
}

function quoted(s: string): string {
  return [...s].map((c) => '`' + c + '`').join(', ');
}

/**
 * Undoes the damage that can be undone in the text of a (trimmed) URL: characters around it,
 * HTML-escaped ampersands, line breaks and spaces from wrapping. Returns the repaired text and
 * what was found; `masked` and `cut` damage is found after parsing (`authValueDamage`).
 */
export function repairText(input: string): { url: string; damage: PasteDamage[] } {
  const damage: PasteDamage[] = [];
  let url = input;

  if (/\s/.test(url)) {
    const breaks = /[\r\n\u2028\u2029]/.test(url);
    url = url.replace(/\s+/g, '');
    damage.push({
      code: 'wrapped',
      message: `the URL contains ${breaks ? 'a line break' : 'spaces'}: it was wrapped when copied (an email, a chat or a terminal), and no URL holds ${breaks ? 'line breaks' : 'raw spaces'}; join it into one line without ${breaks ? 'the breaks' : 'them'}, or copy it from where it is one line (the step output, the file it was written to)`,
    });
  }

  if (HTML_AMP.test(url)) {
    url = url.split(HTML_AMP).join('&');
    damage.push({
      code: 'html-escaped',
      message:
        'the URL has `&amp;` where `&` belongs: it was copied from HTML (a page source, an HTML email or an escaped log); replace each `&amp;` with `&`, or copy the link target as the browser shows it',
    });
  }
  let lead = '';
  while (lead.length < MAX_AROUND && url.length > 1 && OPENERS.has(url[0])) {
    lead += url[0];
    url = url.slice(1);
  }
  let trail = '';
  while (trail.length < MAX_AROUND && url.length > 1 && isTrailingJunk(url, url[url.length - 1])) {
    trail = url[url.length - 1] + trail;
    url = url.slice(0, -1);
  }
  if (lead || trail) {
    const last = trail[trail.length - 1] ?? lead[0];
    const what = CLOSERS[last] ?? 'a quote or bracket';
    const where = trail
      ? isSignatureParam(lastParamName(url))
        ? `the signature ends in ${quoted(trail)}`
        : `the URL ends in ${quoted(trail)}`
      : `the URL starts with ${quoted(lead)}`;
    damage.push({
      code: 'quoted',
      message: `${where}: the URL was copied with ${what} around it, which is not part of it; remove ${quoted(lead + trail)} (copy only from https:// to the last character of the signature)`,
    });
  }

  return { url, damage };
}

/** Lower-case names of the auth values that Actions masks: the signature, the access key id, the token. */
export interface AuthValues {
  signatureName: string;
  signature: string;
  /** 40 (COS, SHA-1) or 64 (SigV4, SHA-256). */
  signatureHexLength: number;
  accessKeyIdName: string;
  accessKeyId: string;
  tokenName?: string;
  token?: string;
}

const MASK = '***';
const FROM_LOG =
  'it was copied from a GitHub Actions log, which shows secrets (and values registered with add-mask) as ***; take the URL from the step output (steps.<id>.outputs.url) or the file it was written to, not from the log';

/** Damage to the auth values themselves: masked by a CI log, or the signature cut short. */
export function authValueDamage(v: AuthValues): PasteDamage[] {
  const out: PasteDamage[] = [];
  const masked: string[] = [];
  if (v.signature.includes(MASK)) masked.push(`the signature (${v.signatureName}) is \`***\``);
  if (v.accessKeyId.includes(MASK)) masked.push(`the access key id (${v.accessKeyIdName}) is \`***\``);
  if (v.token !== undefined && v.token.includes(MASK)) masked.push(`the security token (${v.tokenName}) is \`***\``);
  if (masked.length) out.push({ code: 'masked', message: `${masked.join(' and ')}: ${FROM_LOG}` });
  else if (!new RegExp(`^[0-9a-fA-F]{${v.signatureHexLength}}$`).test(v.signature)) {
    const hex = /^[0-9a-fA-F]*$/.test(v.signature);
    out.push({
      code: 'cut',
      message:
        hex && v.signature.length < v.signatureHexLength
          ? `the signature has ${v.signature.length} of its ${v.signatureHexLength} hex digits: the URL was cut short when copied; copy it whole`
          : `the signature is not ${v.signatureHexLength} hex digits: it was changed when copied (or edited); copy the whole URL again`,
    });
  }
  return out;
}

/** A URL that is only `***` (or holds it where the URL should be). */
export function maskedWhole(input: string): boolean {
  return input.includes(MASK) && !/^https?:\/\//i.test(input);
}

export const MASKED_WHOLE_MESSAGE = `is masked (\`***\`): ${FROM_LOG}`;
