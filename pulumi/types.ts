/**
 * The type of the provider object behind `PresignedUrl`: Pulumi's `ResourceProvider` plus the
 * data and helpers its methods reach through `this`. The methods are written in several files
 * (one concern each) and gathered into one object in `provider.ts`; each file types its part
 * as a `ProviderPart`, so `this` in every method is the whole provider.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { PresignInput } from '../src/index';
import type { FieldNames, renderPresignError } from '../src/shared/errors';
import type { FieldName, PresignedUrlInputs, PresignedUrlOutputs } from './fields';

/** `cos-presign/core`, as the provider loads it at run time. */
export type Core = typeof import('../src/index');
/** `cos-presign/credentials`, as the provider loads it at run time. */
export type CredentialsModule = typeof import('../src/credentials/from-env');
/** A property bag as the host passes it: what check establishes, not what it may assume. */
export type Props = Record<string, unknown>;
export type Creds = { secretId: string; secretKey: string; securityToken?: string };
/** Credentials to sign with: `source` names the variables they came from; `expiresAt` is set for minted ones. */
export type SigningCreds = Creds & { source?: string; expiresAt?: Date };
/** A secret value and the name that stands for it in redacted text. */
export type Secret = readonly [value: string, name: string];

/** The provider object: Pulumi's interface plus the helpers its methods reach through `this`. */
export interface PresignedUrlProvider extends pulumi.dynamic.ResourceProvider<PresignedUrlInputs, PresignedUrlOutputs> {
  /** Inputs the program may set (anything else fails `check`). */
  readonly inputFields: readonly FieldName[];
  /** Inputs handed to the signing core besides the credentials, with the core's name for each. */
  readonly coreFields: ReadonlyArray<readonly [FieldName, keyof PresignInput]>;
  /** Inputs compared by value with the copy kept in the state (in this order). */
  readonly diffedFields: readonly FieldName[];
  /** Inputs copied into the state, so that `diff`, which sees only the old state, can compare them. */
  readonly echoedFields: readonly FieldName[];
  /** Inputs whose change replaces the resource (none: a URL has no remote identity to recreate). */
  readonly replacingFields: readonly FieldName[];
  /** How the engine spells an unknown value during preview. */
  readonly unknown: string;
  /** A fixed clock for `check` and `diff`, which must not depend on the time of day. */
  readonly checkClock: number;
  /** Core field name -> input name of this resource. */
  readonly errorFields: FieldNames;
  /** The one rendering of core refusals (serialized by value: no package code is loaded for it). */
  readonly renderError: typeof renderPresignError;
  core(): Core;
  credentialsModule(): CredentialsModule;

  // inputs.ts
  hasUnknown(value: unknown): boolean;
  canonical(value: unknown): string;
  presignInput(props: Props, creds: Creds): PresignInput;
  consumerHeaders(props: Props): Record<string, string> | undefined;

  // check.ts
  validate(news: Props): { inputs: Props; failures: pulumi.dynamic.CheckFailure[] };

  // renewal.ts
  /** `renewBefore` when the program sets none, for a URL living `expiresIn` seconds. */
  defaultRenewBefore(expiresIn: number): number;
  /** Why a known `renewBefore` is refused (`expiresIn` when it is known and valid), or undefined. */
  renewBeforeFault(renewBefore: unknown, expiresIn: number | undefined): string | undefined;
  /** When `pulumi up` should sign again (ms), and a warning when that is already at signing time. */
  renewal(expiresAt: number, renewBefore: unknown, signedAt: number): { renewAt: number; warning?: string };
  /** Whether the state's URL is due for renewal at `now` (also when the state has no valid `renewAt`). */
  renewalDue(state: Props, now: number): boolean;

  // errors.ts
  /** Every secret this run knows: explicit `secretKey`/`securityToken`, and the environment's credential variables. */
  knownSecrets(props: Props, credentialEnv: Core['CREDENTIAL_ENV']): Secret[];
  /** `text` with each known secret (in any letter case; raw, trimmed, JSON- or URL-escaped) replaced by its name. */
  redact(text: string, secrets: readonly Secret[]): string;
  /** A core (or STS) error renamed to this resource's inputs, with every known secret redacted. */
  fieldError(e: unknown, secrets?: readonly Secret[]): Error;

  // credentials.ts
  /** Explicit inputs, else the environment's keys, else temporary keys minted from its OIDC variables. */
  credentials(props: Props, secrets: Secret[]): Promise<SigningCreds>;
  /** Temporary keys from the provider's OIDC variables (undefined when none is set); adds them to `secrets`. */
  temporaryCredentials(props: Props, secrets: Secret[]): Promise<SigningCreds | undefined>;

  // sign.ts
  /** Signs the checked inputs now: the state `create` and `update` return. */
  sign(props: Props): Promise<PresignedUrlOutputs>;

  // provider.ts: what the host calls
  check(olds: PresignedUrlInputs, news: PresignedUrlInputs): Promise<pulumi.dynamic.CheckResult<PresignedUrlInputs>>;
  /** `diffs` names what changed (the host does not forward it to the engine; tests read it). */
  diff(
    id: string,
    olds: PresignedUrlOutputs,
    news: PresignedUrlInputs,
  ): Promise<pulumi.dynamic.DiffResult & { diffs: string[] }>;
  update(
    id: string,
    olds: PresignedUrlOutputs,
    news: PresignedUrlInputs,
  ): Promise<pulumi.dynamic.UpdateResult<PresignedUrlOutputs>>;
  read(id: string, props?: PresignedUrlOutputs): Promise<pulumi.dynamic.ReadResult<PresignedUrlOutputs>>;
  delete(id: string, props: PresignedUrlOutputs): Promise<void>;
}

/**
 * Some of the provider's methods, written in their own file: `this` is the whole provider.
 * Such a method references nothing from its module (see `provider.ts`): only its arguments,
 * `this`, globals and `require()` called inside it.
 */
export type ProviderPart<K extends keyof PresignedUrlProvider> = Pick<PresignedUrlProvider, K> &
  ThisType<PresignedUrlProvider>;
