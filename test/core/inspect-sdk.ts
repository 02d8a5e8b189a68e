/**
 * Presigned URLs made by the official SDKs, for the inspect tests: cos-nodejs-sdk-v5
 * (`COS.getAuthorization`), aws4 (`signQuery`) and @volcengine/tos-sdk (`getPreSignedUrl`).
 * Nothing here imports from src/: the URLs the inspector reads are none of its own making.
 */
import aws4 from 'aws4';
import COS from 'cos-nodejs-sdk-v5';
import TOS from '@volcengine/tos-sdk';
import { withFrozenClock } from '../helpers/clock';

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** RFC 3986 over UTF-8, upper-case hex; `/` kept when `keepSlash`. */
export function rfc3986(s: string, keepSlash = false): string {
  let out = '';
  for (const ch of s) {
    if (UNRESERVED.test(ch) || (keepSlash && ch === '/')) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function query(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([n, v]) => `${rfc3986(n)}=${rfc3986(v)}`)
    .join('&');
}

export interface SdkUrlInput {
  secretId: string;
  secretKey: string;
  securityToken?: string;
  bucket: string;
  region: string;
  key: string;
  method?: string;
  /** Unix seconds. */
  startTime: number;
  expires: number;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  /** COS: sign the host (the SDK's ForceSignHost; default true). */
  signHost?: boolean;
  /** S3: `scheme://host[:port]` of an S3-compatible server, addressed path-style (`/bucket/key`). */
  endpoint?: string;
}

/** COS: `<bucket>.cos.<region>.myqcloud.com`, Authorization from the SDK's static signer, in the query. */
export function cosSdkUrl(i: SdkUrlInput): string {
  const host = `${i.bucket}.cos.${i.region}.myqcloud.com`;
  const params = { ...(i.params ?? {}), ...(i.securityToken ? { 'x-cos-security-token': i.securityToken } : {}) };
  const auth = COS.getAuthorization({
    SecretId: i.secretId,
    SecretKey: i.secretKey,
    Bucket: i.bucket,
    Region: i.region,
    Method: i.method ?? 'GET',
    Key: i.key,
    Query: params,
    Headers: { ...(i.headers ?? {}) },
    KeyTime: `${i.startTime};${i.startTime + i.expires}`,
    ForceSignHost: i.signHost !== false,
  } as COS.StaticGetAuthorizationOptions);
  // The Authorization string's values are written raw by the SDK; a URL carries them encoded.
  const authQuery = auth
    .split('&')
    .map((kv) => {
      const eq = kv.indexOf('=');
      return `${kv.slice(0, eq)}=${rfc3986(kv.slice(eq + 1))}`;
    })
    .join('&');
  const own = query(params);
  return `https://${host}/${rfc3986(i.key.replace(/^\//, ''), true)}?${own ? own + '&' : ''}${authQuery}`;
}

function amzDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/**
 * S3: virtual-hosted `<bucket>.s3.<region>.amazonaws.com`, or path-style on `endpoint`, signed by
 * aws4 with `signQuery`.
 */
export function s3SdkUrl(i: SdkUrlInput): string {
  const origin = i.endpoint ? new URL(i.endpoint) : undefined;
  const host = origin ? origin.host : `${i.bucket}.s3.${i.region}.amazonaws.com`;
  const prefix = origin ? `/${i.bucket}` : '';
  const search = query({ ...(i.params ?? {}), 'X-Amz-Date': amzDate(i.startTime), 'X-Amz-Expires': String(i.expires) });
  const signed = aws4.sign(
    {
      host,
      path: `${prefix}/${i.key.split('/').map(encodeURIComponent).join('/')}?${search}`,
      method: i.method ?? 'GET',
      service: 's3',
      region: i.region,
      signQuery: true,
      headers: { Host: host, ...(i.headers ?? {}) },
    },
    { accessKeyId: i.secretId, secretAccessKey: i.secretKey, sessionToken: i.securityToken },
  );
  return `${origin ? origin.protocol.slice(0, -1) : 'https'}://${host}${signed.path}`;
}

/** TOS: `<bucket>.tos-<region>.volces.com`, from the SDK's getPreSignedUrl at a frozen clock (no headers: the SDK signs none). */
export function tosSdkUrl(i: SdkUrlInput): string {
  if (i.headers && Object.keys(i.headers).length) throw new Error('the TOS SDK presigns no headers');
  // `endpoint: region` makes the SDK scope the credential with the region (not the endpoint host).
  const client = new TOS({
    accessKeyId: i.secretId,
    accessKeySecret: i.secretKey,
    stsToken: i.securityToken,
    region: i.region,
    endpoint: i.region,
  });
  return withFrozenClock(i.startTime * 1000, () =>
    client.getPreSignedUrl({
      bucket: i.bucket,
      key: i.key,
      method: (i.method ?? 'GET') as 'GET',
      expires: i.expires,
      query: i.params ?? {},
      alternativeEndpoint: `${i.bucket}.tos-${i.region}.volces.com`,
    }),
  );
}
