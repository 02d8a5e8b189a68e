/**
 * Where a URL points: scheme, host and the path prefix before the key, per provider. Bucket,
 * region, domain and endpoint are validated here, before any of them becomes part of a host,
 * so no input can make a URL address another host or bucket than the one asked for.
 */
import { PresignError } from './errors';
import { COS_OLD_REGIONS, COS_REGION_ALIASES } from './cos/regions';

export { COS_OLD_REGIONS };

export interface Endpoint {
  scheme: 'https' | 'http';
  /** Host as written in the URL (lower-case, with a port when one is needed). */
  host: string;
  /** Value of the signed `host` header: what the client will send. */
  signedHost: string;
  /** `/bucket` for path-style S3 URLs, otherwise empty. */
  pathPrefix: string;
}

interface Authority {
  scheme?: 'https' | 'http';
  hostname: string;
  port?: string;
}

const HOSTNAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const AUTHORITY = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?(\[[0-9A-Fa-f:.]+\]|[^/:?#@\[\]]+)(?::(\d{1,5}))?\/?$/;

/**
 * The host as WHATWG URL serialises it, or undefined when URL refuses it. Clients (browsers,
 * fetch, undici) send that form: a host signed in any other spelling never verifies.
 */
function whatwgHostname(hostname: string): string | undefined {
  try {
    return new URL(`http://${hostname}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Parses `host[:port]` or `scheme://host[:port]`; refuses paths, queries, user info. The result
 * is canonical as WHATWG URL writes it: lower case, IPv6 compressed (`[0:0::1]` -> `[::1]`),
 * port without leading zeros (`:080` -> `:80`). Numeric IPv4 shorthands (`127.1`, `0x7f.0.0.1`,
 * `010.0.0.1`) are refused: tools disagree on what they mean (octal or decimal).
 */
export function parseAuthority(value: unknown, field: string): Authority {
  if (typeof value !== 'string' || value === '') throw new PresignError(field, 'must be a host name such as cdn.example.com, optionally with https:// and a port');
  const m = AUTHORITY.exec(value.trim() === value ? value : '');
  if (!m) {
    throw new PresignError(field, `${JSON.stringify(value)} is not a host[:port] or http(s)://host[:port]; remove any path, query, user name or spaces`);
  }
  const [, rawScheme, rawHost, rawPort] = m;
  let scheme: 'https' | 'http' | undefined;
  if (rawScheme !== undefined) {
    const s = rawScheme.toLowerCase();
    if (s !== 'https' && s !== 'http') throw new PresignError(field, `scheme ${JSON.stringify(rawScheme)} is not supported; use https:// or http://`);
    scheme = s;
  }
  const written = rawHost.toLowerCase();
  if (!written.startsWith('[') && !HOSTNAME.test(written)) {
    throw new PresignError(field, `${JSON.stringify(rawHost)} is not a valid host name`);
  }
  const hostname = whatwgHostname(written);
  if (hostname === undefined) {
    throw new PresignError(field, written.startsWith('[')
      ? `${JSON.stringify(rawHost)} is not a valid IPv6 address`
      : /(?:^|\.)(?:\d+|0x[0-9a-f]*)$/.test(written)
        ? `${JSON.stringify(rawHost)} is not a valid host name: its last label is a number, so URL parsers read it as an IPv4 address, and it is not one`
        : `${JSON.stringify(rawHost)} is not a valid host name`);
  }
  if (hostname !== written && !written.startsWith('[')) {
    throw new PresignError(field, `${JSON.stringify(rawHost)} is a shorthand IPv4 address that clients rewrite to ${hostname}; write it as ${hostname}`);
  }
  let port: string | undefined;
  if (rawPort !== undefined) {
    const n = Number(rawPort);
    if (n < 1 || n > 65535) throw new PresignError(field, `port ${rawPort} is out of range 1-65535`);
    port = String(n); // "080" is sent as 80
  }
  return { scheme, hostname, port };
}

/** True for an IPv4 or IPv6 literal (canonical form): it cannot take a bucket as a sub-domain. */
export function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || IPV4.test(hostname);
}

/**
 * Every URL host is checked against what WHATWG URL makes of it, so the host that is signed is the
 * host clients send. `field` is the input that decided the host.
 */
export function checkHost(scheme: 'https' | 'http', host: string, field: string): void {
  let parsed: string | undefined;
  try {
    parsed = new URL(`${scheme}://${host}/`).host;
  } catch {
    parsed = undefined;
  }
  if (parsed !== host) {
    throw new PresignError(field, `gives the host ${JSON.stringify(host)}, which URL parsers ${parsed === undefined ? 'refuse' : `rewrite to ${JSON.stringify(parsed)}`}; the URL could never verify`);
  }
}

function pickScheme(asked: 'https' | 'http' | undefined, fromEndpoint: 'https' | 'http' | undefined, field: string): 'https' | 'http' {
  if (asked && fromEndpoint && asked !== fromEndpoint) {
    throw new PresignError('scheme', `is "${asked}" but ${field} says "${fromEndpoint}://"; drop one of them`);
  }
  return asked ?? fromEndpoint ?? 'https';
}

function withPort(hostname: string, port: string | undefined, scheme: 'https' | 'http', keepDefault: boolean): string {
  if (port === undefined) return hostname;
  const isDefault = (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80');
  return isDefault && !keepDefault ? hostname : `${hostname}:${port}`;
}

function refuse(field: string, value: unknown, providerName: string): void {
  if (value !== undefined && value !== false && value !== '') {
    throw new PresignError(field, `is not used by ${providerName}; remove it`);
  }
}

// ---- COS --------------------------------------------------------------------------------

const COS_BUCKET = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-[0-9]+$/;
/** Tencent's own host suffixes: under them the first label names the bucket a request goes to. */
const COS_PROVIDER_HOST = /\.(?:myqcloud\.com|tencentcos\.cn|tencentcos\.com)$/;

/**
 * A custom domain must not be another bucket's default host (`b-125….cos.<region>.myqcloud.com`):
 * the URL would reach bucket b while everything shown names the bucket asked for.
 */
function refuseOtherCosBucket(hostname: string, bucket: string): void {
  if (!COS_PROVIDER_HOST.test(hostname)) return;
  const label = hostname.split('.')[0];
  if (label !== bucket) {
    throw new PresignError('domain', `${hostname} is a COS host of ${/-\d+$/.test(label) ? `another bucket (${label})` : 'no bucket of yours'}, not a custom domain of ${bucket}; remove domain to use the bucket's own host, or set bucket to the bucket that host serves`);
  }
}

export function cosBucket(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new PresignError('bucket', 'is required; pass BucketName-APPID, e.g. examplebucket-1250000000');
  if (value.length > 63 || !COS_BUCKET.test(value)) {
    throw new PresignError('bucket', `${JSON.stringify(value)} is not a COS bucket name; use BucketName-APPID (lower-case letters, digits and -), e.g. examplebucket-1250000000`);
  }
  return value;
}

export interface CosEndpointInput {
  bucket: string;
  region?: string;
  domain?: unknown;
  accelerate?: unknown;
  endpoint?: unknown;
  scheme?: 'https' | 'http';
  isCustomDomain?: unknown;
  forcePathStyle?: unknown;
}

export function cosEndpoint(i: CosEndpointInput): Endpoint {
  refuse('endpoint', i.endpoint, 'COS (use domain for a custom domain)');
  refuse('isCustomDomain', i.isCustomDomain, 'COS (use domain)');
  refuse('forcePathStyle', i.forcePathStyle, 'COS native signing');
  if (i.accelerate !== undefined && typeof i.accelerate !== 'boolean') throw new PresignError('accelerate', 'must be true or false');
  if (i.domain !== undefined && i.domain !== '') {
    if (i.accelerate) throw new PresignError('accelerate', 'cannot be combined with domain; a custom domain already decides the host');
    const a = parseAuthority(i.domain, 'domain');
    refuseOtherCosBucket(a.hostname, i.bucket);
    const scheme = pickScheme(i.scheme, a.scheme, 'domain');
    const host = withPort(a.hostname, a.port, scheme, false);
    checkHost(scheme, host, 'domain');
    return { scheme, host, signedHost: host, pathPrefix: '' };
  }
  const scheme = i.scheme ?? 'https';
  let host: string;
  if (i.accelerate) {
    host = `${i.bucket}.cos.accelerate.myqcloud.com`;
  } else {
    if (!i.region) throw new PresignError('region', 'is required for COS unless domain or accelerate is set; e.g. ap-guangzhou');
    const r = COS_REGION_ALIASES[i.region] ?? i.region;
    host = COS_OLD_REGIONS.has(r) ? `${i.bucket}.${r}.myqcloud.com` : `${i.bucket}.cos.${r}.myqcloud.com`;
  }
  checkHost(scheme, host, i.accelerate ? 'bucket' : 'region');
  return { scheme, host, signedHost: host, pathPrefix: '' };
}

// ---- TOS --------------------------------------------------------------------------------

const TOS_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export interface TosEndpointInput {
  bucket: string;
  region: string;
  endpoint?: unknown;
  isCustomDomain?: unknown;
  scheme?: 'https' | 'http';
  domain?: unknown;
  accelerate?: unknown;
  forcePathStyle?: unknown;
}

export function tosBucket(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new PresignError('bucket', 'is required; pass the TOS bucket name');
  if (!TOS_BUCKET.test(value)) {
    throw new PresignError('bucket', `${JSON.stringify(value)} is not a TOS bucket name; use 3-63 lower-case letters, digits and -, starting and ending with a letter or digit`);
  }
  return value;
}

/** Volcengine's own TOS host: `[<bucket>.]tos-<region>.volces.com` (`ivolces.com` inside the VPC). */
const TOS_PROVIDER_HOST = /^(?:([^.]+)\.)?tos-[a-z0-9-]+\.i?volces\.com$/;

/**
 * An endpoint that already holds a bucket label (`b.tos-cn-beijing.volces.com`) addresses bucket
 * b: refused unless it is this bucket's own host given as a custom domain.
 */
function refuseBucketHostEndpoint(hostname: string, bucket: string, isCustomDomain: boolean): void {
  const m = TOS_PROVIDER_HOST.exec(hostname);
  if (m === null) return;
  const label = m[1];
  if (label === undefined) {
    if (isCustomDomain) throw new PresignError('endpoint', `${hostname} is TOS's regional endpoint, not a custom domain; remove isCustomDomain`);
    return;
  }
  if (label !== bucket || !isCustomDomain) {
    throw new PresignError('endpoint', `${hostname} is the TOS host of ${label === bucket ? 'this bucket' : `another bucket (${label})`}; pass the regional endpoint ${hostname.slice(label.length + 1)} and the bucket name as bucket`);
  }
}

export function tosEndpoint(i: TosEndpointInput): Endpoint {
  refuse('domain', i.domain, 'TOS (use endpoint with isCustomDomain: true)');
  refuse('accelerate', i.accelerate, 'TOS');
  refuse('forcePathStyle', i.forcePathStyle, 'TOS (TOS has no path-style addressing)');
  if (i.isCustomDomain !== undefined && typeof i.isCustomDomain !== 'boolean') throw new PresignError('isCustomDomain', 'must be true or false');
  let a: Authority = { hostname: `tos-${i.region}.volces.com` };
  if (i.endpoint !== undefined && i.endpoint !== '') {
    a = parseAuthority(i.endpoint, 'endpoint');
    if (/^tos-s3-/.test(a.hostname)) {
      throw new PresignError('endpoint', `${a.hostname} is TOS's S3-compatible endpoint, which takes SigV4; use provider "s3" with it, or the native endpoint tos-<region>.volces.com`);
    }
    refuseBucketHostEndpoint(a.hostname, i.bucket, i.isCustomDomain === true);
    if (!i.isCustomDomain && isIpLiteral(a.hostname)) {
      throw new PresignError('endpoint', `${a.hostname} is an IP address, which cannot take the bucket as a sub-domain (TOS has no path-style URLs); use a host name, or set isCustomDomain: true if this address serves the bucket itself`);
    }
  } else if (i.isCustomDomain) {
    throw new PresignError('endpoint', 'is required when isCustomDomain is true; pass the custom domain, e.g. cdn.example.com');
  }
  const scheme = pickScheme(i.scheme, a.scheme, 'endpoint');
  // TOS signs the host as the endpoint spells it, port included, except a default port: clients
  // leave :443 / :80 out of the Host they send (and WHATWG URL drops it), so signing it never matches.
  const base = withPort(a.hostname, a.port, scheme, false);
  const host = i.isCustomDomain ? base : `${i.bucket}.${base}`;
  checkHost(scheme, host, i.endpoint !== undefined && i.endpoint !== '' ? 'endpoint' : 'region');
  return { scheme, host, signedHost: host, pathPrefix: '' };
}

// ---- S3 (SigV4) -------------------------------------------------------------------------

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function s3Bucket(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new PresignError('bucket', 'is required; pass the bucket name');
  if (!S3_BUCKET.test(value) || value.includes('..') || IPV4.test(value) || /\.-|-\./.test(value)) {
    throw new PresignError('bucket', `${JSON.stringify(value)} is not an S3 bucket name; use 3-63 lower-case letters, digits, hyphens and single dots, starting and ending with a letter or digit`);
  }
  return value;
}

export interface S3EndpointInput {
  bucket: string;
  region: string;
  endpoint?: unknown;
  forcePathStyle?: unknown;
  scheme?: 'https' | 'http';
  domain?: unknown;
  accelerate?: unknown;
  isCustomDomain?: unknown;
}

export function s3Endpoint(i: S3EndpointInput): Endpoint {
  refuse('domain', i.domain, 'S3 (use endpoint)');
  refuse('accelerate', i.accelerate, 'S3 in this toolkit');
  refuse('isCustomDomain', i.isCustomDomain, 'S3');
  if (i.forcePathStyle !== undefined && typeof i.forcePathStyle !== 'boolean') throw new PresignError('forcePathStyle', 'must be true or false');
  let a: Authority;
  if (i.endpoint !== undefined && i.endpoint !== '') {
    a = parseAuthority(i.endpoint, 'endpoint');
  } else {
    a = { hostname: `s3.${i.region}.amazonaws.com${i.region.startsWith('cn-') ? '.cn' : ''}` };
  }
  const scheme = pickScheme(i.scheme, a.scheme, 'endpoint');
  const base = withPort(a.hostname, a.port, scheme, false);
  // Dotted bucket names break TLS wildcard certificates, and IPs cannot carry a bucket label.
  const pathStyle = i.forcePathStyle === true || i.bucket.includes('.') || isIpLiteral(a.hostname);
  const host = pathStyle ? base : `${i.bucket}.${base}`;
  checkHost(scheme, host, i.endpoint !== undefined && i.endpoint !== '' ? 'endpoint' : 'region');
  return { scheme, host, signedHost: host, pathPrefix: pathStyle ? `/${i.bucket}` : '' };
}
