/**
 * Turns a `PresignInput` into a fully validated, provider-specific `SigningRequest`: the one
 * place that decides host, path, signed headers, params and the validity window.
 */
import { PresignError } from './errors';
import { uriEncodePath } from './encoding';
import { cosBucket, cosEndpoint, Endpoint, s3Bucket, s3Endpoint, tosBucket, tosEndpoint } from './endpoints';
import { isCosSignedHeader } from './cos';
import { cosRegionWarning } from './cos/regions';
import { S3_SIGV4, SigV4Scheme, TOS4 } from './sigv4';
import { HttpMethod, PresignInput, PresignOptions, Provider } from './types';
import { MAX_UNIX_SECONDS } from './time';
import { secretRedactor } from './redact';
import * as v from './validate';

export interface SigningRequest {
  provider: Provider;
  secretId: string;
  secretKey: string;
  securityToken?: string;
  method: HttpMethod;
  region: string;
  endpoint: Endpoint;
  /** URL path, encoded. */
  path: string;
  /** COS HttpURI: the raw key path. */
  httpUri: string;
  /** Caller headers the signature covers (never `host`). */
  signedHeaders: v.Pairs;
  params: v.Pairs;
  signHost: boolean;
  /** Signature window, unix seconds. */
  start: number;
  end: number;
  /** When the URL stops working, unix seconds. */
  expiresAt: number;
  warnings: string[];
}

export const SIGV4_SCHEMES: Record<'tos' | 's3', SigV4Scheme> = { tos: TOS4, s3: S3_SIGV4 };

function window(input: PresignInput, p: Provider, nowSec: number, warnings: string[]): { start: number; end: number; expiresAt: number } {
  const expires = v.expires(input.expires, p);
  const explicitStart = v.startTime(input.startTime);
  const credEnd = v.credentialExpiry(input.credentialExpiresAt, warnings);
  // COS, like its Python SDK, backdates an implicit start by 60 s so that a server clock a
  // little behind ours still accepts the URL; the URL still ends `expires` after now.
  const start = explicitStart ?? (p === 'cos' ? nowSec - 60 : nowSec);
  let end = (explicitStart ?? nowSec) + expires;
  if (end > MAX_UNIX_SECONDS) {
    throw new PresignError(explicitStart !== undefined ? 'startTime' : 'expires', 'puts the expiry after year 9999; check that times are unix seconds');
  }
  if (end <= nowSec) {
    // Only an explicit start in the past gets here: such a URL would be refused on first use.
    throw new PresignError('startTime', `with expires ${expires} the URL would have expired at ${new Date(end * 1000).toISOString()}, before now; pass a later startTime (unix seconds) or leave it out to start now`);
  }
  if (credEnd !== undefined) {
    if (credEnd <= Math.max(start, nowSec)) {
      throw new PresignError('credentialExpiresAt', `the credentials expired at ${new Date(credEnd * 1000).toISOString()}; fetch fresh temporary credentials`);
    }
    if (credEnd < end) {
      end = credEnd;
      warnings.push(`URL lifetime cut to the temporary credential's expiry (${new Date(credEnd * 1000).toISOString()}); the URL cannot outlive the credentials that signed it`);
    }
  }
  return { start, end, expiresAt: end };
}

function dropHost(headers: v.Pairs, endpoint: Endpoint): { rest: v.Pairs; hadHost: boolean } {
  const rest: v.Pairs = [];
  let hadHost = false;
  for (const [n, val] of headers) {
    if (n.toLowerCase() !== 'host') {
      rest.push([n, val]);
      continue;
    }
    // The SDKs sign a caller's Host verbatim even when it names another bucket; that would let
    // a URL shown for one bucket be spent on another, so only the URL's own host is accepted.
    if (val.toLowerCase() !== endpoint.signedHost) {
      throw new PresignError('headers', `Host ${JSON.stringify(val)} differs from the URL's host ${JSON.stringify(endpoint.signedHost)}; a URL may only sign its own host. Remove the Host header, or change bucket/region/domain/endpoint`);
    }
    hadHost = true;
  }
  return { rest, hadHost };
}

interface Target {
  endpoint: Endpoint;
  region: string;
  /** E.g. an unknown COS region: the host may not exist. */
  warnings: readonly string[];
}

