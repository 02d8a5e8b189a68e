/**
 * Turns input into validated, provider-specific signing requests in two stages: `resolveBatch`
 * decides what a batch of URLs shares (credentials, target, window, defaults) once, and
 * `resolveKey` adds one key's path, headers and params. Nothing is signed before both pass.
 */
import { PresignError } from '../errors';
import { uriEncodePath } from '../encoding';
import { isCosSignedHeader } from '../cos/sign';
import { secretRedactor } from '../redact';
import { SIGV4_SCHEMES } from '../sigv4/schemes';
import type { HttpMethod, Pairs, PresignInput, PresignOptions, PresignOverrides, Provider } from '../types';
import type { Endpoint } from './authority';
import * as v from './input';
import { resolveTarget } from './target';
import { resolveWindow } from './window';

/** What every URL of a batch shares. */
export interface Batch {
  provider: Provider;
  secretId: string;
  secretKey: string;
  securityToken?: string;
  region: string;
  endpoint: Endpoint;
  method: HttpMethod;
  /** The batch's headers and params, validated (per-key overrides replace them). */
  headers: Pairs;
  params: Pairs;
  signHost?: boolean;
  keySimplifyCheck?: boolean;
  /** Signature window, unix seconds. */
  start: number;
  end: number;
  /** When the URLs stop working, unix seconds. */
  expiresAt: number;
  warnings: string[];
  /** Hides the secrets in texts about this batch (errors, warnings). */
  redact: (text: string) => string;
}

/** One URL to sign: the batch's shared parts, and this URL's own. */
export interface SigningRequest {
  batch: Batch;
  method: HttpMethod;
  params: Pairs;
  /** URL path, encoded. */
  path: string;
  /** COS HttpURI: the raw key path. */
  httpUri: string;
  /** Caller headers the signature covers (never `host`). */
  signedHeaders: Pairs;
  /** Whether the host is signed (always for TOS and S3). */
  signHost: boolean;
  warnings: string[];
}

/**
 * Local test servers' built-in logins, whose id and key are equal and published in their docs:
 * nothing secret is revealed by a URL carrying them (s3rver's S3RVER, MinIO's default root).
 */
const PUBLIC_TEST_CREDENTIALS: ReadonlySet<string> = new Set(['S3RVER', 'minioadmin']);

function credentials(
  input: PresignInput,
  p: Provider,
): { secretId: string; secretKey: string; securityToken?: string } {
  const secretId = v.credential(input.secretId, 'secretId')!;
  const secretKey = v.credential(input.secretKey, 'secretKey')!;
  const securityToken = v.credential(input.securityToken, 'securityToken', true);
  if (p !== 'cos' && secretId.includes('/')) {
    // Servers split X-Amz-Credential / X-Tos-Credential on "/", so such a URL could never verify;
    // a "/" usually means the secret key was pasted as the id (and would be published in the URL).
    throw new PresignError(
      'secretId',
      'contains "/", which an access key id cannot hold in a signature scope; check that secretId is the access key id and secretKey the secret',
      'unsafe',
    );
  }
  if (secretId === secretKey && !PUBLIC_TEST_CREDENTIALS.has(secretKey)) {
    // Signing would publish the secret as the access key id (q-ak, X-Amz-Credential).
    throw new PresignError(
      'secretKey',
      'is the same as secretId; pass the secret key as secretKey and the access key id (SecretId / AccessKeyId) as secretId',
      'unsafe',
    );
  }
  return { secretId, secretKey, securityToken };
}

function flag(input: PresignInput, field: 'signHost' | 'keySimplifyCheck' | 'accelerate'): boolean | undefined {
  const value = input[field];
  if (value !== undefined && typeof value !== 'boolean') throw new PresignError(field, 'must be true or false');
  return value;
}

const identity = (text: string): string => text;

/** Runs `fn`, re-throwing a PresignError with every secret of `input` redacted. */
function redacting<T>(redact: ((text: string) => string) | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (redact === undefined || !(e instanceof PresignError)) throw e;
    const detail = redact(e.detail);
    // A new error, so that no stack trace still holds the original text.
    throw detail === e.detail ? e : new PresignError(e.field, detail, e.code);
  }
}

export function resolveBatch(input: PresignInput, options: PresignOptions = {}): Batch {
  if (input === null || typeof input !== 'object') throw new PresignError('input', 'must be an object');
  const redact = secretRedactor(input);
  return redacting(redact, () => {
    const p = v.provider(input);
    const creds = credentials(input, p);
    const method = v.method(input.method);
    const scheme = v.scheme(input.scheme);
    const signHost = flag(input, 'signHost');
    const keySimplifyCheck = flag(input, 'keySimplifyCheck');
    if (p !== 'cos' && signHost === false) {
      throw new PresignError(
        'signHost',
        `${p.toUpperCase()} signatures always cover the host; remove signHost`,
        'conflict',
      );
    }
    const target = resolveTarget(input, p, scheme);
    const headers = v.headers(input.headers, p === 's3');
    const params = v.params(input.params, p);
    refuseTokenParam(p, creds.securityToken, params);
    const warnings = [...target.warnings];
    const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
    const window = resolveWindow(input, p, nowSec, warnings);
    return {
      provider: p,
      secretId: creds.secretId,
      secretKey: creds.secretKey,
      securityToken: creds.securityToken,
      region: target.region,
      endpoint: target.endpoint,
      method,
      headers,
      params,
      signHost,
      keySimplifyCheck,
      start: window.start,
      end: window.end,
      expiresAt: window.expiresAt,
      warnings,
      redact: redact ?? identity,
    };
  });
}

