/**
 * OIDC settings from the environment, with each cloud SDK's own variable names, for the CLI and
 * Pulumi (the action asks the runner for its token instead):
 * - cos: TKE_ROLE_ARN, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_REGION (tencentcloud-sdk OIDC provider)
 * - s3: AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_SESSION_NAME (AWS SDKs)
 * - tos: VOLCENGINE_OIDC_ROLE_TRN, VOLCENGINE_OIDC_TOKEN_FILE, VOLCENGINE_OIDC_ROLE_SESSION_NAME,
 *   VOLCENGINE_OIDC_STS_ENDPOINT (Volcengine SDKs' OIDC credential provider)
 */
import { promises as fs } from 'node:fs';
import type { Provider } from '../core/types';
import { StsError } from './errors';

export interface OidcEnv {
  roleArn: string;
  /** cos only. */
  providerId?: string;
  tokenFile: string;
  /** The variable the token file came from, for messages. */
  tokenFileVar: string;
  roleSessionName?: string;
  region?: string;
  endpoint?: string;
  /** Printable: the variables used. */
  source: string;
}

interface Names {
  role: string;
  token: string;
  provider?: string;
  session?: string;
  region?: string;
  endpoint?: string;
}

export const OIDC_ENV: Record<Provider, Names> = {
  cos: {
    role: 'TKE_ROLE_ARN',
    token: 'TKE_WEB_IDENTITY_TOKEN_FILE',
    provider: 'TKE_PROVIDER_ID',
    region: 'TKE_REGION',
  },
  s3: { role: 'AWS_ROLE_ARN', token: 'AWS_WEB_IDENTITY_TOKEN_FILE', session: 'AWS_ROLE_SESSION_NAME' },
  tos: {
    role: 'VOLCENGINE_OIDC_ROLE_TRN',
    token: 'VOLCENGINE_OIDC_TOKEN_FILE',
    session: 'VOLCENGINE_OIDC_ROLE_SESSION_NAME',
    endpoint: 'VOLCENGINE_OIDC_STS_ENDPOINT',
  },
};

/** The provider's OIDC variables when its role and token file are set; a half-set group is refused. */
export function oidcFromEnv(env: Record<string, string | undefined>, provider: Provider): OidcEnv | undefined {
  const n = OIDC_ENV[provider];
  const role = env[n.role];
  const token = env[n.token];
  if (!role && !token) return undefined;
  if (!role)
    throw new StsError(
      n.role,
      `is not set but ${n.token} is; set both (the role to assume and the token file) or neither`,
    );
  if (!token) throw new StsError(n.token, `is not set but ${n.role} is; point it at the OIDC token file`);
  const providerId = n.provider ? env[n.provider] : undefined;
  if (n.provider && !providerId)
    throw new StsError(
      n.provider,
      `is not set; Tencent Cloud's AssumeRoleWithWebIdentity needs the identity provider's name (CAM > Identity providers)`,
    );
  const used = [n.role, n.token, n.provider, n.session, n.region, n.endpoint].filter(
    (v): v is string => !!v && !!env[v],
  );
  return {
    roleArn: role,
    tokenFile: token,
    tokenFileVar: n.token,
    ...(providerId ? { providerId } : {}),
    ...(n.session && env[n.session] ? { roleSessionName: env[n.session] } : {}),
    ...(n.region && env[n.region] ? { region: env[n.region] } : {}),
    ...(n.endpoint && env[n.endpoint] ? { endpoint: env[n.endpoint] } : {}),
    source: used.join('/'),
  };
}

/** Reads the token at each call (token files are rotated by their writers). */
export function tokenFromFile(file: string, variable: string): () => Promise<string> {
  return async () => {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      throw new StsError(
        variable,
        `cannot read the token file ${JSON.stringify(file)} (${(e as { code?: string }).code ?? 'error'})`,
      );
    }
    const token = text.trim();
    if (!token) throw new StsError(variable, `the token file ${JSON.stringify(file)} is empty`);
    return token;
  };
}
