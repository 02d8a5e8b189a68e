/**
 * Local STS endpoints on 127.0.0.1 that check requests as the real APIs document them and answer
 * in their documented shapes, errors included:
 * - Tencent Cloud API 3.0 (`X-TC-Action`): AssumeRoleWithWebIdentity (Authorization must be SKIP),
 *   GetFederationToken and AssumeRole (TC3 recomputed with tencentcloud-sdk-nodejs-common's Sign.sign3).
 * - AWS STS query API (`Action=` form body): AssumeRoleWithWebIdentity (unsigned), AssumeRole and
 *   GetFederationToken (SigV4 recomputed with aws4).
 * - Volcengine (`?Action=AssumeRoleWithOIDC&Version=2018-01-01`, unsigned form POST).
 * Web identity tokens are RS256 JWTs checked against the test issuer's key and the role's trust
 * (issuer, audience, subject). Nothing here imports from src/.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { KeyObject, randomBytes, randomUUID } from 'node:crypto';
import aws4 from 'aws4';
import { checkJwt } from './oidc-server';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const TcSign = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign').default;

export interface Trust {
  audience: string;
  issuer: string;
  /** Exact `sub` required, when set. */
  subject?: string;
  /** Longest session the role allows (AWS/Volcengine MaxSessionDuration). Default 3600. */
  maxSessionDuration?: number;
}

export interface Fault {
  /** HTTP status; Tencent answers errors with 200. */
  status: number;
  code: string;
  message?: string;
}

export interface Issued {
  api: 'tencent' | 'aws' | 'volc';
  action: string;
  params: Record<string, string | number>;
  secretId: string;
  secretKey: string;
  token: string;
  expiresAt: Date;
}

export interface StsServerOptions {
  jwtKey: KeyObject;
  /** roleArn / RoleTrn -> trust conditions. */
  roles: Record<string, Trust>;
  /** Tencent CAM identity providers: ProviderId -> issuer URL. */
  tencentProviders?: Record<string, string>;
  /** Long-lived keys that may sign GetFederationToken / AssumeRole: id -> secret. */
  keys?: Record<string, string>;
  /** AWS signing region the server expects. Default us-east-1. */
  awsRegion?: string;
  /** Answered in order before any real processing, one per request. */
  faults?: Fault[];
  /** Called with each set of credentials issued (e.g. to register them with s3rver). */
  onIssue?: (i: Issued) => void;
}

