/**
 * `inspectUrl`: what a COS, TOS or S3 presigned URL grants (bucket, key, window, signed headers
 * and params), read offline, with any paste damage found first. Nothing returned contains the
 * signature or the security token: results may be printed.
 */
import { uriEncode } from '../encoding';
import { SIGV4_SCHEMES } from '../sigv4/schemes';
import type { SigV4Scheme } from '../sigv4';
import { Provider } from '../types';
import { AUTH_PARAMS } from '../auth-params';
import type { Pairs } from '../types';
import { authValueDamage, MASKED_WHOLE_MESSAGE, maskedWhole, repairText } from './damage';
import { cosHostParts, s3Addressing, tosHostParts } from './hosts';
import type { BaseUrl, InspectedUrl, InspectNote, InspectNoteCode, InspectOptions, Parsed, UrlParam } from './types';
import { bad, decode, MAX_URL_LENGTH, parseQuery, single, splitHost, splitUrl } from './url';

function note(notes: InspectNote[], code: InspectNoteCode, message: string): void {
  notes.push({ code, message });
}

function windowInfo(
  start: number,
  end: number,
  nowMs: number,
): Pick<InspectedUrl, 'start' | 'end' | 'lifetimeSeconds' | 'status' | 'secondsLeft' | 'secondsToStart'> {
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
  const notes: InspectNote[] = [];
  if (keyTime !== signTime)
    note(
      notes,
      'key-time-differs',
      'q-key-time differs from q-sign-time; the SDKs always write them equal, so the URL was edited',
    );
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
    note(
      notes,
      'unsigned-params',
      `${unsignedParams.map((p) => p.name).join(', ')} ${unsignedParams.length === 1 ? 'is' : 'are'} not in q-url-param-list: not covered by the signature, so anyone holding the URL can change ${unsignedParams.length === 1 ? 'it' : 'them'}`,
    );
  }
  if (securityToken === 'unsigned')
    note(
      notes,
      'unsigned-token',
      'x-cos-security-token is not signed (the Node SDK writes it so); COS accepts that, but the token could be swapped',
    );
  const signedHeaders = headerList.map((n) => decode(n, false, 'q-header-list'));
  const signsHost = signedHeaders.includes('host');
  if (!signsHost) note(notes, 'host-unsigned', 'host is not signed: the URL can be replayed against another host');
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
      signatureName: 'q-signature',
      signature,
      signatureHexLength: 40,
      accessKeyIdName: 'q-ak',
      accessKeyId: ak,
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
  const scheme = SIGV4_SCHEMES[provider];
  const p = scheme.paramPrefix.toLowerCase();
  const algorithm = single(query, p + 'algorithm', true)!;
  if (algorithm !== scheme.algorithm)
    bad(`${scheme.paramPrefix}Algorithm is ${JSON.stringify(algorithm)}; expected ${scheme.algorithm}`);
  const credential = single(query, p + 'credential', true)!;
  const timestamp = single(query, p + 'date', true)!;
  const expires = single(query, p + 'expires', true)!;
  const signedHeadersRaw = single(query, p + 'signedheaders', true)!;
  const signature = single(query, p + 'signature', true)!;
  const token = single(query, p + 'security-token', false);
  const parts = credential.split('/');
  if (parts.length < 5)
    bad(
      `${scheme.paramPrefix}Credential is not "<access key id>/<date>/<region>/${scheme.service}/${scheme.terminator}"`,
    );
  const [scopeDate, region, service, terminator] = parts.slice(-4);
  const ak = parts.slice(0, -4).join('/');
  const d = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(timestamp);
  if (!d) bad(`${scheme.paramPrefix}Date ${JSON.stringify(timestamp)} is not YYYYMMDDTHHMMSSZ`);
  if (!/^\d{1,10}$/.test(expires))
    bad(`${scheme.paramPrefix}Expires ${JSON.stringify(expires)} is not a whole number of seconds`);
  const start = Date.UTC(+d![1], +d![2] - 1, +d![3], +d![4], +d![5], +d![6]) / 1000;
  const notes: InspectNote[] = [];
  if (scopeDate !== timestamp.slice(0, 8))
    note(
      notes,
      'scope-date-differs',
      `the credential scope date ${scopeDate} differs from ${scheme.paramPrefix}Date ${timestamp}; servers refuse such URLs`,
    );
  if (service !== scheme.service || terminator !== scheme.terminator) {
    note(
      notes,
      'scope-not-service',
      `the credential scope ends in ${service}/${terminator}, not ${scheme.service}/${scheme.terminator}; servers refuse such URLs`,
    );
  }
  const authNames = sigv4AuthNames(provider, scheme);
  const signedParams: UrlParam[] = query
    .filter(([n]) => !authNames.has(n.toLowerCase()))
    .map(([name, value]) => ({ name, value }));
  const signedHeaders = signedHeadersRaw.split(';').filter((n) => n !== '');
  const { hostname } = splitHost(base.host);
  const firstSegment = decode(base.path.split('/')[1] ?? '', false, 'the path');
  const hp = provider === 'tos' ? tosHostParts(hostname) : s3Addressing(hostname, region, firstSegment, opts.bucket);
  const decodedPath = decode(base.path, false, 'the path');
  const key = hp.addressing === 'path' ? decodedPath.slice(1 + firstSegment.length + 1) : decodedPath.slice(1);
  if (hp.addressing === 'unknown') {
    note(
      notes,
      'unknown-s3-host',
      `${hostname} is not a known S3 endpoint, so whether the bucket is in the host or the path is unknown; the key is shown as the whole path (pass the bucket to tell)`,
    );
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
      signatureName: `${scheme.paramPrefix}Signature`,
      signature,
      signatureHexLength: 64,
      accessKeyIdName: `${scheme.paramPrefix}Credential`,
      accessKeyId: ak,
      ...(token !== undefined ? { tokenName: `${scheme.paramPrefix}Security-Token`, token } : {}),
    },
    query: query.filter(([n]) => n.toLowerCase() !== p + 'signature'),
    authNames,
    signature,
    afterSignature: query.findIndex(([n]) => n.toLowerCase() === p + 'signature'),
    sigv4: { scheme, timestamp, scope: parts.slice(-4).join('/'), scopeDate, region, signedHeadersRaw },
  };
}

