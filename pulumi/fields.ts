/**
 * The fields of `PresignedUrl`, declared once, like the schema of Terraform's `time_rotating`:
 * for each field, whether the program sets it, what the signing core calls it, how `diff`
 * compares it, whether the state keeps it, and whether it is a secret. The resource's argument
 * type, its state type and the provider's field lists are all derived from this table.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { HttpMethod, PresignInput, Provider } from '../src/index';
import type { FieldNames } from '../src/shared/errors';

/** How one field behaves. */
export interface FieldSpec {
  /** Set by the program: `required` or `optional`. Absent: computed by the provider. */
  readonly input?: 'required' | 'optional';
  /** Handed to the signing core under this name. Absent: the core never sees it. */
  readonly core?: keyof PresignInput;
  /**
   * How `diff` decides that a change signs a new URL: `value` compares the copy kept in the
   * state with the new input; `consumer-headers` compares the headers a consumer must send
   * (a header the signature does not cover changes nothing). Absent: never compared, so
   * rotating credentials does not re-sign.
   */
  readonly diff?: 'value' | 'consumer-headers';
  /** A change replaces the resource instead of re-signing in place. */
  readonly replaces?: boolean;
  /** Kept in the state: `echo` (the checked input, for `diff`) or `computed` (by signing). Absent: never stored. */
  readonly state?: 'echo' | 'computed';
  /** An input wrapped in `pulumi.secret()` by the resource class, or an output the engine stores as a secret. */
  readonly secret?: boolean;
}

/** Value types carried by a field at the type level only: `In` as the program passes it (resolved), `Out` as stored. */
interface Typed<In, Out> {
  readonly __in?: In;
  readonly __out?: Out;
}

/** A field spec with its value types; `spec` is returned as is. */
function field<In, Out = In>() {
  return <S extends FieldSpec>(spec: S): S & Typed<In, Out> => spec;
}

type Map = Record<string, string>;

export const presignedUrlFields = {
  /** `cos` (default), `tos` or `s3`. */
  provider: field<Provider>()({ input: 'optional', core: 'provider', diff: 'value', state: 'echo' }),
  /** COS: `BucketName-APPID`. TOS, S3: the bucket name. */
  bucket: field<string>()({ input: 'required', core: 'bucket', diff: 'value', state: 'echo' }),
  /** Object key, raw (not URL-encoded). */
  key: field<string>()({ input: 'required', core: 'key', diff: 'value', state: 'echo' }),
  /** COS/TOS region, SigV4 signing region. Required for TOS, and for S3 without `endpoint`. */
  region: field<string>()({ input: 'optional', core: 'region', diff: 'value', state: 'echo' }),
  /** Default `GET`. Stored (and output) in upper case, as signed. */
  method: field<HttpMethod | Lowercase<HttpMethod>, HttpMethod>()({
    input: 'optional',
    core: 'method',
    diff: 'value',
    state: 'computed',
  }),
  /** Headers the consumer will send; signed. As an output: the headers the consumer must send, exactly as given. */
  headers: field<Map>()({ input: 'optional', core: 'headers', diff: 'consumer-headers', state: 'computed' }),
  /** Query parameters carried (and signed) in the URL. */
  params: field<Map>()({ input: 'optional', core: 'params', diff: 'value', state: 'echo' }),
  /** Default `https`. */
  scheme: field<'https' | 'http'>()({ input: 'optional', core: 'scheme', diff: 'value', state: 'echo' }),
  /** COS: custom (CDN / origin) domain replacing the bucket host. */
  domain: field<string>()({ input: 'optional', core: 'domain', diff: 'value', state: 'echo' }),
  /** TOS, S3: `host[:port]` or `scheme://host[:port]`. */
  endpoint: field<string>()({ input: 'optional', core: 'endpoint', diff: 'value', state: 'echo' }),
  /** COS: sign the host (default true). */
  signHost: field<boolean>()({ input: 'optional', core: 'signHost', diff: 'value', state: 'echo' }),
  /** COS: global acceleration endpoint. */
  accelerate: field<boolean>()({ input: 'optional', core: 'accelerate', diff: 'value', state: 'echo' }),
  /** TOS: `endpoint` is a custom domain bound to the bucket. */
  isCustomDomain: field<boolean>()({ input: 'optional', core: 'isCustomDomain', diff: 'value', state: 'echo' }),
  /** S3: bucket in the path rather than the host. */
  forcePathStyle: field<boolean>()({ input: 'optional', core: 'forcePathStyle', diff: 'value', state: 'echo' }),
  /** COS: refuse keys that simplify to `/` (default true). */
  keySimplifyCheck: field<boolean>()({ input: 'optional', core: 'keySimplifyCheck', diff: 'value', state: 'echo' }),
  /** Lifetime of each signed URL in seconds (S3 at most 604800, TOS at most 2592000). */
  expiresIn: field<number>()({ input: 'required', core: 'expires', diff: 'value', state: 'echo' }),
  /**
   * Seconds before expiry from which `pulumi up` signs a new URL. Default: 10% of `expiresIn`.
   * `pulumi up` must run at least once per `renewBefore`, or the URL may expire in between.
   */
  renewBefore: field<number>()({ input: 'optional', diff: 'value', state: 'echo' }),
  /** Arbitrary values; any change signs a new URL (like `time_rotating`'s triggers). */
  triggers: field<Map>()({ input: 'optional', diff: 'value', state: 'echo' }),
  /**
   * When temporary credentials expire (ISO 8601 or unix seconds). The URL cannot outlive the
   * credentials that signed it: its lifetime is cut there and renewal is planned from it.
   * Never compared: new credentials do not re-sign by themselves.
   */
  credentialExpiresAt: field<string | number>()({ input: 'optional', core: 'credentialExpiresAt' }),
  /**
   * Explicit credentials. Without them, the credentials are read from the environment of
   * `pulumi up` (the same variables as the GitHub Action: `TENCENTCLOUD_SECRET_ID`/`…_KEY`/
   * `…_SESSION_TOKEN` or `COS_SECRET_ID`/…; `TOS_ACCESS_KEY`/…; `AWS_ACCESS_KEY_ID`/…).
   * Always stored as secrets; never compared, so rotating them does not re-sign.
   */
  secretId: field<string>()({ input: 'optional', core: 'secretId', secret: true }),
  /** See `secretId`. */
  secretKey: field<string>()({ input: 'optional', core: 'secretKey', secret: true }),
  /** See `secretId`. */
  securityToken: field<string>()({ input: 'optional', core: 'securityToken', secret: true }),
  /** The presigned URL. A secret. */
  url: field<string>()({ state: 'computed', secret: true }),
  /** ISO 8601: when the URL stops working. */
  expiresAt: field<string>()({ state: 'computed' }),
  /** ISO 8601: the first `pulumi up` at or after this time signs a new URL. */
  renewAt: field<string>()({ state: 'computed' }),
  /** ISO 8601: when the current URL was signed. */
  signedAt: field<string>()({ state: 'computed' }),
  /** Things to know about the signed URL, e.g. a lifetime cut to the credentials' expiry. */
  warnings: field<string[]>()({ state: 'computed' }),
};

