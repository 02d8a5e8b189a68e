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

interface EnvFamily {
  id: string;
  key: string;
  token?: string;
}

/** Families in the order they are tried, per provider. */
export const CREDENTIAL_ENV: Record<Provider, readonly EnvFamily[]> = {
  cos: [
    { id: 'TENCENTCLOUD_SECRET_ID', key: 'TENCENTCLOUD_SECRET_KEY', token: 'TENCENTCLOUD_SESSION_TOKEN' },
    { id: 'COS_SECRET_ID', key: 'COS_SECRET_KEY', token: 'COS_SECURITY_TOKEN' },
  ],
  tos: [
    { id: 'TOS_ACCESS_KEY', key: 'TOS_SECRET_KEY', token: 'TOS_SECURITY_TOKEN' },
  ],
  s3: [
    { id: 'AWS_ACCESS_KEY_ID', key: 'AWS_SECRET_ACCESS_KEY', token: 'AWS_SESSION_TOKEN' },
  ],
};

/** The first complete family found for the provider, or undefined. */
export function credentialsFromEnv(env: Record<string, string | undefined>, provider: Provider): Credentials | undefined {
  for (const f of CREDENTIAL_ENV[provider]) {
    const secretId = env[f.id];
    const secretKey = env[f.key];
    if (!secretId || !secretKey) continue;
    const token = f.token ? env[f.token] : undefined;
    return {
      secretId,
      secretKey,
      ...(token ? { securityToken: token } : {}),
      source: `${f.id}/${f.key}${token ? `/${f.token}` : ''}`,
    };
  }
  return undefined;
}

/** Human-readable list of the variables tried, for "no credentials" errors. */
export function credentialEnvHint(provider: Provider): string {
  return CREDENTIAL_ENV[provider].map((f) => `${f.id} + ${f.key}`).join(', or ');
}
