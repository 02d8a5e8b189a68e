/**
 * STS error codes -> the input to fix. One table for the three providers: their codes differ,
 * but the causes are the same few (token, trust, role, duration, policy, keys, throttling).
 */
import { StsError } from './errors';

export interface CallContext {
  /** `oidc`: a web-identity token was exchanged; `keys`: long-lived keys signed the call. */
  mode: 'oidc' | 'keys';
  /** The STS action, e.g. AssumeRoleWithWebIdentity. */
  action: string;
  audience?: string;
  roleArn?: string;
  providerId?: string;
}

interface Rule {
  test: RegExp;
  field: (c: CallContext) => string;
  say: (c: CallContext) => string;
  retryable?: boolean;
}

const aud = (c: CallContext) => (c.audience ? ` (audience ${JSON.stringify(c.audience)})` : '');

// First match wins; tested against "<code> <message>".
const RULES: Rule[] = [
  {
    test: /^(RequestLimitExceeded|Throttling|ThrottlingException|TooManyRequests|FlowLimit|AccountFlowLimitExceeded)/i,
    field: () => 'sts-endpoint',
    say: () => 'throttled by STS on every attempt; retry the job later',
    retryable: true,
  },
  {
    test: /^(InternalError(\.SystemError|\.DbError)? |InternalFailure|ServiceUnavailable|IDPCommunicationError|InternalServiceError)/,
    field: () => 'sts-endpoint',
    say: () => 'STS failed on every attempt (a server-side error); retry the job later',
    retryable: true,
  },
  {
    test: /ExpiredToken|token.*expired|expired.*token|TokenExpired/i,
    field: (c) => (c.mode === 'oidc' ? 'id-token' : 'security-token'),
    say: (c) =>
      c.mode === 'oidc'
        ? "the OIDC token has expired before STS saw it; request a fresh one (re-run) and check the runner's clock"
        : 'the session token of the calling credentials has expired',
  },
  {
    test: /audience|\baud\b/i,
    field: () => 'audience',
    say: (c) =>
      `the identity provider or the role's trust conditions do not accept the token's audience${aud(c)}; set audience to the client ID registered for the identity provider`,
  },
  {
    test: /No OpenIDConnect provider|IdP|Provider(Id)?(NotExist|Error)|OIDCProvider|oidc.*(not|no).*(exist|found)/i,
    field: (c) => (c.providerId !== undefined ? 'oidc-provider-id' : 'role-arn'),
    say: (c) =>
      c.providerId !== undefined
        ? `no identity provider named ${JSON.stringify(c.providerId)} accepts tokens from this issuer; check oidc-provider-id and the provider's URL`
        : "the account has no OIDC identity provider for this token's issuer; create one (see docs/credentials.md)",
  },
  {
    test: /InvalidIdentityToken|WebIdentityToken|OIDCToken|IDPRejectedClaim|InvalidOIDC|issuer|\biss\b/i,
    field: () => 'role-arn',
    say: (c) =>
      `the role's trust conditions (issuer, audience, subject/repository) do not accept this token${aud(c)}; check the role's trust policy`,
  },
  {
    test: /SignatureExpire|RequestExpired|time.*skew|TimestampExpired/i,
    field: () => 'secret-id',
    say: () => "STS refused the request time; the machine's clock is off by more than 5 minutes",
  },
  {
    test: /^(AuthFailure|InvalidClientTokenId|SignatureDoesNotMatch|IncompleteSignature|InvalidAccessKeyId|MissingAuthenticationToken|SignatureFailure|InvalidCredential|InvalidAccessKey)/i,
    field: () => 'secret-id',
    say: (c) =>
      c.mode === 'keys'
        ? 'STS refused the long-lived credentials (secret-id / secret-key); check that they are current and belong together'
        : "STS refused the request's authentication",
  },
  {
    test: /^(AccessDenied|UnauthorizedOperation|AccessDeniedException|Forbidden|NoPermission)/i,
    field: (c) => (c.mode === 'oidc' ? 'role-arn' : 'secret-id'),
    say: (c) =>
      c.mode === 'oidc'
        ? `the role's trust policy does not let this workflow's token assume it${aud(c)}; check its conditions on issuer, audience and repository`
        : `the long-lived key may not call ${c.action}; grant it that permission (e.g. sts:${c.action} / CAM ${c.action})`,
  },
  {
    test: /Duration|OverTime/i,
    field: () => 'role-duration',
    say: () =>
      "the requested duration is outside what the role or the API allows; lower role-duration (or raise the role's maximum session duration)",
  },
  {
    test: /SessionName|Name.*(invalid|length)/i,
    field: () => 'role-session-name',
    say: () => 'the session name is not accepted; use 2-64 characters from letters, digits and =,.@_-',
  },
  {
    test: /Policy|Strategy|Resouce|Resource|GrantOtherResource|PackedPolicy/i,
    field: () => 'scope',
    say: () => 'STS refused the inline policy that scope: objects builds; set scope: none, or sign fewer keys per step',
  },
  {
    test: /Region/i,
    field: () => 'sts-region',
    say: () => 'STS is not available in this region for the account; set sts-region to an enabled region',
  },
  {
    test: /Role|roleArn|RoleTrn/i,
    field: () => 'role-arn',
    say: (c) =>
      `the role ${c.roleArn ? JSON.stringify(c.roleArn) + ' ' : ''}does not exist or cannot be assumed; check role-arn`,
  },
];

/** The StsError for an STS error answer. `message` is the provider's own (already made safe). */
export function classify(
  code: string,
  message: string,
  requestId: string | undefined,
  c: CallContext,
  status?: number,
): StsError {
  const text = `${code} ${message}`;
  const rule = RULES.find((r) => r.test.test(text));
  const retryable = rule?.retryable ?? (status !== undefined && status >= 500);
  const field = rule ? rule.field(c) : retryable ? 'sts-endpoint' : c.mode === 'oidc' ? 'role-arn' : 'secret-id';
  const say = rule
    ? rule.say(c)
    : retryable
      ? 'STS failed on every attempt; retry the job later'
      : `${c.action} was refused`;
  return new StsError(field, `${c.action} failed: ${say} [${code}${message ? `: ${message}` : ''}]`, {
    code,
    requestId,
    retryable,
  });
}
