/**
 * Where a URL points: scheme, host and the path prefix before the key, per provider. Bucket,
 * region, domain and endpoint are validated here, before any of them becomes part of a host,
 * so no input can make a URL address another host or bucket than the one asked for.
 */
import { PresignError } from './errors';

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
const AUTHORITY = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?(\[[0-9A-Fa-f:.]+\]|[^/:?#@[\]]+)(?::(\d{1,5}))?\/?$/;

/** Parses `host[:port]` or `scheme://host[:port]`; refuses paths, queries, user info. */
export function parseAuthority(value: unknown, field: string): Authority {
  if (typeof value !== 'string' || value === '') throw new PresignError(field, 'must be a host name such as cdn.example.com, optionally with https:// and a port');
  const m = AUTHORITY.exec(value.trim() === value ? value : '');
  if (!m) {
    throw new PresignError(field, `${JSON.stringify(value)} is not a host[:port] or http(s)://host[:port]; remove any path, query, user name or spaces`);
  }
  const [, rawScheme, rawHost, port] = m;
  let scheme: 'https' | 'http' | undefined;
  if (rawScheme !== undefined) {
    const s = rawScheme.toLowerCase();
    if (s !== 'https' && s !== 'http') throw new PresignError(field, `scheme ${JSON.stringify(rawScheme)} is not supported; use https:// or http://`);
    scheme = s;
  }
  const hostname = rawHost.toLowerCase();
  if (!hostname.startsWith('[') && !HOSTNAME.test(hostname)) {
    throw new PresignError(field, `${JSON.stringify(rawHost)} is not a valid host name`);
  }
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    throw new PresignError(field, `port ${port} is out of range 1-65535`);
  }
  return { scheme, hostname, port };
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
/** Regions older than the `cos.<region>` naming (COS Python SDK `format_region`). */
export const COS_OLD_REGIONS: ReadonlySet<string> = new Set(['cn-north', 'cn-south', 'cn-south-2', 'cn-east', 'cn-southwest', 'sg']);
/** JSON API v4 region aliases the Python SDK still maps. */
const COS_REGION_ALIASES: Record<string, string> = {
  cossh: 'ap-shanghai', cosgz: 'ap-guangzhou', cosbj: 'ap-beijing', costj: 'ap-beijing-1', coscd: 'ap-chengdu',
  cossgp: 'ap-singapore', coshk: 'ap-hongkong', cosca: 'na-toronto', cosger: 'eu-frankfurt',
};

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
    const scheme = pickScheme(i.scheme, a.scheme, 'domain');
    const host = withPort(a.hostname, a.port, scheme, false);
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
  } else if (i.isCustomDomain) {
    throw new PresignError('endpoint', 'is required when isCustomDomain is true; pass the custom domain, e.g. cdn.example.com');
  }
  const scheme = pickScheme(i.scheme, a.scheme, 'endpoint');
  // TOS signs the host as the endpoint spells it, port included, except a default port: clients
  // leave :443 / :80 out of the Host they send (and WHATWG URL drops it), so signing it never matches.
  const base = withPort(a.hostname, a.port, scheme, false);
  const host = i.isCustomDomain ? base : `${i.bucket}.${base}`;
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
  const isIp = a.hostname.startsWith('[') || IPV4.test(a.hostname);
  // Dotted bucket names break TLS wildcard certificates, and IPs cannot carry a bucket label.
  const pathStyle = i.forcePathStyle === true || i.bucket.includes('.') || isIp;
  return pathStyle
    ? { scheme, host: base, signedHost: base, pathPrefix: `/${i.bucket}` }
    : { scheme, host: `${i.bucket}.${base}`, signedHost: `${i.bucket}.${base}`, pathPrefix: '' };
}
