/**
 * AWS STS query API (Version 2011-06-15): AssumeRoleWithWebIdentity (unsigned), and AssumeRole /
 * GetFederationToken signed with SigV4 (the core's SigV4 pieces, service `sts`).
 */
import { uriEncode } from '../core/encoding';
import { sha256Hex } from '../core/hash';
import {
  amzDate,
  canonicalHeaders,
  credentialScope,
  S3_SIGV4,
  signingKey,
  sigV4Signature,
  SigV4Scheme,
  stringToSign,
} from '../core/sigv4';
import { classify, CallContext } from './classify';
import { safeMessage, StsError } from './errors';
import { HttpAnswer, postWithRetry, RetryOptions, stsBaseUrl } from './http';
import type { LongLivedKeys, TemporaryCredentials } from './types';

export const AWS_STS_VERSION = '2011-06-15';
const STS_SIGV4: SigV4Scheme = { ...S3_SIGV4, service: 'sts' };

export interface AwsCall extends RetryOptions {
  /** Default: sts.<region>.amazonaws.com with `region`, else the global sts.amazonaws.com. */
  endpoint?: string;
  /** Regional endpoint and signing region. Default us-east-1 (the global endpoint's). */
  region?: string;
  now?: () => number;
}

function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  if (!m) return undefined;
  return m[1].replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_e, n: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[n.toLowerCase()]) return named[n.toLowerCase()];
    return String.fromCodePoint(n[1].toLowerCase() === 'x' ? parseInt(n.slice(2), 16) : parseInt(n.slice(1), 10));
  });
}

function parse(a: HttpAnswer, ctx: CallContext, secrets: Array<string | undefined>): TemporaryCredentials {
  const requestId = xmlText(a.text, 'RequestId') ?? (a.headers['x-amzn-requestid'] as string | undefined);
  if (a.text.includes('<ErrorResponse') || a.status >= 400) {
    const code = xmlText(a.text, 'Code');
    if (code) throw classify(code, safeMessage(xmlText(a.text, 'Message') ?? '', secrets), requestId, ctx, a.status);
    throw new StsError(
      'sts-endpoint',
      `${ctx.action}: HTTP ${a.status}${a.status >= 500 ? ' on every attempt; retry later' : ' without an STS error document; is sts-endpoint an AWS STS endpoint?'}`,
      { code: `HTTP${a.status}`, requestId, retryable: a.status >= 500 || a.status === 429 },
    );
  }
  const id = xmlText(a.text, 'AccessKeyId');
  const key = xmlText(a.text, 'SecretAccessKey');
  const token = xmlText(a.text, 'SessionToken');
  const exp = Date.parse(xmlText(a.text, 'Expiration') ?? '');
  if (!id || !key || !token || !Number.isFinite(exp)) {
    throw new StsError(
      'sts-endpoint',
      `${ctx.action}: the answer has no Credentials; is sts-endpoint an AWS STS endpoint?`,
      { code: 'BadAnswer', requestId },
    );
  }
  return {
    secretId: id,
    secretKey: key,
    securityToken: token,
    expiresAt: new Date(exp),
    api: `AWS STS ${ctx.action}`,
    requestId,
  };
}

function formBody(params: Record<string, string | number | undefined>): string {
  return Object.entries(params)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${uriEncode(k)}=${uriEncode(String(v))}`)
    .join('&');
}

/** SigV4 `Authorization` and the headers it covers, for a POST of `body` to `host`. */
export function signStsPost(
  keys: LongLivedKeys,
  host: string,
  region: string,
  body: string,
  unixSeconds: number,
): Record<string, string> {
  const timestamp = amzDate(unixSeconds);
  const date = timestamp.slice(0, 8);
  const headers: Array<[string, string]> = [
    ['content-type', 'application/x-www-form-urlencoded; charset=utf-8'],
    ['host', host],
    ['x-amz-date', timestamp],
  ];
  if (keys.securityToken) headers.push(['x-amz-security-token', keys.securityToken]);
  const { signedHeaders, block } = canonicalHeaders(STS_SIGV4, headers);
  // The STS payload is signed (no UNSIGNED-PAYLOAD outside S3), so the canonical request is built here.
  const canonical = `POST\n/\n\n${block}\n${signedHeaders}\n${sha256Hex(body)}`;
  const scope = credentialScope(STS_SIGV4, date, region);
  const signature = sigV4Signature(
    signingKey(STS_SIGV4, keys.secretKey, date, region),
    stringToSign(STS_SIGV4, timestamp, scope, canonical),
  );
  const out: Record<string, string> = Object.fromEntries(headers);
  out.authorization = `${STS_SIGV4.algorithm} Credential=${keys.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return out;
}

async function call(
  action: string,
  params: Record<string, string | number | undefined>,
  opts: AwsCall,
  ctx: CallContext,
  keys?: LongLivedKeys,
): Promise<TemporaryCredentials> {
  const url = stsBaseUrl(opts.endpoint ?? (opts.region ? `sts.${opts.region}.amazonaws.com` : 'sts.amazonaws.com'));
  const body = formBody({ Action: action, Version: AWS_STS_VERSION, ...params });
  const secrets = [
    keys?.secretKey,
    keys?.securityToken,
    typeof params.WebIdentityToken === 'string' ? params.WebIdentityToken : undefined,
  ];
  const prepare = () => {
    if (!keys) return { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body };
    const headers = signStsPost(
      keys,
      url.host,
      opts.region ?? 'us-east-1',
      body,
      Math.floor((opts.now ?? Date.now)() / 1000),
    );
    delete headers.host; // sent by the client as url.host, which is what was signed
    return { headers, body };
  };
  return postWithRetry(url, prepare, (a) => parse(a, ctx, secrets), opts);
}

export interface AwsWebIdentity {
  roleArn: string;
  roleSessionName: string;
  webIdentityToken: string;
  durationSeconds?: number;
  /** Inline session policy (JSON). */
  policy?: string;
  audience?: string;
}

export function awsAssumeRoleWithWebIdentity(p: AwsWebIdentity, opts: AwsCall): Promise<TemporaryCredentials> {
  return call(
    'AssumeRoleWithWebIdentity',
    {
      RoleArn: p.roleArn,
      RoleSessionName: p.roleSessionName,
      WebIdentityToken: p.webIdentityToken,
      DurationSeconds: p.durationSeconds,
      Policy: p.policy,
    },
    opts,
    { mode: 'oidc', action: 'AssumeRoleWithWebIdentity', audience: p.audience, roleArn: p.roleArn },
  );
}

export function awsAssumeRole(
  p: { roleArn: string; roleSessionName: string; durationSeconds?: number; policy?: string },
  keys: LongLivedKeys,
  opts: AwsCall,
): Promise<TemporaryCredentials> {
  return call(
    'AssumeRole',
    { RoleArn: p.roleArn, RoleSessionName: p.roleSessionName, DurationSeconds: p.durationSeconds, Policy: p.policy },
    opts,
    { mode: 'keys', action: 'AssumeRole', roleArn: p.roleArn },
    keys,
  );
}

export function awsGetFederationToken(
  p: { name: string; policy: string; durationSeconds?: number },
  keys: LongLivedKeys,
  opts: AwsCall,
): Promise<TemporaryCredentials> {
  return call(
    'GetFederationToken',
    { Name: p.name, Policy: p.policy, DurationSeconds: p.durationSeconds },
    opts,
    { mode: 'keys', action: 'GetFederationToken' },
    keys,
  );
}
