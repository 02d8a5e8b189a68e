/**
 * Session-policy enforcement for the local object servers: the object side of what STS promises
 * when it issues credentials with an inline policy. The role's own policy in these tests allows
 * everything, so the session policy alone decides (STS grants the intersection of the two).
 * Written from the providers' documentation; imports nothing from src/.
 *
 * - Which action a request needs:
 *   - cos (CAM, "COS API authorization policy", cloud.tencent.com/document/product/436/31923):
 *     every object API is its own action (GetObject, HeadObject, PutObject, InitiateMultipartUpload,
 *     UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts, DeleteObject).
 *   - s3 (IAM, "Multipart upload and permissions"): GET and HEAD need s3:GetObject; PUT, create,
 *     upload part and complete need s3:PutObject; abort s3:AbortMultipartUpload; list parts
 *     s3:ListMultipartUploadParts. tos (Volcengine TOS IAM) names them the same with `tos:`.
 * - The resource: `qcs::cos:<region>:uid/<appid>:<bucket>/<key>`, `arn:aws:s3:::<bucket>/<key>`,
 *   `trn:tos:::<bucket>/<key>`; `*` (and `?` for IAM) in a policy's action or resource is a
 *   wildcard.
 */
import { RequestInfo } from './object-server';

export type GateProvider = 'cos' | 's3' | 'tos';

/** The action an object request needs, as the policy language names it. */
export function requiredAction(provider: GateProvider, method: string, query: Map<string, string>): string {
  const m = method.toUpperCase();
  const upload = query.has('uploadId');
  let cos: string;
  let s3: string;
  if (m === 'POST' && query.has('uploads')) [cos, s3] = ['InitiateMultipartUpload', 'PutObject'];
  else if (m === 'PUT' && upload) [cos, s3] = ['UploadPart', 'PutObject'];
  else if (m === 'POST' && upload) [cos, s3] = ['CompleteMultipartUpload', 'PutObject'];
  else if (m === 'DELETE' && upload) [cos, s3] = ['AbortMultipartUpload', 'AbortMultipartUpload'];
  else if (m === 'GET' && upload) [cos, s3] = ['ListParts', 'ListMultipartUploadParts'];
  else if (m === 'HEAD') [cos, s3] = ['HeadObject', 'GetObject'];
  else if (m === 'GET') [cos, s3] = ['GetObject', 'GetObject'];
  else if (m === 'PUT') [cos, s3] = ['PutObject', 'PutObject'];
  else if (m === 'POST') [cos, s3] = ['PostObject', 'PutObject'];
  else if (m === 'DELETE') [cos, s3] = ['DeleteObject', 'DeleteObject'];
  else throw new Error(`no action for ${method}`);
  return provider === 'cos' ? `name/cos:${cos}` : `${provider}:${s3}`;
}

export function resourceOf(provider: GateProvider, bucket: string, key: string, region = ''): string {
  if (provider === 'cos') return `qcs::cos:${region}:uid/${/-(\d+)$/.exec(bucket)?.[1]}:${bucket}/${key}`;
  if (provider === 's3') return `arn:aws:s3:::${bucket}/${key}`;
  return `trn:tos:::${bucket}/${key}`;
}

function wildcard(pattern: string, value: string, iam: boolean): boolean {
  const re = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : iam && c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}$`, 's').test(value);
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Whether an allow statement of the policy covers the action on the resource (no deny statements are used). */
export function policyAllows(policy: string, action: string, resource: string): boolean {
  const doc = JSON.parse(policy) as Record<string, unknown>;
  const iam = !('statement' in doc);
  const statements = (doc.statement ?? doc.Statement) as Array<Record<string, unknown>>;
  return statements.some((s) => {
    if (String(s.effect ?? s.Effect).toLowerCase() !== 'allow') return false;
    const acts = list(s.action ?? s.Action);
    const res = list(s.resource ?? s.Resource);
    return (
      acts.some((a) => wildcard(a, action, iam) || a === '*') &&
      res.some((r) => wildcard(r, resource, iam) || r === '*')
    );
  });
}

/** The credentials the local STS issued: their secret, token and inline policy (if any). */
export interface IssuedKey {
  secretKey: string;
  token: string;
  policy?: string;
}

/**
 * Why the request is refused (AccessDenied), or undefined when the issued key's policy allows it.
 * `accessKey` and `token` are what the presigned URL carries.
 */
export function denied(
  issued: (accessKey: string) => IssuedKey | undefined,
  provider: GateProvider,
  r: { method: string; bucket: string; key: string; region?: string; query: Map<string, string> },
  accessKey: string | undefined,
  token: string | undefined,
): string | undefined {
  const i = accessKey === undefined ? undefined : issued(accessKey);
  if (!i) return 'not a key the local STS issued';
  if (token !== i.token) return 'the security token is not the one issued with this key';
  if (i.policy === undefined) return undefined;
  const action = requiredAction(provider, r.method, r.query);
  const resource = resourceOf(provider, r.bucket, r.key, r.region);
  return policyAllows(i.policy, action, resource)
    ? undefined
    : `the session policy does not allow ${action} on ${resource}`;
}

/** A matcher for object-server faults: the requests the issued key's policy refuses (cos, tos). */
export function objectServerGate(
  issued: (accessKey: string) => IssuedKey | undefined,
  provider: 'cos' | 'tos',
  bucket: string,
  region: string,
  refusals: string[],
): (r: RequestInfo) => boolean {
  return (r) => {
    const ak = provider === 'cos' ? r.query.get('q-ak') : r.query.get('X-Tos-Credential')?.split('/')[0];
    const token = r.query.get(provider === 'cos' ? 'x-cos-security-token' : 'X-Tos-Security-Token');
    const why = denied(issued, provider, { method: r.method, bucket, key: r.key, region, query: r.query }, ak, token);
    if (why) refusals.push(`${r.method} ${r.key}: ${why}`);
    return why !== undefined;
  };
}

/** A matcher for fault-proxy faults in front of s3rver (path-style URLs): what the policy refuses. */
export function s3ProxyGate(
  issued: (accessKey: string) => IssuedKey | undefined,
  refusals: string[],
): (method: string, url: string) => boolean {
  return (method, url) => {
    const u = new URL(url, 'http://gate');
    const [, bucket, ...rest] = u.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const q = new Map(u.searchParams);
    const ak = q.get('X-Amz-Credential')?.split('/')[0];
    const why = denied(
      issued,
      's3',
      { method, bucket: decodeURIComponent(bucket), key, query: q },
      ak,
      q.get('X-Amz-Security-Token'),
    );
    if (why) refusals.push(`${method} ${key}: ${why}`);
    return why !== undefined;
  };
}
