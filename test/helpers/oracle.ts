/**
 * An independent verifier for presigned URLs, written from the published algorithms (COS
 * "Request Signature" q-sign-algorithm=sha1; AWS SigV4 query auth; Volcengine TOS4) and
 * deliberately sharing no code with src/core: its own RFC 3986 encoder and strict decoder, its
 * own canonicalisation, node:crypto directly. It checks a URL the way a server would: from the
 * URL as sent, the method and the headers the client sends, plus the secret key.
 */
import { createHash, createHmac } from 'node:crypto';

const UNRESERVED = new Set(
  Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~', (c) => c.charCodeAt(0)),
);

/** RFC 3986 over UTF-8 bytes, upper-case hex; `/` kept only when `keepSlash`. */
export function rfc3986(s: string, keepSlash = false): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (UNRESERVED.has(b) || (keepSlash && b === 0x2f)) out += String.fromCharCode(b);
    else out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Percent-decoding to bytes, then strict UTF-8; throws on a malformed escape or invalid UTF-8. */
export function strictDecode(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error(`bad escape at ${i}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      throw new Error('raw non-ASCII character in an encoded URL component');
    }
  }
  return utf8.decode(Uint8Array.from(bytes));
}

export interface SplitUrl {
  scheme: string;
  authority: string;
  /** Raw (encoded) path. */
  path: string;
  /** Raw (encoded) name/value pairs in URL order. */
  rawPairs: Array<[string, string]>;
  /** Decoded pairs in URL order. */
  pairs: Array<[string, string]>;
}

export function splitUrl(url: string): SplitUrl {
  const m = /^(https?):\/\/([^/?#]+)(\/[^?#]*)\?([^#]*)$/.exec(url);
  if (!m) throw new Error('not an absolute http(s) URL with a path and a query');
  const rawPairs: Array<[string, string]> = m[4].split('&').map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
  });
  return {
    scheme: m[1],
    authority: m[2],
    path: m[3],
    rawPairs,
    pairs: rawPairs.map(([n, v]) => [strictDecode(n), strictDecode(v)]),
  };
}

/** The Host header a client (curl, fetch, browsers, Node) sends for a URL: no default port. */
export function hostHeaderFor(url: string): string {
  return new URL(url).host;
}

function lookupHeader(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const [n, v] of Object.entries(headers)) if (n.toLowerCase() === lowerName) return v;
  return undefined;
}

export interface SentRequest {
  url: string;
  method: string;
  /** Headers the client sends besides Host (Host is taken from the URL). */
  headers: Record<string, string>;
}

export interface Verdict {
  ok: boolean;
  reason?: string;
  /** Decoded names of the query parameters the signature covers (auth parameters excluded). */
  signedParams: string[];
  /** Lower-case names of the headers the signature covers. */
  signedHeaders: string[];
  /** COS `start;end`, or SigV4 `X-*-Date` / `X-*-Expires`. */
  keyTime?: string;
  amzDate?: string;
  expires?: string;
  credential?: string[];
  /** The canonical (decoded) resource path the server sees. */
  decodedPath: string;
  /** True when the URL path is byte-identical to the canonical RFC 3986 form of its decoding. */
  pathIsCanonical: boolean;
}

function fail(reason: string, partial: Partial<Verdict> = {}): Verdict {
  return {
    ok: false,
    reason,
    signedParams: [],
    signedHeaders: [],
    decodedPath: '',
    pathIsCanonical: false,
    ...partial,
  };
}

// ---- COS q-sign-algorithm=sha1 ----------------------------------------------------------

const COS_AUTH = [
  'q-sign-algorithm',
  'q-ak',
  'q-sign-time',
  'q-key-time',
  'q-header-list',
  'q-url-param-list',
  'q-signature',
];

/** COS server check. Every non-auth query parameter must be signed (an unsigned one would widen the URL). */
export function verifyCos(req: SentRequest, secretKey: string): Verdict {
  const u = splitUrl(req.url);
  const decodedPath = strictDecode(u.path);
  const pathIsCanonical = true; // COS's HttpURI is the decoded path; the encoding form is free
  const q = new Map<string, string>();
  const user: Array<[string, string]> = [];
  for (const [n, v] of u.pairs) {
    if (COS_AUTH.includes(n)) {
      if (q.has(n)) return fail(`duplicate ${n}`);
      q.set(n, v);
    } else user.push([n, v]);
  }
  for (const n of COS_AUTH) if (!q.has(n)) return fail(`missing ${n}`);
  if (q.get('q-sign-algorithm') !== 'sha1') return fail('algorithm');
  const keyTime = q.get('q-sign-time')!;
  if (q.get('q-key-time') !== keyTime) return fail('q-key-time differs from q-sign-time');

  // HttpParameters: name' = lower(UrlEncode(name)), value' = UrlEncode(value), sorted by name'.
  const params = user.map(([n, v]) => [rfc3986(n).toLowerCase(), rfc3986(v), n] as const);
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const paramList = params.map((p) => p[0]).join(';');
  if (paramList !== q.get('q-url-param-list'))
    return fail('q-url-param-list does not cover exactly the URL parameters');
  for (let i = 1; i < params.length; i++)
    if (params[i][0] === params[i - 1][0]) return fail('two parameters canonicalise to one name');

  const headerNames = q.get('q-header-list') === '' ? [] : q.get('q-header-list')!.split(';');
  const headers: Array<[string, string]> = [];
  for (const encName of headerNames) {
    const name = strictDecode(encName);
    const value = name === 'host' ? hostHeaderFor(req.url) : lookupHeader(req.headers, name);
    if (value === undefined) return fail(`signed header ${name} is not sent`);
    headers.push([rfc3986(name).toLowerCase(), rfc3986(value)]);
  }
  headers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (headers.map((h) => h[0]).join(';') !== q.get('q-header-list'))
    return fail('q-header-list is not sorted canonical names');

  const httpString = `${req.method.toLowerCase()}\n${decodedPath}\n${params.map((p) => `${p[0]}=${p[1]}`).join('&')}\n${headers.map((h) => `${h[0]}=${h[1]}`).join('&')}\n`;
  const stringToSign = `sha1\n${keyTime}\n${createHash('sha1').update(httpString, 'utf8').digest('hex')}\n`;
  const signKey = createHmac('sha1', secretKey).update(keyTime, 'utf8').digest('hex');
  const signature = createHmac('sha1', signKey).update(stringToSign, 'utf8').digest('hex');
  const base = {
    signedParams: user.map(([n]) => n),
    signedHeaders: headerNames.map(strictDecode),
    keyTime,
    decodedPath,
    pathIsCanonical,
  };
  return signature === q.get('q-signature') ? { ok: true, ...base } : fail('q-signature does not match', base);
}

// ---- SigV4 (S3) and TOS4 ----------------------------------------------------------------

interface V4Params {
  prefix: string;
  algorithm: string;
  service: string;
  terminator: string;
  secretPrefix: string;
  sortRaw: boolean;
  collapse: boolean;
}
const V4: Record<'s3' | 'tos', V4Params> = {
  s3: {
    prefix: 'X-Amz-',
    algorithm: 'AWS4-HMAC-SHA256',
    service: 's3',
    terminator: 'aws4_request',
    secretPrefix: 'AWS4',
    sortRaw: false,
    collapse: true,
  },
  // TOS SDKs (Go, Python) sort the canonical query by the raw name: byte / code point order.
  tos: {
    prefix: 'X-Tos-',
    algorithm: 'TOS4-HMAC-SHA256',
    service: 'tos',
    terminator: 'request',
    secretPrefix: '',
    sortRaw: true,
    collapse: false,
  },
};

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export function verifySigV4(req: SentRequest, secretKey: string, provider: 's3' | 'tos'): Verdict {
  const c = V4[provider];
  const P = c.prefix;
  const u = splitUrl(req.url);
  const decodedPath = strictDecode(u.path);
  // S3 never normalises or double-encodes: the canonical URI is the RFC 3986 form of the key path.
  const canonicalUri = rfc3986(decodedPath, true);
  const pathIsCanonical = canonicalUri === u.path;
  const get = (n: string) => u.pairs.filter(([k]) => k === n).map(([, v]) => v);
  for (const n of ['Algorithm', 'Credential', 'Date', 'Expires', 'SignedHeaders', 'Signature']) {
    if (get(P + n).length !== 1) return fail(`need exactly one ${P}${n}`);
  }
  if (get(P + 'Algorithm')[0] !== c.algorithm) return fail('algorithm');
  const credential = get(P + 'Credential')[0].split('/');
  if (credential.length !== 5)
    return fail('credential does not split into id/date/region/service/terminator', { credential });
  const [, date, region, service, terminator] = credential;
  const amzDate = get(P + 'Date')[0];
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== date) return fail('date');
  if (service !== c.service || terminator !== c.terminator) return fail('scope');

  const rows = u.pairs
    .filter(([n]) => n !== P + 'Signature')
    .map(([n, v]) => ({ n, v, en: rfc3986(n), ev: rfc3986(v) }));
  if (c.sortRaw) rows.sort((a, b) => byteCompare(a.n, b.n) || byteCompare(a.v, b.v));
  else rows.sort((a, b) => (a.en < b.en ? -1 : a.en > b.en ? 1 : a.ev < b.ev ? -1 : a.ev > b.ev ? 1 : 0));
  const canonicalQuery = rows.map((r) => `${r.en}=${r.ev}`).join('&');

  const signedHeaders = get(P + 'SignedHeaders')[0].split(';');
  let block = '';
  for (const name of signedHeaders) {
    const raw = name === 'host' ? hostHeaderFor(req.url) : lookupHeader(req.headers, name);
    if (raw === undefined) return fail(`signed header ${name} is not sent`);
    // SigV4 "Trimall": trim, and collapse sequential whitespace to one space. TOS4: verbatim.
    const value = c.collapse ? raw.trim().replace(/\s+/g, ' ') : raw;
    block += `${name}:${value}\n`;
  }
  if ([...signedHeaders].sort().join(';') !== signedHeaders.join(';')) return fail('SignedHeaders not sorted');
  const canonical = [req.method, canonicalUri, canonicalQuery, block, signedHeaders.join(';'), 'UNSIGNED-PAYLOAD'].join(
    '\n',
  );
  const scope = `${date}/${region}/${service}/${terminator}`;
  const sts = `${c.algorithm}\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
  const key = hmac(hmac(hmac(hmac(c.secretPrefix + secretKey, date), region), service), terminator);
  const signature = createHmac('sha256', key).update(sts, 'utf8').digest('hex');
  const auth = new Set(
    ['Algorithm', 'Credential', 'Date', 'Expires', 'SignedHeaders', 'Signature', 'Security-Token'].map((n) => P + n),
  );
  const base = {
    signedParams: u.pairs.map(([n]) => n).filter((n) => !auth.has(n)),
    signedHeaders,
    amzDate,
    expires: get(P + 'Expires')[0],
    credential,
    decodedPath,
    pathIsCanonical,
  };
  return signature === get(P + 'Signature')[0] ? { ok: true, ...base } : fail('signature does not match', base);
}

export function verify(provider: 'cos' | 'tos' | 's3', req: SentRequest, secretKey: string): Verdict {
  return provider === 'cos' ? verifyCos(req, secretKey) : verifySigV4(req, secretKey, provider);
}
