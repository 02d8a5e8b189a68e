/**
 * What a URL for an input must look like, from the documented rules (research/cos-signature.md
 * §4, research/tos-sigv4.md §2.4 and §3.1), written independently of src/core: scheme and
 * authority, the path prefix before the key, the validity window, and which headers are signed.
 */
import type { PresignInput, Provider } from '../../src';

export interface ExpectedTarget {
  scheme: 'https' | 'http';
  /** URL authority: lower-case host, port only when not the scheme's default. */
  authority: string;
  /** `/bucket` for path-style S3, otherwise empty. */
  pathPrefix: string;
}

const COS_OLD_REGIONS = new Set(['cn-north', 'cn-south', 'cn-south-2', 'cn-east', 'cn-southwest', 'sg']);

function splitEndpoint(value: string): { scheme?: 'https' | 'http'; hostname: string; port?: string } {
  const m = /^(?:(https?):\/\/)?([^/:]+|\[[^\]]+\])(?::(\d+))?\/?$/i.exec(value);
  if (!m) throw new Error(`model: unexpected endpoint ${value}`);
  // Clients send the host as WHATWG URL serialises it: IPv6 compressed, port without leading zeros.
  const hostname = new URL(`http://${m[2]}/`).hostname;
  return {
    scheme: m[1]?.toLowerCase() as 'https' | 'http' | undefined,
    hostname,
    port: m[3] === undefined ? undefined : String(Number(m[3])),
  };
}

function authorityOf(hostname: string, port: string | undefined, scheme: 'https' | 'http'): string {
  if (port === undefined || (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80'))
    return hostname;
  return `${hostname}:${port}`;
}

export function expectedTarget(input: PresignInput): ExpectedTarget {
  const p = input.provider ?? 'cos';
  if (p === 'cos') {
    if (input.domain) {
      const e = splitEndpoint(input.domain);
      const scheme = input.scheme ?? e.scheme ?? 'https';
      return { scheme, authority: authorityOf(e.hostname, e.port, scheme), pathPrefix: '' };
    }
    const scheme = input.scheme ?? 'https';
    if (input.accelerate) return { scheme, authority: `${input.bucket}.cos.accelerate.myqcloud.com`, pathPrefix: '' };
    const r = input.region!;
    return {
      scheme,
      authority: COS_OLD_REGIONS.has(r) ? `${input.bucket}.${r}.myqcloud.com` : `${input.bucket}.cos.${r}.myqcloud.com`,
      pathPrefix: '',
    };
  }
  if (p === 'tos') {
    const e = input.endpoint
      ? splitEndpoint(input.endpoint)
      : { hostname: `tos-${input.region}.volces.com`, port: undefined, scheme: undefined };
    const scheme = input.scheme ?? e.scheme ?? 'https';
    const base = authorityOf(e.hostname, e.port, scheme);
    return { scheme, authority: input.isCustomDomain ? base : `${input.bucket}.${base}`, pathPrefix: '' };
  }
  const e = input.endpoint
    ? splitEndpoint(input.endpoint)
    : {
        hostname: `s3.${input.region}.amazonaws.com${input.region!.startsWith('cn-') ? '.cn' : ''}`,
        port: undefined,
        scheme: undefined,
      };
  const scheme = input.scheme ?? e.scheme ?? 'https';
  const base = authorityOf(e.hostname, e.port, scheme);
  const isIp = e.hostname.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(e.hostname);
  const pathStyle = input.forcePathStyle === true || input.bucket.includes('.') || isIp;
  return pathStyle
    ? { scheme, authority: base, pathPrefix: `/${input.bucket}` }
    : { scheme, authority: `${input.bucket}.${base}`, pathPrefix: '' };
}

/** The signing region that must appear in a SigV4/TOS4 credential scope. */
export function expectedRegion(input: PresignInput): string {
  return input.region || 'us-east-1';
}

/** Signature window in unix seconds: COS backdates an implicit start by 60 s; the credential expiry caps the end. */
export function expectedWindow(input: PresignInput, p: Provider, nowSec: number): { start: number; end: number } {
  const expires = input.expires ?? { cos: 300, tos: 3600, s3: 900 }[p];
  const start = input.startTime ?? (p === 'cos' ? nowSec - 60 : nowSec);
  let end = (input.startTime ?? nowSec) + expires;
  const c = input.credentialExpiresAt;
  if (c !== undefined) {
    // Numbers (and digit strings) above 10^11 are milliseconds: no credential expires in year 5138.
    const n = typeof c === 'number' ? c : typeof c === 'string' && /^\d+$/.test(c) ? Number(c) : undefined;
    const sec =
      c instanceof Date
        ? Math.floor(c.getTime() / 1000)
        : n !== undefined
          ? Math.floor(n > 1e11 ? n / 1000 : n)
          : Math.floor(Date.parse(c as string) / 1000);
    end = Math.min(end, sec);
  }
  return { start, end };
}

/** COS signs these headers plus any x-cos-* / x-ci-* (the list of all three COS SDKs). */
const COS_SIGNED = new Set([
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-type',
  'content-md5',
  'content-length',
  'expect',
  'expires',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-unmodified-since',
  'origin',
  'range',
  'transfer-encoding',
  'pic-operations',
]);

export function signsHeader(p: Provider, lower: string): boolean {
  if (p === 'cos') return COS_SIGNED.has(lower) || lower.startsWith('x-cos-') || lower.startsWith('x-ci-');
  if (p === 'tos') return lower.startsWith('x-tos-');
  return true;
}

/** The headers the consumer must send (Host excluded), as presign should return them. */
export function expectedSentHeaders(input: PresignInput, p: Provider): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, v] of Object.entries(input.headers ?? {})) {
    const lower = n.toLowerCase();
    if (lower === 'host' || !signsHeader(p, lower)) continue;
    Object.defineProperty(out, n, {
      value: p === 's3' ? String(v).trim() : String(v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** UTC `YYYYMMDDTHHMMSSZ`. */
export function amzTimestamp(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}T${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
}