type Fields = typeof presignedUrlFields;
export type FieldName = keyof Fields;
type In<F> = F extends Typed<infer I, unknown> ? Exclude<I, undefined> : never;
type Out<F> = F extends Typed<unknown, infer O> ? Exclude<O, undefined> : never;
/** A map's values may be Outputs too, as in any Pulumi argument. */
type Lifted<T> = T extends Map ? Record<string, pulumi.Input<string>> : T;
// Each mapped type goes over `keyof T` of a type parameter, filtering with `as`: that keeps the
// documentation written on each field above on the derived property.
type ArgsWhere<T, W> = { [K in keyof T as T[K] extends W ? K : never]: pulumi.Input<Lifted<In<T[K]>>> };
type InputsWhere<T, W> = { [K in keyof T as T[K] extends W ? K : never]: In<T[K]> };
type StateWhere<T, W> = { [K in keyof T as T[K] extends W ? K : never]: Out<T[K]> };
type OutputsWhere<T, W> = { readonly [K in keyof T as T[K] extends W ? K : never]: pulumi.Output<Out<T[K]>> };

/** The resource's arguments, as the program passes them. */
export type FieldArgs = ArgsWhere<Fields, { input: 'required' }> & Partial<ArgsWhere<Fields, { input: 'optional' }>>;

/** The inputs the provider receives (resolved, secrets unwrapped). */
export type PresignedUrlInputs = InputsWhere<Fields, { input: 'required' }> &
  Partial<InputsWhere<Fields, { input: 'optional' }>>;

/**
 * The state of a `PresignedUrl` (what the provider returns and the engine stores): what signing
 * computed, plus the compared inputs copied as given (never credentials).
 */
export type PresignedUrlOutputs = StateWhere<Fields, { state: 'computed' }> &
  StateWhere<Fields, { state: 'echo'; input: 'required' }> &
  Partial<StateWhere<Fields, { state: 'echo'; input: 'optional' }>>;

/** What signing computed, as Output properties of the resource. */
export type ComputedOutputProperties = OutputsWhere<Fields, { state: 'computed' }>;

/** Field names whose spec matches `where`, in declaration order. */
export function fieldNames(where: (spec: FieldSpec) => boolean): FieldName[] {
  return (Object.keys(presignedUrlFields) as FieldName[]).filter((name) => where(presignedUrlFields[name]));
}

/**
 * Core field name -> this resource's argument name, for `renderPresignError` (the one error
 * model: the action and the CLI have their own tables). Derived from the table above, so a new
 * core field is named as soon as it is declared. The resource has no `startTime`: it signs from
 * the time of `pulumi up`, so only `expiresIn` can push the expiry out of range.
 */
export const PULUMI_FIELDS: FieldNames = {
  ...Object.fromEntries(
    fieldNames((f) => f.core !== undefined).map((name) => [(presignedUrlFields[name] as FieldSpec).core!, name]),
  ),
  startTime: 'expiresIn',
};
