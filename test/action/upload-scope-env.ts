/**
 * The servers of the `scope: objects` + `upload: 'true'` tests (credentials-upload*.test.ts): a
 * local OIDC token endpoint, local STS endpoints (TC3 / SigV4 checked with the official signers),
 * and object servers that accept the keys that STS issued and enforce their inline policy on every
 * request (test/helpers/policy-gate.ts): s3rver behind a proxy, the COS and TOS test servers
 * (signatures checked with their SDKs' signers). A passing upload proves the policy is enough; a
 * refused request for another key proves it is no wider.
 */
import { presign } from '../../src/core/presign';
import type { PresignInput } from '../../src/core/types';
import { cosDialect, COS_TEST_BUCKET } from '../helpers/cos-server';
import { RunningProxy, startFaultProxy } from '../helpers/fault-proxy';
import { Dialect, RunningObjectServer, startObjectServer } from '../helpers/object-server';
import { GITHUB_ISSUER, makeIssuer, RunningOidcServer, startOidcServer } from '../helpers/oidc-server';
import { IssuedKey, objectServerGate, s3ProxyGate } from '../helpers/policy-gate';
import { RunningS3rver, send, startS3rver } from '../helpers/s3rver';
import { RunningStsServer, startStsServer } from '../helpers/sts-server';
import { TOS_TEST_BUCKET, TOS_TEST_REGION, tosDialect } from '../helpers/tos-server';
import { removeWorkspaces } from './run-action';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account');

export const MiB = 1024 * 1024;
export const ROLE = {
  s3: 'arn:aws:iam::123456789012:role/presign-ci',
  tos: 'trn:iam::2100000001:role/presign-ci',
  cos: 'qcs::cam::uin/100000000001:roleName/presign-ci',
};
/** Long-lived keys the local STS accepts for GetFederationToken / AssumeRole. */
export const LONG = { id: 'AKIDlonglivedupload1', key: 'long-lived-upload-secret-1' };

export interface UploadScopeEnv {
  oidc: RunningOidcServer;
  sts: RunningStsServer;
  s3: RunningS3rver;
  /** s3rver behind the policy gate: the s3 endpoint to use. */
  proxy: RunningProxy;
  cos: RunningObjectServer;
  tos: RunningObjectServer;
  /** Every request an object server refused by policy in the current test, with the reason. */
  refusals: string[];
  oidcEnv(): Record<string, string>;
  /** A request the issued key signs itself, for a key of our choosing (what a leaked key could try). */
  sendAs(
    base: Partial<PresignInput>,
    accessKey: string,
    key: string,
    method: 'PUT' | 'DELETE' | 'GET',
  ): ReturnType<typeof send>;
}

const DENY = { status: 403, code: 'AccessDenied' } as const;

/** Registers beforeAll/afterAll/beforeEach hooks; the returned object is filled in by beforeAll. */
export function useUploadScopeEnv(): UploadScopeEnv {
  const issuer = makeIssuer();
  const e = { refusals: [] as string[] } as UploadScopeEnv;
  const issuedKey = (ak: string): IssuedKey | undefined => {
    const i = e.sts.issued.find((x) => x.secretId === ak);
    return i && { secretKey: i.secretKey, token: i.token, policy: i.params.Policy as string | undefined };
  };
  // COS and TOS servers that accept the keys the local STS issued (signatures checked by the SDKs).
  const withIssued = (
    dialect: (c: { secretId: string; secretKey: string }) => Dialect,
    akOf: (q: Map<string, string>) => string | undefined,
  ): Dialect => ({
    ...dialect({ secretId: '-', secretKey: '-' }),
    verify: (...a) => {
      const ak = akOf(new Map(a[2]));
      const i = ak === undefined ? undefined : issuedKey(ak);
      return i ? dialect({ secretId: ak!, secretKey: i.secretKey }).verify(...a) : 'unknown access key';
    },
  });

  beforeAll(async () => {
    [e.oidc, e.s3] = await Promise.all([startOidcServer(issuer), startS3rver()]);
    e.sts = await startStsServer({
      jwtKey: issuer.publicKey,
      roles: {
        [ROLE.s3]: { audience: 'sts.amazonaws.com', issuer: GITHUB_ISSUER },
        [ROLE.tos]: { audience: 'sts.volcengineapi.com', issuer: GITHUB_ISSUER },
        [ROLE.cos]: { audience: 'sts.tencentcloudapi.com', issuer: GITHUB_ISSUER },
      },
      tencentProviders: { github: GITHUB_ISSUER },
      keys: { [LONG.id]: LONG.key },
      onIssue: (i) => DUMMY_ACCOUNT.createKeyPair(i.secretId, i.secretKey),
    });
    e.proxy = await startFaultProxy(e.s3.endpoint);
    e.proxy.faults.push({ match: s3ProxyGate(issuedKey, e.refusals), times: Infinity, action: DENY });
    [e.cos, e.tos] = await Promise.all([
      startObjectServer(withIssued(cosDialect, (q) => q.get('q-ak'))),
      startObjectServer(withIssued(tosDialect, (q) => q.get('X-Tos-Credential')?.split('/')[0])),
    ]);
    e.cos.faults.push({
      match: objectServerGate(issuedKey, 'cos', COS_TEST_BUCKET, 'ap-guangzhou', e.refusals),
      times: Infinity,
      action: DENY,
    });
    e.tos.faults.push({
      match: objectServerGate(issuedKey, 'tos', TOS_TEST_BUCKET, TOS_TEST_REGION, e.refusals),
      times: Infinity,
      action: DENY,
    });
  });
  afterAll(async () => {
    await Promise.all([e.oidc?.stop(), e.sts?.stop(), e.proxy?.stop(), e.s3?.stop(), e.cos?.stop(), e.tos?.stop()]);
    removeWorkspaces();
  });
  beforeEach(() => e.refusals.splice(0));

  e.oidcEnv = () => ({
    ACTIONS_ID_TOKEN_REQUEST_URL: e.oidc.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: e.oidc.requestToken,
  });
  e.sendAs = (base, accessKey, key, method) => {
    const i = e.sts.issued.find((x) => x.secretId === accessKey)!;
    const r = presign({
      ...base,
      secretId: i.secretId,
      secretKey: i.secretKey,
      securityToken: i.token,
      key,
      method,
      expires: 300,
    } as PresignInput);
    return send(r.url, { method, headers: r.headers, body: method === 'PUT' ? 'x' : undefined });
  };
  return e;
}
