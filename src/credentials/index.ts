/**
 * Temporary credentials for the signing core, one module for every front end: exchanged for the
 * workflow's OIDC token (no stored secret), or minted from long-lived keys, optionally narrowed to
 * a policy (`scope: objects`). The result carries its expiry, for `credentialExpiresAt`.
 *
 * | provider | OIDC                                   | from long-lived keys                     |
 * |----------|----------------------------------------|------------------------------------------|
 * | cos      | AssumeRoleWithWebIdentity (no Policy)  | AssumeRole (role-arn) / GetFederationToken, Policy inline |
 * | s3       | AssumeRoleWithWebIdentity, Policy      | AssumeRole (role-arn) / GetFederationToken, Policy inline |
 * | tos      | AssumeRoleWithOIDC, Policy             | not supported                            |
 */
import type { Provider } from '../core/types';
import { awsAssumeRole, awsAssumeRoleWithWebIdentity, awsGetFederationToken } from './aws';
import { StsError } from './errors';
import type { RetryOptions } from './http';
import { tencentAssumeRole, tencentAssumeRoleWithWebIdentity, tencentGetFederationToken } from './tencent';
import type { LongLivedKeys, TemporaryCredentials } from './types';
import { volcAssumeRoleWithOIDC } from './volcengine';

export { StsError, isStsError } from './errors';
export type { LongLivedKeys, TemporaryCredentials } from './types';
export { oidcFromEnv, tokenFromFile, OIDC_ENV } from './token-file';
export type { OidcEnv } from './token-file';

/** The `aud` a role's trust conditions usually expect (configure-aws-credentials and tencentcloud-oidc-auth use these). */
export const DEFAULT_AUDIENCE: Record<Provider, string> = {
  cos: 'sts.tencentcloudapi.com',
  s3: 'sts.amazonaws.com',
  // Volcengine documents no conventional value; the client ID registered for the provider must match.
  tos: 'sts.volcengineapi.com',
};

export interface CredentialRequest {
  provider: Provider;
  /** OIDC: returns the identity token (the action's core.getIDToken, a token file). */
  webIdentityToken?: () => Promise<string>;
  /** Role to assume: qcs::cam::uin/<uin>:roleName/<name>, arn:aws:iam::<acct>:role/<name>, trn:iam::<acct>:role/<name>. */
  roleArn?: string;
  /** cos OIDC: the identity provider's name in CAM. */
  oidcProviderId?: string;
  /** Only for messages: the token's audience. */
  audience?: string;
  /** Long-lived keys to mint from, when there is no token source. */
  keys?: LongLivedKeys;
  roleSessionName: string;
  durationSeconds: number;
  /** `scope: objects`: the minimal policy (JSON) to pass inline. */
  policy?: string;
  stsEndpoint?: string;
  /** cos: X-TC-Region (required); s3: regional endpoint and signing region. */
  stsRegion?: string;
  retry?: RetryOptions;
  now?: () => number;
}

interface DurationLimits {
  min: number;
  max: number;
  ceiling: number;
}

/**
 * Per call: the API's bounds, and `ceiling`, the longest default that a role accepts without
 * changes (AWS and Volcengine roles default to a one-hour maximum session; Tencent's default is 7200 s).
 */
const DURATIONS: Record<string, DurationLimits> = {
  'cos:oidc': { min: 1, max: 43200, ceiling: 7200 },
  'cos:AssumeRole': { min: 1, max: 43200, ceiling: 7200 },
  'cos:GetFederationToken': { min: 1, max: 129600, ceiling: 7200 },
  's3:oidc': { min: 900, max: 43200, ceiling: 3600 },
  's3:AssumeRole': { min: 900, max: 43200, ceiling: 3600 },
  's3:GetFederationToken': { min: 900, max: 129600, ceiling: 43200 },
  'tos:oidc': { min: 900, max: 43200, ceiling: 3600 },
};

/** Which STS call a request makes (`oidc`, `AssumeRole` or `GetFederationToken`). */
export function stsCall(
  r: Pick<CredentialRequest, 'webIdentityToken' | 'roleArn'>,
): 'oidc' | 'AssumeRole' | 'GetFederationToken' {
  return r.webIdentityToken ? 'oidc' : r.roleArn ? 'AssumeRole' : 'GetFederationToken';
}

/** Seconds added to the URL lifetime so the credentials outlive the URLs signed with them. */
export const DURATION_MARGIN = 300;

/**
 * The session duration: `requested` checked against the API's bounds, or by default the URLs'
 * lifetime plus a margin within what a role accepts by default (with a note when that cuts the URLs).
 */
export function sessionDuration(
  provider: Provider,
  call: ReturnType<typeof stsCall>,
  urlLifetime: number,
  requested?: number,
): { seconds: number; note?: string } {
  const l = DURATIONS[`${provider}:${call}`] ?? DURATIONS[`${provider}:oidc`];
  if (requested !== undefined) {
    if (!Number.isSafeInteger(requested) || requested < l.min || requested > l.max) {
      throw new StsError(
        'role-duration',
        `${requested} is outside ${l.min}..${l.max} seconds, what ${provider} STS accepts for this call`,
      );
    }
    return { seconds: requested };
  }
  const want = urlLifetime + DURATION_MARGIN;
  const seconds = Math.max(l.min, Math.min(want, l.ceiling));
  const note =
    urlLifetime > seconds
      ? `role-duration defaults to at most ${l.ceiling} s (what a role accepts unless its maximum session duration is raised), so URLs asked to live ${urlLifetime} s die with the credentials; raise the role's maximum and set role-duration (up to ${l.max}) for longer URLs`
      : undefined;
  return { seconds, ...(note ? { note } : {}) };
}

