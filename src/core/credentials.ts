/**
 * Credentials from the environment variables that credential steps (OIDC actions, STS helpers,
 * SDK conventions) leave behind. Pure: takes the environment as a plain object.
 *
 * A set is taken whole (id, key and token from the same family), never mixed across families,
 * so a stale token of one tool cannot be paired with another tool's key.
 */
import type { Provider } from './types';

export interface Credentials {
  secretId: string;
  secretKey: string;
  securityToken?: string;
  /** Which variables they came from, e.g. `TENCENTCLOUD_SECRET_ID/…`; safe to print. */
  source: string;
}

export interface EnvFamily {
  id: string;
  key: string;
  /** Token variable names, first present wins (credential tools disagree on the name). */
  tokens: readonly string[];
}

/** Families in the order they are tried, per provider. */
export const CREDENTIAL_ENV: Record<Provider, readonly EnvFamily[]> = {
  cos: [
    // tencentcloud-oidc-auth exports TENCENTCLOUD_SECURITY_TOKEN and TENCENTCLOUD_TOKEN; tccli uses SESSION_TOKEN.
    {
      id: 'TENCENTCLOUD_SECRET_ID',
      key: 'TENCENTCLOUD_SECRET_KEY',
      tokens: ['TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_TOKEN'],
    },
    { id: 'COS_SECRET_ID', key: 'COS_SECRET_KEY', tokens: ['COS_SECURITY_TOKEN', 'COS_SESSION_TOKEN'] },
  ],
  tos: [{ id: 'TOS_ACCESS_KEY', key: 'TOS_SECRET_KEY', tokens: ['TOS_SECURITY_TOKEN'] }],
  s3: [{ id: 'AWS_ACCESS_KEY_ID', key: 'AWS_SECRET_ACCESS_KEY', tokens: ['AWS_SESSION_TOKEN'] }],
};

/** The first complete family found for the provider, or undefined. */
export function credentialsFromEnv(
  env: Record<string, string | undefined>,
  provider: Provider,
): Credentials | undefined {
  for (const f of CREDENTIAL_ENV[provider]) {
    const secretId = env[f.id];
    const secretKey = env[f.key];
    if (!secretId || !secretKey) continue;
    const tokenName = f.tokens.find((n) => env[n]);
    const token = tokenName ? env[tokenName] : undefined;
    return {
      secretId,
      secretKey,
      ...(token ? { securityToken: token } : {}),
      source: `${f.id}/${f.key}${tokenName ? `/${tokenName}` : ''}`,
    };
  }
  return undefined;
}

const PROVIDER_NAMES: Record<Provider, string> = { cos: 'Tencent COS', tos: 'Volcengine TOS', s3: 'S3' };

/**
 * Other providers whose credential variables are set (both id and key) when `provider` has none:
 * with provider left at its `cos` default, AWS_* variables usually mean the bucket is on S3.
 */
export function otherProviderCredentials(
  env: Record<string, string | undefined>,
  provider: Provider,
): Array<{ provider: Provider; variables: string }> {
  if (credentialsFromEnv(env, provider) !== undefined) return [];
  const found: Array<{ provider: Provider; variables: string }> = [];
  for (const other of Object.keys(CREDENTIAL_ENV) as Provider[]) {
    if (other === provider) continue;
    const f = CREDENTIAL_ENV[other].find((fam) => env[fam.id] && env[fam.key]);
    if (f) found.push({ provider: other, variables: `${f.id} + ${f.key}` });
  }
  return found;
}

/**
 * Human-readable list of the variables tried, for "no credentials" errors. Given the environment,
 * it also says when only another provider's variables are set, and which provider to choose:
 * `TENCENTCLOUD_SECRET_ID + TENCENTCLOUD_SECRET_KEY, or COS_SECRET_ID + COS_SECRET_KEY (only
 * AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY are set, which are S3 credentials: set provider to s3 if the bucket is there)`.
 * Names variables only, never values.
 */
export function credentialEnvHint(provider: Provider, env?: Record<string, string | undefined>): string {
  const list = CREDENTIAL_ENV[provider].map((f) => `${f.id} + ${f.key}`).join(', or ');
  const others = env === undefined ? [] : otherProviderCredentials(env, provider);
  if (others.length === 0) return list;
  const what = others.map((o) => `${o.variables} (${PROVIDER_NAMES[o.provider]} credentials)`).join(' and ');
  const choice = others.map((o) => `"${o.provider}"`).join(' or ');
  return `${list} (only ${what} ${others.length === 1 ? 'is' : 'are'} set, for provider ${provider}; if the bucket is on ${others.map((o) => PROVIDER_NAMES[o.provider]).join(' or ')}, set provider to ${choice})`;
}
