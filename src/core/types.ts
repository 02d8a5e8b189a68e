/** Which storage service, and so which signature, a URL is for. */
export type Provider = 'cos' | 'tos' | 's3';

/** Methods a presigned URL can carry. Lower-case input is accepted and upper-cased. */
export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';

/** Name/value pairs in order, as the signers take headers and params. */
export type Pairs = Array<[name: string, value: string]>;

export const PROVIDERS: readonly Provider[] = ['cos', 'tos', 's3'];
export const METHODS: readonly HttpMethod[] = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];

/**
 * What to sign. Field names are those of the test vectors' `input`.
 *
 * Times are unix seconds. `headers` are headers the consumer of the URL will send and that the
 * signature pins; `params` are query parameters carried (and signed) in the URL.
 */
export interface PresignInput {
  /** Default `'cos'`. */
  provider?: Provider;
  /** COS SecretId / TOS AccessKeyId / AWS access key id. Appears in the URL. */
  secretId: string;
  /** Never appears in a URL, error or log. */
  secretKey: string;
  /** Session token of temporary credentials (`x-cos-security-token`, `X-Tos-Security-Token`, `X-Amz-Security-Token`). */
  securityToken?: string;
  /** COS: `BucketName-APPID`. TOS, S3: the bucket name. */
  bucket: string;
  /** Object key, raw (not URL-encoded). One leading `/` is ignored for COS. */
  key: string;
  /** COS region (`ap-guangzhou`), TOS region (`cn-beijing`), SigV4 signing region (`us-east-1`). */
  region?: string;
  /** Default `GET`. */
  method?: HttpMethod | Lowercase<HttpMethod>;
  /** Lifetime in seconds. Defaults: cos 300 (as the COS SDK), tos 3600, s3 900. */
  expires?: number;
  /** When validity starts (unix seconds). Default: now, and for COS 60 s before now (clock skew). */
  startTime?: number;
  /** Headers the consumer must send; signed. */
  headers?: Record<string, string>;
  /** Query parameters carried in the URL; signed. */
  params?: Record<string, string>;
  /** COS: sign the `host` header (default true). `false` lets the URL be replayed against any host. */
  signHost?: boolean;
  /** Default `https`. */
  scheme?: 'https' | 'http';
  /** COS: custom (CDN / origin) domain that replaces the bucket host. */
  domain?: string;
  /** COS: global acceleration endpoint `<bucket>.cos.accelerate.myqcloud.com`. */
  accelerate?: boolean;
  /** COS: refuse keys that simplify to `/` (a bucket-level request). Default true. */
  keySimplifyCheck?: boolean;
  /** TOS, S3: `host[:port]` or `scheme://host[:port]`. */
  endpoint?: string;
  /** TOS: `endpoint` is a custom domain bound to the bucket (no bucket in the host). */
  isCustomDomain?: boolean;
  /** S3: address the bucket in the path (`host/bucket/key`) rather than the host. */
  forcePathStyle?: boolean;
  /** When temporary credentials die: a Date, an ISO 8601 string or unix seconds. Caps the URL's lifetime. */
  credentialExpiresAt?: Date | string | number;
}

/** A presigned request, ready to hand to whoever will make it. */
export interface PresignedRequest {
  url: string;
  method: HttpMethod;
  /** Headers the consumer must send exactly as given (the signed headers other than `host`). */
  headers: Record<string, string>;
  /** When the URL stops working (after any cut to the credential's expiry). */
  expiresAt: Date;
  /** Things the caller should know, e.g. that the lifetime was cut to the credential's expiry. */
  warnings: string[];
}

/** Test seam: a clock in unix milliseconds. */
export interface PresignOptions {
  now?: () => number;
}

/** Per-URL changes to a batch's input: `createPresigner(base).presign(key, overrides)`. */
export interface PresignOverrides {
  method?: PresignInput['method'];
  /** Replace the batch's headers for this URL. */
  headers?: PresignInput['headers'];
  /** Replace the batch's params for this URL. */
  params?: PresignInput['params'];
}

/** Everything of `PresignInput` but the key: what a batch of URLs shares. */
export type PresignerInput = Omit<PresignInput, 'key'> & { key?: undefined };

/**
 * Signs many URLs that share credentials, target and validity window. Everything shared is
 * validated and prepared once, when the presigner is made (the window starts then, too).
 */
export interface Presigner {
  presign(key: string, overrides?: PresignOverrides): PresignedRequest;
}
