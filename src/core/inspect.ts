/**
 * Reading presigned URLs back, offline. `inspectUrl` says what a COS, TOS or S3 URL grants
 * (bucket, key, window, signed headers and params); `verifyUrl` recomputes its signature with
 * the signer's own canonicalisation and, when it does not match, finds the likely reason by
 * re-trying the variations that can be told apart (method, host, an added parameter).
 *
 * Nothing returned here contains the signature or the security token: results may be printed.
 */
import { timingSafeEqual } from 'node:crypto';
import { cosSign } from './cos';
import { uriDecode, uriEncode } from './encoding';
import { PresignError } from './errors';
import { lookup as mimeLookup } from 'mime-types';
import { canonicalHeaders, canonicalQuery, canonicalRequest, S3_SIGV4, SigV4Scheme, signingKey, sigV4Signature, stringToSign, TOS4, UNSIGNED_PAYLOAD } from './sigv4';
import { HttpMethod, METHODS, Provider } from './types';
import { AUTH_PARAMS, MAX_EXPIRES, Pairs } from './validate';
import { COS_OLD_REGIONS } from './endpoints';
import { AuthValues, authValueDamage, MASKED_WHOLE_MESSAGE, maskedWhole, PasteDamage, repairText } from './inspect-damage';

export interface InspectOptions {
  /** Clock in unix milliseconds (default `Date.now`), for the time left in the window. */
  now?: () => number;
  /**
   * S3 only: the bucket, when the host is not a recognised S3 endpoint, so that a path-style
   * URL (`host/bucket/key`) can be told from a virtual-hosted one (`bucket.host/key`).
   */
  bucket?: string;
}

export interface UrlParam {
  name: string;
  value: string;
}

/** What a presigned URL grants. Never holds the signature or the security token. */
export interface InspectedUrl {
  provider: Provider;
  /** `sha1` (COS), `TOS4-HMAC-SHA256`, `AWS4-HMAC-SHA256`. */
  algorithm: string;
  scheme: 'https' | 'http';
  /** Host as written in the URL (lower-case, with any port). */
  host: string;
  /** Undefined when the URL does not show it (custom domains, unknown S3-compatible hosts). */
  bucket?: string;
  /** COS: from the host; TOS, S3: the signing region of the credential scope. */
  region?: string;
  /** Object key, decoded. */
  key: string;
  addressing: 'virtual-host' | 'path' | 'custom-domain' | 'unknown';
  accessKeyId: string;
  start: Date;
  end: Date;
  lifetimeSeconds: number;
  status: 'valid' | 'expired' | 'not-yet-valid';
  /** Seconds until `end`; negative once expired. */
  secondsLeft: number;
  /** Seconds until `start`; positive while not yet valid. */
  secondsToStart: number;
  /** Lower-case names the signature covers, `host` included when signed. */
  signedHeaders: string[];
  /** Signed headers other than `host`: the request must send each with the signed value. */
  headersToSend: string[];
  signsHost: boolean;
  /** Query parameters covered by the signature (auth parameters and the token left out). */
  signedParams: UrlParam[];
  /** COS: parameters in the URL but not in `q-url-param-list`, which nothing protects. */
  unsignedParams: UrlParam[];
  /** COS: names in `q-url-param-list` that are absent from the URL. */
  missingSignedParams: string[];
  securityToken: 'none' | 'signed' | 'unsigned';
  /** Things worth knowing about the URL, one sentence each. */
  notes: string[];
  /**
   * What copying did to the URL (a quote or bracket around it, `&amp;`, line breaks, `***` from
   * a masked log, a cut signature), found first. Everything else is read from the URL with the
   * damage that can be undone undone.
   */
  damage: PasteDamage[];
}

export interface VerifyOptions extends InspectOptions {
  /** The secret key that should have signed the URL. */
  secretKey: string;
  /** The access key id that goes with `secretKey`; when given, a URL of another key is reported. */
  secretId?: string;
  /** Method the request is made with. Default `GET`. */
  method?: HttpMethod | Lowercase<HttpMethod>;
  /** Headers the request sends (values as sent). A `Host` header is the host the server sees. */
  headers?: Record<string, string>;
}

export type VerifyReasonCode =
  | 'expired'
  | 'not-yet-valid'
  | 'lifetime-too-long'
  | 'wrong-method'
  | 'host-changed'
  | 'param-added'
  | 'param-removed'
  | 'wrong-access-key'
  | 'malformed'
  | 'paste-damage'
  | 'signature-mismatch';

export interface VerifyReason {
  code: VerifyReasonCode;
  message: string;
}

/** A header the URL signs, so every request with it must send; `value` when known. */
export interface HeaderToSend {
  /** Lower-case name. */
  name: string;
  /** As given in `headers`, or found by trying the usual values (e.g. the key's media type). */
  value?: string;
  /** Where `value` came from, or what the value must be when the URL cannot tell. */
  note: string;
}

export interface VerifyResult {
  /**
   * `ok`: the request as described is accepted. `needs-headers`: nothing found wrong, but the
   * URL signs headers whose values the request must send and the options do not give (see
   * `headersToSend`); not a failure, the URL may be fine. `failed`: the URL cannot work for
   * this request (`reasons` says why).
   */
  verdict: 'ok' | 'needs-headers' | 'failed';
  /** The server should accept the request: the signature matches and the window is open. */
  ok: boolean;
  /** Whether the signature matches for the method, host and headers given; undefined when it could not be computed. */
  signatureMatches: boolean | undefined;
  method: HttpMethod;
  /** Why the request would be refused, most specific first. Empty unless `failed`. */
  reasons: VerifyReason[];
  /** The signed headers other than `host`, with the values a client must send when known. */
  headersToSend: HeaderToSend[];
  /** Not failures, but worth knowing (unsigned headers or params, a Host header override). */
  warnings: string[];
  inspected: InspectedUrl;
}