export function parse(url: unknown, opts: InspectOptions = {}): Parsed {
  if (typeof url !== 'string' || url.trim() === '') bad('is required; pass the whole presigned URL, quoted');
  if (url.length > MAX_URL_LENGTH) {
    bad(
      `is ${url.length} characters long; presigned URLs are a few KB at most and servers refuse request lines far shorter, so only URLs up to ${MAX_URL_LENGTH} characters are read`,
    );
  }
  const repaired = repairText(url.trim());
  const split = splitUrl(repaired.url);
  if (!split)
    bad(
      maskedWhole(url)
        ? MASKED_WHOLE_MESSAGE
        : 'is not an http(s) URL; pass the whole presigned URL, quoted so the shell keeps the & characters',
    );
  const { base, rawQuery } = split;
  if (base.host.includes('@')) bad('has user information (user@host); presigned URLs never carry one');
  const query = parseQuery(rawQuery);
  const names = new Set(query.map(([n]) => n.toLowerCase()));
  const found: Provider[] = [];
  if (names.has('q-sign-algorithm')) found.push('cos');
  if (names.has('x-tos-algorithm')) found.push('tos');
  if (names.has('x-amz-algorithm')) found.push('s3');
  if (found.length === 0) {
    bad(
      names.size === 0
        ? 'has no query string, so it is not a presigned URL (the part after ? is missing; quote the URL so the shell keeps it)'
        : 'carries no q-sign-algorithm (COS), X-Tos-Algorithm (TOS) or X-Amz-Algorithm (S3) parameter, so it is not a presigned URL',
    );
  }
  if (found.length > 1)
    bad(`carries the signature parameters of ${found.join(' and ')} at once; a presigned URL has one signature`);
  const parsed =
    found[0] === 'cos' ? parseCos(base, query, opts) : parseSigV4(base, query, found[0] as 'tos' | 's3', opts);
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
