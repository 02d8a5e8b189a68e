/**
 * `cos-presign/pulumi`: presigned URLs as Pulumi stack outputs.
 *
 * - `PresignedUrl`: a resource whose `url` stays the same across `pulumi up` runs until it is
 *   due for renewal (`renewAt`), then is re-signed in place.
 * - `presignedUrl()`: a fresh URL computed on every run (the output changes every time).
 */
import * as pulumi from '@pulumi/pulumi';
import {
  CREDENTIAL_ENV,
  credentialEnvHint,
  credentialsFromEnv,
  DEFAULT_EXPIRES,
  presign,
  PresignError,
} from '../src/index';
import type { Provider } from '../src/index';
import { fieldNames } from './fields';
import type { ComputedOutputProperties, FieldArgs } from './fields';
import { presignedUrlProvider } from './provider';

export type { PresignedUrlInputs, PresignedUrlOutputs } from './fields';

/** The arguments of `PresignedUrl` (declared, with their documentation, in `fields.ts`). */
// Interfaces, not aliases: editors and declaration files show the name, not the mapped type.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PresignedUrlArgs extends FieldArgs {}

/** What to sign: the request and credential arguments, without the renewal settings. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PresignedRequestArgs extends Omit<PresignedUrlArgs, 'expiresIn' | 'renewBefore' | 'triggers'> {}

const INPUTS = fieldNames((f) => f.input !== undefined);
const SECRET_INPUTS = fieldNames((f) => f.input !== undefined && f.secret === true);
const COMPUTED = fieldNames((f) => f.input === undefined && f.state === 'computed');
const SECRET_OUTPUTS = fieldNames((f) => f.input === undefined && f.secret === true);

/** The outputs signing computes (`url`, `method`, `headers`, `expiresAt`, `renewAt`, `signedAt`, `warnings`). */
// Merged with the class below, which gets these Output properties.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface PresignedUrl extends ComputedOutputProperties {}

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
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class PresignedUrl extends pulumi.dynamic.Resource {
  constructor(name: string, args: PresignedUrlArgs, opts?: pulumi.CustomResourceOptions) {
    const given = args as unknown as Record<string, pulumi.Input<unknown> | undefined>;
    const props: Record<string, pulumi.Input<unknown> | undefined> = {};
    // Explicit credentials are encrypted in state; the provider never copies them to outputs.
    for (const f of INPUTS)
      props[f] = SECRET_INPUTS.includes(f) && given[f] !== undefined ? pulumi.secret(given[f]) : given[f];
    // Declared (undefined) so the engine makes them Output properties of the resource.
    for (const f of COMPUTED) props[f] = undefined;
    super(
      presignedUrlProvider,
      name,
      props,
      pulumi.mergeOptions(opts, { additionalSecretOutputs: SECRET_OUTPUTS }),
      'cos-presign',
      'PresignedUrl',
    );
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
  // program's error, with no second, unobserved rejected Output. (apply unwraps the Output the
  // promise resolves to; its type does not say so, hence the cast.)
  return pulumi.output(args).apply((a) => signFresh(a) as unknown as Promise<string>);
}

async function signFresh(a: pulumi.Unwrap<PresignedUrlFunctionArgs>): Promise<pulumi.Output<string>> {
  const provider = (a.provider ?? 'cos') as Provider;
  const secrets = presignedUrlProvider.knownSecrets(a, CREDENTIAL_ENV);
  let creds: { secretId?: string; secretKey?: string; securityToken?: string } = a;
  let credentialExpiresAt = a.credentialExpiresAt;
  if (!a.secretId && !a.secretKey) {
    const env = credentialsFromEnv(process.env, provider);
    if (env) creds = env;
    else {
      // No stored secret: the provider SDK's OIDC token file, as PresignedUrl does (loaded only now).
      const { oidcCredentialsFromEnv } = await import('../src/credentials/from-env');
      let r;
      try {
        r = await oidcCredentialsFromEnv(process.env, provider, {
          urlLifetime: a.expiresIn ?? DEFAULT_EXPIRES[provider],
          region: a.region,
        });
      } catch (err) {
        throw presignedUrlProvider.fieldError(err, secrets);
      }
      if (!r) {
        throw new PresignError(
          'secretId',
          `no credentials for provider ${JSON.stringify(provider)}: set ${credentialEnvHint(provider)}, or the OIDC variables of the provider's SDK (a role and a token file, see docs/credentials.md), or pass secretId and secretKey`,
        );
      }
      creds = r.credentials;
      credentialExpiresAt = r.credentials.expiresAt.toISOString();
      secrets.push(
        [r.credentials.secretKey, 'temporary secretKey'],
        [r.credentials.securityToken, 'temporary securityToken'],
      );
    }
  }
  const { expiresIn, ...request } = a;
  try {
    const input = {
      ...request,
      secretId: creds.secretId!,
      secretKey: creds.secretKey!,
      securityToken: creds.securityToken,
      credentialExpiresAt,
      expires: expiresIn,
    };
    return pulumi.secret(presign(input).url);
  } catch (err) {
    throw presignedUrlProvider.fieldError(err, secrets);
  }
}
