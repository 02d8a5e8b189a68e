/**
 * Where TOS and S3 URLs point: the bucket as a sub-domain of the regional or given endpoint (or,
 * for S3, path-style in the path), or a TOS custom domain. Validated before they become a host.
 */
import { PresignError } from '../errors';
import {
  Authority,
  checkHost,
  Endpoint,
  IPV4,
  isIpLiteral,
  parseAuthority,
  pickScheme,
  refuseUnused,
  withPort,
} from '../resolve/authority';

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
  if (typeof value !== 'string' || value === '')
    throw new PresignError('bucket', 'is required; pass the TOS bucket name');
  if (!TOS_BUCKET.test(value)) {
    throw new PresignError(
      'bucket',
      `${JSON.stringify(value)} is not a TOS bucket name; use 3-63 lower-case letters, digits and -, starting and ending with a letter or digit`,
    );
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
    if (isCustomDomain)
      throw new PresignError(
        'endpoint',
        `${hostname} is TOS's regional endpoint, not a custom domain; remove isCustomDomain`,
      );
    return;
  }
  if (label !== bucket || !isCustomDomain) {
    throw new PresignError(
      'endpoint',
      `${hostname} is the TOS host of ${label === bucket ? 'this bucket' : `another bucket (${label})`}; pass the regional endpoint ${hostname.slice(label.length + 1)} and the bucket name as bucket`,
    );
  }
}

export function tosEndpoint(i: TosEndpointInput): Endpoint {
  refuseUnused('domain', i.domain, 'TOS (use endpoint with isCustomDomain: true)');
  refuseUnused('accelerate', i.accelerate, 'TOS');
  refuseUnused('forcePathStyle', i.forcePathStyle, 'TOS (TOS has no path-style addressing)');
  if (i.isCustomDomain !== undefined && typeof i.isCustomDomain !== 'boolean')
    throw new PresignError('isCustomDomain', 'must be true or false');
  let a: Authority = { hostname: `tos-${i.region}.volces.com` };
  if (i.endpoint !== undefined && i.endpoint !== '') {
    a = parseAuthority(i.endpoint, 'endpoint');
    if (/^tos-s3-/.test(a.hostname)) {
      throw new PresignError(
        'endpoint',
        `${a.hostname} is TOS's S3-compatible endpoint, which takes SigV4; use provider "s3" with it, or the native endpoint tos-<region>.volces.com`,
      );
    }
    refuseBucketHostEndpoint(a.hostname, i.bucket, i.isCustomDomain === true);
    if (!i.isCustomDomain && isIpLiteral(a.hostname)) {
      throw new PresignError(
        'endpoint',
        `${a.hostname} is an IP address, which cannot take the bucket as a sub-domain (TOS has no path-style URLs); use a host name, or set isCustomDomain: true if this address serves the bucket itself`,
      );
    }
  } else if (i.isCustomDomain) {
    throw new PresignError(
      'endpoint',
      'is required when isCustomDomain is true; pass the custom domain, e.g. cdn.example.com',
    );
  }
  const scheme = pickScheme(i.scheme, a.scheme, 'endpoint');
  // TOS signs the host as the endpoint spells it, port included, except a default port: clients
  // leave :443 / :80 out of the Host they send (and WHATWG URL drops it), so signing it never matches.
  const base = withPort(a.hostname, a.port, scheme, false);
  const host = i.isCustomDomain ? base : `${i.bucket}.${base}`;
  // A default host is built from validated labels under volces.com: only a given endpoint needs the check.
  if (i.endpoint !== undefined && i.endpoint !== '') checkHost(scheme, host, 'endpoint');
  return { scheme, host, signedHost: host, pathPrefix: '' };
}

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function s3Bucket(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new PresignError('bucket', 'is required; pass the bucket name');
  if (!S3_BUCKET.test(value) || value.includes('..') || IPV4.test(value) || /\.-|-\./.test(value)) {
    throw new PresignError(
      'bucket',
      `${JSON.stringify(value)} is not an S3 bucket name; use 3-63 lower-case letters, digits, hyphens and single dots, starting and ending with a letter or digit`,
    );
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
  refuseUnused('domain', i.domain, 'S3 (use endpoint)');
  refuseUnused('accelerate', i.accelerate, 'S3 in this toolkit');
  refuseUnused('isCustomDomain', i.isCustomDomain, 'S3');
  if (i.forcePathStyle !== undefined && typeof i.forcePathStyle !== 'boolean')
    throw new PresignError('forcePathStyle', 'must be true or false');
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
  if (i.endpoint !== undefined && i.endpoint !== '') checkHost(scheme, host, 'endpoint');
  return { scheme, host, signedHost: host, pathPrefix: pathStyle ? `/${i.bucket}` : '' };
}
