/**
 * Every output of the action, decided in one pure function from what was signed: the values
 * (url, urls, requests, expires-at, authorization, curl), the warnings about their size, and
 * what must be registered as a secret before anything is written. main.ts only writes them.
 */
import type { HttpMethod } from '../core/types';
import { baseName, curlCommand } from '../shared/shell';

/** The outputs buildOutputs decides, in the order they are set. */
export const SIGNING_OUTPUT_NAMES = [
  'url',
  'urls',
  'requests',
  'expires-at',
  'authorization',
  'curl',
  'credential-expiration',
  'policy',
] as const;
export type OutputName = (typeof SIGNING_OUTPUT_NAMES)[number];
/**
 * Every output action.yml declares: those, plus requests-file (a file main.ts writes) and
 * uploaded (set by the upload modes in upload.ts).
 */
export const OUTPUT_NAMES = [...SIGNING_OUTPUT_NAMES, 'requests-file', 'uploaded'] as const;

/** GitHub documents 1 MB per output; above it the value is cut or refused downstream. */
export const OUTPUT_LIMIT = 1024 * 1024;

export interface SignedEntry {
  key: string;
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  /** Workspace-relative path of the local file the key came from, if any. */
  file?: string;
}

export interface OutputsInput {
  entries: readonly SignedEntry[];
  /** When the URLs stop working (after any cut to the credentials' expiry); none without entries. */
  expiresAt?: Date;
  /** COS, one key: the Authorization header value of the same request. */
  authorization?: string;
  /** `mask-urls`: register every URL, signature and the authorization value as secrets. */
  maskUrls: boolean;
  /** role-arn / scope: when the temporary credentials expire, and the policy they were narrowed to. */
  temporary?: { expiration: string; policy?: string };
}

export interface ActionOutputs {
  /** Output name and value, in setting order. */
  values: Array<[OutputName, string]>;
  warnings: string[];
  /** Values to register with setSecret before any output or log line is written. */
  masks: string[];
  /** ISO 8601 to the second, '' without entries. */
  expiresAt: string;
}

const SIGNATURE = /[?&](?:q-signature|X-Amz-Signature|X-Tos-Signature)=([0-9a-f]+)/;

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

export function buildOutputs(i: OutputsInput): ActionOutputs {
  const { entries } = i;
  const urls: Record<string, string> = {};
  const requests: Record<string, { url: string; method: string; headers: Record<string, string>; file?: string }> = {};
  for (const s of entries) {
    urls[s.key] = s.url;
    // `file` (keys from `files` only) lets an upload loop find the local file of each key.
    requests[s.key] = {
      url: s.url,
      method: s.method,
      headers: s.headers,
      ...(s.file !== undefined ? { file: s.file } : {}),
    };
  }
  const expiresAt = entries.length && i.expiresAt ? isoSeconds(i.expiresAt) : '';
  const values: Array<[OutputName, string]> = [];
  if (entries.length) values.push(['url', entries[0].url]);
  values.push(['urls', JSON.stringify(urls)], ['requests', JSON.stringify(requests)]);
  if (expiresAt) values.push(['expires-at', expiresAt]);
  if (i.authorization !== undefined) values.push(['authorization', i.authorization]);
  if (entries.length === 1) {
    const e = entries[0];
    // PUT uploads the matched file (or one named like the key); GET saves under the key's name.
    const file = e.file ?? baseName(e.key);
    values.push([
      'curl',
      curlCommand(
        e,
        e.method === 'PUT' ? { uploadFile: file } : e.method === 'GET' ? { outputFile: baseName(file) } : {},
      ),
    ]);
  }

  if (i.temporary) {
    values.push(['credential-expiration', i.temporary.expiration]);
    if (i.temporary.policy !== undefined) values.push(['policy', i.temporary.policy]);
  }

  const warnings: string[] = [];
  for (const [name, value] of values) {
    const bytes = Buffer.byteLength(value);
    if (bytes > OUTPUT_LIMIT) {
      // Still set in full (the runner takes it; what reads it later may not): say how many keys fit.
      const fit = Math.max(1, Math.floor(OUTPUT_LIMIT / Math.ceil(bytes / Math.max(1, entries.length))));
      warnings.push(
        `output ${name} is ${bytes} bytes for ${entries.length} keys; GitHub documents at most 1 MB per output, so a later step may fail to read it: sign at most about ${fit} keys per step (split keys or files over several steps)`,
      );
    }
  }

  const masks: string[] = [];
  if (i.maskUrls) {
    for (const s of entries) {
      masks.push(s.url);
      const sig = SIGNATURE.exec(s.url);
      if (sig) masks.push(sig[1]);
    }
    if (i.authorization !== undefined) masks.push(i.authorization);
  }
  return { values, warnings, masks, expiresAt };
}
