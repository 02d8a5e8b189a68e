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
    { id: 'TENCENTCLOUD_SECRET_ID', key: 'TENCENTCLOUD_SECRET_KEY', tokens: ['TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_TOKEN'] },
    { id: 'COS_SECRET_ID', key: 'COS_SECRET_KEY', tokens: ['COS_SECURITY_TOKEN', 'COS_SESSION_TOKEN'] },
  ],
  tos: [
    { id: 'TOS_ACCESS_KEY', key: 'TOS_SECRET_KEY', tokens: ['TOS_SECURITY_TOKEN'] },
  ],
  s3: [
    { id: 'AWS_ACCESS_KEY_ID', key: 'AWS_SECRET_ACCESS_KEY', tokens: ['AWS_SESSION_TOKEN'] },
  ],
};

/** The first complete family found for the provider, or undefined. */
export function credentialsFromEnv(env: Record<string, string | undefined>, provider: Provider): Credentials | undefined {
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

/** Human-readable list of the variables tried, for "no credentials" errors. */
export function credentialEnvHint(provider: Provider): string {
  return CREDENTIAL_ENV[provider].map((f) => `${f.id} + ${f.key}`).join(', or ');
}