// ---- parsing ------------------------------------------------------------------------------

interface SigV4Parts {
  scheme: SigV4Scheme;
  timestamp: string;
  /** The credential scope as written: date/region/service/terminator. */
  scope: string;
  scopeDate: string;
  region: string;
  signedHeadersRaw: string;
}

interface Parsed {
  info: InspectedUrl;
  /** Path as written in the URL (encoded). */
  rawPath: string;
  /** Every query parameter but the signature, decoded, in URL order. */
  query: Pairs;
  /** Lower-case names of the auth parameters (never candidates for "added after signing"). */
  authNames: ReadonlySet<string>;
  signature: string;
  /** Index in `query` of the first parameter written after the signature (SDKs write it last). */
  afterSignature: number;
  /** The values paste damage is looked for in. */
  auth: AuthValues;
  cos?: { keyTime: string; signTime: string; paramList: string[] };
  sigv4?: SigV4Parts;
}

/**
 * Longest URL `inspectUrl`/`verifyUrl` read (UTF-16 code units). A presigned URL is a few hundred
 * bytes to a few KB (an object key is at most 1-3 KB encoded, an STS session token 1-2 KB), and
 * servers and browsers refuse request lines far shorter than this (S3 8 KB, nginx 8 KB by
 * default, Chrome 2 MB but CDNs 16-64 KB). Anything longer is not a URL someone can use, and
 * reading it would only cost time.
 */
export const MAX_URL_LENGTH = 64 * 1024;

function bad(message: string): never {
  throw new PresignError('url', message);
}

function decode(s: string, plusIsSpace: boolean, what: string): string {
  try {
    return uriDecode(s, plusIsSpace);
  } catch {
    return bad(`${what} has malformed percent-encoding; copy the whole URL again`);
  }
}

/** Query pairs, decoded. `+` is a space, as servers form-decode the query (the COS Python SDK writes spaces as `+`). */
function parseQuery(q: string): Pairs {
  const out: Pairs = [];
  for (const part of q.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq), true, 'a query parameter name');
    const value = eq < 0 ? '' : decode(part.slice(eq + 1), true, `the value of query parameter ${JSON.stringify(name)}`);
    out.push([name, value]);
  }
  return out;
}

/** The one value of a (case-insensitively named) auth parameter; absent or repeated is an error. */
function single(query: Pairs, lowerName: string, required: boolean): string | undefined {
  const hits = query.filter(([n]) => n.toLowerCase() === lowerName);
  if (hits.length > 1) bad(`${hits[0][0]} appears ${hits.length} times; a presigned URL carries it once`);
  if (hits.length === 0) {
    if (required) bad(`has no ${lowerName} parameter; the URL was cut short or edited, copy the whole URL again`);
    return undefined;
  }
  return hits[0][1];
}

function splitHost(host: string): { hostname: string; port?: string } {
  // Scanned by hand (no backtracking) so any host, however long, costs one pass.
  let hostname = host;
  let rest = '';
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end > 1) {
      hostname = host.slice(0, end + 1);
      rest = host.slice(end + 1);
    } else hostname = '';
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) {
      hostname = host.slice(0, colon);
      rest = host.slice(colon);
    }
  }
  if (hostname === '' || (rest !== '' && !/^:\d+$/.test(rest))) return bad(`host ${JSON.stringify(host)} is not valid`);
  return rest === '' ? { hostname } : { hostname, port: rest.slice(1) };
}

