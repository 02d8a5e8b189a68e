/**
 * OIDC from the environment in one call, for the front ends that have no runner token (the CLI,
 * the Pulumi provider): the provider's SDK variables (token-file.ts) exchanged for temporary
 * credentials. StsError fields are then the variables to fix, not action inputs.
 */
import type { Provider } from '../core/types';
import { StsError } from './errors';
import type { RetryOptions } from './http';
import { DEFAULT_AUDIENCE, obtainCredentials, sessionDuration, sessionName } from './index';
import { OIDC_ENV, oidcFromEnv, tokenFromFile } from './token-file';
import type { TemporaryCredentials } from './types';

/** STS endpoint overrides: ours for every provider, then the AWS SDKs' own (Volcengine's is in OIDC_ENV). */
export const STS_ENDPOINT_VARS = ['COS_PRESIGN_STS_ENDPOINT', 'AWS_ENDPOINT_URL_STS'] as const;

export interface EnvOidcResult {
  credentials: TemporaryCredentials;
  /** Printable: the variables used. */
  source: string;
  /** Set when the session is shorter than the URLs asked for. */
  note?: string;
}

/**
 * Temporary credentials when the provider's OIDC variables are set, else undefined.
 * `urlLifetime` sizes the session (plus a margin); `region` is the cos X-TC-Region fallback.
 */
export async function oidcCredentialsFromEnv(
  env: Record<string, string | undefined>,
  provider: Provider,
  opts: { urlLifetime: number; region?: string; retry?: RetryOptions; now?: () => number },
): Promise<EnvOidcResult | undefined> {
  const o = oidcFromEnv(env, provider);
  if (!o) return undefined;
  const names = OIDC_ENV[provider];
  const duration = sessionDuration(provider, 'oidc', opts.urlLifetime);
  const endpoint = o.endpoint ?? STS_ENDPOINT_VARS.map((n) => env[n]).find((v) => v);
  try {
    const credentials = await obtainCredentials({
      provider,
      webIdentityToken: tokenFromFile(o.tokenFile, o.tokenFileVar),
      roleArn: o.roleArn,
      oidcProviderId: o.providerId,
      audience: DEFAULT_AUDIENCE[provider],
      roleSessionName: o.roleSessionName ?? sessionName(`cos-presign-${Date.now()}`),
      durationSeconds: duration.seconds,
      stsEndpoint: endpoint,
      stsRegion: provider === 'cos' ? (o.region ?? opts.region ?? 'ap-guangzhou') : undefined,
      retry: opts.retry,
      now: opts.now,
    });
    return {
      credentials,
      source: o.source,
      ...(duration.note ? { note: duration.note.replace('role-duration', 'the session') } : {}),
    };
  } catch (e) {
    if (!(e instanceof StsError)) throw e;
    // The action's input names, said as the variables that were set.
    const variable: Record<string, string | undefined> = {
      'role-arn': names.role,
      'oidc-provider-id': names.provider,
      'id-token': names.token,
      'role-session-name': names.session,
      audience: names.role,
      'sts-endpoint': endpoint ? 'STS endpoint' : undefined,
    };
    const field = variable[e.field] ?? e.field;
    throw new StsError(field, e.message.slice(e.field.length + 2), { code: e.code, retryable: e.retryable });
  }
}
