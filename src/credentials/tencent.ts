/**
 * Tencent Cloud STS (API 3.0, Version 2018-08-13): AssumeRoleWithWebIdentity (unsigned,
 * `Authorization: SKIP`), and GetFederationToken / AssumeRole signed with TC3-HMAC-SHA256.
 * Docs: tencentcloud.com/document/api/1150/49454, /49452, /49456.
 */
import { tc3Sign } from '../core/tc3';
import { classify, CallContext } from './classify';
import { safeMessage, StsError } from './errors';
import { HttpAnswer, postWithRetry, RetryOptions, stsBaseUrl } from './http';
import type { LongLivedKeys, TemporaryCredentials } from './types';

export const TENCENT_STS_VERSION = '2018-08-13';
export const TENCENT_STS_ENDPOINT = 'sts.tencentcloudapi.com';

export interface TencentCall extends RetryOptions {
  /** Host or https://host[:port]; default sts.tencentcloudapi.com (international: sts.intl.tencentcloudapi.com). */
  endpoint?: string;
  /** X-TC-Region (required by the API). */
  region: string;
  now?: () => number;
}

interface TencentAnswer {
  Response?: {
    Error?: { Code?: string; Message?: string };
    RequestId?: string;
    Credentials?: { Token?: string; TmpSecretId?: string; TmpSecretKey?: string };
    ExpiredTime?: number;
    Expiration?: string;
  };
}

function parse(a: HttpAnswer, ctx: CallContext, secrets: Array<string | undefined>): TemporaryCredentials {
  let body: TencentAnswer;
  try {
    body = JSON.parse(a.text) as TencentAnswer;
  } catch {
    throw new StsError(
      'sts-endpoint',
      `${ctx.action}: answer ${a.status} is not JSON; is sts-endpoint a Tencent Cloud API endpoint?`,
      { code: `HTTP${a.status}`, retryable: a.status >= 500 || a.status === 429 },
    );
  }
  const r = body.Response ?? {};
  if (r.Error)
    throw classify(r.Error.Code ?? 'Unknown', safeMessage(r.Error.Message ?? '', secrets), r.RequestId, ctx, a.status);
  if (a.status >= 500 || a.status === 429)
    throw new StsError('sts-endpoint', `${ctx.action}: HTTP ${a.status} on every attempt; retry later`, {
      code: `HTTP${a.status}`,
      requestId: r.RequestId,
      retryable: true,
    });
  const c = r.Credentials;
  if (!c?.TmpSecretId || !c.TmpSecretKey || !c.Token || typeof r.ExpiredTime !== 'number') {
    throw new StsError(
      'sts-endpoint',
      `${ctx.action}: the answer has no Credentials/ExpiredTime; is sts-endpoint a Tencent Cloud STS endpoint?`,
      { code: 'BadAnswer', requestId: r.RequestId },
    );
  }
  return {
    secretId: c.TmpSecretId,
    secretKey: c.TmpSecretKey,
    securityToken: c.Token,
    expiresAt: new Date(r.ExpiredTime * 1000),
    api: `Tencent Cloud STS ${ctx.action}`,
    requestId: r.RequestId,
  };
}

async function call(
  action: string,
  params: Record<string, unknown>,
  opts: TencentCall,
  ctx: CallContext,
  keys?: LongLivedKeys,
): Promise<TemporaryCredentials> {
  const url = stsBaseUrl(opts.endpoint ?? TENCENT_STS_ENDPOINT);
  const body = JSON.stringify(params);
  const secrets = [
    keys?.secretKey,
    keys?.securityToken,
    typeof params.WebIdentityToken === 'string' ? params.WebIdentityToken : undefined,
  ];
  const prepare = () => {
    const timestamp = Math.floor((opts.now ?? Date.now)() / 1000);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-TC-Action': action,
      'X-TC-Version': TENCENT_STS_VERSION,
      'X-TC-Region': opts.region,
      'X-TC-Timestamp': String(timestamp),
    };
    if (keys) {
      // The SDK signs the host name without port (URL.hostname); so does this.
      headers.Authorization = tc3Sign({
        secretId: keys.secretId,
        secretKey: keys.secretKey,
        service: 'sts',
        host: url.hostname,
        timestamp,
        payload: body,
      }).authorization;
      if (keys.securityToken) headers['X-TC-Token'] = keys.securityToken;
    } else {
      headers.Authorization = 'SKIP';
    }
    return { headers, body };
  };
  return postWithRetry(url, prepare, (a) => parse(a, ctx, secrets), opts);
}

export interface TencentWebIdentity {
  providerId: string;
  webIdentityToken: string;
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number;
  audience?: string;
}

export function tencentAssumeRoleWithWebIdentity(
  p: TencentWebIdentity,
  opts: TencentCall,
): Promise<TemporaryCredentials> {
  const params: Record<string, unknown> = {
    ProviderId: p.providerId,
    WebIdentityToken: p.webIdentityToken,
    RoleArn: p.roleArn,
    RoleSessionName: p.roleSessionName,
  };
  if (p.durationSeconds !== undefined) params.DurationSeconds = p.durationSeconds;
  return call('AssumeRoleWithWebIdentity', params, opts, {
    mode: 'oidc',
    action: 'AssumeRoleWithWebIdentity',
    audience: p.audience,
    roleArn: p.roleArn,
    providerId: p.providerId,
  });
}

/** Policy is URL-encoded as the API asks ("the policy needs to be URL-encoded"). */
export function tencentGetFederationToken(
  p: { name: string; policy: string; durationSeconds?: number },
  keys: LongLivedKeys,
  opts: TencentCall,
): Promise<TemporaryCredentials> {
  const params: Record<string, unknown> = { Name: p.name, Policy: encodeURIComponent(p.policy) };
  if (p.durationSeconds !== undefined) params.DurationSeconds = p.durationSeconds;
  return call('GetFederationToken', params, opts, { mode: 'keys', action: 'GetFederationToken' }, keys);
}

export function tencentAssumeRole(
  p: { roleArn: string; roleSessionName: string; policy?: string; durationSeconds?: number },
  keys: LongLivedKeys,
  opts: TencentCall,
): Promise<TemporaryCredentials> {
  const params: Record<string, unknown> = { RoleArn: p.roleArn, RoleSessionName: p.roleSessionName };
  if (p.durationSeconds !== undefined) params.DurationSeconds = p.durationSeconds;
  if (p.policy !== undefined) params.Policy = encodeURIComponent(p.policy);
  return call('AssumeRole', params, opts, { mode: 'keys', action: 'AssumeRole', roleArn: p.roleArn }, keys);
}
