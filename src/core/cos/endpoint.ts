/**
 * Where a COS URL points: `<bucket>.cos.<region>.myqcloud.com`, the old-style and accelerated
 * hosts, or a custom domain. Bucket, region and domain are validated before they become a host.
 */
import { PresignError } from '../errors';
import { checkHost, Endpoint, parseAuthority, pickScheme, refuseUnused, withPort } from '../resolve/authority';
import { COS_OLD_REGIONS, COS_REGION_ALIASES } from './regions';

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
    throw new PresignError(
      'domain',
      `${hostname} is a COS host of ${/-\d+$/.test(label) ? `another bucket (${label})` : 'no bucket of yours'}, not a custom domain of ${bucket}; remove domain to use the bucket's own host, or set bucket to the bucket that host serves`,
    );
  }
}

export function cosBucket(value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new PresignError('bucket', 'is required; pass BucketName-APPID, e.g. examplebucket-1250000000');
  if (value.length > 63 || !COS_BUCKET.test(value)) {
    throw new PresignError(
      'bucket',
      `${JSON.stringify(value)} is not a COS bucket name; use BucketName-APPID (lower-case letters, digits and -), e.g. examplebucket-1250000000`,
    );
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
  refuseUnused('endpoint', i.endpoint, 'COS (use domain for a custom domain)');
  refuseUnused('isCustomDomain', i.isCustomDomain, 'COS (use domain)');
  refuseUnused('forcePathStyle', i.forcePathStyle, 'COS native signing');
  if (i.accelerate !== undefined && typeof i.accelerate !== 'boolean')
    throw new PresignError('accelerate', 'must be true or false');
  if (i.domain !== undefined && i.domain !== '') {
    if (i.accelerate)
      throw new PresignError('accelerate', 'cannot be combined with domain; a custom domain already decides the host');
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
    if (!i.region)
      throw new PresignError('region', 'is required for COS unless domain or accelerate is set; e.g. ap-guangzhou');
    const r = COS_REGION_ALIASES[i.region] ?? i.region;
    host = COS_OLD_REGIONS.has(r) ? `${i.bucket}.${r}.myqcloud.com` : `${i.bucket}.cos.${r}.myqcloud.com`;
  }
  // Built from a validated bucket and region under myqcloud.com: nothing for URL parsers to rewrite.
  return { scheme, host, signedHost: host, pathPrefix: '' };
}
