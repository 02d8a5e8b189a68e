/**
 * A local GitHub-Actions-style OIDC token endpoint on 127.0.0.1: what ACTIONS_ID_TOKEN_REQUEST_URL
 * and ACTIONS_ID_TOKEN_REQUEST_TOKEN point at. `GET <url>&audience=<aud>` with
 * `Authorization: Bearer <request token>` answers `{"value": "<JWT>"}`, an RS256 JWT signed by a
 * key made here with node:crypto (imports nothing from src/).
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { createPublicKey, generateKeyPairSync, KeyObject, randomBytes, sign, verify } from 'node:crypto';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface Issuer {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
  issuer: string;
}

export function makeIssuer(issuer = GITHUB_ISSUER): Issuer {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey: createPublicKey(privateKey), kid: randomBytes(8).toString('hex'), issuer };
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export interface Claims {
  aud: string;
  sub?: string;
  iss?: string;
  /** Seconds from now; negative makes an expired token. Default 300. */
  ttl?: number;
  [claim: string]: unknown;
}

export function makeJwt(i: Issuer, c: Claims, nowMs = Date.now()): string {
  const now = Math.floor(nowMs / 1000);
  const { ttl = 300, ...rest } = c;
  const payload = {
    iss: i.issuer,
    sub: 'repo:octo/app:ref:refs/heads/main',
    repository: 'octo/app',
    iat: now,
    nbf: now - 5,
    exp: now + ttl,
    jti: randomBytes(8).toString('hex'),
    ...rest,
  };
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: i.kid }));
  const body = b64url(JSON.stringify(payload));
  const sig = sign('sha256', Buffer.from(`${head}.${body}`), i.privateKey);
  return `${head}.${body}.${b64url(sig)}`;
}

/** Verifies an RS256 JWT against the issuer's key; the claims, or the reason it is refused. */
export function checkJwt(
  publicKey: KeyObject,
  jwt: string,
  nowMs = Date.now(),
): { claims: Record<string, unknown> } | { error: 'malformed' | 'signature' | 'expired' } {
  const parts = jwt.split('.');
  if (parts.length !== 3) return { error: 'malformed' };
  let header: { alg?: string };
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  } catch {
    return { error: 'malformed' };
  }
  if (header.alg !== 'RS256') return { error: 'malformed' };
  if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2], 'base64url')))
    return { error: 'signature' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return { error: 'expired' };
  return { claims };
}

export interface RunningOidcServer {
  /** For ACTIONS_ID_TOKEN_REQUEST_URL (has a query already, as GitHub's does). */
  requestUrl: string;
  /** For ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  requestToken: string;
  /** Every JWT handed out, in order. */
  issued: string[];
  audiences: string[];
  stop(): Promise<void>;
}

export async function startOidcServer(i: Issuer, extraClaims: Partial<Claims> = {}): Promise<RunningOidcServer> {
  const requestToken = randomBytes(16).toString('hex');
  const issued: string[] = [];
  const audiences: string[] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || u.pathname !== '/token') return void res.writeHead(404).end();
    if (req.headers.authorization !== `Bearer ${requestToken}`)
      return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad request token"}');
    const aud = u.searchParams.get('audience') ?? 'https://github.com/octo';
    audiences.push(aud);
    const jwt = makeJwt(i, { ...extraClaims, aud });
    issued.push(jwt);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: jwt }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    requestUrl: `http://127.0.0.1:${port}/token?api-version=2.0`,
    requestToken,
    issued,
    audiences,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