function resolveTarget(input: PresignInput, p: Provider, scheme: 'https' | 'http' | undefined): Target {
  const common = { endpoint: input.endpoint, domain: input.domain, accelerate: input.accelerate, isCustomDomain: input.isCustomDomain, forcePathStyle: input.forcePathStyle, scheme };
  if (p === 'cos') {
    const bucket = cosBucket(input.bucket);
    const region = v.region(input.region, false, 'e.g. ap-guangzhou') ?? '';
    const endpoint = cosEndpoint({ ...common, bucket, region });
    // Only when the region builds the host: with a domain or acceleration it is not used.
    const hostFromRegion = (input.domain === undefined || input.domain === '') && input.accelerate !== true;
    const warning = hostFromRegion ? cosRegionWarning(region) : undefined;
    return { endpoint, region, warnings: warning ? [warning] : [] };
  }
  if (p === 'tos') {
    const bucket = tosBucket(input.bucket);
    const region = v.region(input.region, true, 'TOS signs with the bucket region, e.g. cn-beijing')!;
    return { endpoint: tosEndpoint({ ...common, bucket, region }), region, warnings: [] };
  }
  const bucket = s3Bucket(input.bucket);
  const hasEndpoint = input.endpoint !== undefined && input.endpoint !== '';
  // MinIO, s3rver and most S3-compatible servers accept any region; us-east-1 is their default.
  const region = v.region(input.region, !hasEndpoint, 'AWS signs with the bucket region, e.g. us-east-1') ?? 'us-east-1';
  return { endpoint: s3Endpoint({ ...common, bucket, region }), region, warnings: [] };
}

// A batch signs many keys for one bucket: validate and build its host once. The memo holds
// every input resolveTarget reads (primitives only, compared with ===); the result is frozen.
type TargetFields = [Provider, string | undefined, ...unknown[]];
let lastTarget: { fields: TargetFields; target: Target } | undefined;

function target(input: PresignInput, p: Provider, scheme: 'https' | 'http' | undefined): Target {
  const fields: TargetFields = [p, scheme, input.bucket, input.region, input.endpoint, input.domain, input.accelerate, input.isCustomDomain, input.forcePathStyle];
  const m = lastTarget;
  if (m !== undefined && fields.every((f, i) => f === m.fields[i])) return m.target;
  const t = resolveTarget(input, p, scheme);
  Object.freeze(t.endpoint);
  if (fields.every((f) => f === undefined || typeof f !== 'object')) lastTarget = { fields, target: Object.freeze(t) };
  return t;
}

/**
 * Local test servers' built-in logins, whose id and key are equal and published in their docs:
 * nothing secret is revealed by a URL carrying them (s3rver's S3RVER, MinIO's default root).
 */
const PUBLIC_TEST_CREDENTIALS: ReadonlySet<string> = new Set(['S3RVER', 'minioadmin']);

// A batch signs with one set of credentials: check them once.
let lastCredentials: { secretId: unknown; secretKey: unknown; securityToken: unknown } | undefined;

function credentials(input: PresignInput): { secretId: string; secretKey: string; securityToken?: string } {
  const m = lastCredentials;
  if (m === undefined || m.secretId !== input.secretId || m.secretKey !== input.secretKey || m.securityToken !== input.securityToken) {
    v.credential(input.secretId, 'secretId');
    v.credential(input.secretKey, 'secretKey');
    v.credential(input.securityToken, 'securityToken', true);
    lastCredentials = { secretId: input.secretId, secretKey: input.secretKey, securityToken: input.securityToken };
  }
  return {
    secretId: input.secretId,
    secretKey: input.secretKey,
    securityToken: input.securityToken === '' || input.securityToken === null ? undefined : input.securityToken,
  };
}

export function resolveRequest(input: PresignInput, options: PresignOptions = {}): SigningRequest {
  let r: SigningRequest;
  try {
    r = resolve(input, options);
  } catch (e) {
    const redact = e instanceof PresignError && input !== null && typeof input === 'object' ? secretRedactor(input) : undefined;
    if (redact === undefined) throw e;
    const { field, message } = e as PresignError;
    const detail = message.slice(field.length + 2);
    const redacted = redact(detail);
    // A new error, so that no stack trace still holds the original text.
    throw redacted === detail ? e : new PresignError(field, redacted);
  }
  if (r.warnings.length) {
    const redact = secretRedactor(input);
    if (redact) r.warnings = r.warnings.map(redact);
  }
  return r;
}

