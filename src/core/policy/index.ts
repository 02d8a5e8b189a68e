/**
 * The least-privilege policy for a set of presigned requests: exactly the object operations
 * being signed, on exactly the keys being signed. Pure.
 *
 * - cos: CAM policy (version 2.0), `name/cos:<Action>` on `qcs::cos:<region>:uid/<appid>:<bucket>/<key>`
 *   (COS "temporary key" scoping guide, cloud.tencent.com/document/product/436/31923).
 * - s3: IAM policy (2012-10-17), `s3:<Action>` on `arn:<partition>:s3:::<bucket>/<key>`.
 * - tos: Volcengine IAM policy, `tos:<Action>` on `trn:tos:::<bucket>/<key>`.
 *
 * When the exact list would exceed the STS call's policy size limit, the keys collapse to their
 * longest common prefix `prefix*`, and the result says so.
 */
import { PresignError } from '../errors';
import type { HttpMethod, Provider } from '../types';

export interface PolicyRequest {
  provider: Provider;
  /** cos: `BucketName-APPID` (the APPID is the resource's `uid/`); tos, s3: the bucket name. */
  bucket: string;
  /** cos only (part of the resource name). */
  region?: string;
  /** Object keys, raw. cos ignores one leading `/`, as the signer does. */
  keys: readonly string[];
  methods: readonly HttpMethod[];
  /** Add the part operations of a multipart upload (initiate, upload part, complete, abort, list parts). */
  multipart?: boolean;
  /**
   * With `multipart`: also allow listing the parts of an upload (COS ListParts, s3/tos
   * ListMultipartUploadParts). Default true; false for a client that never lists them (the upload
   * engine keeps each part's ETag itself).
   */
  listParts?: boolean;
  /** s3: ARN partition, default `aws` (`aws-cn`, `aws-us-gov`). */
  partition?: string;
  /** Characters of the compact JSON allowed before the keys collapse. Default `POLICY_LIMITS[provider]`. */
  maxLength?: number;
}

export interface MinimalPolicy {
  /** The policy document, ready for JSON.stringify. */
  document: Record<string, unknown>;
  /** Compact JSON of `document`: what is passed to STS. */
  json: string;
  actions: string[];
  resources: string[];
  /** Set when the keys were collapsed to one prefix to fit `maxLength`. */
  collapsed?: { prefix: string; keys: number; limit: number };
  /** E.g. a key whose `*` is a wildcard in the policy language, so the grant is wider. */
  warnings: string[];
}

/**
 * Policy size limits of the STS calls, in characters of the policy text.
 * s3: AssumeRole* / GetFederationToken `Policy` is 1..2048 characters (AWS STS API reference).
 * tos: AssumeRoleWithOIDC / AssumeRole `Policy` at most 2048 characters (Volcengine STS docs).
 * cos: Tencent documents no limit for the STS `Policy`; 2048 is a conservative stand-in.
 */
export const POLICY_LIMITS: Record<Provider, number> = { cos: 2048, s3: 2048, tos: 2048 };

const COS_ACTIONS: Record<HttpMethod, string> = {
  GET: 'GetObject',
  HEAD: 'HeadObject',
  PUT: 'PutObject',
  POST: 'PostObject',
  DELETE: 'DeleteObject',
};
// Object-level part operations (ListMultipartUploads is a bucket operation, not granted here).
const COS_MULTIPART = ['InitiateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'AbortMultipartUpload'];
const COS_LIST_PARTS = 'ListParts';

// S3 and TOS: HEAD is authorised by GetObject, POST Object and the part uploads by PutObject.
const S3_LIKE_ACTIONS: Record<HttpMethod, string> = {
  GET: 'GetObject',
  HEAD: 'GetObject',
  PUT: 'PutObject',
  POST: 'PutObject',
  DELETE: 'DeleteObject',
};
const S3_LIKE_MULTIPART = ['PutObject', 'AbortMultipartUpload'];
const S3_LIKE_LIST_PARTS = 'ListMultipartUploadParts';

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function actionsFor(r: PolicyRequest): string[] {
  if (r.provider === 'cos') {
    const names = r.methods.map((m) => COS_ACTIONS[m]);
    if (r.multipart) names.push(...COS_MULTIPART, ...(r.listParts === false ? [] : [COS_LIST_PARTS]));
    return unique(names).map((n) => `name/cos:${n}`);
  }
  const names = r.methods.map((m) => S3_LIKE_ACTIONS[m]);
  if (r.multipart) names.push(...S3_LIKE_MULTIPART, ...(r.listParts === false ? [] : [S3_LIKE_LIST_PARTS]));
  return unique(names).map((n) => `${r.provider}:${n}`);
}

function resourceBase(r: PolicyRequest): string {
  if (r.provider === 'cos') {
    const m = /^[a-z0-9][a-z0-9-]*-(\d+)$/.exec(r.bucket);
    if (!m)
      throw new PresignError(
        'bucket',
        `${JSON.stringify(r.bucket)} is not BucketName-APPID; the APPID is part of the policy's resource, e.g. examplebucket-1250000000`,
      );
    if (!r.region)
      throw new PresignError(
        'region',
        'is required for a cos policy (the resource names the region), e.g. ap-guangzhou',
      );
    if (!/^[a-z0-9-]+$/.test(r.region))
      throw new PresignError('region', `${JSON.stringify(r.region)} is not a COS region such as ap-guangzhou`);
    return `qcs::cos:${r.region}:uid/${m[1]}:${r.bucket}/`;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9.\-_]*$/.test(r.bucket))
    throw new PresignError('bucket', `${JSON.stringify(r.bucket)} is not a bucket name`);
  if (r.provider === 's3') {
    const partition = r.partition ?? 'aws';
    if (!/^aws(-[a-z]+)*$/.test(partition))
      throw new PresignError('partition', `${JSON.stringify(partition)} is not an AWS partition such as aws or aws-cn`);
    return `arn:${partition}:s3:::${r.bucket}/`;
  }
  return `trn:tos:::${r.bucket}/`;
}