function stripDefaultPort(host: string, scheme: string): string {
  const { hostname, port } = splitHost(host);
  return (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80') ? hostname : host;
}

/** Longest DNS name; a longer host is no provider's endpoint, and is not pattern-matched at all. */
const MAX_HOSTNAME = 253;
const LABEL = /^[a-z0-9-]+$/;
const COS_BUCKET_LABEL = /^[a-z0-9-]+-\d+$/;

/** The host's DNS labels, or undefined when it cannot be a provider's endpoint (IP, too long). */
function labelsOf(hostname: string): string[] | undefined {
  if (hostname.length > MAX_HOSTNAME || hostname.startsWith('[')) return undefined;
  const labels = hostname.split('.');
  return labels.every((l) => LABEL.test(l)) ? labels : undefined;
}

function endsWith(labels: string[], ...suffix: string[]): boolean {
  return labels.length > suffix.length && suffix.every((s, i) => labels[labels.length - suffix.length + i] === s);
}

/** Bucket and region a COS host shows (default, old-region, accelerate and tencentcos.cn hosts). */
function cosHostParts(hostname: string): { bucket?: string; region?: string; addressing: InspectedUrl['addressing'] } {
  const l = labelsOf(hostname);
  if (!l || !COS_BUCKET_LABEL.test(l[0])) return { addressing: 'custom-domain' };
  const cosDomain = endsWith(l, 'myqcloud', 'com') || endsWith(l, 'tencentcos', 'cn');
  if (cosDomain && l.length === 5 && l[1] === 'cos' && l[2] === 'accelerate') return { bucket: l[0], addressing: 'virtual-host' };
  if (cosDomain && l.length === 5 && (l[1] === 'cos' || l[1] === 'cos-internal')) return { bucket: l[0], region: l[2], addressing: 'virtual-host' };
  if (endsWith(l, 'myqcloud', 'com') && l.length === 4 && COS_OLD_REGIONS.has(l[1])) return { bucket: l[0], region: l[1], addressing: 'virtual-host' };
  return { addressing: 'custom-domain' };
}

function tosHostParts(hostname: string): { bucket?: string; addressing: InspectedUrl['addressing'] } {
  const l = labelsOf(hostname);
  const tosDomain = l !== undefined && l.length === 4 && l[1].startsWith('tos-') && (endsWith(l, 'volces', 'com') || endsWith(l, 'ivolces', 'com') || endsWith(l, 'bytepluses', 'com'));
  return tosDomain ? { bucket: l[0], addressing: 'virtual-host' } : { addressing: 'custom-domain' };
}

/**
 * Where the S3 endpoint begins among the labels of a host: `s3.…` / `s3-…` up to
 * `amazonaws.com[.cn]`, COS's `cos.<region>.myqcloud.com`, TOS's `tos-s3-<region>.volces.com`.
 * The earliest start wins (the shortest bucket); -1 when the host is no known S3 endpoint.
 */
function s3EndpointStart(l: string[]): number {
  if (endsWith(l, 'amazonaws', 'com') || endsWith(l, 'amazonaws', 'com', 'cn')) {
    const last = l.length - (l[l.length - 1] === 'cn' ? 3 : 2);
    for (let i = 0; i < last; i++) if (l[i] === 's3' || l[i].startsWith('s3-')) return i;
    return -1;
  }
  if (l.length >= 4 && endsWith(l, 'myqcloud', 'com') && l[l.length - 4] === 'cos') return l.length - 4;
  const tosS3 = endsWith(l, 'volces', 'com') || endsWith(l, 'ivolces', 'com') || endsWith(l, 'bytepluses', 'com');
  if (tosS3 && l.length >= 3 && l[l.length - 3].startsWith('tos-s3-')) return l.length - 3;
  return -1;
}

/** S3: virtual-hosted, path-style or undecidable, from the host (and the caller's bucket hint). */
function s3Addressing(hostname: string, firstSegment: string, hint?: string): { bucket?: string; addressing: InspectedUrl['addressing'] } {
  if (hint) {
    if (hostname.startsWith(hint + '.')) return { bucket: hint, addressing: 'virtual-host' };
    if (firstSegment === hint) return { bucket: hint, addressing: 'path' };
  }
  const isIp = hostname.startsWith('[') || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(hostname);
  const l = labelsOf(hostname);
  const start = l ? s3EndpointStart(l) : -1;
  if (isIp || !hostname.includes('.') || (start === 0 && l![0] !== 'cos' && !l![0].startsWith('tos-s3-'))) {
    return { bucket: firstSegment || undefined, addressing: 'path' };
  }
  if (start > 0) return { bucket: l!.slice(0, start).join('.'), addressing: 'virtual-host' };
  return { addressing: 'unknown' };
}

function windowInfo(start: number, end: number, nowMs: number): Pick<InspectedUrl, 'start' | 'end' | 'lifetimeSeconds' | 'status' | 'secondsLeft' | 'secondsToStart'> {
  const now = Math.floor(nowMs / 1000);
  return {
    start: new Date(start * 1000),
    end: new Date(end * 1000),
    lifetimeSeconds: end - start,
    status: now > end ? 'expired' : now < start ? 'not-yet-valid' : 'valid',
    secondsLeft: end - now,
    secondsToStart: start - now,
  };
}

function parseCos(base: BaseUrl, query: Pairs, opts: InspectOptions): Parsed {
  const algorithm = single(query, 'q-sign-algorithm', true)!;
  if (algorithm !== 'sha1') bad(`q-sign-algorithm is ${JSON.stringify(algorithm)}; COS presigned URLs use sha1`);
  const ak = single(query, 'q-ak', true)!;
  const signTime = single(query, 'q-sign-time', true)!;
  const keyTime = single(query, 'q-key-time', true)!;
  const headerListRaw = single(query, 'q-header-list', true)!;
  const paramListRaw = single(query, 'q-url-param-list', true)!;
  const signature = single(query, 'q-signature', true)!;
  const t = /^(\d+);(\d+)$/.exec(signTime);
  if (!t) bad(`q-sign-time ${JSON.stringify(signTime)} is not "<start>;<end>" in unix seconds`);
  const notes: string[] = [];
  if (keyTime !== signTime) notes.push('q-key-time differs from q-sign-time; the SDKs always write them equal, so the URL was edited');
  // List entries are UrlEncoded, lower-cased names (COS doc "Request Signature").
  const headerList = headerListRaw === '' ? [] : headerListRaw.split(';');
  const paramList = paramListRaw === '' ? [] : paramListRaw.split(';');
  const listed = new Set(paramList);
  const signedParams: UrlParam[] = [];
  const unsignedParams: UrlParam[] = [];
  let securityToken: InspectedUrl['securityToken'] = 'none';
  const present = new Set<string>();
  for (const [name, value] of query) {
    const lower = name.toLowerCase();
    if (lower.startsWith('q-') && AUTH_COS.has(lower)) continue;
    const enc = uriEncode(name).toLowerCase();
    present.add(enc);
    const signed = listed.has(enc);
    if (lower === 'x-cos-security-token') {
      securityToken = signed ? 'signed' : 'unsigned';
      continue;
    }
    (signed ? signedParams : unsignedParams).push({ name, value });
  }
  const missingSignedParams = paramList.filter((n) => !present.has(n)).map((n) => decode(n, false, 'q-url-param-list'));
  if (unsignedParams.length) {
    notes.push(`${unsignedParams.map((p) => p.name).join(', ')} ${unsignedParams.length === 1 ? 'is' : 'are'} not in q-url-param-list: not covered by the signature, so anyone holding the URL can change ${unsignedParams.length === 1 ? 'it' : 'them'}`);
  }
  if (securityToken === 'unsigned') notes.push('x-cos-security-token is not signed (the Node SDK writes it so); COS accepts that, but the token could be swapped');
  const signedHeaders = headerList.map((n) => decode(n, false, 'q-header-list'));
  const signsHost = signedHeaders.includes('host');
  if (!signsHost) notes.push('host is not signed: the URL can be replayed against another host');
  const { hostname } = splitHost(base.host);
  const hp = cosHostParts(hostname);
  const httpUri = decode(base.path, false, 'the path');
  const info: InspectedUrl = {
    provider: 'cos',
    algorithm: 'sha1',
    scheme: base.scheme,
    host: base.host,
    ...(hp.bucket ? { bucket: hp.bucket } : {}),
    ...(hp.region ? { region: hp.region } : {}),
    key: httpUri.slice(1),
    addressing: hp.addressing,
    accessKeyId: ak,
    ...windowInfo(Number(t![1]), Number(t![2]), (opts.now ?? Date.now)()),
    signedHeaders,
    headersToSend: signedHeaders.filter((n) => n !== 'host'),
    signsHost,
    signedParams,
    unsignedParams,
    missingSignedParams,
    securityToken,
    notes,
    damage: [],
  };
  const token = query.find(([n]) => n.toLowerCase() === 'x-cos-security-token');
  return {
    info,
    rawPath: base.path,
    auth: {
      signatureName: 'q-signature', signature, signatureHexLength: 40, accessKeyIdName: 'q-ak', accessKeyId: ak,
      ...(token ? { tokenName: token[0], token: token[1] } : {}),
    },
    query: query.filter(([n]) => n.toLowerCase() !== 'q-signature'),
    authNames: AUTH_COS,
    signature,
    afterSignature: query.findIndex(([n]) => n.toLowerCase() === 'q-signature'),
    cos: { keyTime, signTime, paramList },
  };
}

const AUTH_COS = AUTH_PARAMS.cos;

/** The signer's parameters, plus the payload-hash parameter some SDKs add (not a caller's). */
function sigv4AuthNames(provider: 'tos' | 's3', scheme: SigV4Scheme): ReadonlySet<string> {
  return new Set([...AUTH_PARAMS[provider], scheme.paramPrefix.toLowerCase() + 'content-sha256']);
}

function parseSigV4(base: BaseUrl, query: Pairs, provider: 'tos' | 's3', opts: InspectOptions): Parsed {
  const scheme = provider === 'tos' ? TOS4 : S3_SIGV4;
  const p = scheme.paramPrefix.toLowerCase();
  const algorithm = single(query, p + 'algorithm', true)!;
  if (algorithm !== scheme.algorithm) bad(`${scheme.paramPrefix}Algorithm is ${JSON.stringify(algorithm)}; expected ${scheme.algorithm}`);
  const credential = single(query, p + 'credential', true)!;
  const timestamp = single(query, p + 'date', true)!;
  const expires = single(query, p + 'expires', true)!;
  const signedHeadersRaw = single(query, p + 'signedheaders', true)!;
  const signature = single(query, p + 'signature', true)!;
  const token = single(query, p + 'security-token', false);
  const parts = credential.split('/');
  if (parts.length < 5) bad(`${scheme.paramPrefix}Credential is not "<access key id>/<date>/<region>/${scheme.service}/${scheme.terminator}"`);
  const [scopeDate, region, service, terminator] = parts.slice(-4);
  const ak = parts.slice(0, -4).join('/');
  const d = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(timestamp);
  if (!d) bad(`${scheme.paramPrefix}Date ${JSON.stringify(timestamp)} is not YYYYMMDDTHHMMSSZ`);
  if (!/^\d{1,10}$/.test(expires)) bad(`${scheme.paramPrefix}Expires ${JSON.stringify(expires)} is not a whole number of seconds`);
  const start = Date.UTC(+d![1], +d![2] - 1, +d![3], +d![4], +d![5], +d![6]) / 1000;
  const notes: string[] = [];
  if (scopeDate !== timestamp.slice(0, 8)) notes.push(`the credential scope date ${scopeDate} differs from ${scheme.paramPrefix}Date ${timestamp}; servers refuse such URLs`);
  if (service !== scheme.service || terminator !== scheme.terminator) {
    notes.push(`the credential scope ends in ${service}/${terminator}, not ${scheme.service}/${scheme.terminator}; servers refuse such URLs`);
  }
  const authNames = sigv4AuthNames(provider, scheme);
  const signedParams: UrlParam[] = query.filter(([n]) => !authNames.has(n.toLowerCase())).map(([name, value]) => ({ name, value }));
  const signedHeaders = signedHeadersRaw.split(';').filter((n) => n !== '');
  const { hostname } = splitHost(base.host);
  const firstSegment = decode(base.path.split('/')[1] ?? '', false, 'the path');
  const hp = provider === 'tos' ? tosHostParts(hostname) : s3Addressing(hostname, firstSegment, opts.bucket);
  const decodedPath = decode(base.path, false, 'the path');
  const key = hp.addressing === 'path' ? decodedPath.slice(1 + firstSegment.length + 1) : decodedPath.slice(1);
  if (hp.addressing === 'unknown') {
    notes.push(`${hostname} is not a known S3 endpoint, so whether the bucket is in the host or the path is unknown; the key is shown as the whole path (pass the bucket to tell)`);
  }
  const info: InspectedUrl = {
    provider,
    algorithm,
    scheme: base.scheme,
    host: base.host,
    ...(hp.bucket ? { bucket: hp.bucket } : {}),
    region,
    key,
    addressing: hp.addressing,
    accessKeyId: ak,
    ...windowInfo(start, start + Number(expires), (opts.now ?? Date.now)()),
    signedHeaders,
    headersToSend: signedHeaders.filter((n) => n !== 'host'),
    signsHost: signedHeaders.includes('host'),
    signedParams,
    unsignedParams: [],
    missingSignedParams: [],
    securityToken: token === undefined ? 'none' : 'signed',
    notes,
    damage: [],
  };
  return {
    info,
    rawPath: base.path,
    auth: {
      signatureName: `${scheme.paramPrefix}Signature`, signature, signatureHexLength: 64, accessKeyIdName: `${scheme.paramPrefix}Credential`, accessKeyId: ak,
      ...(token !== undefined ? { tokenName: `${scheme.paramPrefix}Security-Token`, token } : {}),
    },
    query: query.filter(([n]) => n.toLowerCase() !== p + 'signature'),
    authNames,
    signature,
    afterSignature: query.findIndex(([n]) => n.toLowerCase() === p + 'signature'),
    sigv4: { scheme, timestamp, scope: parts.slice(-4).join('/'), scopeDate, region, signedHeadersRaw },
  };
}

interface BaseUrl {
  scheme: 'https' | 'http';
  host: string;
  path: string;
}

/**
 * Scheme, host, path and query of an http(s) URL, by index scanning: one pass whatever the input
 * (a regular expression over the whole URL backtracks on long hostile input). Undefined when it
 * is not an http(s) URL or holds whitespace.
 */
function splitUrl(url: string): { base: BaseUrl; rawQuery: string } | undefined {
  const s = /^https?:\/\//i.exec(url);
  if (!s || /\s/.test(url)) return undefined;
  let rest = url.slice(s[0].length);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const beforeQuery = q < 0 ? rest : rest.slice(0, q);
  const slash = beforeQuery.indexOf('/');
  const host = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash);
  if (host === '') return undefined;
  const path = slash < 0 ? '/' : beforeQuery.slice(slash);
  const scheme = s[0].slice(0, -3).toLowerCase() as 'https' | 'http';
  return { base: { scheme, host: host.toLowerCase(), path }, rawQuery: q < 0 ? '' : rest.slice(q + 1) };
}

