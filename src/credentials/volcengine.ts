/**
 * Volcengine STS AssumeRoleWithOIDC (Version 2018-01-01): an unsigned form POST to
 * `/?Action=AssumeRoleWithOIDC&Version=2018-01-01` (volcengine.com/docs/6257/1494877).
 */
import { uriEncode } from '../core/encoding';
import { classify, CallContext } from './classify';
import { safeMessage, StsError } from './errors';
import { HttpAnswer, postWithRetry, RetryOptions, stsBaseUrl } from './http';
import type { TemporaryCredentials } from './types';

export const VOLC_STS_VERSION = '2018-01-01';
export const VOLC_STS_ENDPOINT = 'sts.volcengineapi.com';

export interface VolcCall extends RetryOptions {
  endpoint?: string;
}

interface VolcAnswer {
  ResponseMetadata?: { RequestId?: string; Error?: { Code?: string; Message?: string } };
  Result?: {
    Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; ExpiredTime?: string };
  };
}

function parse(a: HttpAnswer, ctx: CallContext, secrets: Array<string | undefined>): TemporaryCredentials {
  let body: VolcAnswer;
  try {
    body = JSON.parse(a.text) as VolcAnswer;
  } catch {
    throw new StsError(
      'sts-endpoint',
      `${ctx.action}: answer ${a.status} is not JSON; is sts-endpoint a Volcengine STS endpoint?`,
      { code: `HTTP${a.status}`, retryable: a.status >= 500 || a.status === 429 },
    );
  }
  const meta = body.ResponseMetadata ?? {};
  if (meta.Error)
    throw classify(
      meta.Error.Code ?? 'Unknown',
      safeMessage(meta.Error.Message ?? '', secrets),
      meta.RequestId,
      ctx,
      a.status,
    );
  if (a.status >= 400)
    throw new StsError('sts-endpoint', `${ctx.action}: HTTP ${a.status}; retry later`, {
      code: `HTTP${a.status}`,
      requestId: meta.RequestId,
      retryable: a.status >= 500 || a.status === 429,
    });
  const c = body.Result?.Credentials;
  const exp = Date.parse(c?.ExpiredTime ?? '');
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !Number.isFinite(exp)) {
    throw new StsError(
      'sts-endpoint',
      `${ctx.action}: the answer has no Result.Credentials; is sts-endpoint a Volcengine STS endpoint?`,
      { code: 'BadAnswer', requestId: meta.RequestId },
    );
  }
  return {
    secretId: c.AccessKeyId,
    secretKey: c.SecretAccessKey,
    securityToken: c.SessionToken,
    expiresAt: new Date(exp),
    api: `Volcengine STS ${ctx.action}`,
    requestId: meta.RequestId,
  };
}

export interface VolcOidc {
  roleTrn: string;
  oidcToken: string;
  roleSessionName: string;
  durationSeconds?: number;
  /** Inline policy (JSON, at most 2048 characters). */
  policy?: string;
  audience?: string;
}

export function volcAssumeRoleWithOIDC(p: VolcOidc, opts: VolcCall): Promise<TemporaryCredentials> {
  const base = stsBaseUrl(opts.endpoint ?? VOLC_STS_ENDPOINT);
  const url = new URL(`/?Action=AssumeRoleWithOIDC&Version=${VOLC_STS_VERSION}`, base);
  const fields: Array<[string, string | number | undefined]> = [
    ['RoleTrn', p.roleTrn],
    ['OIDCToken', p.oidcToken],
    ['RoleSessionName', p.roleSessionName],
    ['DurationSeconds', p.durationSeconds],
    ['Policy', p.policy],
  ];
  const body = fields
    .filter((f) => f[1] !== undefined)
    .map(([k, v]) => `${k}=${uriEncode(String(v))}`)
    .join('&');
  const ctx: CallContext = { mode: 'oidc', action: 'AssumeRoleWithOIDC', audience: p.audience, roleArn: p.roleTrn };
  return postWithRetry(
    url,
    () => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }),
    (a) => parse(a, ctx, [p.oidcToken]),
    opts,
  );
}
