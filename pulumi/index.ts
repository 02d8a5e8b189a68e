/**
 * `cos-presign/pulumi`: presigned URLs as Pulumi stack outputs.
 *
 * - `PresignedUrl`: a resource whose `url` stays the same across `pulumi up` runs until it is
 *   due for renewal (`renewAt`), then is re-signed in place.
 * - `presignedUrl()`: a fresh URL computed on every run (the output changes every time).
 */
import * as pulumi from '@pulumi/pulumi';
import { credentialEnvHint, credentialsFromEnv, presign, PresignError } from '../src/index';
import type { HttpMethod, Provider } from '../src/index';
import { presignedUrlProvider } from './provider';

export { presignedUrlProvider } from './provider';
export type { PresignedUrlOutputs, PresignedUrlProvider } from './provider';

/** What to sign: the signing core's request fields, as Pulumi inputs. */
export interface PresignedRequestArgs {
  /** `cos` (default), `tos` or `s3`. */
  provider?: pulumi.Input<Provider>;
  /** COS: `BucketName-APPID`. TOS, S3: the bucket name. */
  bucket: pulumi.Input<string>;
  /** Object key, raw (not URL-encoded). */
  key: pulumi.Input<string>;
  /** COS/TOS region, SigV4 signing region. Required for TOS, and for S3 without `endpoint`. */
  region?: pulumi.Input<string>;
  /** Default `GET`. */
  method?: pulumi.Input<HttpMethod | Lowercase<HttpMethod>>;
  /** Headers the consumer will send; signed. The signed ones come back in `headers`. */
  headers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Query parameters carried (and signed) in the URL. */
  params?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Default `https`. */
  scheme?: pulumi.Input<'https' | 'http'>;
  /** COS: custom (CDN / origin) domain replacing the bucket host. */
  domain?: pulumi.Input<string>;
  /** TOS, S3: `host[:port]` or `scheme://host[:port]`. */
  endpoint?: pulumi.Input<string>;
  /** COS: sign the host (default true). */
  signHost?: pulumi.Input<boolean>;
  /** COS: global acceleration endpoint. */
  accelerate?: pulumi.Input<boolean>;
  /** TOS: `endpoint` is a custom domain bound to the bucket. */
  isCustomDomain?: pulumi.Input<boolean>;
  /** S3: bucket in the path rather than the host. */
  forcePathStyle?: pulumi.Input<boolean>;
  /** COS: refuse keys that simplify to `/` (default true). */
  keySimplifyCheck?: pulumi.Input<boolean>;
  /**
   * Explicit credentials. Without them, the credentials are read from the environment of
   * `pulumi up` (the same variables as the GitHub Action: `TENCENTCLOUD_SECRET_ID`/`…_KEY`/
   * `…_SESSION_TOKEN` or `COS_SECRET_ID`/…; `TOS_ACCESS_KEY`/…; `AWS_ACCESS_KEY_ID`/…).
   * Always stored as secrets; never compared, so rotating them does not re-sign.
   */
  secretId?: pulumi.Input<string>;
  secretKey?: pulumi.Input<string>;
  securityToken?: pulumi.Input<string>;
  /**
   * When temporary credentials expire (ISO 8601 or unix seconds). The URL cannot outlive the
   * credentials that signed it: its lifetime is cut there and renewal is planned from it.
   */
  credentialExpiresAt?: pulumi.Input<string | number>;
}