/**
 * `resolveBatch(input)` from `shared`, a batch resolved for an input with the same shared fields
 * at the same clock second (presign's cache): only method, headers and params (all a batch holds
 * of the request itself) are read and checked again, in resolveBatch's order, so the result and
 * any error are the same.
 */
export function rebatch(shared: Batch, input: PresignInput): Batch {
  return redacting(shared.redact, () => {
    const p = shared.provider;
    const method = v.method(input.method);
    const headers = v.headers(input.headers, p === 's3');
    const params = v.params(input.params, p);
    refuseTokenParam(p, shared.securityToken, params);
    return { ...shared, method, headers, params };
  });
}

function refuseTokenParam(p: Provider, token: string | undefined, params: Pairs): void {
  if (p === 'cos' && token !== undefined && params.some(([n]) => n.toLowerCase() === 'x-cos-security-token')) {
    throw new PresignError(
      'params',
      'x-cos-security-token is also given as securityToken; pass the token once, as securityToken',
      'conflict',
    );
  }
}

function dropHost(headers: Pairs, endpoint: Endpoint): { rest: Pairs; hadHost: boolean } {
  const rest: Pairs = [];
  let hadHost = false;
  for (const [n, val] of headers) {
    if (n.toLowerCase() !== 'host') {
      rest.push([n, val]);
      continue;
    }
    // The SDKs sign a caller's Host verbatim even when it names another bucket; that would let
    // a URL shown for one bucket be spent on another, so only the URL's own host is accepted.
    if (val.toLowerCase() !== endpoint.signedHost) {
      throw new PresignError(
        'headers',
        `Host ${JSON.stringify(val)} differs from the URL's host ${JSON.stringify(endpoint.signedHost)}; a URL may only sign its own host. Remove the Host header, or change bucket/region/domain/endpoint`,
        'unsafe',
      );
    }
    hadHost = true;
  }
  return { rest, hadHost };
}

function keyPath(b: Batch, key: string): { path: string; httpUri: string } {
  if (b.provider === 'cos') {
    v.cosKeyRules(key);
    // One leading "/" is not part of the key (both COS SDKs strip it); the signature's HttpURI
    // is the raw key path. "./" is written ".%2F" (Python SDK) so clients keep dot segments.
    const stripped = key.startsWith('/') ? key.slice(1) : key;
    return {
      path: '/' + uriEncodePath(stripped).replace(/\.\//g, '.%2F'),
      httpUri: key.startsWith('/') ? key : '/' + key,
    };
  }
  if (b.provider === 's3') v.s3KeyRules(key);
  return { path: b.endpoint.pathPrefix + '/' + uriEncodePath(key), httpUri: '' };
}

/** One key of a batch, with the overrides of that URL. */
export function resolveKey(b: Batch, rawKey: unknown, overrides: PresignOverrides = {}): SigningRequest {
  return redacting(b.redact, () => {
    const key = v.key(rawKey);
    v.refuseRootKey(key, b.keySimplifyCheck);
    const { path, httpUri } = keyPath(b, key);
    v.refuseDotSegments(path);
    const method = overrides.method === undefined ? b.method : v.method(overrides.method);
    const headers = overrides.headers === undefined ? b.headers : v.headers(overrides.headers, b.provider === 's3');
    let params = b.params;
    if (overrides.params !== undefined) {
      params = v.params(overrides.params, b.provider);
      refuseTokenParam(b.provider, b.securityToken, params);
    }
    const { rest, hadHost } = dropHost(headers, b.endpoint);
    const signs = b.provider === 'cos' ? isCosSignedHeader : SIGV4_SCHEMES[b.provider].signsHeader;
    const signedHeaders = rest.filter(([n]) => signs(n.toLowerCase()));
    const warnings = b.warnings.slice();
    const dropped =
      signedHeaders.length === rest.length ? [] : rest.filter(([n]) => !signs(n.toLowerCase())).map(([n]) => n);
    if (dropped.length) {
      warnings.push(
        `${b.provider.toUpperCase()} query signatures do not cover ${dropped.join(', ')}; ${dropped.length === 1 ? 'it is' : 'they are'} not enforced and not among the headers to send`,
      );
    }
    const signHost = b.provider === 'cos' ? b.signHost !== false || hadHost : true;
    if (!signHost) {
      warnings.push(
        'signHost is false: the signature does not cover the host, so the URL can be replayed against another host; sign the host unless a proxy rewrites it',
      );
    }
    return {
      batch: b,
      method,
      params,
      path,
      httpUri,
      signedHeaders,
      signHost,
      warnings: warnings.length ? warnings.map(b.redact) : warnings,
    };
  });
}

/** Both stages at once: one URL's request from a full input. */
export function resolveRequest(input: PresignInput, options?: PresignOptions): SigningRequest {
  const b = resolveBatch(input, options);
  return resolveKey(b, input.key);
}