function parse(url: unknown, opts: InspectOptions = {}): Parsed {
  if (typeof url !== 'string' || url.trim() === '') bad('is required; pass the whole presigned URL, quoted');
  if (url.length > MAX_URL_LENGTH) {
    bad(`is ${url.length} characters long; presigned URLs are a few KB at most and servers refuse request lines far shorter, so only URLs up to ${MAX_URL_LENGTH} characters are read`);
  }
  const repaired = repairText(url.trim());
  const split = splitUrl(repaired.url);
  if (!split) bad(maskedWhole(url) ? MASKED_WHOLE_MESSAGE : 'is not an http(s) URL; pass the whole presigned URL, quoted so the shell keeps the & characters');
  const { base, rawQuery } = split;
  if (base.host.includes('@')) bad('has user information (user@host); presigned URLs never carry one');
  const query = parseQuery(rawQuery);
  const names = new Set(query.map(([n]) => n.toLowerCase()));
  const found: Provider[] = [];
  if (names.has('q-sign-algorithm')) found.push('cos');
  if (names.has('x-tos-algorithm')) found.push('tos');
  if (names.has('x-amz-algorithm')) found.push('s3');
  if (found.length === 0) {
    bad(names.size === 0
      ? 'has no query string, so it is not a presigned URL (the part after ? is missing; quote the URL so the shell keeps it)'
      : 'carries no q-sign-algorithm (COS), X-Tos-Algorithm (TOS) or X-Amz-Algorithm (S3) parameter, so it is not a presigned URL');
  }
  if (found.length > 1) bad(`carries the signature parameters of ${found.join(' and ')} at once; a presigned URL has one signature`);
  const parsed = found[0] === 'cos' ? parseCos(base, query, opts) : parseSigV4(base, query, found[0] as 'tos' | 's3', opts);
  parsed.info.damage = [...repaired.damage, ...authValueDamage(parsed.auth)];
  return parsed;
}