function document(provider: Provider, actions: string[], resources: string[]): Record<string, unknown> {
  if (provider === 'cos')
    return { version: '2.0', statement: [{ effect: 'allow', action: actions, resource: resources }] };
  if (provider === 's3')
    return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }] };
  return { Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }] };
}

/** Longest common prefix by code point (never splits a surrogate pair). */
export function commonPrefix(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  let p = keys[0];
  for (const k of keys) {
    let i = 0;
    while (i < p.length && i < k.length && p.charCodeAt(i) === k.charCodeAt(i)) i++;
    p = p.slice(0, i);
  }
  const last = p.charCodeAt(p.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) p = p.slice(0, -1);
  return p;
}

// Characters the policy languages read as wildcards or variables in a resource.
const WILDCARDS: Record<Provider, RegExp> = { cos: /[*]/, s3: /[*?]|\$\{/, tos: /[*]/ };

export function minimalPolicy(r: PolicyRequest): MinimalPolicy {
  if (r.keys.length === 0) throw new PresignError('key', 'no keys to grant; pass at least one object key');
  if (r.methods.length === 0) throw new PresignError('method', 'no methods to grant; pass at least one, e.g. GET');
  const limit = r.maxLength ?? POLICY_LIMITS[r.provider];
  const base = resourceBase(r);
  const keys = unique(r.keys.map((k) => (r.provider === 'cos' && k.startsWith('/') ? k.slice(1) : k)));
  const actions = actionsFor(r);
  const warnings: string[] = [];
  const wild = keys.filter((k) => WILDCARDS[r.provider].test(k));
  if (wild.length) {
    warnings.push(
      `key ${JSON.stringify(wild[0])}${wild.length > 1 ? ` (and ${wild.length - 1} more)` : ''} contains a character the ${r.provider} policy language reads as a wildcard, so the policy also grants other keys that match it`,
    );
  }

  let resources = keys.map((k) => base + k);
  let doc = document(r.provider, actions, resources);
  let json = JSON.stringify(doc);
  let collapsed: MinimalPolicy['collapsed'];
  if (json.length > limit && keys.length > 1) {
    const prefix = commonPrefix(keys);
    resources = [`${base}${prefix}*`];
    doc = document(r.provider, actions, resources);
    json = JSON.stringify(doc);
    collapsed = { prefix, keys: keys.length, limit };
    warnings.push(
      prefix === ''
        ? `the ${keys.length} keys have no common prefix and do not fit the ${limit}-character policy limit listed one by one, so the policy grants ${actions.join(', ')} on every object of the bucket; sign fewer keys per step or keep them under one prefix`
        : `the ${keys.length} keys do not fit the ${limit}-character policy limit listed one by one, so the policy grants their common prefix ${JSON.stringify(prefix + '*')}`,
    );
  }
  if (json.length > limit) {
    throw new PresignError(
      'key',
      `the policy for key ${JSON.stringify(keys[0].slice(0, 64))} is ${json.length} characters, over the ${limit}-character limit of the STS policy; use a shorter key`,
    );
  }
  return { document: doc, json, actions, resources, ...(collapsed ? { collapsed } : {}), warnings };
}