const SESSION_NAME = /^[A-Za-z0-9_.@=,+-]{2,64}$/;
const SESSION_NAME_TOS = /^[A-Za-z0-9_.@-]{2,64}$/;

/** A valid session name from any text: disallowed characters become `-`, cut to 64. */
export function sessionName(text: string): string {
  const s = text.replace(/[^A-Za-z0-9_.@-]/g, '-').slice(0, 64);
  return s.length >= 2 ? s : `cos-presign-${s}`;
}

function need<T>(v: T | undefined | '', field: string, why: string): T {
  if (v === undefined || v === '') throw new StsError(field, why);
  return v as T;
}

/** Exchanges the token or mints from the keys, as described in the table above. */
export async function obtainCredentials(r: CredentialRequest): Promise<TemporaryCredentials> {
  const nameOk = r.provider === 'tos' ? SESSION_NAME_TOS : SESSION_NAME;
  if (!nameOk.test(r.roleSessionName)) {
    throw new StsError(
      'role-session-name',
      `${JSON.stringify(r.roleSessionName)} is not 2-64 characters of letters, digits and ${r.provider === 'tos' ? '._@-' : '_.@=,+-'}`,
    );
  }
  const opts = { ...r.retry, endpoint: r.stsEndpoint || undefined, now: r.now };
  if (r.webIdentityToken) {
    const roleArn = need(
      r.roleArn,
      'role-arn',
      'is required to exchange the OIDC token: the role whose trust policy accepts this workflow',
    );
    if (r.provider === 'cos') {
      const providerId = need(
        r.oidcProviderId,
        'oidc-provider-id',
        'is required for cos: the name of the OIDC identity provider in CAM (Identity providers > Role-based SSO)',
      );
      if (r.policy !== undefined) {
        throw new StsError(
          'scope',
          "objects is not available with OIDC on cos: Tencent Cloud's AssumeRoleWithWebIdentity has no Policy parameter, so the session cannot be narrowed. Give the role itself the minimal policy (cos-presign policy prints it) and set scope: none",
        );
      }
      const token = await r.webIdentityToken();
      return tencentAssumeRoleWithWebIdentity(
        {
          providerId,
          webIdentityToken: token,
          roleArn,
          roleSessionName: r.roleSessionName,
          durationSeconds: r.durationSeconds,
          audience: r.audience,
        },
        {
          ...opts,
          region: need(r.stsRegion, 'sts-region', 'is required for cos STS calls (X-TC-Region), e.g. ap-guangzhou'),
        },
      );
    }
    const token = await r.webIdentityToken();
    if (r.provider === 's3') {
      return awsAssumeRoleWithWebIdentity(
        {
          roleArn,
          roleSessionName: r.roleSessionName,
          webIdentityToken: token,
          durationSeconds: r.durationSeconds,
          policy: r.policy,
          audience: r.audience,
        },
        { ...opts, region: r.stsRegion || undefined },
      );
    }
    return volcAssumeRoleWithOIDC(
      {
        roleTrn: roleArn,
        oidcToken: token,
        roleSessionName: r.roleSessionName,
        durationSeconds: r.durationSeconds,
        policy: r.policy,
        audience: r.audience,
      },
      opts,
    );
  }

  const keys = need(
    r.keys,
    'secret-id',
    'no credentials to mint from: set role-arn for OIDC, or pass long-lived secret-id and secret-key',
  );
  if (r.provider === 'tos') {
    throw new StsError(
      r.policy !== undefined ? 'scope' : 'role-arn',
      'minting temporary credentials from long-lived keys is not supported for tos (Volcengine AssumeRole is not implemented); use OIDC with role-arn, or scope: none with the keys themselves',
    );
  }
  if (r.provider === 'cos') {
    const region = need(r.stsRegion, 'sts-region', 'is required for cos STS calls (X-TC-Region), e.g. ap-guangzhou');
    if (r.roleArn)
      return tencentAssumeRole(
        {
          roleArn: r.roleArn,
          roleSessionName: r.roleSessionName,
          policy: r.policy,
          durationSeconds: r.durationSeconds,
        },
        keys,
        { ...opts, region },
      );
    const policy = need(
      r.policy,
      'scope',
      'is none and role-arn is empty: nothing to mint; set scope: objects (GetFederationToken with the minimal policy) or role-arn',
    );
    return tencentGetFederationToken({ name: 'cospresign', policy, durationSeconds: r.durationSeconds }, keys, {
      ...opts,
      region,
    });
  }
  if (r.roleArn)
    return awsAssumeRole(
      { roleArn: r.roleArn, roleSessionName: r.roleSessionName, policy: r.policy, durationSeconds: r.durationSeconds },
      keys,
      { ...opts, region: r.stsRegion || undefined },
    );
  const policy = need(
    r.policy,
    'scope',
    'is none and role-arn is empty: nothing to mint; set scope: objects (GetFederationToken with the minimal policy) or role-arn',
  );
  if (keys.securityToken) {
    throw new StsError(
      'scope',
      "objects without role-arn calls GetFederationToken, which AWS accepts only from an IAM user's long-term keys, and these carry a session token; set role-arn (AssumeRole with the policy inline) or scope: none",
    );
  }
  return awsGetFederationToken(
    { name: r.roleSessionName.slice(0, 32), policy, durationSeconds: r.durationSeconds },
    keys,
    { ...opts, region: r.stsRegion || undefined },
  );
}
