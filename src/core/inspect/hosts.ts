/**
 * Bucket and addressing read from a URL's host, per provider, label by label (linear in the
 * host), and the hosts a URL may have been signed for instead. The signers' host builders and
 * bucket rules (../endpoints) decide: a host is a provider's default endpoint when building that
 * endpoint for the bucket and region it shows gives the same host back, so reading and building
 * cannot disagree. Only the variants no signer here builds (internal and alternative domains,
 * other S3 endpoint spellings) are matched by their labels.
 */
import { cosBucket, cosEndpoint } from '../cos/endpoint';
import { s3Bucket, s3Endpoint, tosBucket, tosEndpoint } from '../sigv4/endpoint';
import type { InspectedUrl, Parsed } from './types';
import { splitHost } from './url';

type Addressing = { bucket?: string; region?: string; addressing: InspectedUrl['addressing'] };

/** The host a signer builds, or undefined when it refuses the input. */
function built(build: () => { host: string }): string | undefined {
  try {
    return build().host;
  } catch {
    return undefined;
  }
}

/** Whether a signer would accept `bucket` (its own rule, e.g. BucketName-APPID for COS). */
function isBucket(rule: (value: unknown) => string, bucket: string): boolean {
  try {
    rule(bucket);
    return true;
  } catch {
    return false;
  }
}

/** Longest DNS name; a longer host is no provider's endpoint, and is not pattern-matched at all. */
const MAX_HOSTNAME = 253;

const LABEL = /^[a-z0-9-]+$/;

/** The host's DNS labels, or undefined when it cannot be a provider's endpoint (IP, too long). */
function labelsOf(hostname: string): string[] | undefined {
  if (hostname.length > MAX_HOSTNAME || hostname.startsWith('[')) return undefined;
  const labels = hostname.split('.');
  return labels.every((l) => LABEL.test(l)) ? labels : undefined;
}

function endsWith(labels: string[], ...suffix: string[]): boolean {
  return labels.length > suffix.length && suffix.every((s, i) => labels[labels.length - suffix.length + i] === s);
}

/** Bucket and region a COS host shows (default, old-region, accelerate, internal and tencentcos.cn hosts). */
export function cosHostParts(hostname: string): Addressing {
  const l = labelsOf(hostname);
  if (!l || !isBucket(cosBucket, l[0])) return { addressing: 'custom-domain' };
  const bucket = l[0];
  if (built(() => cosEndpoint({ bucket, accelerate: true })) === hostname)
    return { bucket, addressing: 'virtual-host' };
  // <bucket>.cos.<region>.myqcloud.com, or <bucket>.<old region>.myqcloud.com.
  const region = l.length === 5 && l[1] === 'cos' ? l[2] : l.length === 4 ? l[1] : undefined;
  if (region !== undefined && built(() => cosEndpoint({ bucket, region })) === hostname)
    return { bucket, region, addressing: 'virtual-host' };
  // Not built by the signer: the internal endpoint and the tencentcos.cn domain.
  const variant =
    l.length === 5 &&
    (endsWith(l, 'myqcloud', 'com') || endsWith(l, 'tencentcos', 'cn')) &&
    (l[1] === 'cos' || l[1] === 'cos-internal');
  if (variant && l[2] === 'accelerate') return { bucket, addressing: 'virtual-host' };
  if (variant) return { bucket, region: l[2], addressing: 'virtual-host' };
  return { addressing: 'custom-domain' };
}

/** The bucket a TOS host shows (default endpoint; internal and BytePlus domains). */
export function tosHostParts(hostname: string): Addressing {
  const l = labelsOf(hostname);
  if (!l || l.length !== 4 || !l[1].startsWith('tos-') || !isBucket(tosBucket, l[0]))
    return { addressing: 'custom-domain' };
  const bucket = l[0];
  if (built(() => tosEndpoint({ bucket, region: l[1].slice(4) })) === hostname)
    return { bucket, addressing: 'virtual-host' };
  const variant = endsWith(l, 'ivolces', 'com') || endsWith(l, 'bytepluses', 'com');
  return variant ? { bucket, addressing: 'virtual-host' } : { addressing: 'custom-domain' };
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

/**
 * S3: virtual-hosted, path-style or undecidable, from the host, the signing region (the default
 * endpoint is built for it) and the caller's bucket hint.
 */
export function s3Addressing(hostname: string, region: string, firstSegment: string, hint?: string): Addressing {
  if (hint) {
    if (hostname.startsWith(hint + '.')) return { bucket: hint, addressing: 'virtual-host' };
    if (firstSegment === hint) return { bucket: hint, addressing: 'path' };
  }
  const path: Addressing = { bucket: firstSegment || undefined, addressing: 'path' };
  const regional = built(() => s3Endpoint({ bucket: 'bucket', region, forcePathStyle: true }));
  if (hostname === regional) return path;
  if (regional && hostname.endsWith('.' + regional)) {
    const bucket = hostname.slice(0, -regional.length - 1);
    if (isBucket(s3Bucket, bucket)) return { bucket, addressing: 'virtual-host' };
  }
  const isIp = hostname.startsWith('[') || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(hostname);
  const l = labelsOf(hostname);
  const start = l ? s3EndpointStart(l) : -1;
  if (isIp || !hostname.includes('.') || (start === 0 && l![0] !== 'cos' && !l![0].startsWith('tos-s3-'))) return path;
  if (start > 0) return { bucket: l!.slice(0, start).join('.'), addressing: 'virtual-host' };
  return { addressing: 'unknown' };
}

/** Hosts the URL may have been signed for, other than the one the request goes to. */
export function candidateHosts(p: Parsed, urlSignedHost: string, requestHost: string): string[] {
  const out = new Set<string>([urlSignedHost]);
  const { hostname, port } = splitHost(p.info.host);
  // The port written out or left out.
  out.add(hostname);
  if (!port) out.add(`${hostname}:${p.info.scheme === 'https' ? 443 : 80}`);
  const { bucket, region } = p.info;
  // The provider's default endpoints for the bucket and region the URL names, as the signers build them.
  if (bucket && region) {
    const hosts =
      p.info.provider === 'cos'
        ? [built(() => cosEndpoint({ bucket, region }))]
        : p.info.provider === 'tos'
          ? [built(() => tosEndpoint({ bucket, region }))]
          : [
              built(() => s3Endpoint({ bucket, region })),
              built(() => s3Endpoint({ bucket, region, forcePathStyle: true })),
            ];
    for (const h of hosts) if (h !== undefined) out.add(h);
  }
  out.delete(requestHost);
  return [...out];
}