export interface PresignedUrlArgs extends PresignedRequestArgs {
  /** Lifetime of each signed URL in seconds (S3 at most 604800, TOS at most 2592000). */
  expiresIn: pulumi.Input<number>;
  /**
   * Seconds before expiry from which `pulumi up` signs a new URL. Default: 10% of `expiresIn`.
   * `pulumi up` must run at least once per `renewBefore`, or the URL may expire in between.
   */
  renewBefore?: pulumi.Input<number>;
  /** Arbitrary values; any change signs a new URL (like `time_rotating`'s triggers). */
  triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const REQUEST_INPUTS = [
  'provider', 'bucket', 'key', 'region', 'method', 'headers', 'params', 'scheme', 'domain', 'endpoint',
  'signHost', 'accelerate', 'isCustomDomain', 'forcePathStyle', 'keySimplifyCheck',
  'expiresIn', 'renewBefore', 'triggers', 'credentialExpiresAt',
] as const;

/**
 * A presigned URL kept in the stack's state and renewed by `pulumi up` once `renewAt` has
 * passed (or when a signed input or a trigger changes); otherwise `pulumi up` leaves it as is.
 *
 * ```ts
 * const download = new PresignedUrl('bootstrap', {
 *   provider: 'cos', bucket: 'examplebucket-1250000000', region: 'ap-guangzhou',
 *   key: 'bootstrap/install.sh', expiresIn: 7 * 86400, renewBefore: 2 * 86400,
 * });
 * export const bootstrapUrl = download.url; // a secret
 * ```
 */
export class PresignedUrl extends pulumi.dynamic.Resource {
  /** The presigned URL. A secret. */
  declare readonly url: pulumi.Output<string>;
  /** The method the URL is signed for (upper case). */
  declare readonly method: pulumi.Output<string>;
  /** Headers the consumer must send with the request, exactly as given. */
  declare readonly headers: pulumi.Output<Record<string, string>>;
  /** ISO 8601: when the URL stops working. */
  declare readonly expiresAt: pulumi.Output<string>;
  /** ISO 8601: the first `pulumi up` at or after this time signs a new URL. */
  declare readonly renewAt: pulumi.Output<string>;
  /** ISO 8601: when the current URL was signed. */
  declare readonly signedAt: pulumi.Output<string>;
  /** Things to know about the signed URL, e.g. a lifetime cut to the credentials' expiry. */
  declare readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: PresignedUrlArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, pulumi.Input<unknown> | undefined> = {};
    for (const f of REQUEST_INPUTS) props[f] = args[f];
    // Explicit credentials are encrypted in state; the provider never copies them to outputs.
    for (const f of ['secretId', 'secretKey', 'securityToken'] as const) {
      props[f] = args[f] === undefined ? undefined : pulumi.secret(args[f]);
    }
    for (const f of ['url', 'expiresAt', 'renewAt', 'signedAt', 'warnings']) props[f] = undefined;
    super(presignedUrlProvider, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: ['url'] }), 'cos-presign', 'PresignedUrl');
  }
}

export interface PresignedUrlFunctionArgs extends PresignedRequestArgs {
  /** Lifetime in seconds. Default: the provider's (cos 300, tos 3600, s3 900). */
  expiresIn?: pulumi.Input<number>;
}

/**
 * A URL signed afresh every time the program runs, as a secret output. Simple, but the
 * output changes on every `pulumi up` (and preview), which shows as a diff each run and
 * triggers anything that depends on it. Prefer `PresignedUrl` for stable stack outputs.
 */
export function presignedUrl(args: PresignedUrlFunctionArgs): pulumi.Output<string> {
  // The secret is made inside apply (one Output): a failure then surfaces once, as the
  // program's error, with no second, unobserved rejected Output.
  return pulumi.output(args).apply((a) => {
    const provider = (a.provider ?? 'cos') as Provider;
    let creds: { secretId?: string; secretKey?: string; securityToken?: string } = a;
    if (!a.secretId && !a.secretKey) {
      const env = credentialsFromEnv(process.env, provider);
      if (!env) throw new PresignError('secretId', `no credentials for provider ${JSON.stringify(provider)}: set ${credentialEnvHint(provider)}, or pass secretId and secretKey`);
      creds = env;
    }
    const { expiresIn, ...request } = a;
    try {
      return pulumi.secret(presign({ ...request, secretId: creds.secretId!, secretKey: creds.secretKey!, securityToken: creds.securityToken, expires: expiresIn }).url);
    } catch (err) {
      throw presignedUrlProvider.fieldError(err);
    }
  });
}