/**
 * What a presigned URL grants: provider, bucket, key, window, what the request must carry.
 * Throws `PresignError` (field `url`) when the URL is not a COS, TOS or S3 presigned URL.
 */
export function inspectUrl(url: string, options: InspectOptions = {}): InspectedUrl {
  return parse(url, options).info;
}

// ---- verification -------------------------------------------------------------------------

interface Scenario {
  method: string;
  host: string;
  /** Indexes into `Parsed.query` of parameters left out (the "added after signing" search). */
  drop?: ReadonlySet<number>;
  /** Lower-case name -> value, as sent. */
  headers: Map<string, string>;
}

function canonicalPath(rawPath: string): string {
  // Servers decode the path and encode it again (RFC 3986, "/" kept); an escaped "/" inside a
  // segment stays escaped.
  return rawPath.split('/').map((seg) => uriEncode(decode(seg, false, 'the path'))).join('/');
}

function headerPairs(names: string[], s: Scenario): Pairs {
  return names.map((n): [string, string] => [n, n === 'host' ? s.host : s.headers.get(n)!]);
}

/**
 * The SigV4 canonical query of a URL, encoded and sorted once; a subset (some parameters left
 * out) is the same sorted rows minus theirs, so each variation costs one pass, not a sort.
 */
function canonicalQueryRows(p: Parsed): (drop?: ReadonlySet<number>) => string {
  const full = canonicalQuery(p.sigv4!.scheme, p.query);
  const rows = full === '' ? [] : full.split('&'); // encoded names and values hold no raw '&'
  return (drop) => {
    if (!drop || drop.size === 0) return full;
    const remove = new Map<string, number>();
    for (const i of drop) {
      const row = uriEncode(p.query[i][0]) + '=' + uriEncode(p.query[i][1]);
      remove.set(row, (remove.get(row) ?? 0) + 1);
    }
    return rows.filter((r) => {
      const n = remove.get(r);
      if (n === undefined || n === 0) return true;
      remove.set(r, n - 1);
      return false;
    }).join('&');
  };
}