function resolve(input: PresignInput, options: PresignOptions): SigningRequest {
  if (input === null || typeof input !== 'object') throw new PresignError('input', 'must be an object');
  const p = v.provider(input);
  const { secretId, secretKey, securityToken } = credentials(input);
  if (p !== 'cos' && secretId.includes('/')) {
    // Servers split X-Amz-Credential / X-Tos-Credential on "/", so such a URL could never verify;
    // a "/" usually means the secret key was pasted as the id (and would be published in the URL).
    throw new PresignError('secretId', 'contains "/", which an access key id cannot hold in a signature scope; check that secretId is the access key id and secretKey the secret');
  }
  if (secretId === secretKey && !PUBLIC_TEST_CREDENTIALS.has(secretKey)) {
    // Signing would publish the secret as the access key id (q-ak, X-Amz-Credential).
    throw new PresignError('secretKey', 'is the same as secretId; pass the secret key as secretKey and the access key id (SecretId / AccessKeyId) as secretId');
  }
  const method = v.method(input.method);
  const scheme = v.scheme(input.scheme);
  const key = v.key(input.key);
  if (input.signHost !== undefined && typeof input.signHost !== 'boolean') throw new PresignError('signHost', 'must be true or false');
  if (input.keySimplifyCheck !== undefined && typeof input.keySimplifyCheck !== 'boolean') throw new PresignError('keySimplifyCheck', 'must be true or false');
  v.refuseRootKey(key, input.keySimplifyCheck);

  const warnings: string[] = [];
  const { endpoint, region, warnings: targetWarnings } = target(input, p, scheme);
  warnings.push(...targetWarnings);
  let path: string;
  let httpUri = '';
  if (p === 'cos') {
    v.cosKeyRules(key);
    // One leading "/" is not part of the key (both COS SDKs strip it); the signature's HttpURI
    // is the raw key path. "./" is written ".%2F" (Python SDK) so clients keep dot segments.
    const stripped = key.startsWith('/') ? key.slice(1) : key;
    path = '/' + uriEncodePath(stripped).replace(/\.\//g, '.%2F');
    httpUri = key.startsWith('/') ? key : '/' + key;
  } else {
    if (p === 's3') v.s3KeyRules(key);
    path = endpoint.pathPrefix + '/' + uriEncodePath(key);
  }
  v.refuseDotSegments(path);

  const { rest, hadHost } = dropHost(v.headers(input.headers, p === 's3'), endpoint);
  const params = v.params(input.params, p);
  if (p === 'cos' && securityToken !== undefined && params.some(([n]) => n.toLowerCase() === 'x-cos-security-token')) {
    throw new PresignError('params', 'x-cos-security-token is also given as securityToken; pass the token once, as securityToken');
  }

  let signedHeaders: v.Pairs;
  let dropped: string[];
  if (p === 'cos') {
    signedHeaders = rest.filter(([n]) => isCosSignedHeader(n.toLowerCase()));
    dropped = rest.filter(([n]) => !isCosSignedHeader(n.toLowerCase())).map(([n]) => n);
  } else {
    const scheme4 = SIGV4_SCHEMES[p];
    signedHeaders = rest.filter(([n]) => scheme4.signsHeader(n.toLowerCase()));
    dropped = rest.filter(([n]) => !scheme4.signsHeader(n.toLowerCase())).map(([n]) => n);
  }
  if (dropped.length) {
    warnings.push(`${p.toUpperCase()} query signatures do not cover ${dropped.join(', ')}; ${dropped.length === 1 ? 'it is' : 'they are'} not enforced and not among the headers to send`);
  }

  if (p !== 'cos' && input.signHost === false) {
    throw new PresignError('signHost', `${p.toUpperCase()} signatures always cover the host; remove signHost`);
  }
  const signHost = p === 'cos' ? input.signHost !== false || hadHost : true;
  if (!signHost) {
    warnings.push('signHost is false: the signature does not cover the host, so the URL can be replayed against another host; sign the host unless a proxy rewrites it');
  }

  const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
  const { start, end, expiresAt } = window(input, p, nowSec, warnings);
  return {
    provider: p, secretId, secretKey, securityToken, method, region, endpoint, path, httpUri,
    signedHeaders, params, signHost, start, end, expiresAt, warnings,
  };
}