export interface RunningStsServer {
  endpoint: string;
  requests: Array<{ api: string; action: string; headers: http.IncomingHttpHeaders; body: string }>;
  issued: Issued[];
  faults: Fault[];
  stop(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const rand = (n: number) => randomBytes(n).toString('base64url');

function checkToken(o: StsServerOptions, roleArn: string, token: string, issuerFor?: string): void {
  const trust = o.roles[roleArn];
  if (!trust) throw new ApiError(400, 'NoSuchRole', `role ${roleArn} does not exist`);
  const r = checkJwt(o.jwtKey, token);
  if ('error' in r) {
    if (r.error === 'expired') throw new ApiError(400, 'ExpiredToken', 'Token is expired');
    throw new ApiError(400, 'InvalidIdentityToken', `token ${r.error}`);
  }
  const c = r.claims;
  if (issuerFor !== undefined && c.iss !== issuerFor)
    throw new ApiError(400, 'InvalidIdentityToken', 'issuer does not match the identity provider');
  if (c.iss !== trust.issuer)
    throw new ApiError(
      400,
      'InvalidIdentityToken',
      'No OpenIDConnect provider found in your account for ' + String(c.iss),
    );
  if (c.aud !== trust.audience) throw new ApiError(400, 'InvalidIdentityToken', 'Incorrect token audience');
  if (trust.subject !== undefined && c.sub !== trust.subject)
    throw new ApiError(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
}

function duration(params: Record<string, string | number>, dflt: number, min: number, max: number): number {
  if (params.DurationSeconds === undefined) return dflt;
  const d = Number(params.DurationSeconds);
  if (!Number.isInteger(d) || d < min || d > max)
    throw new ApiError(400, 'ValidationError', `DurationSeconds ${params.DurationSeconds} is outside ${min}..${max}`);
  return d;
}

function checkPolicy(policy: string | undefined, max: number): void {
  if (policy === undefined) return;
  let doc: { statement?: unknown; Statement?: unknown; principal?: unknown };
  try {
    doc = JSON.parse(policy);
  } catch {
    throw new ApiError(400, 'MalformedPolicyDocument', 'policy is not JSON');
  }
  if (policy.length > max) throw new ApiError(400, 'PackedPolicyTooLarge', `policy is ${policy.length} characters`);
  if (!Array.isArray(doc.statement ?? doc.Statement) || doc.principal !== undefined)
    throw new ApiError(400, 'MalformedPolicyDocument', 'policy has no statement list');
}

function issue(
  o: StsServerOptions,
  srv: RunningStsServer,
  api: Issued['api'],
  action: string,
  params: Record<string, string | number>,
  seconds: number,
): Issued {
  const i: Issued = {
    api,
    action,
    params,
    secretId: `TMP${rand(12)}`,
    secretKey: `tmpsecret-${rand(24)}`,
    token: `tok-${rand(48)}`,
    expiresAt: new Date((Math.floor(Date.now() / 1000) + seconds) * 1000),
  };
  srv.issued.push(i);
  o.onIssue?.(i);
  return i;
}

// ---- Tencent ----------------------------------------------------------------------------------

function tencent(
  o: StsServerOptions,
  srv: RunningStsServer,
  req: http.IncomingMessage,
  body: string,
): { status: number; type: string; text: string } {
  const requestId = randomUUID();
  const answer = (resp: object) => ({
    status: 200,
    type: 'application/json',
    text: JSON.stringify({ Response: { ...resp, RequestId: requestId } }),
  });
  try {
    const h = req.headers;
    const action = String(h['x-tc-action']);
    if (h['x-tc-version'] !== '2018-08-13')
      throw new ApiError(200, 'InvalidParameter', 'X-TC-Version must be 2018-08-13');
    if (!h['x-tc-region']) throw new ApiError(200, 'MissingParameter', 'X-TC-Region is required');
    const ts = Number(h['x-tc-timestamp']);
    if (!Number.isInteger(ts) || Math.abs(ts - Date.now() / 1000) > 300)
      throw new ApiError(200, 'AuthFailure.SignatureExpire', 'timestamp out of range');
    if (h['content-type'] !== 'application/json') throw new ApiError(200, 'InvalidParameter', 'content-type');
    const p = JSON.parse(body) as Record<string, string | number>;
    if (action === 'AssumeRoleWithWebIdentity') {
      if (h.authorization !== 'SKIP')
        throw new ApiError(200, 'AuthFailure.InvalidAuthorization', 'Authorization must be SKIP');
      for (const f of ['ProviderId', 'WebIdentityToken', 'RoleArn', 'RoleSessionName'])
        if (typeof p[f] !== 'string') throw new ApiError(200, 'MissingParameter', `${f} is required`);
      const issuer = o.tencentProviders?.[String(p.ProviderId)];
      if (!issuer) throw new ApiError(200, 'InvalidParameter.ProviderIdNotExist', 'identity provider does not exist');
      try {
        checkToken(o, String(p.RoleArn), String(p.WebIdentityToken), issuer);
      } catch (e) {
        const err = e as ApiError;
        throw new ApiError(
          200,
          err.code === 'NoSuchRole'
            ? 'InvalidParameter.RoleNotExist'
            : err.code === 'ExpiredToken'
              ? 'InvalidParameter.WebIdentityTokenExpired'
              : 'InvalidParameter.WebIdentityTokenError',
          err.message,
        );
      }
      const i = issue(o, srv, 'tencent', action, p, duration(p, 7200, 1, 43200));
      return answer({
        Credentials: { Token: i.token, TmpSecretId: i.secretId, TmpSecretKey: i.secretKey },
        ExpiredTime: i.expiresAt.getTime() / 1000,
        Expiration: i.expiresAt.toISOString().replace(/\.\d+Z$/, 'Z'),
      });
    }
    if (action !== 'GetFederationToken' && action !== 'AssumeRole')
      throw new ApiError(200, 'InvalidAction', `${action} is not an action of sts 2018-08-13`);
    const m =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/\d{4}-\d{2}-\d{2}\/sts\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/.exec(
        String(h.authorization),
      );
    if (!m) throw new ApiError(200, 'AuthFailure.SignatureFailure', 'Authorization is not a TC3 signature');
    const secret = o.keys?.[m[1]];
    if (secret === undefined) throw new ApiError(200, 'AuthFailure.SecretIdNotFound', 'The SecretId is not found');
    const expected = TcSign.sign3({
      method: 'POST',
      url: `http://${h.host}/`,
      payload: Buffer.from(body),
      timestamp: ts,
      service: 'sts',
      secretId: m[1],
      secretKey: secret,
      headers: { 'Content-Type': 'application/json' },
    });
    if (expected !== h.authorization)
      throw new ApiError(200, 'AuthFailure.SignatureFailure', 'The provided credentials could not be validated');
    let policy: string | undefined;
    if (p.Policy !== undefined) policy = decodeURIComponent(String(p.Policy));
    if (action === 'GetFederationToken') {
      if (typeof p.Name !== 'string' || !/^[A-Za-z]+$/.test(p.Name))
        throw new ApiError(200, 'InvalidParameter.ParamError', 'Name must consist of letters');
      if (policy === undefined) throw new ApiError(200, 'MissingParameter', 'Policy is required');
    } else if (!o.roles[String(p.RoleArn)])
      throw new ApiError(200, 'InvalidParameter.RoleNotExist', 'role does not exist');
    try {
      checkPolicy(policy, 2048);
    } catch (e) {
      throw new ApiError(200, 'InvalidParameter.PolicyTooLong', (e as Error).message);
    }
    const i = issue(
      o,
      srv,
      'tencent',
      action,
      { ...p, ...(policy !== undefined ? { Policy: policy } : {}) },
      duration(p, action === 'AssumeRole' ? 7200 : 1800, 1, action === 'AssumeRole' ? 43200 : 7200),
    );
    return answer({
      Credentials: { Token: i.token, TmpSecretId: i.secretId, TmpSecretKey: i.secretKey },
      ExpiredTime: i.expiresAt.getTime() / 1000,
      Expiration: i.expiresAt.toISOString().replace(/\.\d+Z$/, 'Z'),
    });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return answer({ Error: { Code: e.code, Message: e.message } });
  }
}

// ---- AWS --------------------------------------------------------------------------------------

function aws(
  o: StsServerOptions,
  srv: RunningStsServer,
  req: http.IncomingMessage,
  body: string,
): { status: number; type: string; text: string } {
  const requestId = randomUUID();
  const p = Object.fromEntries(new URLSearchParams(body)) as Record<string, string>;
  const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  try {
    if (p.Version !== '2011-06-15') throw new ApiError(400, 'InvalidAction', 'Version must be 2011-06-15');
    const action = p.Action;
    const region = o.awsRegion ?? 'us-east-1';
    let seconds: number;
    if (action === 'AssumeRoleWithWebIdentity') {
      if (req.headers.authorization)
        throw new ApiError(400, 'InvalidRequest', 'AssumeRoleWithWebIdentity is not signed');
      for (const f of ['RoleArn', 'RoleSessionName', 'WebIdentityToken'])
        if (!p[f]) throw new ApiError(400, 'ValidationError', `${f} is required`);
      checkToken(o, p.RoleArn, p.WebIdentityToken);
      seconds = duration(p, 3600, 900, o.roles[p.RoleArn].maxSessionDuration ?? 3600);
    } else if (action === 'AssumeRole' || action === 'GetFederationToken') {
      const m =
        /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/sts\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/.exec(
          String(req.headers.authorization),
        );
      if (!m) throw new ApiError(403, 'IncompleteSignature', 'Authorization header is not SigV4');
      const secret = o.keys?.[m[1]];
      if (secret === undefined)
        throw new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
      if (m[3] !== region)
        throw new ApiError(
          403,
          'SignatureDoesNotMatch',
          `Credential should be scoped to a valid region, not '${m[3]}'`,
        );
      const signed = m[4].split(';');
      if (!signed.includes('host') || !signed.includes('x-amz-date'))
        throw new ApiError(403, 'IncompleteSignature', 'host and x-amz-date must be signed');
      const headers: Record<string, string> = {};
      for (const n of signed) headers[n] = String(req.headers[n] ?? '');
      const date = headers['x-amz-date'];
      if (
        Math.abs(
          Date.parse(
            `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
          ) - Date.now(),
        ) > 300000
      )
        throw new ApiError(403, 'SignatureDoesNotMatch', 'Signature expired');
      // Exactly the signed headers (doNotModifyHeaders), at the request's own x-amz-date.
      const oracle = new aws4.RequestSigner(
        {
          host: headers.host,
          method: 'POST',
          path: '/',
          service: 'sts',
          region,
          headers: { ...headers },
          body,
          doNotModifyHeaders: true,
        },
        { accessKeyId: m[1], secretAccessKey: secret },
      );
      oracle.datetime = date;
      if (oracle.authHeader() !== req.headers.authorization)
        throw new ApiError(
          403,
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided.',
        );
      if (action === 'AssumeRole') {
        if (!o.roles[p.RoleArn])
          throw new ApiError(
            403,
            'AccessDenied',
            `User is not authorized to perform: sts:AssumeRole on resource: ${p.RoleArn}`,
          );
        seconds = duration(p, 3600, 900, o.roles[p.RoleArn].maxSessionDuration ?? 3600);
      } else {
        if (!/^[\w+=,.@-]{2,32}$/.test(p.Name ?? ''))
          throw new ApiError(400, 'ValidationError', 'Name must match [\\w+=,.@-]{2,32}');
        if (p.Policy === undefined) throw new ApiError(400, 'ValidationError', 'a Policy is expected by this server');
        seconds = duration(p, 43200, 900, 129600);
      }
    } else {
      throw new ApiError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    }
    checkPolicy(p.Policy, 2048);
    const i = issue(o, srv, 'aws', action, p, seconds);
    const tag = `${action}Result`;
    return {
      status: 200,
      type: 'text/xml',
      text: `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${tag}><Credentials><AccessKeyId>${i.secretId}</AccessKeyId><SecretAccessKey>${xml(i.secretKey)}</SecretAccessKey><SessionToken>${xml(i.token)}</SessionToken><Expiration>${i.expiresAt.toISOString()}</Expiration></Credentials></${tag}><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return {
      status: e.status,
      type: 'text/xml',
      text: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${xml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
}

// ---- Volcengine -------------------------------------------------------------------------------

function volc(
  o: StsServerOptions,
  srv: RunningStsServer,
  req: http.IncomingMessage,
  body: string,
): { status: number; type: string; text: string } {
  const meta = {
    RequestId: randomUUID(),
    Action: 'AssumeRoleWithOIDC',
    Version: '2018-01-01',
    Service: 'sts',
    Region: 'cn-north-1',
  };
  try {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    if (q.get('Version') !== '2018-01-01') throw new ApiError(400, 'InvalidVersion', 'Version must be 2018-01-01');
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      throw new ApiError(400, 'InvalidParameter', 'form body expected');
    const p = Object.fromEntries(new URLSearchParams(body)) as Record<string, string>;
    for (const f of ['RoleTrn', 'OIDCToken', 'RoleSessionName'])
      if (!p[f]) throw new ApiError(400, 'MissingParameter', `${f} is required`);
    if (!/^[A-Za-z0-9._@-]{2,64}$/.test(p.RoleSessionName))
      throw new ApiError(400, 'InvalidParameter.RoleSessionName', 'RoleSessionName is invalid');
    try {
      checkToken(o, p.RoleTrn, p.OIDCToken);
    } catch (e) {
      const err = e as ApiError;
      throw new ApiError(
        400,
        err.code === 'NoSuchRole'
          ? 'RoleNotExist'
          : err.code === 'ExpiredToken'
            ? 'InvalidOIDCToken.Expired'
            : 'InvalidOIDCToken',
        err.message,
      );
    }
    checkPolicy(p.Policy, 2048);
    const i = issue(
      o,
      srv,
      'volc',
      'AssumeRoleWithOIDC',
      p,
      duration(p, 3600, 900, o.roles[p.RoleTrn].maxSessionDuration ?? 3600),
    );
    return {
      status: 200,
      type: 'application/json',
      text: JSON.stringify({
        ResponseMetadata: meta,
        Result: {
          Credentials: {
            CurrentTime: new Date().toISOString(),
            ExpiredTime: i.expiresAt.toISOString().replace(/\.\d+Z$/, 'Z'),
            AccessKeyId: i.secretId,
            SecretAccessKey: i.secretKey,
            SessionToken: i.token,
          },
          AssumedRoleUser: { Trn: `${p.RoleTrn}/${p.RoleSessionName}` },
        },
      }),
    };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return {
      status: e.status,
      type: 'application/json',
      text: JSON.stringify({
        ResponseMetadata: { ...meta, Error: { CodeN: 10000, Code: e.code, Message: e.message } },
      }),
    };
  }
}

export async function startStsServer(o: StsServerOptions): Promise<RunningStsServer> {
  const srv: RunningStsServer = {
    endpoint: '',
    requests: [],
    issued: [],
    faults: [...(o.faults ?? [])],
    stop: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const api = req.headers['x-tc-action']
        ? 'tencent'
        : /[?&]Action=AssumeRoleWithOIDC/.test(req.url ?? '')
          ? 'volc'
          : 'aws';
      const action =
        api === 'tencent'
          ? String(req.headers['x-tc-action'])
          : api === 'volc'
            ? 'AssumeRoleWithOIDC'
            : (new URLSearchParams(body).get('Action') ?? '');
      srv.requests.push({ api, action, headers: req.headers, body });
      const fault = srv.faults.shift();
      let out: { status: number; type: string; text: string };
      if (req.method !== 'POST') {
        out = { status: 405, type: 'text/plain', text: 'POST only' };
      } else if (fault) {
        const msg = fault.message ?? fault.code;
        out =
          api === 'tencent'
            ? {
                status: fault.status,
                type: 'application/json',
                text: JSON.stringify({
                  Response: { Error: { Code: fault.code, Message: msg }, RequestId: randomUUID() },
                }),
              }
            : api === 'aws'
              ? {
                  status: fault.status,
                  type: 'text/xml',
                  text: `<ErrorResponse><Error><Type>${fault.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${fault.code}</Code><Message>${msg}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
                }
              : {
                  status: fault.status,
                  type: 'application/json',
                  text: JSON.stringify({
                    ResponseMetadata: { RequestId: randomUUID(), Error: { Code: fault.code, Message: msg } },
                  }),
                };
      } else {
        out =
          api === 'tencent'
            ? tencent(o, srv, req, body)
            : api === 'volc'
              ? volc(o, srv, req, body)
              : aws(o, srv, req, body);
      }
      res.writeHead(out.status, { 'content-type': out.type }).end(out.text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  srv.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  srv.stop = () => new Promise<void>((r) => server.close(() => r()));
  return srv;
}