/** What every variation shares, computed once: the canonical path (COS: the decoded one) and query rows. */
interface Prepared {
  path: string;
  queryOf: (drop?: ReadonlySet<number>) => string;
}

function prepare(p: Parsed): Prepared {
  if (p.cos) return { path: decode(p.rawPath, false, 'the path'), queryOf: () => '' };
  return { path: canonicalPath(p.rawPath), queryOf: canonicalQueryRows(p) };
}

function computeSignature(p: Parsed, secretKey: string, s: Scenario, prep: Prepared): string {
  if (p.cos) {
    const listed = new Set(p.cos.paramList);
    const params = p.query.filter(([n]) => !AUTH_COS.has(n.toLowerCase()) && listed.has(uriEncode(n).toLowerCase()));
    return cosSign(secretKey, p.cos.keyTime, {
      method: s.method,
      httpUri: prep.path,
      params,
      headers: headerPairs(p.info.signedHeaders, s),
    }).signature;
  }
  const v = p.sigv4!;
  const { signedHeaders, block } = canonicalHeaders(v.scheme, headerPairs(p.info.signedHeaders, s));
  const canonical = canonicalRequest(s.method, prep.path, prep.queryOf(s.drop), block, signedHeaders);
  return sigV4Signature(signingKey(v.scheme, secretKey, v.scopeDate, v.region), stringToSign(v.scheme, v.timestamp, v.scope, canonical));
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

/** "4m 10s", "2h 5m", "3d 4h": coarse on purpose, it is for people. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? ` ${s % 60}s` : ''}`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)}m` : ''}`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600) ? ` ${Math.floor((s % 86400) / 3600)}h` : ''}`;
}

function verifyInputs(o: VerifyOptions): { method: HttpMethod; headers: Map<string, string> } {
  if (o === null || typeof o !== 'object') throw new PresignError('input', 'must be an object');
  if (typeof o.secretKey !== 'string' || o.secretKey === '') throw new PresignError('secretKey', 'is required to check the signature');
  const method = (typeof o.method === 'string' ? o.method.toUpperCase() : o.method ?? 'GET') as HttpMethod;
  if (!METHODS.includes(method)) throw new PresignError('method', `unsupported method ${JSON.stringify(String(o.method))}; use one of ${METHODS.join(', ')}`);
  const headers = new Map<string, string>();
  const spelled = new Map<string, string>();
  if (o.headers !== undefined && (o.headers === null || typeof o.headers !== 'object' || Array.isArray(o.headers))) {
    throw new PresignError('headers', 'must be an object mapping names to values');
  }
  for (const [name, value] of Object.entries(o.headers ?? {})) {
    const lower = name.toLowerCase();
    if (typeof value !== 'string') throw new PresignError('headers', `value of ${JSON.stringify(name)} must be a string`);
    if (spelled.has(lower)) throw new PresignError('headers', `${JSON.stringify(spelled.get(lower))} and ${JSON.stringify(name)} are the same header; give it once`);
    spelled.set(lower, name);
    headers.set(lower, value);
  }
  return { method, headers };
}

/** Hosts the URL may have been signed for, other than the one the request goes to. */
function candidateHosts(p: Parsed, urlSignedHost: string, requestHost: string): string[] {
  const out = new Set<string>([urlSignedHost]);
  const { hostname, port } = splitHost(p.info.host);
  // The port written out or left out.
  out.add(hostname);
  if (!port) out.add(`${hostname}:${p.info.scheme === 'https' ? 443 : 80}`);
  const { bucket, region } = p.info;
  // Default endpoints of the provider, when the URL names bucket and region.
  if (p.info.provider === 'tos' && bucket && region) out.add(`${bucket}.tos-${region}.volces.com`);
  if (p.info.provider === 's3' && bucket && region) {
    const suffix = region.startsWith('cn-') ? '.cn' : '';
    out.add(`${bucket}.s3.${region}.amazonaws.com${suffix}`);
    out.add(`s3.${region}.amazonaws.com${suffix}`);
  }
  if (p.info.provider === 'cos' && bucket && region) out.add(`${bucket}.cos.${region}.myqcloud.com`);
  out.delete(requestHost);
  return [...out];
}

/** How many single parameters the "added after signing" search tries from each end of the query. */
const ADDED_TRIES = 8;

/**
 * Names of the parameters whose removal makes the signature match, or [] when no tried removal
 * does. Every candidate costs a full canonical request, so the candidates are a fixed few (the
 * parameters written after the signature, which is where an appended one lands, and the last
 * ones of the query), then all of those after the signature together, then all non-auth
 * parameters together: the work stays linear in the URL's length however many parameters it has.
 */
function addedParams(p: Parsed, matchesWithout: (drop: ReadonlySet<number>) => boolean): string[] {
  const callers: number[] = [];
  p.query.forEach(([n], i) => {
    if (!p.authNames.has(n.toLowerCase())) callers.push(i);
  });
  const after = callers.filter((i) => i >= p.afterSignature && p.afterSignature >= 0);
  const singles = [...new Set([...after.slice(0, ADDED_TRIES), ...callers.slice(-ADDED_TRIES)])];
  for (const i of singles) if (matchesWithout(new Set([i]))) return [p.query[i][0]];
  for (const group of [after, callers]) {
    if (group.length > 1 && matchesWithout(new Set(group))) return group.map((i) => p.query[i][0]);
  }
  return [];
}

function wrongMethod(signed: HttpMethod, asked: HttpMethod): VerifyReason {
  const how = signed === 'PUT' ? ' (curl --upload-file)' : signed === 'HEAD' ? ' (curl --head)' : ` (curl -X ${signed})`;
  return { code: 'wrong-method', message: `the URL is signed for ${signed}, not ${asked}; send the request with ${signed}${how}, or presign a ${asked} URL` };
}

/** What a signed header's value is, when the URL cannot tell it. */
function headerHint(name: string, key: string): string {
  if (name === 'content-type') {
    const usual = mimeLookup(key);
    return `the media type the URL was signed with${usual ? ` (not ${usual}, the usual one for this key, nor application/octet-stream)` : ' (not application/octet-stream)'}; ask whoever presigned it`;
  }
  if (name === 'content-md5') return 'base64 of the MD5 of the exact body the URL was signed for (the uploader computes it); another body cannot be sent';
  if (name === 'content-length') return 'the size in bytes of the exact body the URL was signed for';
  return 'the value used when signing, which the URL does not show; ask whoever presigned it';
}

/** Values worth trying for a signed header whose value the request does not give. */
function usualValues(name: string, key: string): string[] {
  if (name === 'content-type') return [...new Set([mimeLookup(key) || 'application/octet-stream', 'application/octet-stream', 'binary/octet-stream'])];
  if (name === 'x-amz-content-sha256' || name === 'x-tos-content-sha256') return [UNSIGNED_PAYLOAD];
  return [];
}

/**
 * The usual values of the missing signed headers (every combination, a handful at most), with
 * the method asked first, then the others: the first that makes the signature match, if any.
 */
function tryUsualValues(
  missing: string[],
  key: string,
  method: HttpMethod,
  matchesWith: (m: HttpMethod, values: Map<string, string>) => boolean,
): { method: HttpMethod; values: Map<string, string> } | undefined {
  let combos: Array<Map<string, string>> = [new Map()];
  for (const name of missing) {
    const values = usualValues(name, key);
    if (values.length === 0) return undefined;
    combos = combos.flatMap((c) => values.map((v) => new Map([...c, [name, v]])));
  }
  for (const m of [method, ...METHODS.filter((x) => x !== method)]) {
    for (const values of combos) if (matchesWith(m, values)) return { method: m, values };
  }
  return undefined;
}

function listOf(names: string[]): string {
  return names.join(', ');
}

/**
 * Recomputes the signature of a presigned URL for the request described by `options` and says
 * whether a server would accept it; when not, why (see `VerifyReasonCode`).
 *
 * What can be told apart offline: expiry and not-yet-valid windows, the method, signed headers
 * the request does not send, a changed host (when the signed host is the URL's, the request's
 * `Host` header, a default/explicit port or the provider's default endpoint), a parameter added
 * to an S3/TOS URL, a signed parameter removed from a COS URL, and an access key id that is not
 * the caller's. A wrong secret, a changed signed header value, an edited path or an edited
 * signed parameter value all give the same result, a different signature: they are reported
 * together as `signature-mismatch`.
 */
export function verifyUrl(url: string, options: VerifyOptions): VerifyResult {
  const { method, headers } = verifyInputs(options);
  const p = parse(url, options);
  const info = p.info;
  const reasons: VerifyReason[] = [];
  const warnings: string[] = [];
  const tag = info.provider === 'cos' ? '' : p.sigv4!.scheme.paramPrefix;

  // Paste damage comes first, and a masked value is not compared with anything.
  const unreadable = info.damage.some((d) => d.code === 'masked' || d.code === 'cut');
  let repairedMatches = false;
  if (options.secretId !== undefined && options.secretId !== info.accessKeyId && !info.accessKeyId.includes('***')) {
    reasons.push({
      code: 'wrong-access-key',
      message: `the URL was signed by access key id ${info.accessKeyId}, but the credentials given are for ${options.secretId}; check it with the secret key of ${info.accessKeyId}`,
    });
  }
  if (p.cos && p.cos.keyTime !== p.cos.signTime) {
    reasons.push({ code: 'malformed', message: 'q-key-time differs from q-sign-time, which no signer writes; the URL was edited, presign a new one' });
  }
  for (const n of info.notes.filter((x) => x.includes('servers refuse'))) reasons.push({ code: 'malformed', message: n });

  // The window, as the server will see it.
  if (info.status === 'expired') {
    reasons.push({ code: 'expired', message: `expired ${formatDuration(-info.secondsLeft)} ago (at ${info.end.toISOString()}); presign a new URL, with a longer lifetime if it has to wait` });
  } else if (info.status === 'not-yet-valid') {
    reasons.push({ code: 'not-yet-valid', message: `not valid until ${info.start.toISOString()}, ${formatDuration(info.secondsToStart)} from now; the signer's clock is ahead, or the start time was set in the future` });
  }
  const max = MAX_EXPIRES[info.provider];
  if (info.lifetimeSeconds > max) {
    reasons.push({ code: 'lifetime-too-long', message: `${tag}Expires is ${info.lifetimeSeconds} s; ${info.provider.toUpperCase()} refuses presigned URLs valid longer than ${max} s (${formatDuration(max)})` });
  }
  for (const name of info.missingSignedParams) {
    reasons.push({ code: 'param-removed', message: `q-url-param-list signs the parameter ${JSON.stringify(name)}, but the URL does not carry it: it was removed after signing; use the URL as it was given` });
  }

  // The request: what the server will put into the canonical strings.
  const urlSignedHost = info.provider === 'tos' ? info.host : stripDefaultPort(info.host, info.scheme);
  const hostHeader = headers.get('host');
  const requestHost = hostHeader !== undefined ? hostHeader.toLowerCase() : urlSignedHost;
  if (hostHeader !== undefined && requestHost !== urlSignedHost) {
    warnings.push(`the request sends Host: ${hostHeader}, not the URL's host ${urlSignedHost}`);
  }
  const unsignedSent = [...headers.keys()].filter((n) => n !== 'host' && !info.signedHeaders.includes(n));
  if (unsignedSent.length) {
    warnings.push(`${listOf(unsignedSent)} ${unsignedSent.length === 1 ? 'is' : 'are'} not signed: the server does not check ${unsignedSent.length === 1 ? 'it' : 'them'} against the URL`);
  }
  warnings.push(...info.notes.filter((n) => !n.includes('servers refuse') && !n.startsWith('q-key-time')));

  const given = info.headersToSend.filter((n) => headers.has(n));
  let missing = info.headersToSend.filter((n) => !headers.has(n));
  const found = new Map<string, string>();
  const done = (signatureMatches: boolean | undefined): VerifyResult => {
    const damage = info.damage.map((d, i): VerifyReason => ({
      code: 'paste-damage',
      message: d.message + (repairedMatches && i === info.damage.length - 1 ? '. With that undone the signature matches: the URL itself is good' : ''),
    }));
    const all = [...damage, ...reasons];
    const verdict = all.length || signatureMatches === false ? 'failed' : missing.length || found.size || signatureMatches === undefined ? 'needs-headers' : 'ok';
    const headersToSend = info.headersToSend.map((name): HeaderToSend => {
      if (given.includes(name)) return { name, value: headers.get(name)!, note: 'as given' };
      const value = found.get(name);
      if (value !== undefined) return { name, value, note: 'found: the signature matches with this value' };
      return { name, note: headerHint(name, p.info.key) };
    });
    return { verdict, ok: verdict === 'ok', signatureMatches, method, reasons: all, headersToSend, warnings, inspected: info };
  };
  if (unreadable) return done(undefined);

  const base: Scenario = { method, host: requestHost, headers };
  const prep = prepare(p);
  const matches = (s: Scenario): boolean => sameSignature(computeSignature(p, options.secretKey, s, prep), p.signature);
  if (missing.length) {
    // The URL cannot tell the values it signed; the usual ones are tried (a few signatures).
    const tried = tryUsualValues(missing, p.info.key, method, (m, values) => matches({ ...base, method: m, headers: new Map([...headers, ...values]) }));
    if (!tried) return done(undefined);
    for (const [n, v] of tried.values) found.set(n, v);
    missing = [];
    if (tried.method !== method) reasons.push(wrongMethod(tried.method, method));
    return done(tried.method === method ? true : false);
  }
  if (matches(base)) {
    repairedMatches = info.damage.length > 0;
    return done(true);
  }

  const specific: VerifyReason[] = [];
  const otherMethod = METHODS.find((m) => m !== method && matches({ ...base, method: m }));
  if (otherMethod) specific.push(wrongMethod(otherMethod, method));
  if (!specific.length && info.signsHost) {
    const signedFor = candidateHosts(p, urlSignedHost, requestHost).find((h) => matches({ ...base, host: h }));
    if (signedFor) {
      const fix = info.provider === 'cos'
        ? `presign for the host the server sees (as the custom domain ${requestHost}), or, only behind a proxy that rewrites Host, presign with the host unsigned`
        : `presign for the host the server sees (as the endpoint), or send the request to ${signedFor}`;
      specific.push({
        code: 'host-changed',
        message: `the signature covers the host ${signedFor}, but the request reaches the server as ${requestHost}; the host was changed after signing (a proxy, a CDN or an edited URL), and a signed host cannot change. ${fix[0].toUpperCase()}${fix.slice(1)}`,
      });
    }
  }
  if (!specific.length && p.sigv4) {
    const found = addedParams(p, (drop) => matches({ ...base, drop }));
    if (found.length) {
      const one = found.length === 1;
      specific.push({
        code: 'param-added',
        message: one
          ? `the parameter ${JSON.stringify(found[0])} was added to the URL after signing; every query parameter is signed in ${info.algorithm}, so remove it, or presign with it as a parameter`
          : `the parameters ${listOf(found)} were added to the URL after signing; every query parameter is signed in ${info.algorithm}, so remove them, or presign with them as parameters`,
      });
    }
  }
  // A key id that is not the caller's already explains a different signature.
  const wrongKey = reasons.some((r) => r.code === 'wrong-access-key');
  if (!specific.length && !info.missingSignedParams.length && !wrongKey) {
    const could: string[] = [`the secret key is not the one of access key id ${info.accessKeyId}`];
    // Damage that was undone may not be all the damage there is: that comes before the secret.
    if (info.damage.length) could.unshift('more of the URL was changed when it was copied than could be undone (copy it again from its source)');
    if (info.headersToSend.length) could.push(`a signed header value differs from the one signed (${info.headersToSend.map((n) => `${n}: ${JSON.stringify(headers.get(n))}`).join(', ')})`);
    const sp = info.signedParams.map((x) => x.name);
    could.push(`the path${sp.length ? ` or a signed parameter value (${listOf(sp)})` : ''} was edited`);
    if (info.signsHost) could.push(`the host was changed from one that cannot be guessed (a custom domain)`);
    specific.push({
      code: 'signature-mismatch',
      message: `the signature does not match for ${method} with the headers given, and no single change of method, host or parameters explains it. Offline these causes look the same: ${could.join('; or ')}`,
    });
  }
  reasons.splice(wrongKey ? 1 : 0, 0, ...specific);
  return done(false);
}
