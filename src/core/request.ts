/**
 * Turns a `PresignInput` into a fully validated, provider-specific `SigningRequest`: the one
 * place that decides host, path, signed headers, params and the validity window.
 */
import { PresignError } from './errors';
import { uriEncodePath } from './encoding';
import { cosBucket, cosEndpoint, Endpoint, s3Bucket, s3Endpoint, tosBucket, tosEndpoint } from './endpoints';
import { isCosSignedHeader } from './cos';
import { S3_SIGV4, SigV4Scheme, TOS4 } from './sigv4';
import { HttpMethod, PresignInput, PresignOptions, Provider } from './types';
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
  const credEnd = v.credentialExpiry(input.credentialExpiresAt);
  // COS, like its Python SDK, backdates an implicit start by 60 s so that a server clock a
  // little behind ours still accepts the URL; the URL still ends `expires` after now.
  const start = explicitStart ?? (p === 'cos' ? nowSec - 60 : nowSec);
  let end = (explicitStart ?? nowSec) + expires;
  if (credEnd !== undefined) {
    if (credEnd <= Math.max(start, nowSec)) {
      throw new PresignError('credentialExpiresAt', `the credentials expired at ${new Date(credEnd * 1000).toISOString()}; fetch fresh temporary credentials`);
    }
    if (credEnd < end) {
      end = credEnd;
      warnings.push(`URL lifetime cut to the temporary credential's expiry (${new Date(credEnd * 1000).toISOString()}); the URL cannot outlive the credentials that signed it`);
    }
  }
  if (p !== 'cos' && end >= 253402300800) throw new PresignError('startTime', 'puts the expiry after year 9999');
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

export function resolveRequest(input: PresignInput, options: PresignOptions = {}): SigningRequest {
  if (input === null || typeof input !== 'object') throw new PresignError('input', 'must be an object');
  const p = v.provider(input);
  const secretId = v.credential(input.secretId, 'secretId')!;
  const secretKey = v.credential(input.secretKey, 'secretKey')!;
  const securityToken = v.credential(input.securityToken, 'securityToken', true);
  const method = v.method(input.method);
  const scheme = v.scheme(input.scheme);
  const key = v.key(input.key);
  if (input.signHost !== undefined && typeof input.signHost !== 'boolean') throw new PresignError('signHost', 'must be true or false');
  if (input.keySimplifyCheck !== undefined && typeof input.keySimplifyCheck !== 'boolean') throw new PresignError('keySimplifyCheck', 'must be true or false');
  v.refuseRootKey(key, input.keySimplifyCheck);

  const warnings: string[] = [];
  let endpoint: Endpoint;
  let region: string;
  let path: string;
  let httpUri = '';
  if (p === 'cos') {
    const bucket = cosBucket(input.bucket);
    region = v.region(input.region, false, 'e.g. ap-guangzhou') ?? '';
    endpoint = cosEndpoint({ ...input, bucket, region, scheme });
    v.cosKeyRules(key);
    // One leading "/" is not part of the key (both COS SDKs strip it); the signature's HttpURI
    // is the raw key path. "./" is written ".%2F" (Python SDK) so clients keep dot segments.
    const stripped = key.startsWith('/') ? key.slice(1) : key;
    path = '/' + uriEncodePath(stripped).replace(/\.\//g, '.%2F');
    httpUri = key.startsWith('/') ? key : '/' + key;
  } else if (p === 'tos') {
    const bucket = tosBucket(input.bucket);
    region = v.region(input.region, true, 'TOS signs with the bucket region, e.g. cn-beijing')!;
    endpoint = tosEndpoint({ ...input, bucket, region, scheme });
    path = '/' + uriEncodePath(key);
  } else {
    const bucket = s3Bucket(input.bucket);
    const hasEndpoint = input.endpoint !== undefined && input.endpoint !== '';
    // MinIO, s3rver and most S3-compatible servers accept any region; us-east-1 is their default.
    region = v.region(input.region, !hasEndpoint, 'AWS signs with the bucket region, e.g. us-east-1') ?? 'us-east-1';
    endpoint = s3Endpoint({ ...input, bucket, region, scheme });
    v.s3KeyRules(key);
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
